#!/usr/bin/env bash
# Darcy, original networks beside their conversions (issue: NNs-to-NOs), from runs trained by
# bench/accuracy/run.sh at 85 and evaluated at 85, 141, 211 and the stored 421:
#   EVAL_SAMPLES=40 NAME=unet-no MODEL=unet-no EPOCHS=25 bench/accuracy/run.sh
#   EVAL_SAMPLES=40 NAME=resnet-no MODEL=resnet-no EPOCHS=15 bench/accuracy/run.sh
#   EVAL_SAMPLES=40 NAME=local-fno MODEL=local-fno EPOCHS=15 bench/accuracy/run.sh
#   EVAL_SAMPLES=40 NAME=fno-15 MODEL=fno EPOCHS=15 bench/accuracy/run.sh
#   EVAL_SAMPLES=40 NAME=unet-no-multires MODEL=unet-no EPOCHS=15 ARGS="--train-res 43,85" bench/accuracy/run.sh
# A converted CNN computes exactly what the CNN as built computes on the grid it was trained on,
# so one training serves both: the CNN as built is the same weights loaded under the plain
# model's name (runs/accuracy-NAME-as-built), evaluated on the same samples.
# The MgNO pair is the committed darcy85-mgno checkpoint in both forms (no training).
# Writes bench/results/conversion-darcy.json and copies each model to bench/results/checkpoints/darcy85-NAME.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${DATA:-$root/data}
samples=${EVAL_SAMPLES:-40}
dotnet build "$root/Cli" -c Release -v q -nologo >/dev/null
pdeops="$root/Cli/bin/Release/net10.0/pdeops"
for name in unet-no resnet-no vit-no unet-no-multires; do
  run="$root/runs/accuracy-$name"
  [ -f "$run/model.json" ] || continue
  plain="$run-as-built"
  mkdir -p "$plain"
  cp "$run/weights.bin" "$plain/weights.bin"
  /usr/bin/python3 "$root/bench/conversion/other_form.py" "$run/model.json" "$plain/model.json" as-built
  "$pdeops" eval --model "$plain" --data "$data/darcy421-test.h5" --res 85,141,211 --samples "$samples" --formats png --json > "$plain/eval.json.partial"
  mv "$plain/eval.json.partial" "$plain/eval.json"
done
# MgNO: the committed checkpoint (bench/accuracy/run.sh, 70 epochs) as trained and in its
# discretization-convergent form, which on the training grid is the same function of the same weights.
# FNO: without a run of the same budget as local-fno (fno-15), the committed 100-epoch checkpoint stands in.
if [ ! -f "$root/runs/accuracy-fno-15/eval.json" ]; then
  run="$root/runs/accuracy-fno-committed"
  mkdir -p "$run"
  cp "$root/bench/results/checkpoints/darcy85-fno/model.json" "$root/bench/results/checkpoints/darcy85-fno/weights.bin" "$run/"
  "$pdeops" eval --model "$run" --data "$data/darcy421-test.h5" --res 85,141,211 --samples "$samples" --formats png --json > "$run/eval.json.partial"
  mv "$run/eval.json.partial" "$run/eval.json"
fi
mgno="$root/bench/results/checkpoints/darcy85-mgno"
for form in original convergent; do
  run="$root/runs/accuracy-mgno-$form"
  mkdir -p "$run"
  cp "$mgno/weights.bin" "$run/weights.bin"
  /usr/bin/python3 "$root/bench/conversion/other_form.py" "$mgno/model.json" "$run/model.json" "$form"
  "$pdeops" eval --model "$run" --data "$data/darcy421-test.h5" --res 85,141,211 --samples "$samples" --formats png --json > "$run/eval.json.partial"
  mv "$run/eval.json.partial" "$run/eval.json"
done
/usr/bin/python3 "$root/bench/conversion/table.py" "$root" "$samples"
