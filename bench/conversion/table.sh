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
# Writes bench/results/conversion-darcy.json (pairs whose runs are absent keep their last entries), the figures
# conversion-darcy.png (when every run is here) and conversion-darcy-mgno.png, and copies each model to bench/results/checkpoints/darcy85-NAME.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${DATA:-$root/data}
samples=${EVAL_SAMPLES:-40}
dotnet build "$root/Cli" -c Release -v q -nologo >/dev/null
pdeops="$root/Cli/bin/Release/net10.0/pdeops"
# FOLDER WEIGHTS: evaluates the model in FOLDER into FOLDER/eval.json, unless that is newer than
# WEIGHTS (the weights it was made from), so a rerun evaluates only what changed.
evaluate() {
  if [ -f "$1/eval.json" ] && [ "$1/eval.json" -nt "$2" ]; then return; fi
  "$pdeops" eval --model "$1" --data "$data/darcy421-test.h5" --res 85,141,211 --samples "$samples" --formats png --json > "$1/eval.json.partial"
  mv "$1/eval.json.partial" "$1/eval.json"
}
for name in unet-no resnet-no vit-no unet-no-multires; do
  run="$root/runs/accuracy-$name"
  [ -f "$run/model.json" ] || continue
  plain="$run-as-built"
  mkdir -p "$plain"
  cmp -s "$run/weights.bin" "$plain/weights.bin" || cp "$run/weights.bin" "$plain/weights.bin"
  /usr/bin/python3 "$root/bench/conversion/other_form.py" "$run/model.json" "$plain/model.json" as-built
  evaluate "$plain" "$run/weights.bin"
done
# MgNO: the committed checkpoint (bench/accuracy/run.sh, 70 epochs) as trained and in its
# discretization-convergent form, which on the training grid is the same function of the same weights.
# FNO: without a run of the same budget as local-fno (fno-15), the committed 100-epoch checkpoint stands in.
if [ ! -f "$root/runs/accuracy-fno-15/eval.json" ]; then
  run="$root/runs/accuracy-fno-committed"
  mkdir -p "$run"
  cp "$root/bench/results/checkpoints/darcy85-fno/model.json" "$run/"
  cmp -s "$root/bench/results/checkpoints/darcy85-fno/weights.bin" "$run/weights.bin" || cp "$root/bench/results/checkpoints/darcy85-fno/weights.bin" "$run/"
  evaluate "$run" "$run/weights.bin"
fi
mgno="$root/bench/results/checkpoints/darcy85-mgno"
for form in original convergent; do
  run="$root/runs/accuracy-mgno-$form"
  mkdir -p "$run"
  cmp -s "$mgno/weights.bin" "$run/weights.bin" || cp "$mgno/weights.bin" "$run/weights.bin"
  /usr/bin/python3 "$root/bench/conversion/other_form.py" "$mgno/model.json" "$run/model.json" "$form"
  evaluate "$run" "$run/weights.bin"
done
/usr/bin/python3 "$root/bench/conversion/table.py" "$root" "$samples"
"$pdeops" plot resolution "$root/runs/accuracy-mgno-original" "$root/runs/accuracy-mgno-convergent" \
  --title "Darcy, trained at 85: MgNO and its discretization-convergent form" --out "$root/bench/results/conversion-darcy-mgno.png"
figure=()
for name in unet-no-as-built unet-no vit-no-as-built vit-no resnet-no-as-built resnet-no fno-15 fno-committed local-fno mgno-original mgno-convergent unet-no-multires; do
  [ -f "$root/runs/accuracy-$name/eval.json" ] && figure+=("$root/runs/accuracy-$name")
done
if /usr/bin/python3 "$root/bench/conversion/runs.py" complete "$root/bench/results/conversion-darcy.json"; then
  "$pdeops" plot resolution "${figure[@]}" --title "Darcy, trained at 85: networks and their conversions" --out "$root/bench/results/conversion-darcy.png"
else
  echo "conversion-darcy.png left as it was: some pairs' runs are not on this machine" >&2
fi
