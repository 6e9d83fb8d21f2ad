#!/usr/bin/env bash
# Samples per second of manufactured-problem generation (HyPINO's training data) at RES (224), two
# ways in one run (pdeops bench generate): in memory, the workers as a trainer that makes its data
# on the fly uses them; and end to end to an HDF5 file, pdeops generate's own path (chunk files
# with checksums flushed to disk, then assembled with deflate). SAMPLES (400) per run, THREADS
# (all cores), medians of REPEATS (5). Writes bench/results/mms-throughput.json with the machine
# and the load average (other work on the machine slows the figures). Goal: 500 samples/s at 224².
#   bench/mms/run.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
res=${RES:-224}; samples=${SAMPLES:-400}; threads=${THREADS:-$(nproc)}; repeats=${REPEATS:-5}
dotnet build "$root/Cli" -c Release -v q -nologo >/dev/null
report=$(mktemp); trap 'rm -f "$report"' EXIT
"$root/Cli/bin/Release/net10.0/pdeops" bench generate --family mms --samples "$samples" --res "$res" --threads "$threads" --repeat "$repeats" --out "$report" >/dev/null
/usr/bin/python3 - "$report" "$root/bench/results/mms-throughput.json" "RES=$res SAMPLES=$samples THREADS=$threads REPEATS=$repeats bench/mms/run.sh" <<'PY'
import json, os, sys
source, target, command = sys.argv[1:]
result = {"command": command, **json.load(open(source))}
result["load_average_at_end"] = os.getloadavg()[0]
result["goal_samples_per_second"] = 500
result["includes"] = {
    "in_memory": "per sample: drawing with rejection, the five channels, solution and mask at res^2, interior and boundary points with their values, texts; arrays handed back for reuse as a consumer that copies them would",
    "file": "the same samples through pdeops generate: float32 conversion, chunk files with SHA-256 flushed to disk, texts, HDF5 assembly with deflate, the final move; process start excluded",
}
json.dump(result, open(target + ".partial", "w"), indent=2)
os.replace(target + ".partial", target)
print(json.dumps(result, indent=2))
PY
