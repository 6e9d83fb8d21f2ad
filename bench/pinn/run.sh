#!/usr/bin/env bash
# PINN baselines on the seven HyPINO benchmarks (the figures HyPINO must beat): one PINN per
# problem from random initialisation with the fixed budget of 5000 Adam + 500 L-BFGS steps on
# 4096 interior and 1024 boundary points, errors against the exact or multigrid reference on the
# 129^2 vertex grid of [-1, 1]^2.
# Each benchmark writes bench/results/pinn-benchmarks/NAME.json and NAME.png and is skipped when
# its JSON exists, so the script resumes after an interruption; bench/results/pinn-benchmarks.json
# collects them. THREADS (1) sets libtorch's threads; ONLY="heat wave" runs a subset.
#   bench/pinn/run.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
threads=${THREADS:-1}
dotnet build "$root/Cli" -c Release -v q -nologo >/dev/null
pdeops="$root/Cli/bin/Release/net10.0/pdeops"
out="$root/bench/results/pinn-benchmarks"
mkdir -p "$out"
names=${ONLY:-heat helmholtz helmholtz-holes poisson-holes poisson-l poisson-gauss wave}
for name in $names; do
  [ -f "$out/$name.json" ] && { echo "$name: done"; continue; }
  OMP_NUM_THREADS=$threads "$pdeops" pinn solve --benchmark "$name" --steps 5000 --lbfgs-steps 500 \
    --points 4096 --boundary-points 1024 --res 129 --threads "$threads" --plot "$out/$name.png" --json > "$out/$name.json.partial"
  mv "$out/$name.json.partial" "$out/$name.json"
  echo "$name: $(grep -o '"rel_l2": [^,]*' "$out/$name.json")"
done
/usr/bin/python3 "$root/bench/pinn/summarize.py" "$out" "$root/bench/results/pinn-benchmarks.json"
