#!/usr/bin/env bash
# Data-parallel training throughput: the FNO of the paper (width 32, 12 modes, 4 layers) trained on
# Darcy 85x85 data with a global batch of 20, as 1 rank x 2 threads, 2 ranks x 1 thread (mpirun,
# `pdeops train --distributed`, each rank bound to a core) and 1 rank x 1 thread, interleaved,
# REPEAT times. For reference, the machine's own ceiling for two ranks: two independent
# one-thread processes at once, each bound to a core and training half the samples with half the
# batch (a rank's work without any communication). Samples per second from the epoch times in metrics.csv (epochs after the first;
# the test set is 2 samples, so evaluation is a small part of an epoch); medians over epochs and
# repeats. The time rank 0 spends in the gradient allreduce per step (waiting for the slower rank
# included) is reported separately. The machine load (1-minute average) is recorded before each
# run: on a shared machine only same-run ratios mean anything.
# Data: DATA/darcy85-train.h5 (default DATA=data), generated small (SAMPLES samples) when absent.
# Writes bench/results/distributed-training.json.
#   DATA=data SAMPLES=200 EPOCHS=4 REPEAT=3 bench/distributed/run.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${DATA:-$root/data}
samples=${SAMPLES:-200}
epochs=${EPOCHS:-4}
repeat=${REPEAT:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
. "$root/bench/lib/pdeops-and-darcy85.sh"
common=(train --model fno --data "$train" --test "$train" --train-samples "$samples" --test-samples 2
  --epochs "$epochs" --batch 20 --seed 0 --json)
: > "$work/runs.jsonl"
for r in $(seq "$repeat"); do
  for config in 1x2 2x1 1x1 2ind; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    out="$work/run-$config-$r"
    case $config in
      1x2) "$pdeops" "${common[@]}" --threads 2 --out "$out" > "$out.json" ;;
      1x1) "$pdeops" "${common[@]}" --threads 1 --out "$out" > "$out.json" ;;
      2x1) mpirun -q -np 2 --bind-to core "$pdeops" "${common[@]}" --threads 1 --distributed --out "$out" > "$out.json" ;;
      2ind)
        half=(train --model fno --data "$train" --test "$train" --train-samples $((samples / 2)) --test-samples 1
          --epochs "$epochs" --batch 10 --seed 0 --json --threads 1)
        taskset -c 1 "$pdeops" "${half[@]}" --out "$out-b" > "$out-b.json" &
        taskset -c 0 "$pdeops" "${half[@]}" --out "$out" > "$out.json"
        wait
        # The pair is as fast as its slower member: keep the larger epoch time of each epoch.
        /usr/bin/python3 - "$out" "$out-b" <<'PY'
import csv, sys
rows = [list(csv.DictReader(open(f + "/metrics.csv"))) for f in sys.argv[1:]]
for a, b in zip(*rows): a["seconds"] = str(max(float(a["seconds"]), float(b["seconds"])))
with open(sys.argv[1] + "/metrics.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=rows[0][0].keys()); w.writeheader(); w.writerows(rows[0])
PY
        rm -rf "$out-b" "$out-b.json" ;;
    esac
    /usr/bin/python3 - "$out" "$config" "$r" "$load" >> "$work/runs.jsonl" <<'PY'
import csv, json, re, sys
out, config, r, load = sys.argv[1:]
text = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]|\x1b[=>]", "", open(out + ".json").read())
summary = json.loads(text[text.index("{"):])
seconds = [float(row["seconds"]) for row in csv.DictReader(open(out + "/metrics.csv"))]
print(json.dumps({"config": config, "run": int(r), "load_1min_before": float(load), "epoch_seconds": seconds,
                  "steps": summary["steps"], "communication_s": summary["communication_s"], "parameters": summary["parameters"]}))
PY
    rm -rf "$out"
  done
done
/usr/bin/python3 - "$work/runs.jsonl" "$root/bench/results/distributed-training.json" "$samples" "$epochs" "$repeat" "$data" <<'PY'
import json, os, platform, statistics, subprocess, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
samples, epochs, repeat = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
mpi = subprocess.run(["mpirun", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
configs = {}
for name, ranks, threads in [("1x2", 1, 2), ("2x1", 2, 1), ("1x1", 1, 1), ("2ind", 2, 1)]:
    mine = [r for r in runs if r["config"] == name]
    epoch_s = [s for r in mine for s in r["epoch_seconds"][1:]]
    steps_per_epoch = mine[0]["steps"] / len(mine[0]["epoch_seconds"])
    comm = [r["communication_s"] / r["steps"] for r in mine] if name == "2x1" else None
    configs[name] = {"ranks": ranks, "threads_per_rank": threads,
                     "samples_per_s": samples / statistics.median(epoch_s),
                     "epoch_s_median": statistics.median(epoch_s), "epoch_s_all": epoch_s,
                     "step_s_median": statistics.median(epoch_s) / steps_per_epoch,
                     "allreduce_s_per_step_median": statistics.median(comm) if comm else None,
                     "allreduce_s_per_step_runs": comm,
                     "load_1min_before_runs": [r["load_1min_before"] for r in mine]}
base = configs["1x1"]["samples_per_s"]
out = {"benchmark": "data-parallel FNO training (paper FNO: width 32, 12 modes, 4 layers, padding 9) on Darcy 85x85, global batch 20, Adam, relative L2",
       "command": f"SAMPLES={samples} EPOCHS={epochs} REPEAT={repeat} bench/distributed/run.sh",
       "data": os.path.basename(sys.argv[6].rstrip("/")) + "/darcy85-train.h5, first %d samples" % samples,
       "machine": {"cpu": cpu, "cores": os.cpu_count(), "os": platform.freedesktop_os_release().get("PRETTY_NAME", platform.platform()),
                   "mpi": mpi, "hostname": platform.node()},
       "parameters": runs[0]["parameters"],
       "configs": configs,
       "speedup_2x1_over_1x1": configs["2x1"]["samples_per_s"] / base,
       "speedup_1x2_over_1x1": configs["1x2"]["samples_per_s"] / base,
       "ratio_2x1_over_1x2": configs["2x1"]["samples_per_s"] / configs["1x2"]["samples_per_s"],
       "ceiling_2ind_over_1x1": configs["2ind"]["samples_per_s"] / base,
       "efficiency_2x1_of_ceiling": configs["2x1"]["samples_per_s"] / configs["2ind"]["samples_per_s"],
       "note_2ind": "2ind: two independent one-thread processes at once, each bound to a core, each training half the samples in batches of 10 (one rank's work of 2x1 without communication); the pair is timed by its slower member. Its speedup over 1x1 is what this machine allows two ranks at best",
       "goal_speedup_2x1_over_1x1": 1.7,
       "load_note": "the machine is shared: the 1-minute load average before each run is in load_1min_before_runs (2 cores; a load above 2 means another job competed)"}
json.dump(out, open(sys.argv[2], "w"), indent=2)
print(json.dumps({k: out[k] for k in ["speedup_2x1_over_1x1", "speedup_1x2_over_1x1", "ratio_2x1_over_1x2", "ceiling_2ind_over_1x1", "efficiency_2x1_of_ceiling"]}, indent=2))
for name, c in configs.items():
    print(name, "%.2f samples/s" % c["samples_per_s"], "allreduce/step", c["allreduce_s_per_step_median"], "load", c["load_1min_before_runs"])
PY
