"""Writes the model.json of a trained model's other form, for evaluating the same weights both ways.

usage: other_form.py IN_MODEL_JSON OUT_MODEL_JSON FORM
FORM as-built: a converted network (NAME-no) under its plain name (NAME), which computes the same
function on the training grid; convergent: an MgNO with its discretization-convergent V-cycles on
the training grid; original: the model as it is.
"""
import json
import sys

source, target, form = sys.argv[1:4]
model = json.load(open(source))
if form == "as-built":
    model["model"] = model["model"].removesuffix("-no")
elif form == "convergent":
    model["options"]["discretization_convergent"] = True
    model["options"]["reference_size"] = model["training_grid"][0]
elif form != "original":
    sys.exit(f"unknown form {form}: expected as-built, convergent or original")
json.dump(model, open(target, "w"), indent=2)
