#!/usr/bin/python3
"""Regenerates tests/fixtures/torch_fit.json: the fit problem's two models trained by torch
(nn.Linear + the loss + torch.optim, float64), which tests/cpp/fit_test.cpp and
tests/wasm/fit.test.mjs replay through the experiment runner, checking every step's parameters
and loss to 1e-9.

Run by hand, not by CI:   /usr/bin/python3 tests/tools/make_fit_fixtures.py
(Debian's python3-torch, 1.13; the pyenv python3 on PATH has no torch.)

Models: "line" is nn.Linear(1, 1) with MSELoss (params [w, b] = [weight, bias]); "logistic" is
nn.Linear(2, 1, bias=False) with BCEWithLogitsLoss (params [w1, w2]); both with mean reduction.
Most cases are full batch. The mini-batch cases draw their batches as OptLab documents it
(docs/spec/experiment.md): epoch e is a Fisher-Yates shuffle from the seeded xoshiro256** generator
Rng(seed, stream 4, e), reimplemented below, cut into batches; torch then steps on each batch.
"""

import datetime
import json
import math
import os

import torch
from torch import nn

STEPS = 30
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "torch_fit.json")
MASK = (1 << 64) - 1

torch.set_default_dtype(torch.float64)


# --- OptLab's seeded generator (cpp/problems/rng.h), for the mini-batch order ---------------

def mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


class Rng:
    def __init__(self, seed, stream, counter):
        key = mix((mix((mix(seed) + stream) & MASK) + counter) & MASK)
        self.s = []
        for _ in range(4):
            key = (key + 0x9E3779B97F4A7C15) & MASK
            self.s.append(mix(key))

    def next_u64(self):
        s = self.s
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def below(self, n):
        threshold = ((1 << 64) - n) % n
        while True:
            r = self.next_u64()
            if r >= threshold:
                return r % n


def batch_rows(n, batch, seed, step):
    per_epoch = (n + batch - 1) // batch
    epoch = step // per_epoch
    order = list(range(n))
    rng = Rng(seed, 4, epoch)
    for i in range(n - 1, 0, -1):
        j = rng.below(i + 1)
        order[i], order[j] = order[j], order[i]
    begin = (step % per_epoch) * batch
    return order[begin:begin + batch]


# --- small given datasets, written as formulas so the file explains itself -----------------

def line_data(n):
    xs = [-2.0 + 4.0 * i / (n - 1) for i in range(n)]
    ys = [1.5 * x - 0.5 + 0.4 * math.sin(5.0 * i) for i, x in enumerate(xs)]
    return xs, ys


def logistic_data(n):
    xs, ys = [], []
    for i in range(n):
        x1 = math.cos(1.7 * i) * 1.5
        x2 = (2.0 if i % 2 else -2.0) if i % 5 == 0 else 0.0
        xs.append([x1, x2])
        ys.append(1 if (x2 > 0 or (x2 == 0 and x1 + 0.3 * math.sin(3.0 * i) > 0)) else 0)
    return xs, ys


OPTIMIZERS = {
    "sgd": torch.optim.SGD,
    "adam": torch.optim.Adam,
    "adagrad": torch.optim.Adagrad,
    "rmsprop": torch.optim.RMSprop,
}

# (name, model, data, start, optimizer spec, batch size or None, seed)
CASES = [
    ("line-sgd", "line", line_data(20), [-1.0, 2.0], {"name": "sgd", "lr": 0.1}, None, 0),
    ("line-momentum", "line", line_data(20), [-1.0, 2.0], {"name": "sgd", "lr": 0.05, "momentum": 0.9}, None, 0),
    ("line-adam", "line", line_data(20), [-1.0, 2.0], {"name": "adam", "lr": 0.1}, None, 0),
    ("line-rmsprop", "line", line_data(20), [-1.0, 2.0], {"name": "rmsprop", "lr": 0.01}, None, 0),
    ("logistic-sgd", "logistic", logistic_data(30), [0.5, -0.5], {"name": "sgd", "lr": 0.5}, None, 0),
    ("logistic-adagrad", "logistic", logistic_data(30), [0.5, -0.5], {"name": "adagrad", "lr": 0.5}, None, 0),
    ("logistic-adam", "logistic", logistic_data(30), [0.5, -0.5], {"name": "adam", "lr": 0.05}, None, 0),
    ("line-sgd-batch-4", "line", line_data(20), [-1.0, 2.0], {"name": "sgd", "lr": 0.05}, 4, 7),
    ("line-sgd-batch-6", "line", line_data(20), [-1.0, 2.0], {"name": "sgd", "lr": 0.05, "momentum": 0.9}, 6, 3),
    ("logistic-adagrad-batch-8", "logistic", logistic_data(30), [0.5, -0.5], {"name": "adagrad", "lr": 0.5}, 8, 11),
]


def run(name, model, data, start, opt, batch, seed):
    xs, ys = data
    n = len(xs)
    if model == "line":
        lin = nn.Linear(1, 1)
        x = torch.tensor(xs).reshape(-1, 1)
        y = torch.tensor(ys).reshape(-1, 1)
        loss_of = nn.MSELoss()
        with torch.no_grad():
            lin.weight.copy_(torch.tensor([[start[0]]]))
            lin.bias.copy_(torch.tensor([start[1]]))
        params = [lin.weight, lin.bias]
    else:
        lin = nn.Linear(2, 1, bias=False)
        x = torch.tensor(xs)
        y = torch.tensor(ys, dtype=torch.float64).reshape(-1, 1)
        loss_of = nn.BCEWithLogitsLoss()
        with torch.no_grad():
            lin.weight.copy_(torch.tensor([start]))
        params = [lin.weight]

    def flat():
        return [v for p in params for v in p.detach().reshape(-1).tolist()]

    def full_loss():
        with torch.no_grad():
            return loss_of(lin(x), y).item()

    hyper = {k: v for k, v in opt.items() if k != "name"}
    optimizer = OPTIMIZERS[opt["name"]](params, **hyper)
    trajectory, losses = [flat()], [full_loss()]
    for k in range(STEPS):
        rows = list(range(n)) if batch is None else batch_rows(n, batch, seed, k)
        optimizer.zero_grad()
        loss = loss_of(lin(x[rows]), y[rows])
        loss.backward()
        optimizer.step()
        trajectory.append(flat())
        losses.append(full_loss())

    problem = {"name": "fit", "model": model, "data": {"x": xs, "y": ys}}
    if batch is not None:
        problem["batch_size"] = batch
    spec = {"problem": problem, "start": start, "steps": STEPS, "seed": seed, "optimizers": [opt]}
    return {"case": name, "spec": spec, "params": trajectory, "loss": losses}


def dumps(fixture):
    d = json.dumps
    lines = ['{"header": ' + d(fixture["header"]) + ",", ' "cases": [']
    for i, case in enumerate(fixture["cases"]):
        lines.append("  {")
        for key in ("case", "spec", "loss"):
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
            "generator": "tests/tools/make_fit_fixtures.py",
            "date": datetime.date.today().isoformat(),
            "hint": "regenerate with /usr/bin/python3 tests/tools/make_fit_fixtures.py",
            "notes": "float64; each case is a whole experiment spec; params[k] and loss[k] (the full-data "
                     "loss) after k steps; mini-batch cases step on OptLab's documented batch order",
        },
        "cases": [run(*case) for case in CASES],
    }
    with open(OUT, "w") as f:
        f.write(dumps(fixture))
    print("wrote", os.path.normpath(OUT), "with", len(fixture["cases"]), "cases")


if __name__ == "__main__":
    main()
