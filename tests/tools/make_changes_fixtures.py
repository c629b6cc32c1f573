#!/usr/bin/python3
"""Regenerates tests/fixtures/torch_changes.json: torch.optim runs whose param_groups are edited
between steps, which tests/cpp/changes_torch_test.cpp (natively) and tests/wasm/changes.test.mjs
(through the wasm module's runExperiment) replay step by step: params, loss and lr.

Run by hand, not by CI:   /usr/bin/python3 tests/tools/make_changes_fixtures.py
(Debian's python3-torch, 1.13; the pyenv python3 on PATH has no torch.)

Every case is an experiment spec (docs/spec/experiment.md) whose optimizer entry has "changes":
[{"step": k, name: value, ...}, ...]. This script runs torch's loop in float64 and edits the group
after k steps, as a user would between two iterations:

    apply changes at 0
    for k in 1..steps: loss = f(θ); loss.backward(); opt.step(); sched.step(); apply changes at k

and records params[k], loss[k] = f(params[k]) and lr[k] = param_groups[0]['lr'] after step k and
the changes at k (the lr step k + 1 uses). NAdam is 1.13's with the fix of torch >= 2.0
(make_fixtures.py).
"""

import datetime
import json
import math
import os
import sys

import torch
from torch.optim import lr_scheduler as S

# torch 1.13's NAdam with torch >= 2.0's fix, which OptLab follows: importing make_fixtures
# patches it (see fixed_single_tensor_nadam there).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures  # noqa: E402,F401

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "torch_changes.json")
torch.set_default_dtype(torch.float64)

LANDSCAPES = {
    "quadratic": lambda x, y: 0.5 * (x ** 2 + 10 * y ** 2),
    "rosenbrock": lambda x, y: (1 - x) ** 2 + 100 * (y - x ** 2) ** 2,
}

OPTIMIZERS = {
    "sgd": torch.optim.SGD, "adagrad": torch.optim.Adagrad, "rmsprop": torch.optim.RMSprop,
    "adam": torch.optim.Adam, "adamw": torch.optim.AdamW, "adamax": torch.optim.Adamax,
    "nadam": torch.optim.NAdam, "radam": torch.optim.RAdam, "adadelta": torch.optim.Adadelta,
    "rprop": torch.optim.Rprop, "asgd": torch.optim.ASGD,
}

# Only schedulers whose numbers 1.13 and 2.x agree on (make_scheduler_fixtures.py).
SCHEDULERS = {
    "step_lr": S.StepLR, "exponential_lr": S.ExponentialLR, "cosine_annealing_lr": S.CosineAnnealingLR,
    "one_cycle_lr": S.OneCycleLR, "reduce_lr_on_plateau": S.ReduceLROnPlateau,
}

STEPS = 40


def case(name, problem, start, optimizer, changes, steps=STEPS):
    return name, {"problem": {"name": problem}, "start": start, "steps": steps,
                  "optimizers": [{**optimizer, "changes": changes}]}


