#!/usr/bin/env bash
# Certified prediction and the neural warm start on the Darcy 421^2 test set, with the committed FNO
# (trained at 85^2). Writes bench/results/certified-prediction.json (prediction on the nested 85^2
# grid), certified-prediction-421.json (prediction at 421^2) and warm-start.json; then
# certified-prediction-fno-w16-p64.json, the same as the first with the lighter FNO (width 16,
# projection 64: a quarter of the parameters) trained by
#   NAME=fno-w16-p64 MODEL=fno EPOCHS=100 ARGS="--width 16 --projection-width 64" bench/accuracy/run.sh
# and committed as bench/results/checkpoints/darcy85-fno-w16-p64. Needs data/darcy421-test.h5:
#   pdeops generate darcy --samples 200 --res 421 --seed 1 --out data/darcy421-test.h5
# Each thread predicts and certifies passes of 8 samples of its own, as 'pdeops predict --certify' does
# (passes of 20 were slower: one thread idled while the other finished the last).
# Usage: bench/certify/run.sh [samples] [threads]
set -euo pipefail
cd "$(dirname "$0")/../.."
samples=${1:-50}
threads=${2:-2}
dotnet build -c Release Cli > /dev/null
dotnet build -c Release examples/NeuralWarmStart > /dev/null
# The operator predicts on its own 85^2 grid, nested in the data's, and the prediction is interpolated;
# then, for comparison, on the full 421^2 grid one sample per pass (larger passes at 421^2 are slower).
dotnet Cli/bin/Release/net10.0/pdeops.dll bench certify --model bench/results/checkpoints/darcy85-fno \
  --data data/darcy421-test.h5 --samples "$samples" --predict-grid 85 --batch 8 --repeats 15 --threads "$threads" --out bench/results/certified-prediction.json \
  --plot bench/results/certified-prediction-bound.png
dotnet Cli/bin/Release/net10.0/pdeops.dll bench certify --model bench/results/checkpoints/darcy85-fno \
  --data data/darcy421-test.h5 --samples "$samples" --batch 1 --repeats 3 --threads "$threads" --out bench/results/certified-prediction-421.json
dotnet examples/NeuralWarmStart/bin/Release/net10.0/NeuralWarmStart.dll bench/results/checkpoints/darcy85-fno "$samples" 421 \
  bench/results/warm-start.json
dotnet Cli/bin/Release/net10.0/pdeops.dll bench certify --model bench/results/checkpoints/darcy85-fno-w16-p64 \
  --data data/darcy421-test.h5 --samples "$samples" --predict-grid 85 --batch 8 --repeats 15 --threads "$threads" --out bench/results/certified-prediction-fno-w16-p64.json \
  --plot bench/results/certified-prediction-fno-w16-p64-bound.png
