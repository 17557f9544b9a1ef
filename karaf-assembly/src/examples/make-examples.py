#!/usr/bin/python3
"""Makes the distribution's examples/ (run with Debian's python3-torch; the output is committed, the gateway never runs
this): a pump's readings as CSV, and a baseline model for them as a TorchScript archive a data scientist could have made.

    /usr/bin/python3 karaf-assembly/src/examples/make-examples.py karaf-assembly/src/main/resources/assembly/examples
"""
import json
import math
import random
import sys
import zipfile

import torch

out = sys.argv[1]
rng = random.Random(7)
rows = []
start = 1_767_225_600_000  # 2026-01-01T00:00:00Z, one reading a minute
for i in range(600):
    # a centrifugal pump: pressure in kPa and speed in rpm far from zero, the flow (m3/h) of both with noise
    rpm = 1450 + 120 * math.sin(i / 40) + rng.gauss(0, 25)
    pressure = 2000 + 250 * math.sin(i / 90 + 1) + rng.gauss(0, 30)
    flow = 14 + 0.012 * (rpm - 1450) - 0.004 * (pressure - 2000) + 0.5 * math.sin(rpm / 60) + rng.gauss(0, 0.1)
    rows.append((start + 60_000 * i, round(pressure, 2), round(rpm, 1), round(flow, 3)))
with open(out + "/pump-flow.csv", "w") as f:
    f.write("time,pressure,rpm,flow\n")
    for r in rows:
        f.write("%d,%s,%s,%s\n" % r)

# the baseline: least squares on raw pressure and rpm, as one linear layer
x = torch.tensor([[r[1], r[2]] for r in rows], dtype=torch.float64)
y = torch.tensor([[r[3]] for r in rows], dtype=torch.float64)
design = torch.cat([x, torch.ones(len(rows), 1, dtype=torch.float64)], dim=1)
solution = torch.linalg.lstsq(design, y).solution
layer = torch.nn.Linear(2, 1)
with torch.no_grad():
    layer.weight.copy_(solution[:2].T.float())
    layer.bias.copy_(solution[2].float())
mse = float(((design @ solution - y) ** 2).mean())
torch.jit.save(torch.jit.trace(layer.eval(), torch.zeros(1, 2)), "/tmp/pump-flow-baseline.pt")
spec = {"format": "torchscript",
        "inputs": [{"name": "x", "shape": [-1, 2], "features": ["pressure", "rpm"]}],
        "outputs": [{"name": "y", "shape": [-1, 1]}],
        "metrics": {"mse": round(mse, 6)},
        "lineage": {"dataFrom": "2026-01-01T00:00:00Z", "dataTo": "2026-01-01T09:59:00Z"}}
with zipfile.ZipFile(out + "/pump-flow-baseline.zip", "w") as z:
    z.write("/tmp/pump-flow-baseline.pt", "model.pt")
    z.writestr("model.json", json.dumps(spec, indent=2))
print("baseline mse", mse)
