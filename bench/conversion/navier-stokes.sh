#!/usr/bin/env bash
# Navier-Stokes vorticity, original networks beside their conversions (issue: NNs-to-NOs), scaled
# to a 2-core machine: w(t = 10) from w0 on the periodic unit square, nu 1e-4, the FNO forcing,
# time step 2e-3. 400 training samples generated at 64 (seed 0); 40 test samples generated at 128
# (seed 1), and the same 40 solved at 128 and stored at 64 for the per-epoch test. Each model is
# trained at 64 for EPOCHS epochs and evaluated at 64 (the 128 file subsampled) and 128.
#   EPOCHS=20 bench/conversion/navier-stokes.sh
#   MODELS="unet-no fno" EPOCHS=20 bench/conversion/navier-stokes.sh    # some of the runs
#   MODELS=unet-no-multires EPOCHS=20 bench/conversion/navier-stokes.sh   # NAME-multires: NAME trained on 32 and 64 (--train-res 32,64)
#   PDEOPS=/tmp/build/pdeops bench/conversion/navier-stokes.sh   # use that build instead of building the tree
# A converted network and the network as built are one training (the same function on the
# training grid): the as-built form loads the converted run's weights under the plain name. The
# MgNO pair is likewise one training, evaluated as trained and discretization-convergent.
# Writes runs/ns-NAME (resumed when it holds a run) and bench/results/conversion-navier-stokes.json (and .png, when
# every run is here; pairs whose runs are absent keep their last entries), conversion-navier-stokes-mgno.png;
# the checkpoints stay in the run folders.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${DATA:-$root/data}
epochs=${EPOCHS:-20}
models=${MODELS:-unet-no resnet-no vit-no local-fno fno mgno unet-no-multires}
if [ -n "${PDEOPS:-}" ]; then
  pdeops=$PDEOPS   # a build copied aside, so the tree can be rebuilt while this runs
else
  dotnet build "$root/Cli" -c Release -v q -nologo >/dev/null
  pdeops="$root/Cli/bin/Release/net10.0/pdeops"
fi
physics=(--param final_time=10 --param record_interval=10 --param viscosity=1e-4 --param time_step=2e-3)
mkdir -p "$data"
[ -f "$data/ns64-train.h5" ] || "$pdeops" generate navier-stokes --samples 400 --res 64 --seed 0 "${physics[@]}" --out "$data/ns64-train.h5"
[ -f "$data/ns128-test.h5" ] || "$pdeops" generate navier-stokes --samples 40 --res 128 --seed 1 "${physics[@]}" --out "$data/ns128-test.h5"
[ -f "$data/ns64-test.h5" ] || "$pdeops" generate navier-stokes --samples 40 --res 64 --fine-res 128 --seed 1 "${physics[@]}" --out "$data/ns64-test.h5"

evaluate() {  # RUN: the model in RUN at 64 and 128, into RUN/eval.json
  "$pdeops" eval --model "$1" --data "$data/ns128-test.h5" --res 64 --formats png --json > "$1/eval.json.partial"
  mv "$1/eval.json.partial" "$1/eval.json"
}

for name in $models; do
  run="$root/runs/ns-$name"
  model=${name%-multires}
  case $model in
    vit-no | vit) args=(--patch-size 4) ;;
    mgno) args=(--boundary periodic --positional-embedding) ;;
    *) args=() ;;
  esac
  [ "$name" = "$model" ] || args+=(--train-res 32,64)
  resume=(); [ -f "$run/run.json" ] && resume=(--resume)
  if [ ! -f "$run/eval.json" ]; then
    "$pdeops" train --model "$model" --data "$data/ns64-train.h5" --test "$data/ns64-test.h5" \
      --epochs "$epochs" --batch 20 --lr 1e-3 --schedule cosine --out "$run" "${args[@]}" "${resume[@]}"
    evaluate "$run"
  fi
  other=""
  case $model in
    *-no) other=as-built ;;
    mgno) other=convergent ;;
  esac
  if [ -n "$other" ] && [ ! -f "$run-$other/eval.json" ]; then
    mkdir -p "$run-$other"
    cp "$run/weights.bin" "$run-$other/weights.bin"
    /usr/bin/python3 "$root/bench/conversion/other_form.py" "$run/model.json" "$run-$other/model.json" "$other"
    evaluate "$run-$other"
  fi
done
/usr/bin/python3 "$root/bench/conversion/ns_table.py" "$root" "$epochs"
figure=()
for name in unet-no-as-built unet-no vit-no-as-built vit-no resnet-no-as-built resnet-no fno local-fno mgno mgno-convergent unet-no-multires; do
  [ -f "$root/runs/ns-$name/eval.json" ] && figure+=("$root/runs/ns-$name")
done
if /usr/bin/python3 "$root/bench/conversion/runs.py" complete "$root/bench/results/conversion-navier-stokes.json"; then
  "$pdeops" plot resolution "${figure[@]}" --title "Navier-Stokes, trained at 64: networks and their conversions" --out "$root/bench/results/conversion-navier-stokes.png"
else
  echo "conversion-navier-stokes.png left as it was: some pairs' runs are not on this machine" >&2
fi
if [ -f "$root/runs/ns-mgno-convergent/eval.json" ]; then
  "$pdeops" plot resolution "$root/runs/ns-mgno" "$root/runs/ns-mgno-convergent" \
    --title "Navier-Stokes, trained at 64: MgNO and its discretization-convergent form" --out "$root/bench/results/conversion-navier-stokes-mgno.png"
fi
