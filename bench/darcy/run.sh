#!/usr/bin/env bash
# Darcy benchmark: PCG + Galerkin multigrid iterations to 1e-10 on FNO-style 12/3 coefficients.
# Writes bench/results/darcy-pcg-iterations.json.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$root/bench/results"
dotnet build "$root/Cli" -c Release -v q -nologo >/dev/null
# Paths relative to the repository, so that the command recorded in the result names no machine path.
cd "$root"
Cli/bin/Release/net10.0/pdeops bench darcy --n "${SIZES:-255,511,1023}" --samples "${SAMPLES:-3}" \
  --out bench/results/darcy-pcg-iterations.json
