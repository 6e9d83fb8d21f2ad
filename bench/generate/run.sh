#!/usr/bin/env bash
# Darcy dataset generation throughput: `pdeops generate darcy` (both cores) beside the NumPy/SciPy
# peer (bench/peers/darcy_scipy.py: NumPy GRF + SciPy sparse direct solve), interleaved,
# REPEAT times per size; medians of samples per second. Writes bench/results/generate-darcy.json.
#   SIZES="421 129" REPEAT=3 bench/generate/run.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
peer=${PEER:-$root/bench/peers/darcy_scipy.py}
sizes=${SIZES:-421 129}
repeat=${REPEAT:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build "$root/Cli" -c Release -v q -nologo >/dev/null
pdeops="$root/Cli/bin/Release/net10.0/pdeops"
: > "$work/runs.jsonl"
for s in $sizes; do
  if [ "$s" -ge 300 ]; then peer_n=3; ours_n=120; else peer_n=30; ours_n=1000; fi
  for r in $(seq "$repeat"); do
    /usr/bin/python3 "$peer" "$s" "$peer_n" | sed "s/^/{\"who\":\"peer\",\"run\":/; s/\$/}/" >> "$work/runs.jsonl"
    "$pdeops" generate darcy --samples "$ours_n" --res "$s" --seed "$r" --threads 2 --overwrite --json \
      --out "$work/ours.h5" | tr -d '\n' | sed "s/^/{\"who\":\"ours\",\"s\":$s,\"run\":/; s/\$/}\n/" >> "$work/runs.jsonl"
  done
done
/usr/bin/python3 - "$work/runs.jsonl" "$root/bench/results/generate-darcy.json" "$sizes" "$repeat" <<'PY'
import json, platform, statistics, subprocess, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
sizes = [int(s) for s in sys.argv[3].split()]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
rows = []
for s in sizes:
    peer = [r["run"] for r in runs if r["who"] == "peer" and r["run"]["s"] == s]
    ours = [r["run"] for r in runs if r["who"] == "ours" and r["s"] == s]
    p = statistics.median(x["samples_per_s"] for x in peer)
    o = statistics.median(x["samples_per_s"] for x in ours)
    rows.append({"s": s, "peer_samples_per_s": p, "peer_runs": [x["samples_per_s"] for x in peer],
                 "peer_samples_per_run": peer[0]["samples"],
                 "peer_solve_s_per_sample": statistics.median(x["solve_s_per_sample"] for x in peer),
                 "ours_samples_per_s": o, "ours_runs": [x["samples_per_s"] for x in ours],
                 "ours_samples_per_run": ours[0]["samples"], "ratio": o / p,
                 "goal_ratio": 50 if s >= 300 else 20})
out = {"benchmark": "Darcy dataset generation (FNO recipe 12/3, alpha 2, tau 3, f = 1, u = 0 on the boundary)",
       "command": "bench/generate/run.sh  (SIZES='%s' REPEAT=%s)" % (sys.argv[3], sys.argv[4]),
       "ours": "pdeops generate darcy --samples N --res S --threads 2 (GRF + PCG/multigrid to relative residual 1e-6, float32 HDF5 written)",
       "peer": "/usr/bin/python3 bench/peers/darcy_scipy.py S N (NumPy GRF + SciPy SuperLU, no file written)",
       "machine": {"cpu": cpu, "cores": int(subprocess.check_output(["nproc"]).decode()), "os": platform.platform()},
       "statistic": "median of %s interleaved runs" % sys.argv[4], "results": rows}
json.dump(out, open(sys.argv[2], "w"), indent=2)
print(json.dumps(rows, indent=2))
PY
