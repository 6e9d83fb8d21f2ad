#!/usr/bin/env bash
# Darcy accuracy of a trained checkpoint with and without averaging its predictions over the eight
# symmetries of the square (pdeops eval --average-symmetries; exact for this benchmark: f = 1 and
# u = 0 on the boundary). Both on all 200 samples of darcy85-test.h5 and, as run.sh does for the
# zero-shot ratios, on the first EVAL_SAMPLES samples of darcy421-test.h5 subsampled to 85, 141, 211.
# Writes bench/results/darcy-accuracy-NAME-symmetry-averaged.json with both and the evaluation times.
#   CHECKPOINT=bench/results/checkpoints/darcy85-transolver-coarse-to-fine NAME=transolver-coarse-to-fine \
#     EVAL_SAMPLES=40 bench/accuracy/symmetry-average.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
: "${CHECKPOINT:?the run folder to evaluate}" "${NAME:?name of the result}"
samples=${EVAL_SAMPLES:-40}
data=${DATA:-$root/data}
. "$root/bench/accuracy/pdeops.sh"
for f in darcy85-test.h5 darcy421-test.h5; do
  [ -f "$data/$f" ] || { echo "symmetry-average: run bench/accuracy/run.sh once to generate $data/$f" >&2; exit 1; }
done
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for mode in plain averaged; do
  flag=(); [ "$mode" = averaged ] && flag=(--average-symmetries)
  start=$(date +%s.%N)
  "$pdeops" eval --model "$CHECKPOINT" --data "$data/darcy85-test.h5" --plots "$work/figures" --formats png "${flag[@]}" --json > "$work/$mode-85.json"
  "$pdeops" eval --model "$CHECKPOINT" --data "$data/darcy421-test.h5" --res 85,141,211 --samples "$samples" \
    --plots "$work/figures" --formats png "${flag[@]}" --json > "$work/$mode-421.json"
  echo "$start $(date +%s.%N)" > "$work/$mode.time"
done
command="CHECKPOINT=$CHECKPOINT NAME=$NAME EVAL_SAMPLES=$samples bench/accuracy/symmetry-average.sh"
out="$root/bench/results/darcy-accuracy-$NAME-symmetry-averaged.json"
/usr/bin/python3 - "$work" "$out" "$command" "$samples" "$(uname -m) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" <<'PY'
import json, sys
work, out, command, samples, machine = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
def side(mode):
    full = json.load(open(f"{work}/{mode}-85.json"))
    sub = json.load(open(f"{work}/{mode}-421.json"))
    start, end = map(float, open(f"{work}/{mode}.time").read().split())
    rows = {r["resolution"]: r["rel_l2"] for r in sub["resolutions"] if not r["native"]}
    return {"rel_l2_85_all_test_samples": full["resolutions"][0]["rel_l2"], "test_samples": full["samples"],
            "rel_l2_from_421": rows, "zero_shot_ratio_141": rows[141] / rows[85], "zero_shot_ratio_211": rows[211] / rows[85],
            "evaluation_seconds": end - start}
result = {"command": command, "machine": machine, "samples_from_421": samples,
          "plain": side("plain"), "symmetry_averaged": side("averaged"),
          "goals": {"transolver_rel_l2_85": 0.009, "zero_shot_ratio": 1.3}}
json.dump(result, open(out, "w"), indent=2)
p, a = result["plain"], result["symmetry_averaged"]
print(f"85 (all {p['test_samples']}): plain {100*p['rel_l2_85_all_test_samples']:.3f} %, averaged {100*a['rel_l2_85_all_test_samples']:.3f} %; "
      f"ratios 141/211: plain {p['zero_shot_ratio_141']:.3f}/{p['zero_shot_ratio_211']:.3f}, averaged {a['zero_shot_ratio_141']:.3f}/{a['zero_shot_ratio_211']:.3f}; "
      f"evaluation {p['evaluation_seconds']:.0f} s and {a['evaluation_seconds']:.0f} s")
PY
