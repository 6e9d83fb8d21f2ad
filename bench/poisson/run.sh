#!/usr/bin/env bash
# Poisson benchmark: PdeOps full multigrid (+1 V-cycle) beside hypre's PCG + PFMG, interleaved in one run.
# Needs the peer source bench/peers/hypre_poisson.c (or PEER_SRC) and Debian's libhypre-dev,
# openmpi-bin and libopenmpi-dev (apt-get install -y libhypre-dev openmpi-bin libopenmpi-dev).
# Writes bench/results/poisson-vs-hypre.json.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
src=${PEER_SRC:-$root/bench/peers/hypre_poisson.c}
build=$root/bench/poisson/.build
mkdir -p "$build" "$root/bench/results"
mpicc -O2 "$src" -o "$build/hypre_poisson" -I/usr/include/hypre -lHYPRE -lm
dotnet build "$root/Cli" -c Release -v q -nologo >/dev/null
# Paths relative to the repository, so that the command recorded in the result names no machine path.
cd "$root"
Cli/bin/Release/net10.0/pdeops bench poisson --n "${SIZES:-1023,2047}" --repeat "${REPEAT:-7}" \
  --hypre bench/poisson/.build/hypre_poisson --ranks 2 --out bench/results/poisson-vs-hypre.json
