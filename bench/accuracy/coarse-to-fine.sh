#!/usr/bin/env bash
# Darcy accuracy, coarse to fine: a grid-agnostic model (transolver, attention) trained first for
# COARSE_EPOCHS on the training data subsampled to COARSE points per axis (43: a quarter of the
# points of 85, so epochs cost about a third), then for EPOCHS at 85 from those weights
# (--init-from, fresh optimizer and schedule at peak FINE_LR) and evaluated by run.sh.
# ARGS are the model options of both phases; the spectral convolution's padding is given per phase
# (COARSE_PADDING at COARSE, PADDING at 85) so that it keeps one physical length.
# The coarse phase is checked on the first 40 test samples (it only watches the training), the fine
# phase on all 200. Writes runs/accuracy-NAME-coarse/, runs/accuracy-NAME/ and
# bench/results/darcy-accuracy-NAME.json (run.sh's result with the coarse phase and the total time added).
#   NAME=transolver-coarse-to-fine MODEL=transolver COARSE_EPOCHS=110 EPOCHS=40 BATCH=8 LR=1e-3 FINE_LR=3e-4 EVAL_SAMPLES=40 \
#     COARSE_PADDING=6 PADDING=12 ARGS="--width 32 --heads 4 --layers 4 --slices 32 --modes 12 --trapezoidal-edges --augment dihedral" \
#     bench/accuracy/coarse-to-fine.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
: "${NAME:?name the run}" "${MODEL:?transolver or attention}" "${COARSE_EPOCHS:?}" "${EPOCHS:?}" "${COARSE_PADDING:?}" "${PADDING:?}"
coarse=${COARSE:-43}
batch=${BATCH:-8}
lr=${LR:-1e-3}
fine_lr=${FINE_LR:-$lr}
data=${DATA:-$root/data}
coarse_run=$root/runs/accuracy-$NAME-coarse
read -r -a extra <<< "${ARGS:-}"
. "$root/bench/accuracy/pdeops.sh"
[ -f "$data/darcy85-train.h5" ] || { echo "coarse-to-fine: run bench/accuracy/run.sh once to generate $data/darcy85-train.h5" >&2; exit 1; }
resume=(); [ -f "$coarse_run/run.json" ] && resume=(--resume)
if [ ! -f "$coarse_run/metrics.json" ] || ! python3 -c "import json,sys; m=json.load(open(sys.argv[1])); sys.exit(m['epochs_completed'] < int(sys.argv[2]))" "$coarse_run/metrics.json" "$COARSE_EPOCHS"; then
  "$pdeops" train --model "$MODEL" --data "$data/darcy85-train.h5" --test "$data/darcy85-test.h5" --test-samples 40 \
    --epochs "$COARSE_EPOCHS" --batch "$batch" --lr "$lr" --schedule cosine --train-res "$coarse" --padding "$COARSE_PADDING" \
    --out "$coarse_run" "${extra[@]}" "${resume[@]}"
fi
NAME=$NAME MODEL=$MODEL EPOCHS=$EPOCHS BATCH=$batch LR=$fine_lr PDEOPS=$pdeops DATA=$data EVAL_SAMPLES=${EVAL_SAMPLES:-} \
  ARGS="${ARGS:-} --padding $PADDING --init-from $coarse_run" "$root/bench/accuracy/run.sh"
command="NAME=$NAME MODEL=$MODEL COARSE_EPOCHS=$COARSE_EPOCHS EPOCHS=$EPOCHS BATCH=$batch LR=$lr FINE_LR=$fine_lr COARSE_PADDING=$COARSE_PADDING PADDING=$PADDING${EVAL_SAMPLES:+ EVAL_SAMPLES=$EVAL_SAMPLES}${ARGS:+ ARGS=\"$ARGS\"} bench/accuracy/coarse-to-fine.sh"
/usr/bin/python3 - "$coarse_run/metrics.json" "$root/bench/results/darcy-accuracy-$NAME.json" "$coarse" "$command" "$root/" <<'EOF'
import json, sys
metrics, out, coarse, command, root = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
m = json.load(open(metrics))
result = json.load(open(out))
coarse_minutes = sum(e["seconds"] for e in m["epochs"]) / 60
result["fine_phase_command"] = result["command"].replace(root, "")  # the coarse run named relative to the repository
result["command"] = command
result["coarse_phase"] = {"grid": coarse, "epochs": m["epochs_completed"], "training_minutes": coarse_minutes,
                          "test_rel_l2_85_at_end_40_samples": m["epochs"][-1]["test_rel_l2"]}
result["fine_phase_training_minutes"] = result["training_minutes"]
result["training_minutes"] = result["training_minutes"] + coarse_minutes
json.dump(result, open(out, "w"), indent=2)
print(f"coarse phase {coarse_minutes:.1f} min, total {result['training_minutes']:.1f} min")
EOF
