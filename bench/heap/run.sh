#!/usr/bin/env bash
# What keeping large native blocks in glibc's heap (pdeops's default on Linux) saves: FNO training
# (the paper FNO, Darcy 85x85, SAMPLES (100) samples, batch 20, one thread bound to core 0) with the
# default and with glibc's own allocator settings (GLIBC_TUNABLES set empty, which pdeops leaves
# alone), interleaved REPEAT (3) times. Seconds per epoch (after the first) from metrics.csv; page
# faults, wall, user and system seconds and peak resident size of each process from GNU time.
# Data: DATA/darcy85-train.h5 (default DATA=data), generated small when absent.
# Writes bench/results/native-heap.json.
#   REPEAT=3 bench/heap/run.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${DATA:-$root/data}
samples=${SAMPLES:-100}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$root/bench/lib/pdeops-and-darcy85.sh"
for round in $(seq "${REPEAT:-3}"); do
  for heap in kept glibc; do
    run="$work/$heap-$round"
    tunables=(); [ "$heap" = glibc ] && tunables=(GLIBC_TUNABLES=)
    env "${tunables[@]}" /usr/bin/time -f '{"faults": %R, "wall_s": %e, "user_s": %U, "system_s": %S, "max_rss_kb": %M}' -o "$run.time" \
      taskset -c 0 "$pdeops" train --model fno --data "$train" --test "$train" --train-samples "$samples" --test-samples 2 \
      --epochs 5 --batch 20 --seed 0 --threads 1 --out "$run" > "$run.log" 2>&1
  done
done
/usr/bin/python3 - "$work" "$root/bench/results/native-heap.json" "$samples" "${REPEAT:-3}" <<'PY'
import csv, datetime, glob, json, os, platform, statistics, sys
work, out, samples, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
result = {
    "benchmark": f"FNO training (width 32, 12 modes, 4 layers) on Darcy 85x85, {samples} samples, batch 20, 5 epochs, 1 thread on core 0",
    "command": f"REPEAT={repeat} bench/heap/run.sh",
    "machine": {"cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?"),
                "cores": os.cpu_count(), "os": platform.platform()},
    "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "statistic": "medians over rounds (epoch seconds: epochs 2 to 5 of every round)",
    "settings": {"kept": "pdeops's default: mmap threshold fixed at 32 MiB, no trimming of the heap's top",
                 "glibc": "GLIBC_TUNABLES set (empty): glibc's dynamic mmap threshold and trimming"},
}
for heap in ["kept", "glibc"]:
    times = [json.load(open(f)) for f in sorted(glob.glob(f"{work}/{heap}-*.time"))]
    epochs = [float(r["seconds"]) for run in sorted(glob.glob(f"{work}/{heap}-*/metrics.csv")) for r in csv.DictReader(open(run)) if int(r["epoch"]) > 1]
    result[heap] = {"epoch_s_median": statistics.median(epochs), "epoch_s_all": epochs,
                    **{k + "_median": statistics.median(t[k] for t in times) for k in times[0]}}
result["epoch_time_ratio_glibc_over_kept"] = result["glibc"]["epoch_s_median"] / result["kept"]["epoch_s_median"]
result["fault_ratio_glibc_over_kept"] = result["glibc"]["faults_median"] / result["kept"]["faults_median"]
result["rss_ratio_kept_over_glibc"] = result["kept"]["max_rss_kb_median"] / result["glibc"]["max_rss_kb_median"]
json.dump(result, open(out, "w"), indent=2)
print(json.dumps({k: v for k, v in result.items() if "ratio" in k or k in ("kept", "glibc")}, indent=2))
PY
