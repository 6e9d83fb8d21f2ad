#!/usr/bin/env bash
# HyPINO's figures per benchmark (docs/hypino.md): for each of the seven benchmarks, the committed
# small model's answer zero-shot, after 5 refinement rounds and fine-tuned for 600 Adam + 60 L-BFGS
# steps (hypino solve's defaults), beside the reference, with each one's error and the error after
# each stage. Writes bench/results/hypino/NAME.png and NAME.json. MODEL (hypino-small-scaled), THREADS (1),
# PDEOPS (the CLI to run; built here when not given) change the settings.
#   bench/hypino/figures.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
threads=${THREADS:-1}
model=${MODEL:-bench/results/checkpoints/hypino-small-scaled}
cd "$root"   # the reports record paths relative to the repository
if [[ -z "${PDEOPS:-}" ]]; then
  dotnet build Cli -c Release -v q -nologo >/dev/null
  PDEOPS=Cli/bin/Release/net10.0/pdeops
fi
mkdir -p bench/results/hypino
for name in heat helmholtz helmholtz-holes poisson-holes poisson-l poisson-gauss wave; do
  OMP_NUM_THREADS=$threads "$PDEOPS" hypino solve --model "$model" --benchmark "$name" --refine 5 --finetune 600 \
    --plot "bench/results/hypino/$name.png" --threads "$threads" --json > "bench/results/hypino/$name.json.partial"
  mv "bench/results/hypino/$name.json.partial" "bench/results/hypino/$name.json"
  echo "$name: $(grep -o '"rel_l2": [^,]*' "bench/results/hypino/$name.json" | head -1)"
done
