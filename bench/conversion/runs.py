"""Helpers shared by the conversion tables: errors, training cost and checkpoints of run folders."""
import json
import os
import shutil
import subprocess


def errors_of(eval_json):
    """Relative L2 error by resolution (as text) from a `pdeops eval --json` file."""
    ev = json.load(open(eval_json))
    rows = {r["resolution"]: r["rel_l2"] for r in ev["resolutions"]}
    if "resolution" in ev:  # format 1: the stored grid at the top level
        rows.setdefault(ev["resolution"], ev["rel_l2"])
    return {str(k): v for k, v in sorted(rows.items())}


class PreviousTable:
    """The last table written to a path, whose pairs stand in for those whose runs are not on this machine."""

    def __init__(self, path):
        self.document = json.load(open(path)) if os.path.exists(path) else {}
        self.pairs = {r["pair"]: r for r in self.document.get("pairs", [])}
        self.carried = []

    def row(self, pair, original, converted):
        """The last table's row of PAIR when either of its runs is missing here (and it had one), else None."""
        if original and converted or pair not in self.pairs:
            return None
        self.carried.append(pair)
        return self.pairs[pair]

    def block(self, name, key):
        """The last table's block under KEY, recorded as carried under NAME when there is one."""
        block = self.document.get(key)
        if block:
            self.carried.append(name)
        return block


def evaluated(root, run):
    """The run's eval.json path, or None when it has not run or is still being written."""
    path = f"{root}/runs/{run}/eval.json"
    return path if os.path.exists(path) and os.path.getsize(path) > 0 else None


# The rule a converted network carries its convolutions to other grids by, when its options name none.
DEFAULT_CONVOLUTIONS = {"unet-no": "fixed_offsets", "resnet-no": "fixed_offsets", "vit-no": "kernel_interpolation"}


def add_training(entry, root, run):
    """Adds the epochs and training seconds of the run's metrics.json, when it has one, and the
    convolution rule of a converted network from its model.json."""
    checkpoint = f"{root}/runs/{run}/model.json"
    if os.path.exists(checkpoint):
        saved = json.load(open(checkpoint))
        if saved.get("model") in DEFAULT_CONVOLUTIONS:
            entry["convolutions"] = saved.get("options", {}).get("convolutions") or DEFAULT_CONVOLUTIONS[saved["model"]]
    metrics = f"{root}/runs/{run}/metrics.json"
    if os.path.exists(metrics):
        m = json.load(open(metrics))
        entry["epochs"] = m["epochs_completed"]
        entry["training_seconds"] = round(sum(e["seconds"] for e in m["epochs"]), 1)
    return entry


def publish(root, run, target):
    """Copies the run's checkpoint (model.json, weights.bin) to bench/results/checkpoints/TARGET."""
    source, destination = f"{root}/runs/{run}", f"{root}/bench/results/checkpoints/{target}"
    if not os.path.exists(f"{source}/model.json"):
        return None
    os.makedirs(destination, exist_ok=True)
    for f in ("model.json", "weights.bin"):
        shutil.copyfile(f"{source}/{f}", f"{destination}/{f}")
    return os.path.relpath(destination, root)


def machine(root):
    """The machine as `pdeops info --json` describes it."""
    info = json.loads(subprocess.run([f"{root}/Cli/bin/Release/net10.0/pdeops", "info", "--json"], capture_output=True, text=True).stdout)
    return {k: info.get(k) for k in ("os", "architecture", "cores", "dotnet", "libtorch", "torchsharp")}


def print_table(headers, rows):
    """Prints a Markdown table: a header line, its rule, and one line per row of cells."""
    print("| " + " | ".join(headers) + " |")
    print("|" + "---|" * len(headers))
    for cells in rows:
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    # usage: runs.py complete TABLE.json: exits 0 when no pair of the table was carried from an earlier one.
    import sys
    if len(sys.argv) != 3 or sys.argv[1] != "complete":
        sys.exit("usage: runs.py complete TABLE.json")
    sys.exit(1 if json.load(open(sys.argv[2])).get("carried_from_the_previous_table") else 0)
