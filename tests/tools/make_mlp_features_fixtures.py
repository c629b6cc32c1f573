#!/usr/bin/python3
"""Regenerates tests/fixtures/torch_mlp_features.json: networks with input features (x1^2, x2^2,
x1*x2, sin(x1), sin(x2)) and the L1 penalty, trained full-batch by torch in float64, which
tests/cpp/mlp_features_test.cpp replays through MlpProblem and Optimizer step by step.

Run by hand:   /usr/bin/python3 tests/tools/make_mlp_features_fixtures.py

The torch side is what docs/spec/experiment.md says each field means:
  features: X = torch.cat([X, f(X) for f in features], dim=1) before the first nn.Linear
  l1:       loss = criterion(model(X), y) + l1 * sum(p.abs().sum() for p in model.parameters())
Same file format as torch_mlp.json (make_mlp_fixtures.py, whose datasets and dumps() it reuses).
"""

import datetime
import json
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_mlp_fixtures as base  # noqa: E402

STEPS = 30
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "torch_mlp_features.json")

torch.set_default_dtype(torch.float64)

FEATURES = {
    "x1^2": lambda x: x[:, 0:1] ** 2,
    "x2^2": lambda x: x[:, 1:2] ** 2,
    "x1*x2": lambda x: x[:, 0:1] * x[:, 1:2],
    "sin(x1)": lambda x: torch.sin(x[:, 0:1]),
    "sin(x2)": lambda x: torch.sin(x[:, 1:2]),
}

ALL = ["x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]

# (name, data, features, hidden + output widths, activation, loss, l1, init seed, optimizer)
CASES = [
    ("features-tanh-bce-sgd", base.two_classes(12), ALL, [4, 1], "tanh", "bce", 0.0, 1,
     {"name": "sgd", "lr": 0.1, "momentum": 0.9}),
    ("features-l1-tanh-bce-adam", base.two_classes(12), ["x1*x2", "sin(x1)"], [5, 1], "tanh", "bce", 0.01, 2,
     {"name": "adam", "lr": 0.01}),
    ("l1-relu-cross_entropy-sgd", base.three_classes(15), [], [6, 3], "relu", "cross_entropy", 0.005, 3,
     {"name": "sgd", "lr": 0.1}),
    ("features-l1-sigmoid-mse-adamw", base.regression(10), ["x1^2", "sin(x2)"], [5, 1], "sigmoid", "mse", 0.002, 4,
     {"name": "adamw", "lr": 0.02}),
]


def run(name, data, features, widths, activation, loss_name, l1, init_seed, opt):
    xs, ys = data
    layers = [2 + len(features)] + widths
    torch.manual_seed(init_seed)
    linears = [nn.Linear(layers[i], layers[i + 1]) for i in range(len(layers) - 1)]
    params = [p for lin in linears for p in (lin.weight, lin.bias)]
    x = torch.tensor(xs)
    x = torch.cat([x] + [FEATURES[f](x) for f in features], dim=1)
    act = base.ACTIVATIONS[activation]

    def loss_fn():
        h = x
        for i, lin in enumerate(linears):
            h = lin(h)
            if i + 1 < len(linears):
                h = act(h)
        loss = base.LOSSES[loss_name](h, ys)
        if l1 > 0:
            loss = loss + l1 * sum(p.abs().sum() for p in params)
        return loss

    def flat():
        return [v for p in params for v in p.detach().reshape(-1).tolist()]

    hyper = {k: v for k, v in opt.items() if k != "name"}
    optimizer = base.OPTIMIZERS[opt["name"]](params, **hyper)
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

    problem = {"name": "mlp", "data": {"x": xs, "y": ys}, "layers": layers, "activation": activation,
               "loss": loss_name, "init": {"weights": trajectory[0]}}
    if features:
        problem["features"] = features
    if l1 > 0:
        problem["l1"] = l1
    return {"case": name, "problem": problem, "optimizer": opt, "steps": STEPS, "params": trajectory, "loss": losses}


def main():
    fixture = {
        "header": {
            "torch_version": torch.__version__,
            "generator": "tests/tools/make_mlp_features_fixtures.py",
            "date": datetime.date.today().isoformat(),
            "hint": "regenerate with /usr/bin/python3 tests/tools/make_mlp_features_fixtures.py",
            "notes": "float64, full batch; inputs [x1, x2, features...]; loss includes l1 * sum |p| over "
                     "every parameter; params[k] flat as torch_mlp.json",
        },
        "cases": [run(*case) for case in CASES],
    }
    with open(OUT, "w") as f:
        f.write(base.dumps(fixture))
    print("wrote", os.path.normpath(OUT), "with", len(fixture["cases"]), "cases")


if __name__ == "__main__":
    main()
