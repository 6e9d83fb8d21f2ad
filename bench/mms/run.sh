#!/usr/bin/env bash
# Throughput of manufactured-problem generation (HyPINO's training data): pdeops generate mms at
# RES (224) for SAMPLES (200) samples with THREADS (all cores), median of REPEATS (3) runs.
# Writes bench/results/mms-throughput.json with the machine, the command and the load average
# (other work on the machine slows the figure). Goal: 500 samples/s at 224^2 on 2 cores.
#   bench/mms/run.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
res=${RES:-224}; samples=${SAMPLES:-200}; threads=${THREADS:-$(nproc)}; repeats=${REPEATS:-3}
dotnet build "$root/Cli" -c Release -v q -nologo >/dev/null
pdeops="$root/Cli/bin/Release/net10.0/pdeops"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
rates=()
for r in $(seq "$repeats"); do
  start=$(date +%s.%N)
  "$pdeops" generate mms --samples "$samples" --res "$res" --seed "$r" --threads "$threads" --out "$work/mms$r.h5" >/dev/null
  end=$(date +%s.%N)
  rates+=("$(echo "$samples / ($end - $start)" | bc -l)")
done
/usr/bin/python3 - "$root/bench/results/mms-throughput.json" "$res" "$samples" "$threads" "${rates[@]}" <<'PY'
import json, os, platform, statistics, subprocess, sys
target, res, samples, threads, *rates = sys.argv[1:]
rates = [float(r) for r in rates]
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
result = {
    "command": f"RES={res} SAMPLES={samples} THREADS={threads} bench/mms/run.sh",
    "machine": f"{cpu}, {os.cpu_count()} cores, {platform.system()}",
    "load_average_at_end": os.getloadavg()[0],
    "samples_per_second_median": statistics.median(rates),
    "samples_per_second_runs": rates,
    "goal_samples_per_second": 500,
    "includes": "drawing with rejection, five channels, solution and mask at res^2, 2048 interior and 1024 boundary points, texts, HDF5 writing (end to end, process start included)",
}
json.dump(result, open(target + ".partial", "w"), indent=2)
os.replace(target + ".partial", target)
print(json.dumps(result, indent=2))
PY
