"""Assembles bench/results/conversion-darcy.json from the runs of bench/conversion/table.sh.

usage: table.py ROOT EVAL_SAMPLES
A pair whose runs are not on this machine keeps its entry from the last conversion-darcy.json and
is listed under carried_from_the_previous_table.
"""
import json
import sys

from runs import PreviousTable, add_training, errors_of, evaluated, machine, print_table
from runs import publish as publish_run

root, samples = sys.argv[1], int(sys.argv[2])
results = f"{root}/bench/results"
target = f"{results}/conversion-darcy.json"
# Pairs whose run folders are not on this machine keep their entries from the last table.
previous = PreviousTable(target)


def entry(model, run):
    """A model's errors by resolution and its growth ratios against 85, or None when it has not run."""
    path = evaluated(root, run)
    if path is None:
        return None
    rel = errors_of(path)
    out = {"model": model, "run": f"runs/{run}", "rel_l2": rel,
           "ratio_141": rel["141"] / rel["85"], "ratio_211": rel["211"] / rel["85"]}
    if "421" in rel:
        out["ratio_421"] = rel["421"] / rel["85"]
    return add_training(out, root, run)


def publish(run, name):
    return publish_run(root, run, f"darcy85-{name}")


pairs = [
    ("U-Net", entry("unet", "accuracy-unet-no-as-built"), entry("unet-no", "accuracy-unet-no"), "accuracy-unet-no"),
    ("ResNet", entry("resnet", "accuracy-resnet-no-as-built"), entry("resnet-no", "accuracy-resnet-no"), "accuracy-resnet-no"),
    ("ViT", entry("vit", "accuracy-vit-no-as-built"), entry("vit-no", "accuracy-vit-no"), "accuracy-vit-no"),
    ("FNO", entry("fno", "accuracy-fno-15") or entry("fno (committed, 100 epochs)", "accuracy-fno-committed"), entry("local-fno", "accuracy-local-fno"), "accuracy-local-fno"),
    ("MgNO", entry("mgno", "accuracy-mgno-original"), entry("mgno --discretization-convergent", "accuracy-mgno-convergent"), None),
]
rows = []
for pair, original, converted, run in pairs:
    if carried := previous.row(pair, original, converted):
        rows.append(carried)
        continue
    row = {"pair": pair, "original": original, "converted": converted}
    if original and converted:
        row["converted_vs_original_at_85"] = converted["rel_l2"]["85"] / original["rel_l2"]["85"]
        row["goal_within_10pct_at_85"] = row["converted_vs_original_at_85"] <= 1.10
        original_grows = max(original["ratio_141"], original["ratio_211"]) >= 2
        row["goal_converted_ratio_le_1_3_where_original_ge_2"] = (
            (converted["ratio_141"] <= 1.3 and converted["ratio_211"] <= 1.3) if original_grows else "not applicable: the original grows less than 2x")
        row["checkpoint"] = publish(run, converted["model"]) if run else "bench/results/checkpoints/darcy85-mgno (both forms)"
    if pair == "MgNO" and converted:
        row["goal_convergent_mgno"] = {"rel_l2_85_le_1pct": converted["rel_l2"]["85"] <= 0.01, "ratio_211_le_1_5": converted["ratio_211"] <= 1.5}
    rows.append(row)

multires = entry("unet-no --train-res 43,85", "accuracy-unet-no-multires")
single = next((r["converted"] for r in rows if r["pair"] == "U-Net"), None)
if multires:
    multires["checkpoint"] = publish("accuracy-unet-no-multires", "unet-no-multires")
    as_built = entry("unet (weights of the 43,85 run)", "accuracy-unet-no-multires-as-built")
    multires_block = {"converted": multires, "as_built": as_built, "single_resolution": single,
                      "ratios_le_1_3": multires["ratio_141"] <= 1.3 and multires["ratio_211"] <= 1.3}
else:
    multires_block = previous.block("multi-resolution U-Net", "multi_resolution")

out = {
    "benchmark": "Darcy FNO recipe (1000 train / 200 test, generated at 421), trained at 85; errors on the first "
                 f"{samples} test samples at 85, 141, 211 (subsampled) and 421 (stored)",
    "command": f"EVAL_SAMPLES={samples} bench/conversion/table.sh (after the bench/accuracy/run.sh runs listed in it)",
    "machine": machine(root),
    "note": "A converted CNN and the CNN as built are one training: on the training grid they compute the same function, "
            "so the as-built rows load the converted run's weights under the plain model's name.",
    "carried_from_the_previous_table": previous.carried,
    "pairs": rows,
    "multi_resolution": multires_block,
}
json.dump(out, open(target, "w"), indent=2)


def cell(e, key):
    return f"{e['rel_l2'][key]:.4f}" if e and key in e["rel_l2"] else "-"


shown = [e for r in rows for e in (r["original"], r["converted"])]
if multires_block:
    shown += [multires_block["converted"], multires_block["as_built"]]
print_table(["model", "85", "141", "211", "421", "141/85", "211/85"],
            [[e["model"], cell(e, "85"), cell(e, "141"), cell(e, "211"), cell(e, "421"), f"{e['ratio_141']:.2f}", f"{e['ratio_211']:.2f}"]
             for e in shown if e])
