#!/usr/bin/env bash
# FNO training step of two builds side by side: `pdeops bench fno --res 64 --batch 20` of an
# earlier build (BASE: its pdeops binary, e.g. a worktree of an older commit built with
# `dotnet build Cli -c Release`) and of this checkout, interleaved ROUNDS (10) times.
# Writes bench/results/fno-step-before-after.json (OUT to change).
#   git worktree add /tmp/base acd496b && (cd /tmp/base && dotnet build Cli -c Release)
#   BASE=/tmp/base/Cli/bin/Release/net10.0/pdeops bench/fno/before-after.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
base=${BASE:?set BASE to the pdeops binary of the earlier build}
rounds=${ROUNDS:-10}
out=${OUT:-$root/bench/results/fno-step-before-after.json}
dotnet build "$root/Cli" -c Release -v q -nologo >/dev/null
new="$root/Cli/bin/Release/net10.0/pdeops"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for r in $(seq "$rounds"); do
  "$base" bench fno --res 64 --batch 20 --threads 2 --json > "$work/before-$r.json"
  "$new" bench fno --res 64 --batch 20 --threads 2 --json > "$work/after-$r.json"
done
/usr/bin/python3 - "$work" "$out" "$rounds" "$(git -C "$root" rev-parse --short HEAD)" <<'PY'
import glob, json, os, statistics, sys, datetime
w, out, rounds, commit = sys.argv[1:5]
def runs(kind):
    return [json.load(open(f)) for f in sorted(glob.glob(f"{w}/{kind}-*.json"))]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "")
res = {}
for kind in ("before", "after"):
    r = runs(kind)
    res[kind] = {"train_step_median_s": statistics.median(x["train_step_s"] for x in r), "train_step_runs_s": [x["train_step_s"] for x in r],
                 "infer_batch_median_s": statistics.median(x["infer_batch_s"] for x in r)}
result = {"benchmark": "FNO-2D of the paper (4 Fourier layers, width 32, 12 modes, fc 128, padding 9), training step at 64^2, batch 20: an earlier build beside this one, interleaved",
          "command": f"BASE=... ROUNDS={rounds} bench/fno/before-after.sh", "after_commit": commit, "machine": f"{cpu}, {os.cpu_count()} cores",
          "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
          "statistic": "median over rounds (each round: median of 10 timed steps)", "results": res,
          "ratio_after_over_before_train_step": res["after"]["train_step_median_s"] / res["before"]["train_step_median_s"]}
json.dump(result, open(out, "w"), indent=2)
print(json.dumps(result, indent=2))
PY
