#!/usr/bin/env bash
# Attention layer scaling: `pdeops bench attention` (forward + backward, width 64, 4 heads) for the
# linear and physics kernels at 4096 and 16384 points (batch 4): time at 4n over time at n, goal
# <= 4.6 (linear growth), with the layers streaming over chunks of points (the default) and, side
# by side, on all points at once (--chunk-elements 0); and the fused softmax kernel at 65536 points
# (256^2), batch 1, with its peak memory (goal: within 4 GB). Writes bench/results/attention.json.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build "$root/Cli" -c Release -v q -nologo >/dev/null
pdeops="$root/Cli/bin/Release/net10.0/pdeops"
# Sizes interleaved ROUNDS (3) times; the machine is shared and noisy, so all timed passes of a size are pooled.
for round in $(seq "${ROUNDS:-3}"); do
  for kernel in linear physics; do
    for chunk in default 0; do
      chunking=(); [ "$chunk" = 0 ] && chunking=(--chunk-elements 0)
      for n in 4096 16384; do
        "$pdeops" bench attention --kernel "$kernel" --points "$n" --width 64 --heads 4 --batch 4 --repeat "${REPEAT:-5}" --threads 2 "${chunking[@]}" --json \
          > "$work/$kernel${chunking:+-whole}-$n-round$round.json"
      done
    done
  done
done
"$pdeops" bench attention --kernel softmax --points 4096 --width 64 --heads 4 --batch 1 --repeat "${REPEAT:-5}" --threads 2 --json > "$work/softmax-4096.json"
"$pdeops" bench attention --kernel softmax --points 65536 --width 64 --heads 4 --batch 1 --repeat 2 --threads 2 --json > "$work/softmax-65536.json"
/usr/bin/python3 - "$work" "$root/bench/results/attention.json" <<'PY'
import glob, json, os, sys, datetime
w, out = sys.argv[1:3]
import statistics
runs = {}
for f in sorted(glob.glob(f"{w}/*.json")):
    key = os.path.basename(f)[:-5].split("-round")[0]
    r = json.load(open(f))
    if key in runs:  # pool the timed passes of the rounds
        runs[key]["runs_s"] += r["runs_s"]
        runs[key]["peak_memory_growth_bytes"] = max(runs[key]["peak_memory_growth_bytes"], r["peak_memory_growth_bytes"])
    else:
        runs[key] = r
for r in runs.values():
    r["forward_backward_s"] = statistics.median(r["runs_s"])
def row(k):
    r = runs[k]
    return {"points": r["points"], "batch": r["batch"], "forward_backward_s": r["forward_backward_s"], "runs_s": r["runs_s"],
            "peak_memory_growth_mib": r["peak_memory_growth_bytes"] / 2**20}
result = {
    "benchmark": "one attention layer, forward + backward of a mean-square loss, width 64, 4 heads, float32, points of a square grid",
    "command": "bench/attention/run.sh", "machine": runs["linear-4096"]["machine"],
    "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "statistic": "median of all timed passes (each invocation: one warm-up, then REPEAT passes; 4096 and 16384, chunked and whole, interleaved over ROUNDS)",
    "whole": "linear-whole and physics-whole: the same layers on all points at once (--chunk-elements 0)",
    **{name: {"chunk_elements": runs[f"{name}-4096"]["chunk_elements"],
              "4096": row(f"{name}-4096"), "16384": row(f"{name}-16384"),
              "time_ratio_4n_over_n": runs[f"{name}-16384"]["forward_backward_s"] / runs[f"{name}-4096"]["forward_backward_s"]}
       for name in ["linear", "physics", "linear-whole", "physics-whole"]},
    "softmax": {"4096": row("softmax-4096"), "65536": row("softmax-65536")},
    "goals": {"time_ratio_4n_over_n": 4.6, "softmax_65536_peak_gib": 4},
}
json.dump(result, open(out, "w"), indent=2)
print(json.dumps(result, indent=2))
PY
