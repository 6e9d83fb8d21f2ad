#!/usr/bin/env bash
# FNO/MgNO training-step benchmark: `pdeops bench fno|mgno --res 64 --batch 20` beside the naive
# TorchSharp FNO port (bench/peers/fno-naive), run one after the other on the same machine.
# Writes bench/results/fno-step.json.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
peer=${PEER:-$root/bench/peers/fno-naive/run.sh}
res=${RES:-64}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build "$root/Cli" -c Release -v q -nologo >/dev/null
pdeops="$root/Cli/bin/Release/net10.0/pdeops"
"$pdeops" bench fno --res "$res" --batch 20 --threads 2 --json > "$work/fno.json"
"$peer" "$res" > "$work/peer.json"
"$pdeops" bench mgno --res "$res" --batch 20 --threads 2 --json > "$work/mgno.json"
"$pdeops" bench fno --res "$res" --batch 20 --threads 2 --json > "$work/fno2.json"
/usr/bin/python3 - "$work" "$root/bench/results/fno-step.json" "$res" <<'PY'
import json, statistics, sys
w = sys.argv[1]
fno = [json.load(open(f"{w}/fno.json")), json.load(open(f"{w}/fno2.json"))]
peer = json.loads(open(f"{w}/peer.json").read().strip().splitlines()[-1])
mgno = json.load(open(f"{w}/mgno.json"))
ours = statistics.median([f["train_step_s"] for f in fno])
out = {"benchmark": "FNO-2D of the paper (4 Fourier layers, width 32, 12 modes, fc 128, padding 9), random data, Adam, relative L2; batch 20",
       "command": "bench/fno/run.sh (RES=%s)" % sys.argv[3], "machine": fno[0]["machine"],
       "ours_fno": {"train_step_s": ours, "runs_train_step_s": [f["train_step_s"] for f in fno],
                    "infer_batch_s": statistics.median([f["infer_batch_s"] for f in fno]), "parameters": fno[0]["parameters"]},
       "peer_fno_naive": peer, "ratio_train_step": ours / peer["train_step_s"], "goal_train_step_s": 0.35,
       "ours_mgno": {"train_step_s": mgno["train_step_s"], "infer_batch_s": mgno["infer_batch_s"], "parameters": mgno["parameters"]}}
json.dump(out, open(sys.argv[2], "w"), indent=2)
print(json.dumps(out, indent=2))
PY
