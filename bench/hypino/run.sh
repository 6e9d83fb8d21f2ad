#!/usr/bin/env bash
# HyPINO's evaluation (docs/hypino.md): the trained small model on the seven benchmarks against
# their references, zero-shot and after 5 refinement rounds, beside a U-Net trained on the same
# manufactured problems and the full-budget PINN baselines of bench/pinn/run.sh, and fine-tuning
# as hypino solve --refine 5 --finetune 600 does by default (from the ensemble after the rounds, in units of
# u) against the same budget from random initialisation.
# Writes bench/results/hypino.json. MODEL (default the committed small model that scales its input, hypino-small-scaled), THREADS (1),
# FINETUNE (600 Adam steps), FROM (what fine-tuning starts from: refined, the ensemble after the rounds, or
# zero-shot), FINETUNE_WEIGHTING (solution-units, as hypino solve fine-tunes by default, or pinn-loss,
# HyPINO's fixed weights as the random-init PINN has them), OUT (bench/results/hypino.json), UNET_STEPS (8000) and UNET_MINUTES (30) change the settings; the
# U-Net's weights are kept in bench/results/checkpoints/hypino-unet-baseline.bin and reused.
#   bench/hypino/run.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
threads=${THREADS:-1}
model=${MODEL:-bench/results/checkpoints/hypino-small-scaled}
cd "$root"   # the report records paths relative to the repository
dotnet build Cli -c Release -v q -nologo >/dev/null
OMP_NUM_THREADS=$threads Cli/bin/Release/net10.0/pdeops bench hypino --model "$model" --rounds 5 \
  --finetune-steps "${FINETUNE:-600}" --finetune-from "${FROM:-refined}" --finetune-weighting "${FINETUNE_WEIGHTING:-solution-units}" --unet-steps "${UNET_STEPS:-8000}" --unet-minutes "${UNET_MINUTES:-30}" \
  --unet-weights bench/results/checkpoints/hypino-unet-baseline.bin \
  --pinn-baseline bench/results/pinn-benchmarks.json --threads "$threads" --out "${OUT:-bench/results/hypino.json}"
