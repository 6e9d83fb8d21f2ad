"""First-order model of an FNO's zero-shot error growth on the Darcy benchmark.

A model trained at 85 points and run on a grid of spacing h is assumed to err as
    e(h)^2 = e(h85)^2 + (C (h85 - h))^2,
its error at 85 plus an independent part proportional to the change of grid spacing. C is fitted
on the 85 and 141 errors alone; the 211 and 421 errors are then predicted and compared with the
measured ones. Reads the result files of bench/accuracy/run.sh (default: the padding-12 runs).

usage: zero-shot-fit.py [RESULT.json ...] > bench/results/fno-zero-shot-first-order.json
"""
import json
import math
import sys

files = sys.argv[1:] or ["bench/results/darcy-accuracy-fno-pad12.json", "bench/results/darcy-accuracy-fno-h1.json"]
spacing = lambda n: 1.0 / (n - 1)  # closed grid on [0, 1]
fits = []
for path in files:
    errors = {int(k): v for k, v in json.load(open(path))["rel_l2"].items()}
    e85 = errors[85]
    c = math.sqrt(errors[141] ** 2 - e85 ** 2) / (spacing(85) - spacing(141))
    predicted = {n: math.hypot(e85, c * (spacing(85) - spacing(n))) for n in sorted(errors) if n > 141}
    fits.append({
        "result": path, "rel_l2_85": e85, "rel_l2_141": errors[141], "c": c,
        "predicted_rel_l2": predicted,
        "measured_rel_l2": {n: errors[n] for n in predicted},
        "prediction_error": {n: predicted[n] / errors[n] - 1 for n in predicted},
        # The 85 error at which this excess would make the 211 error exactly 1.3 times the 85 error.
        "rel_l2_85_for_ratio_1_3_at_211": c * (spacing(85) - spacing(211)) / math.sqrt(1.3 ** 2 - 1),
    })
print(json.dumps({"model": "e(h)^2 = e85^2 + (C (h85 - h))^2, C fitted on 85 and 141",
                  "command": "python3 bench/accuracy/zero-shot-fit.py " + " ".join(sys.argv[1:]),
                  "fits": fits}, indent=2))
