#!/usr/bin/env bash
# Re-measures the committed Darcy checkpoints (bench/results/checkpoints/*) on the current code:
# each is rewritten in the current file format through the writer (`pdeops checkpoint upgrade`,
# weights kept), evaluated on the 200-sample 421 test set at 421 and zero-shot at 85, 141 and 211
# (figures under CHECKPOINT/eval, listed in CHECKPOINT/eval.json), and compared with the figures
# recorded when it was trained (bench/results/darcy-accuracy-*.json, matched by best test error).
# Writes bench/results/darcy-accuracy-committed.json.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${DATA:-$root/data}
dotnet build "$root/Cli" -c Release -v q -nologo >/dev/null
pdeops="$root/Cli/bin/Release/net10.0/pdeops"
[ -f "$data/darcy421-test.h5" ] || "$pdeops" generate darcy --samples 200 --res 421 --seed 1 --out "$data/darcy421-test.h5"
for checkpoint in "$root"/bench/results/checkpoints/*/; do
  checkpoint=${checkpoint%/}
  "$pdeops" checkpoint upgrade "$checkpoint"
  "$pdeops" eval --model "$checkpoint" --data "$data/darcy421-test.h5" --res 85,141,211 --threads "${THREADS:-2}" \
    --plots "$checkpoint/eval" --formats png --json > "$checkpoint/eval.json.partial"
  mv "$checkpoint/eval.json.partial" "$checkpoint/eval.json"
done
/usr/bin/python3 - "$root" <<'PY'
import glob, json, os, platform, subprocess, sys, datetime
root = sys.argv[1]
recorded = [json.load(open(f)) | {"file": os.path.basename(f)} for f in sorted(glob.glob(f"{root}/bench/results/darcy-accuracy-*.json")) if "committed" not in f]
rows = []
for folder in sorted(glob.glob(f"{root}/bench/results/checkpoints/*/")):
    model = json.load(open(f"{folder}/model.json"))
    ev = json.load(open(f"{folder}/eval.json"))
    best = model["training"]["best_test_rel_l2"]
    match = next((r for r in recorded if abs(r["best_test_rel_l2_85"] - best) < 1e-12), None)
    now = {str(r["resolution"]): r["rel_l2"] for r in ev["resolutions"]}
    then = match["rel_l2"] if match else {}
    rows.append({
        "checkpoint": os.path.basename(folder.rstrip("/")),
        "recorded_in": match["file"] if match else None,
        "rel_l2_now": now,
        "rel_l2_recorded": then,
        "ratio_now_over_recorded": {k: now[k] / v for k, v in then.items() if k in now},
    })
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
out = {
    "benchmark": "committed Darcy checkpoints re-evaluated on the current code: relative L2 on 200 test samples stored at 421, zero-shot at 85, 141, 211 by subsampling",
    "command": "bench/accuracy/reevaluate.sh",
    "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "machine": f"{cpu}, {os.cpu_count()} cores",
    "commit": subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip(),
    "checkpoints": rows,
}
json.dump(out, open(f"{root}/bench/results/darcy-accuracy-committed.json", "w"), indent=2)
print(json.dumps(out, indent=2))
PY
