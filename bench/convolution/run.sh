#!/usr/bin/env bash
# What turning libtorch's oneDNN off costs: seconds per training epoch of the convolutional models
# (MgNO, the converted U-Net) on 64 Darcy samples at 65x65, batch 8, 2 threads, with oneDNN off
# (PdeOps's default on x64 Linux: ATen's kernels, and PdeOps' own for MgNO's 32-channel stride-1 3x3
# convolutions) and on (PDEOPS_ONEDNN=1), interleaved REPEAT (3) times. Speed only: where oneDNN's convolutions are wrong (ConvolutionGradientTests says so), its
# times are those of wrong results. Writes bench/results/convolution-backend.json.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build "$root/Cli" -c Release -v q -nologo >/dev/null
pdeops="$root/Cli/bin/Release/net10.0/pdeops"
"$pdeops" generate darcy --samples 64 --res 65 --seed 1 --out "$work/darcy65.h5" >/dev/null
for round in $(seq "${REPEAT:-3}"); do
  for model in mgno unet-no; do
    for onednn in 0 1; do
      run="$work/$model-onednn$onednn-round$round"
      # A run that diverges (oneDNN's wrong gradients) still leaves the epochs it completed.
      PDEOPS_ONEDNN=$onednn "$pdeops" train --model "$model" --data "$work/darcy65.h5" --test "$work/darcy65.h5" \
        --epochs 3 --batch 8 --threads 2 --seed 0 --out "$run" > "$run.log" 2>&1 || true
    done
  done
done
/usr/bin/python3 - "$work" "$root/bench/results/convolution-backend.json" <<'PY'
import csv, datetime, glob, json, os, platform, statistics, subprocess, sys
work, out = sys.argv[1:3]
result = {
    "benchmark": "seconds per training epoch (epochs 2 and 3 of each run), 64 Darcy samples at 65x65, batch 8, 2 threads",
    "command": "bench/convolution/run.sh",
    "machine": {"cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?"),
                "cores": os.cpu_count(), "os": platform.platform()},
    "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "statistic": "median over all rounds; runs_diverged counts runs that stopped with a non-finite loss (no epoch time when it happened in epoch 1)",
    "onednn_off": "ATen's kernels, except MgNO's stride-1 3x3 convolutions of 32 channels, which run on PdeOps' own (Operators/Layers/Convolution3x3.cs) whatever the oneDNN setting",
    "models": {},
}
for model in ["mgno", "unet-no"]:
    row = {}
    for onednn, name in [("0", "onednn_off_aten"), ("1", "onednn_on")]:
        seconds, diverged = [], 0
        for log in sorted(glob.glob(f"{work}/{model}-onednn{onednn}-round*.log")):
            run = log[:-4]
            diverged += "diverged" in open(log).read()
            path = os.path.join(run, "metrics.csv")
            if os.path.exists(path):
                seconds += [float(r["seconds"]) for r in csv.DictReader(open(path)) if int(r["epoch"]) > 1]
        row[name] = {"epoch_s_median": statistics.median(seconds) if seconds else None, "epoch_s_all": seconds, "runs_diverged": diverged}
    off, on = row["onednn_off_aten"]["epoch_s_median"], row["onednn_on"]["epoch_s_median"]
    row["time_ratio_off_over_on"] = off / on if off and on else None
    result["models"][model] = row
json.dump(result, open(out, "w"), indent=2)
print(json.dumps(result, indent=2))
PY
