#!/usr/bin/env bash
# Darcy accuracy (FNO recipe, issue goals): 1000 training and 200 test samples generated at 421
# and subsampled to 85, MODEL (fno or mgno) trained for EPOCHS epochs, then evaluated at 85, and
# zero-shot at 141 and 211 on the same test samples stored at 421.
# Writes runs/accuracy-NAME/ and bench/results/darcy-accuracy-NAME.json.
# NAME (MODEL) names the run and the result file; RUN (runs/accuracy-NAME) is the run folder, resumed when it holds a run. BATCH (20), LR (1e-3) and ARGS (extra `pdeops train` options, e.g. the architecture) are passed on.
# PDEOPS names a build copied aside (e.g. /tmp/build/pdeops), used instead of building the tree, so the tree can be rebuilt while this runs.
# EVAL_SAMPLES evaluates only the first N test samples (models whose stencils grow with the grid are slow at 421).
#   MODEL=fno EPOCHS=100 bench/accuracy/run.sh
#   NAME=fno-trapezoid MODEL=fno EPOCHS=100 ARGS="--padding 11 --trapezoidal-edges" bench/accuracy/run.sh
#   MODEL=mgno EPOCHS=70 BATCH=10 ARGS="--width 24 --layers 5 --pre-smoothing 1,1,1,1,2 --post-smoothing 0,0,0,1,0" bench/accuracy/run.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
model=${MODEL:-fno}
epochs=${EPOCHS:-100}
batch=${BATCH:-20}
lr=${LR:-1e-3}
read -r -a extra <<< "${ARGS:-}"
data=${DATA:-$root/data}
name=${NAME:-$model}
run=${RUN:-$root/runs/accuracy-$name}
. "$root/bench/accuracy/pdeops.sh"
mkdir -p "$data" "$root/bench/results"
[ -f "$data/darcy85-train.h5" ] || "$pdeops" generate darcy --samples 1000 --res 85 --fine-res 421 --seed 0 --out "$data/darcy85-train.h5"
[ -f "$data/darcy85-test.h5" ] || "$pdeops" generate darcy --samples 200 --res 85 --fine-res 421 --seed 1 --out "$data/darcy85-test.h5"
[ -f "$data/darcy421-test.h5" ] || "$pdeops" generate darcy --samples 200 --res 421 --seed 1 --out "$data/darcy421-test.h5"
resume=(); [ -f "$run/run.json" ] && resume=(--resume)
"$pdeops" train --model "$model" --data "$data/darcy85-train.h5" --test "$data/darcy85-test.h5" \
  --epochs "$epochs" --batch "$batch" --lr "$lr" --schedule cosine --out "$run" "${extra[@]}" "${resume[@]}"
eval_samples=(); [ -n "${EVAL_SAMPLES:-}" ] && eval_samples=(--samples "$EVAL_SAMPLES")
"$pdeops" eval --model "$run" --data "$data/darcy421-test.h5" --res 85,141,211 "${eval_samples[@]}" --json > "$run/eval.json.partial"
mv "$run/eval.json.partial" "$run/eval.json"
command="${NAME:+NAME=$NAME }${EVAL_SAMPLES:+EVAL_SAMPLES=$EVAL_SAMPLES }MODEL=$model EPOCHS=$epochs BATCH=$batch LR=$lr${ARGS:+ ARGS=\"$ARGS\"} bench/accuracy/run.sh"
/usr/bin/python3 "$root/bench/accuracy/summarize.py" "$run" "$root/bench/results/darcy-accuracy-$name.json" "$model" "$command"
