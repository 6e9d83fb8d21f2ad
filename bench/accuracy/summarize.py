"""Writes the result file of bench/accuracy/run.sh from a run folder's metrics.json and eval.json.

usage: summarize.py RUN OUT MODEL COMMAND [NOTE]
The evaluation covers 85, 141 and 211 (subsampled) and the stored 421 test set itself.
"""
import json
import os
import sys


def without_machine_paths(node):
    """Absolute paths of the training machine reduced to their file names (they mean nothing elsewhere)."""
    if isinstance(node, dict):
        return {k: without_machine_paths(v) for k, v in node.items()}
    if isinstance(node, list):
        return [without_machine_paths(v) for v in node]
    if isinstance(node, str) and os.path.isabs(node) and len(node) > 1:
        return os.path.basename(node.rstrip("/"))
    return node


# The issues' goals for each model family at 85^2 (relative L2) and for zero-shot growth (error at 141 and 211 over 85).
GOALS = {
    "fno": {"mgno_rel_l2": 0.008, "fno_rel_l2": 0.015, "zero_shot_ratio": 1.3},
    "mgno": {"mgno_rel_l2": 0.008, "fno_rel_l2": 0.015, "zero_shot_ratio": 1.3},
    "attention": {"attention_rel_l2_85": 0.012, "zero_shot_ratio": 1.3, "training_hours_max": 2},
    "transolver": {"transolver_rel_l2_85": 0.009, "zero_shot_ratio": 1.3, "training_hours_max": 2},
}

run, out, model, command = sys.argv[1:5]
note = sys.argv[5] if len(sys.argv) > 5 else None
ev = json.load(open(f"{run}/eval.json"))
metrics = json.load(open(f"{run}/metrics.json"))
res = {r["resolution"]: r for r in ev["resolutions"]}
if "resolution" in ev:  # eval.json of format 1: the stored grid (421) at the top level
    res.setdefault(ev["resolution"], ev)
result = {
    "benchmark": "Darcy FNO recipe (12/3, alpha 2, tau 3, f = 1), 1000 train / 200 test, generated at 421, trained at 85",
    "command": command, "model": model,
    "epochs_run": metrics["epochs_completed"], "spec": without_machine_paths(metrics["spec"]),
    "best_epoch": metrics["best_epoch"], "best_test_rel_l2_85": metrics["best_test_rel_l2"],
    "rel_l2": {k: v["rel_l2"] for k, v in sorted(res.items())},
    "rel_h1": {k: v["rel_h1"] for k, v in sorted(res.items())},
    "zero_shot_ratio_141": res[141]["rel_l2"] / res[85]["rel_l2"],
    "zero_shot_ratio_211": res[211]["rel_l2"] / res[85]["rel_l2"],
    "goals": GOALS.get(model, GOALS["fno"]),
    "training_minutes": sum(e["seconds"] for e in metrics["epochs"]) / 60,
}
if note:
    result["note"] = note
json.dump(result, open(out, "w"), indent=2)
print(open(out).read())
