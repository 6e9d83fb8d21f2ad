"""Collects bench/results/pinn-benchmarks/*.json into one results file with the machine and command."""
import json, os, platform, subprocess, sys

folder, target = sys.argv[1], sys.argv[2]
rows = []
for name in ["heat", "helmholtz", "helmholtz-holes", "poisson-holes", "poisson-l", "poisson-gauss", "wave"]:
    path = os.path.join(folder, name + ".json")
    if not os.path.exists(path):
        continue
    r = json.load(open(path))
    rows.append({k: r.get(k) for k in ["benchmark", "pde", "class", "domain", "truth", "rel_l2", "mse", "max_err", "train_s", "final_loss", "adam_steps", "lbfgs_steps"]})
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
result = {
    "command": "bench/pinn/run.sh",
    "machine": f"{cpu}, {os.cpu_count()} cores, {platform.system()}",
    "budget": "5000 Adam (lr 1e-3 decaying to 1e-4) + 500 L-BFGS steps, 4096 interior and 1024 boundary points, modified MLP width 32, 3 hidden layers, 16 Fourier features",
    "metric": "relative L2 on the 129^2 vertex grid of [-1, 1]^2 inside the domain, against the exact solution or the Shortley-Weller multigrid reference on 512^2 intervals",
    "benchmarks": rows,
}
tmp = target + ".partial"
json.dump(result, open(tmp, "w"), indent=2)
os.replace(tmp, target)
print(f"{len(rows)} benchmarks in {target}")
