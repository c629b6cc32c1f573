#!/usr/bin/python3
"""Regenerates tests/fixtures/torch_mlp.json: small networks trained full-batch by torch
(nn.Linear + torch.optim, float64), which tests/cpp/mlp_test.cpp replays through MlpProblem and
Optimizer, checking every step's parameters and loss.

Run by hand, not by CI:   /usr/bin/python3 tests/tools/make_mlp_fixtures.py
(Debian's python3-torch, 1.13; the pyenv python3 on PATH has no torch.)

Each case is an OptLab mlp problem spec with given points and explicit initial weights (torch's
own nn.Linear initialisation under a manual seed, flattened in nn.Linear's layout and order:
W1 as [out][in], b1, W2, b2, ...), an optimizer spec, and the trajectory: params[k] (flat, same
layout) and loss[k] (mean over all points at params[k]) for k = 0..STEPS.
"""

import datetime
import json
import math
import os

import torch
from torch import nn

STEPS = 30
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "torch_mlp.json")

torch.set_default_dtype(torch.float64)


# --- small given datasets, written as formulas so the file explains itself -----------------

def two_classes(n):
    # two interleaved arcs
    xs, ys = [], []
    for i in range(n):
        t = math.pi * i / (n - 1)
        c = i % 2
        xs.append([math.cos(t) + 0.3 * c, math.sin(t) - 0.6 * c])
        ys.append(c)
    return xs, ys


def three_classes(n):
    xs, ys = [], []
    for i in range(n):
        c = i % 3
        r = 0.3 + 0.7 * i / n
        t = 2.0 * math.pi * c / 3.0 + 1.5 * r
        xs.append([r * math.cos(t), r * math.sin(t)])
        ys.append(c)
    return xs, ys


def regression(n):
    xs, ys = [], []
    for i in range(n):
        x1 = -1.0 + 2.0 * i / (n - 1)
        xs.append([x1, 0.5 * math.cos(3.0 * x1)])
        ys.append(math.sin(2.0 * x1) + 0.1 * math.cos(7.0 * i))
    return xs, ys


ACTIVATIONS = {
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, 0.01),
    "sigmoid": torch.sigmoid,
    "linear": lambda z: z,
}

LOSSES = {
    "bce": lambda out, y: nn.BCEWithLogitsLoss()(out, torch.tensor(y, dtype=torch.float64).reshape(-1, 1)),
    "mse": lambda out, y: nn.MSELoss()(out, torch.tensor(y, dtype=torch.float64).reshape(-1, 1)),
    "cross_entropy": lambda out, y: nn.CrossEntropyLoss()(out, torch.tensor(y, dtype=torch.long)),
}

OPTIMIZERS = {
    "sgd": torch.optim.SGD,
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "rmsprop": torch.optim.RMSprop,
}

# (name, data, layers, activation, loss, init seed, optimizer spec)
CASES = [
    ("tanh-bce-sgd", two_classes(12), [2, 4, 4, 1], "tanh", "bce", 1,
     {"name": "sgd", "lr": 0.1, "momentum": 0.9}),
    ("tanh-bce-adam", two_classes(12), [2, 4, 4, 1], "tanh", "bce", 1,
     {"name": "adam", "lr": 0.01}),
    ("relu-cross_entropy-sgd", three_classes(15), [2, 6, 3], "relu", "cross_entropy", 2,
     {"name": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": True}),
    ("relu-cross_entropy-adam", three_classes(15), [2, 6, 3], "relu", "cross_entropy", 2,
     {"name": "adam", "lr": 0.01, "weight_decay": 0.001}),
    ("sigmoid-mse-sgd", regression(10), [2, 5, 1], "sigmoid", "mse", 3,
     {"name": "sgd", "lr": 0.2, "momentum": 0.5}),
    ("sigmoid-mse-adam", regression(10), [2, 5, 1], "sigmoid", "mse", 3,
     {"name": "adam", "lr": 0.02}),
    ("leaky_relu-bce-adamw", two_classes(12), [2, 5, 5, 1], "leaky_relu", "bce", 4,
     {"name": "adamw", "lr": 0.01}),
    ("linear-mse-rmsprop", regression(10), [2, 3, 1], "linear", "mse", 5,
     {"name": "rmsprop", "lr": 0.01, "centered": True}),
]


def run(name, data, layers, activation, loss_name, init_seed, opt):
    xs, ys = data
    torch.manual_seed(init_seed)
    linears = [nn.Linear(layers[i], layers[i + 1]) for i in range(len(layers) - 1)]
    params = [p for lin in linears for p in (lin.weight, lin.bias)]
    x = torch.tensor(xs)
    act = ACTIVATIONS[activation]

    def loss_fn():
        h = x
        for i, lin in enumerate(linears):
            h = lin(h)
            if i + 1 < len(linears):
                h = act(h)
        return LOSSES[loss_name](h, ys)

    def flat():
        return [v for p in params for v in p.detach().reshape(-1).tolist()]

    hyper = {k: v for k, v in opt.items() if k != "name"}
    optimizer = OPTIMIZERS[opt["name"]](params, **hyper)
    trajectory, losses = [flat()], []
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = loss_fn()
        loss.backward()
        losses.append(loss.item())
        optimizer.step()
        trajectory.append(flat())
    with torch.no_grad():
        losses.append(loss_fn().item())

    problem = {
        "name": "mlp",
        "data": {"x": xs, "y": ys},
        "layers": layers,
        "activation": activation,
        "loss": loss_name,
        "init": {"weights": trajectory[0]},
    }
    return {"case": name, "problem": problem, "optimizer": opt, "steps": STEPS,
            "params": trajectory, "loss": losses}


def dumps(fixture):
    # One line per case field and per trajectory row: readable diffs, a modest file.
    d = json.dumps
    lines = ['{"header": ' + d(fixture["header"]) + ",", ' "cases": [']
    for i, case in enumerate(fixture["cases"]):
        lines.append("  {")
        for key in ("case", "problem", "optimizer", "steps", "loss"):
            lines.append("   " + d(key) + ": " + d(case[key]) + ",")
        rows = ",\n    ".join(d(row) for row in case["params"])
        lines.append('   "params": [\n    ' + rows + "\n   ]")
        lines.append("  }" + ("," if i + 1 < len(fixture["cases"]) else ""))
    lines.append(" ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    fixture = {
        "header": {
            "torch_version": torch.__version__,
            "generator": "tests/tools/make_mlp_fixtures.py",
            "date": datetime.date.today().isoformat(),
            "hint": "regenerate with /usr/bin/python3 tests/tools/make_mlp_fixtures.py",
            "notes": "float64, full batch; params[k] = flat nn.Linear parameters (W1 [out][in], b1, W2, "
                     "b2, ...) after k steps; loss[k] = mean loss over all points at params[k]",
        },
        "cases": [run(*case) for case in CASES],
    }
    with open(OUT, "w") as f:
        f.write(dumps(fixture))
    print("wrote", os.path.normpath(OUT), "with", len(fixture["cases"]), "cases")


if __name__ == "__main__":
    main()
