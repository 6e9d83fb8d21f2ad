"""Assembles bench/results/conversion-navier-stokes.json from the runs of bench/conversion/navier-stokes.sh.

usage: ns_table.py ROOT EPOCHS
A pair whose runs are not on this machine keeps its entry from the last table and is listed under
carried_from_the_previous_table.
"""
import json
import sys

from runs import PreviousTable, add_training, errors_of, evaluated, machine, print_table

root, epochs = sys.argv[1], int(sys.argv[2])
target = f"{root}/bench/results/conversion-navier-stokes.json"
# Pairs whose run folders are not on this machine keep their entries from the last table.
previous = PreviousTable(target)


def entry(model, run):
    """A model's errors at 64 and 128 and the growth ratio, or None when it has not run."""
    path = evaluated(root, run)
    if path is None:
        return None
    rel = errors_of(path)
    return add_training({"model": model, "run": f"runs/{run}", "rel_l2": rel, "ratio_128": rel["128"] / rel["64"]}, root, run)


pairs = [
    ("U-Net", entry("unet", "ns-unet-no-as-built"), entry("unet-no", "ns-unet-no")),
    ("ResNet", entry("resnet", "ns-resnet-no-as-built"), entry("resnet-no", "ns-resnet-no")),
    ("ViT", entry("vit", "ns-vit-no-as-built"), entry("vit-no", "ns-vit-no")),
    ("FNO", entry("fno", "ns-fno"), entry("local-fno", "ns-local-fno")),
    ("MgNO", entry("mgno", "ns-mgno"), entry("mgno --discretization-convergent", "ns-mgno-convergent")),
]
rows = []
for pair, original, converted in pairs:
    if carried := previous.row(pair, original, converted):
        rows.append(carried)
        continue
    row = {"pair": pair, "original": original, "converted": converted}
    if original and converted:
        row["converted_vs_original_at_64"] = converted["rel_l2"]["64"] / original["rel_l2"]["64"]
        row["goal_within_10pct_at_64"] = row["converted_vs_original_at_64"] <= 1.10
        row["goal_converted_ratio_le_1_3_where_original_ge_2"] = (
            converted["ratio_128"] <= 1.3 if original["ratio_128"] >= 2 else "not applicable: the original grows less than 2x")
    rows.append(row)

multires = entry("unet-no --train-res 32,64", "ns-unet-no-multires")
if multires:
    single = next((r["converted"] for r in rows if r["pair"] == "U-Net"), None)
    multires_block = {"converted": multires, "as_built": entry("unet (weights of the 32,64 run)", "ns-unet-no-multires-as-built"),
                      "single_resolution": single, "ratio_le_1_3": multires["ratio_128"] <= 1.3}
else:
    multires_block = previous.block("multi-resolution U-Net", "multi_resolution")
    if multires_block:
        # The carried run is compared with the single-resolution U-Net of this table.
        multires_block["single_resolution"] = next((r["converted"] for r in rows if r["pair"] == "U-Net"), None)

out = {
    "benchmark": "Navier-Stokes vorticity w0 -> w(t = 10), periodic unit square, nu 1e-4, FNO forcing, time step 2e-3; "
                 "400 training samples generated at 64, trained at 64; 40 test samples generated at 128 (seed 1), "
                 "evaluated at 128 and subsampled to 64",
    "command": f"EPOCHS={epochs} bench/conversion/navier-stokes.sh",
    "machine": machine(root),
    "note": "A converted network and the network as built are one training: on the training grid they compute the same "
            "function, so the as-built rows load the converted run's weights under the plain model's name. The MgNO pair is "
            "one training too, evaluated as trained and in its discretization-convergent form.",
    "carried_from_the_previous_table": previous.carried,
    "pairs": rows,
    "multi_resolution": multires_block,
}
json.dump(out, open(target, "w"), indent=2)

shown = [e for r in rows for e in (r["original"], r["converted"])]
if multires_block:
    shown += [multires_block["converted"], multires_block["as_built"]]
print_table(["model", "64", "128", "128/64"],
            [[e["model"], f"{e['rel_l2']['64']:.4f}", f"{e['rel_l2']['128']:.4f}", f"{e['ratio_128']:.2f}"] for e in shown if e])