CASES = [
    # Momentum turned on mid-run: torch creates the buffer from that step's gradient.
    case("sgd-lr-then-momentum", "quadratic", [-1.5, 0.5], {"name": "sgd", "lr": 0.05},
         [{"step": 10, "lr": 0.02, "momentum": 0.9}, {"step": 25, "momentum": 0.5, "weight_decay": 0.05}]),
    # ... and off and on again: the buffer is kept meanwhile.
    case("sgd-momentum-off-and-on", "rosenbrock", [-1.5, 2.0], {"name": "sgd", "lr": 0.0005, "momentum": 0.9},
         [{"step": 0, "lr": 0.001}, {"step": 12, "momentum": 0.0}, {"step": 20, "momentum": 0.8, "dampening": 0.3}]),
    case("sgd-nesterov", "quadratic", [-1.5, 0.5], {"name": "sgd", "lr": 0.02, "momentum": 0.9, "nesterov": True},
         [{"step": 5, "lr": 0.08}, {"step": 18, "momentum": 0.5}]),
    # betas: the bias corrections use the new beta at the run's step count, as torch does.
    case("adam-lr-betas", "rosenbrock", [-1.5, 2.0], {"name": "adam", "lr": 0.1},
         [{"step": 8, "lr": 0.02, "betas": [0.5, 0.9]}, {"step": 20, "eps": 0.001, "weight_decay": 0.1}]),
    case("adam-amsgrad-lr", "quadratic", [-1.5, 0.5], {"name": "adam", "lr": 0.05, "amsgrad": True},
         [{"step": 15, "lr": 0.2, "betas": [0.95, 0.99]}]),
    case("rmsprop", "quadratic", [-1.5, 0.5], {"name": "rmsprop", "lr": 0.01, "momentum": 0.5},
         [{"step": 0, "alpha": 0.9}, {"step": 12, "lr": 0.05, "momentum": 0.0}, {"step": 25, "momentum": 0.9}]),
    case("rmsprop-centered", "quadratic", [-1.5, 0.5], {"name": "rmsprop", "lr": 0.01, "centered": True},
         [{"step": 10, "lr": 0.002, "alpha": 0.5, "eps": 0.01}]),
    case("adamw", "quadratic", [-1.5, 0.5], {"name": "adamw", "lr": 0.05},
         [{"step": 10, "weight_decay": 0.5}, {"step": 30, "lr": 0.01}]),
    case("adamax", "quadratic", [-1.5, 0.5], {"name": "adamax", "lr": 0.05},
         [{"step": 10, "lr": 0.1, "betas": [0.8, 0.99]}]),
    case("nadam", "quadratic", [-1.5, 0.5], {"name": "nadam", "lr": 0.05},
         [{"step": 10, "lr": 0.02, "betas": [0.8, 0.99], "momentum_decay": 0.01}]),
    case("radam", "quadratic", [-1.5, 0.5], {"name": "radam", "lr": 0.05},
         [{"step": 3, "betas": [0.9, 0.9]}, {"step": 20, "lr": 0.01}]),
    case("adagrad", "quadratic", [-1.5, 0.5], {"name": "adagrad", "lr": 0.5},
         [{"step": 10, "lr": 0.1, "lr_decay": 0.05}, {"step": 20, "eps": 0.1}]),
    case("adadelta", "quadratic", [-1.5, 0.5], {"name": "adadelta", "lr": 1.0},
         [{"step": 10, "rho": 0.5, "lr": 5.0}]),
    # ASGD's eta is recomputed from the group's lr after every step.
    case("asgd", "quadratic", [-1.5, 0.5], {"name": "asgd", "lr": 0.05, "t0": 5.0},
         [{"step": 10, "lr": 0.02, "lambd": 0.01}, {"step": 20, "alpha": 0.5, "t0": 30.0}]),
    case("rprop", "quadratic", [-1.5, 0.5], {"name": "rprop", "lr": 0.05},
         [{"step": 10, "etas": [0.3, 1.5], "step_sizes": [0.001, 0.05]}]),
    # With a scheduler: chainable schedulers work from the edited lr ...
    case("step_lr-lr-change", "quadratic", [-1.5, 0.5],
         {"name": "sgd", "lr": 0.05, "scheduler": {"name": "step_lr", "step_size": 7, "gamma": 0.5}},
         [{"step": 10, "lr": 0.08}, {"step": 30, "lr": 0.01}]),
    case("exponential_lr-adam", "quadratic", [-1.5, 0.5],
         {"name": "adam", "lr": 0.1, "scheduler": {"name": "exponential_lr", "gamma": 0.9}},
         [{"step": 12, "lr": 0.2, "betas": [0.8, 0.99]}]),
    case("cosine_annealing_lr-lr-change", "quadratic", [-1.5, 0.5],
         {"name": "sgd", "lr": 0.1, "scheduler": {"name": "cosine_annealing_lr", "T_max": 30, "eta_min": 0.001}},
         [{"step": 10, "lr": 0.03}]),
    case("reduce_lr_on_plateau-lr-change", "quadratic", [-1.5, 0.5],
         {"name": "sgd", "lr": 0.2, "scheduler": {"name": "reduce_lr_on_plateau", "factor": 0.5, "patience": 2, "threshold": 0.01}},
         [{"step": 15, "lr": 0.19}]),
    # ... while one_cycle_lr computes each lr afresh: the edit lasts one step, then is overwritten.
    case("one_cycle_lr-lr-change", "quadratic", [-1.5, 0.5],
         {"name": "sgd", "lr": 0.01, "momentum": 0.9, "scheduler": {"name": "one_cycle_lr", "max_lr": 0.1}},
         [{"step": 10, "lr": 0.5, "weight_decay": 0.01}]),
]


