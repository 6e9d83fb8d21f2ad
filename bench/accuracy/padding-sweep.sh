#!/usr/bin/env bash
# Zero-shot sensitivity of a trained FNO to its padding: the checkpoint (CHECKPOINT, default the
# committed Darcy FNO) is evaluated at each RES:PAD pair of POINTS with PAD points of padding
# instead of the scaled padding it was trained with, on the 421 test set of bench/accuracy/run.sh.
# SAMPLES limits the evaluation to the first N test samples (default all 200).
# Writes bench/results/fno-zero-shot-padding-NAME.json (NAME: the checkpoint folder's name).
#   bench/accuracy/padding-sweep.sh
#   CHECKPOINT=runs/accuracy-fno-pad12 POINTS="211:29 211:30 211:31" bench/accuracy/padding-sweep.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
checkpoint=${CHECKPOINT:-$root/bench/results/checkpoints/darcy85-fno}
points=${POINTS:-141:15 141:16 211:22 211:23 211:24}
data=${DATA:-$root/data}/darcy421-test.h5
[ -f "$data" ] || { echo "missing $data: run bench/accuracy/run.sh first" >&2; exit 1; }
dotnet build "$root/Cli" -c Release -v q -nologo >/dev/null
pdeops="$root/Cli/bin/Release/net10.0/pdeops"
name=$(basename "$checkpoint")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
samples=(); [ -n "${SAMPLES:-}" ] && samples=(--samples "$SAMPLES")
rows=()
for pair in $points; do
  res=${pair%%:*}; pad=${pair##*:}
  copy=$work/pad$pad; rm -rf "$copy"; cp -r "$checkpoint" "$copy"
  # Fixed padding: drop the reference size so every grid gets exactly PAD points.
  /usr/bin/python3 - "$copy/model.json" "$pad" <<'PY'
import json, sys
path, pad = sys.argv[1], int(sys.argv[2])
m = json.load(open(path)); m["options"]["padding"] = pad; m["options"].pop("paddingReferenceSize", None)
json.dump(m, open(path, "w"), indent=2)
PY
  "$pdeops" eval --model "$copy" --data "$data" --res "$res" "${samples[@]}" --json > "$work/eval-$res-$pad.json"
  rows+=("$res:$pad:$work/eval-$res-$pad.json")
  echo "res $res, padding $pad: done" >&2
done
command="${CHECKPOINT:+CHECKPOINT=$CHECKPOINT }${POINTS:+POINTS=\"$POINTS\" }${SAMPLES:+SAMPLES=$SAMPLES }bench/accuracy/padding-sweep.sh"
/usr/bin/python3 - "$checkpoint" "$root/bench/results/fno-zero-shot-padding-$name.json" "$command" "${rows[@]}" <<'PY'
import json, sys
checkpoint, out, command, rows = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
model = json.load(open(f"{checkpoint}/model.json"))
o = model["options"]; ref = o.get("paddingReferenceSize")
trapezoidal = o.get("trapezoidalEdges", False)
excess = 1 if trapezoidal else 0  # the padded interval, padding + excess spacings, scales with the grid
scaled = lambda res: (o["padding"] + excess) * (res - 1) / (ref - 1) - excess
result = []
for row in rows:
    res, pad, path = row.split(":", 2)
    res, pad = int(res), int(pad)
    ev = json.load(open(path))["resolutions"][0]
    result.append({"resolution": res, "padding": pad,
                   "scaled_padding": scaled(res) if ref else None,
                   "rel_l2": ev["rel_l2"], "rel_h1": ev["rel_h1"]})
json.dump({"checkpoint": checkpoint.split("/bench/")[-1] if "/bench/" in checkpoint else checkpoint,
           "trained_padding": o["padding"], "padding_reference_size": ref, "trapezoidal_edges": trapezoidal,
           "command": command, "points": result}, open(out, "w"), indent=2)
print(open(out).read())
PY
