#!/usr/bin/env bash
# Hostile-input sweep: runs the built `pdeops` as a new user would, with the mistakes of
# docs/reliability.md's classes (bad values, oversized requests, wrong and corrupted files, resumes
# on other data, divergence, kills, full disks), and checks the contract for each: the expected
# exit code (only 0, 1 or 2), at most one line on stderr besides warnings, no stack trace, and no
# .partial file left behind. Full-disk cases mount a small tmpfs and need root.
# Writes bench/results/reliability-sweep.json; exits 1 when any case breaks the contract.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${OUT:-$root/bench/results/reliability-sweep.json}
dotnet build "$root/Cli" -c Release -v q -nologo >/dev/null || exit 1
pdeops() { dotnet "$root/Cli/bin/Release/net10.0/pdeops.dll" "$@"; }
work=$(mktemp -d /tmp/pdeops-hostile-XXXXXX)
disk=""
cleanup() { [ -n "$disk" ] && umount "$disk" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"

results=()
failures=0
# check NAME EXPECTED_EXIT COMMAND...: runs pdeops with the arguments, judges the contract.
check() {
  local name=$1 expected=$2; shift 2
  local start=$(date +%s.%N)
  pdeops "$@" >stdout.txt 2>stderr.txt
  local code=$?
  local seconds=$(printf '%.3f' "$(echo "$(date +%s.%N) - $start" | bc)")
  local lines=$(grep -vc '^warning:' stderr.txt)
  local trace=$(grep -c '^ *at ' stderr.txt)
  local partial=$(find "$work" ${disk:+"$disk"} -name '*.partial' | wc -l)
  local ok=true
  [ "$code" = "$expected" ] || ok=false
  if [ "$code" != 0 ] && [ "$lines" != 1 ]; then ok=false; fi
  [ "$trace" = 0 ] && [ "$partial" = 0 ] || ok=false
  $ok || failures=$((failures + 1))
  # The one line of a failure, or the last line a success printed.
  local line
  if [ "$code" = 0 ]; then line=$(tail -1 stdout.txt); else line=$(grep -v '^warning:' stderr.txt | head -1); fi
  # Temporary folders are machine paths: name them by their role.
  line=${line//$work/WORK}
  [ -n "$disk" ] && line=${line//$disk/DISK}
  line=$(printf '%s' "$line" | sed 's/\\/\\\\/g; s/"/\\"/g')
  local label=$(printf '%s' "$name" | sed 's/\\/\\\\/g; s/"/\\"/g')
  results+=("{\"case\": \"$label\", \"expected_exit\": $expected, \"exit\": $code, \"stderr_lines\": $lines, \"stack_trace\": $([ "$trace" = 0 ] && echo false || echo true), \"partial_files\": $partial, \"seconds\": $seconds, \"ok\": $ok, \"line\": \"$line\"}")
  printf '%-58s exit %s (expected %s) %s\n' "$name" "$code" "$expected" "$($ok && echo ok || echo BROKEN: "$line")"
}

pdeops generate darcy --samples 20 --res 17 --fine-res 33 --seed 1 --out train.h5 >/dev/null
pdeops generate darcy --samples 20 --res 17 --fine-res 33 --seed 7 --out other.h5 >/dev/null
pdeops generate darcy --samples 8 --res 17 --fine-res 33 --seed 2 --out test.h5 >/dev/null
small=(--epochs 2 --batch 10 --width 8 --modes 4 --layers 2 --threads 1)

# Solving
check "solve poisson --n 46000"                 2 solve poisson --n 46000
check "solve poisson --dim 3 --n 2000"          2 solve poisson --dim 3 --n 2000
check "solve laplace"                           2 solve laplace
check "solve darcy --coefficient missing file"  1 solve darcy --coefficient nowhere.h5
check "solve darcy --coefficient wrong dataset" 1 solve darcy --coefficient train.h5:nope
pdeops solve darcy --n 63 --out keep.h5 >/dev/null; before=$(sha256sum keep.h5)
check "solve darcy --max-iterations 1 over a good file" 1 solve darcy --n 63 --max-iterations 1 --out keep.h5
[ "$(sha256sum keep.h5)" = "$before" ] || { echo "keep.h5 changed"; failures=$((failures + 1)); }
check "solve navier-stokes uneven record interval" 2 solve navier-stokes --n 16 --t 1 --record-interval 0.3

# Generating and datasets
check "generate --samples 2000000000"           2 generate darcy --samples 2000000000 --res 17 --out big.h5
check "generate --res 2"                        2 generate darcy --samples 2 --res 2 --out r2.h5
check "generate unknown --param"                2 generate darcy --samples 2 --res 17 --param nope=1 --out p.h5
check "generate --param alpha=nan"              2 generate darcy --samples 2 --res 17 --param alpha=nan --out p.h5
mkdir -p adir
check "generate --out an existing directory"    2 generate darcy --samples 2 --res 17 --out adir
head -c 4096 /dev/urandom > garbage.h5
check "datasets info on random bytes"           1 datasets info garbage.h5
head -c 3000 train.h5 > truncated.h5
check "datasets info on a truncated file"       1 datasets info truncated.h5
pdeops datasets split test.h5 --train 4 --test 4 --train-out a.h5 --test-out b.h5 >/dev/null
check "datasets split over existing outputs"    1 datasets split test.h5 --train 4 --test 4 --train-out a.h5 --test-out b.h5

# Training, evaluation, prediction
for bad in "--width 0" "--padding -1" "--train-samples 0" "--modes 1000" "--width 2000000" "--weight-decay nan"; do
  check "train $bad" 2 train --data train.h5 --test test.h5 --out run-bad --epochs 1 --threads 1 $bad
done
echo '{"widht": 16}' > c1.json; echo '{"loss": "h2"}' > c2.json; echo '{"optimizer": "sgd"}' > c3.json
for c in c1 c2 c3; do check "train --config $(cat $c.json)" 2 train --data train.h5 --test test.h5 --out run-cfg --config $c.json; done
check "train --lr 1e5 (diverges)"               1 train --data train.h5 --test test.h5 --out run-div "${small[@]}" --lr 1e5
[ -d run-div ] && { echo "run-div left behind"; failures=$((failures + 1)); }
pdeops train --data train.h5 --test test.h5 --out run "${small[@]}" >/dev/null 2>&1
check "train --resume with other data"          1 train --data other.h5 --test test.h5 --out run "${small[@]}" --resume
check "eval --samples 0"                        2 eval --model run --data test.h5 --samples 0
check "predict --samples 0"                     2 predict --model run --input test.h5 --out p.h5 --samples 0
cp -r run run-flipped
python3 -c "import sys; p='run-flipped/weights.bin'; b=bytearray(open(p,'rb').read()); b[len(b)//2]^=8; open(p,'wb').write(b)"
check "eval on a bit-flipped checkpoint"        1 eval --model run-flipped --data test.h5
check "predict on a bit-flipped checkpoint"     1 predict --model run-flipped --input test.h5 --out p.h5
check "eval on a missing model folder"          1 eval --model nowhere --data test.h5

# Problems as text: PINNs and HyPINO
model=$root/bench/results/checkpoints/hypino-small-scaled
pinn=(--steps 5 --lbfgs-steps 0 --points 16 --boundary-points 16 --threads 1)
check "pinn solve --source log(x) (not finite)" 2 pinn solve --pde "uxx + uyy" --source "log(x)" --dirichlet 0 "${pinn[@]}"
check "pinn solve --source 1e-35 (below single)" 2 pinn solve --pde "uxx + uyy" --source 1e-35 --dirichlet 0 "${pinn[@]}"
check "pinn solve --pde 1e300*uxx + uyy"        2 pinn solve --pde "1e300*uxx + uyy" --source 1 --dirichlet 0 "${pinn[@]}"
check "hypino solve --pde u*ux + uyy (nonlinear)" 2 hypino solve --model "$model" --pde "u*ux + uyy" --source 1 --dirichlet 0 --out h.h5
check "hypino solve with a hole outside the square" 2 hypino solve --model "$model" --pde "uxx + uyy" --source 1 --domain "square - disk(3, 3, 0.5)" --dirichlet 0 --out h.h5
check "hypino solve --out through a file"       2 hypino solve --model "$model" --pde "uxx + uyy" --source 1 --dirichlet 0 --out garbage.h5/u.h5
check "hypino solve on an FNO checkpoint"       1 hypino solve --model run --pde "uxx + uyy" --source 1 --dirichlet 0 --out h.h5
check "hypino solve with data of size 1e-26"    0 hypino solve --model "$model" --pde "uxx + uyy" --source "1e-25*sin(pi*x)*sin(pi*y)" --dirichlet 0 --refine 1 --out h.h5 --threads 1

# Kills: generation and training resume after kill -9 and finish with the uninterrupted result.
pdeops generate darcy --samples 400 --res 33 --fine-res 65 --seed 3 --threads 1 --out gen-kill.h5 >/dev/null 2>&1 &
pid=$!; sleep 6; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
check "generate --resume after kill -9"         0 generate darcy --samples 400 --res 33 --fine-res 65 --seed 3 --threads 1 --out gen-kill.h5 --resume
pdeops train --data train.h5 --test test.h5 --out run-kill --epochs 40 --batch 10 --width 8 --modes 4 --layers 2 --threads 1 >/dev/null 2>&1 &
pid=$!; sleep 12; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
check "train --resume after kill -9"            0 train --data train.h5 --test test.h5 --out run-kill --epochs 40 --batch 10 --width 8 --modes 4 --layers 2 --threads 1 --resume

# Full disks: a 1 MiB tmpfs, filled to 16 KiB.
if [ "$(id -u)" = 0 ]; then
  disk=$(mktemp -d /tmp/pdeops-full-XXXXXX)
  mount -t tmpfs -o size=1m tmpfs "$disk"
  fill() { rm -f "$disk/ballast"; head -c $(( $(df --output=avail -B1 "$disk" | tail -1) - 16384 )) /dev/zero > "$disk/ballast" 2>/dev/null; }
  fill; check "solve --plot on a full disk"        1 solve darcy --n 127 --plot "$disk/u.png"
  fill; check "solve --out on a full disk"         1 solve darcy --n 127 --out "$disk/u.h5"
  fill; check "generate on a full disk"            1 generate darcy --samples 8 --res 33 --out "$disk/g.h5"
  rm -rf "$disk/g.h5.partial"
  fill; check "train on a full disk"               1 train --data train.h5 --test test.h5 --out "$disk/run" "${small[@]}"
fi

{
  echo "{"
  echo "  \"benchmark\": \"reliability-sweep\","
  echo "  \"command\": \"bench/reliability/run.sh\","
  echo "  \"date_utc\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\","
  echo "  \"machine\": \"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores\","
  echo "  \"cases\": ${#results[@]},"
  echo "  \"broken\": $failures,"
  echo "  \"results\": ["
  for i in "${!results[@]}"; do printf '    %s%s\n' "${results[$i]}" "$([ $i -lt $((${#results[@]} - 1)) ] && echo ,)"; done
  echo "  ]"
  echo "}"
} > "$out"
echo "${#results[@]} cases, $failures broken; $out"
[ "$failures" = 0 ]