def build_scheduler(spec, optimizer, steps):
    kwargs = {k: v for k, v in spec.items() if k != "name"}
    if spec["name"] == "one_cycle_lr":
        kwargs.setdefault("total_steps", steps)
    return SCHEDULERS[spec["name"]](optimizer, **kwargs)


def run(spec):
    f = LANDSCAPES[spec["problem"]["name"]]
    steps = spec["steps"]
    entry = spec["optimizers"][0]
    options = {k: (tuple(v) if isinstance(v, list) else v) for k, v in entry.items()
               if k not in ("name", "scheduler", "changes")}
    p = torch.tensor(spec["start"], dtype=torch.float64, requires_grad=True)
    optimizer = OPTIMIZERS[entry["name"]]([p], foreach=False, **options)
    scheduler = build_scheduler(entry["scheduler"], optimizer, steps) if "scheduler" in entry else None
    plateau = scheduler is not None and entry["scheduler"]["name"] == "reduce_lr_on_plateau"
    changes = {c["step"]: {k: v for k, v in c.items() if k != "step"} for c in entry["changes"]}

    def edit(k):  # between step k and k + 1, as `opt.param_groups[0][name] = value`
        for name, value in changes.get(k, {}).items():
            optimizer.param_groups[0][name] = tuple(value) if isinstance(value, list) else value

    edit(0)
    params, losses, lrs = [list(spec["start"])], [], [optimizer.param_groups[0]["lr"]]
    for k in range(1, steps + 1):
        optimizer.zero_grad()
        loss = f(p[0], p[1])
        loss.backward()
        losses.append(loss.item())
        optimizer.step()
        if plateau:
            scheduler.step(loss.item())
        elif scheduler is not None:
            scheduler.step()
        edit(k)
        params.append([float(v) for v in p.detach()])
        lrs.append(float(optimizer.param_groups[0]["lr"]))
    with torch.no_grad():
        losses.append(f(p[0], p[1]).item())
    if not all(math.isfinite(v) for v in losses):
        sys.exit(f"{spec} diverged: pick another case")
    return params, losses, lrs


def main():
    cases = []
    for name, spec in CASES:
        params, losses, lrs = run(spec)
        cases.append({"case": name, "spec": spec, "params": params, "loss": losses, "lr": lrs})
    header = {
        "torch_version": torch.__version__,
        "generator": "tests/tools/make_changes_fixtures.py",
        "date": datetime.date.today().isoformat(),
        "hint": "regenerate with /usr/bin/python3 tests/tools/make_changes_fixtures.py",
        "notes": "float64; torch's loop with param_groups[0] edited after the steps the changes name; "
                 "params/loss[k] after k steps, lr[k] after step k and its changes",
    }
    lines = ['{"header": ' + json.dumps(header) + ',', ' "cases": [']
    for k, c in enumerate(cases):
        lines.append('  {"case": ' + json.dumps(c["case"]) + ',')
        lines.append('   "spec": ' + json.dumps(c["spec"]) + ',')
        lines.append('   "lr": ' + json.dumps(c["lr"]) + ',')
        lines.append('   "loss": ' + json.dumps(c["loss"]) + ',')
        lines.append('   "params": ' + json.dumps(c["params"]))
        lines.append('  }' + (',' if k + 1 < len(cases) else ''))
    lines.append(' ]}')
    with open(OUT, "w") as f:
        f.write('\n'.join(lines) + '\n')
    print(f"wrote {os.path.normpath(OUT)}: {len(cases)} cases")


if __name__ == "__main__":
    main()
