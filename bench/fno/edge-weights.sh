#!/usr/bin/env bash
# Cost of trapezoidal edges: `pdeops bench fno` at RES (85) with 11 points of padding, plain DFT
# and with --trapezoidal-edges, interleaved REPEAT (3) times on the same machine; medians of the
# per-run medians. Writes bench/results/fno-trapezoidal-edges-step.json.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
res=${RES:-85}
repeat=${REPEAT:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build "$root/Cli" -c Release -v q -nologo >/dev/null
pdeops="$root/Cli/bin/Release/net10.0/pdeops"
for i in $(seq "$repeat"); do
  "$pdeops" bench fno --res "$res" --batch 20 --padding 11 --threads 2 --json > "$work/plain-$i.json"
  "$pdeops" bench fno --res "$res" --batch 20 --padding 11 --trapezoidal-edges --threads 2 --json > "$work/trapezoidal-$i.json"
done
/usr/bin/python3 - "$work" "$root/bench/results/fno-trapezoidal-edges-step.json" "$res" "$repeat" <<'PY'
import glob, json, statistics, sys
w, out_path, res, repeat = sys.argv[1:5]
def runs(kind):
    return [json.load(open(p)) for p in sorted(glob.glob(f"{w}/{kind}-*.json"))]
plain, trapezoidal = runs("plain"), runs("trapezoidal")
summary = lambda rs: {"train_step_s": statistics.median(r["train_step_s"] for r in rs),
                      "runs_train_step_s": [r["train_step_s"] for r in rs],
                      "infer_batch_s": statistics.median(r["infer_batch_s"] for r in rs)}
out = {"benchmark": f"FNO-2D of the paper with 11 points of padding at {res}^2, batch 20, random data, Adam, relative L2",
       "command": f"bench/fno/edge-weights.sh (RES={res} REPEAT={repeat})", "machine": plain[0]["machine"],
       "statistic": "median of the per-run median steps, runs interleaved",
       "plain_dft": summary(plain), "trapezoidal_edges": summary(trapezoidal)}
out["ratio_train_step"] = out["trapezoidal_edges"]["train_step_s"] / out["plain_dft"]["train_step_s"]
out["ratio_infer_batch"] = out["trapezoidal_edges"]["infer_batch_s"] / out["plain_dft"]["infer_batch_s"]
json.dump(out, open(out_path, "w"), indent=2)
print(json.dumps(out, indent=2))
PY
