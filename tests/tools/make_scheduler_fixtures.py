#!/usr/bin/python3
"""Regenerates tests/fixtures/torch_schedulers.json: torch.optim.lr_scheduler runs that
tests/cpp/scheduler_torch_test.cpp (natively) and tests/wasm/schedulers.test.mjs (through the
wasm module's runExperiment) replay step by step: params, loss and lr.

Run by hand, not by CI:   /usr/bin/python3 tests/tools/make_scheduler_fixtures.py
(Debian's python3-torch, 1.13; the pyenv python3 on PATH has no torch.)

Every case is an experiment spec (docs/spec/experiment.md) with one optimizer entry carrying a
"scheduler". This script runs torch's loop on the spec's landscape in float64:

    for k in 1..steps: loss = f(θ); loss.backward(); opt.step(); sched.step()   # step(loss) for plateau

and records params[k], loss[k] = f(params[k]) and lr[k] = param_groups[0]['lr'] after k
scheduler steps (lr[0]: after the scheduler's construction).

torch 2.x against 1.13: CyclicLR in torch >= 2.2 also cycles betas[0] of the Adam family, which
1.13 rejects ("optimizer must support momentum"). OptLab follows 2.x; this script gives 1.13's
CyclicLR that behaviour (CyclicLR2x below: the same momentum formula, written to betas[0]) for the
cases that need it. No other scheduler's numbers differ between 1.13 and 2.x.
"""

import datetime
import json
import math
import os
import sys

import torch
from torch.optim import lr_scheduler as S

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "torch_schedulers.json")
torch.set_default_dtype(torch.float64)


class CyclicLR2x(S.CyclicLR):
    """torch 1.13's CyclicLR with torch >= 2.2's use_beta1: for an optimizer with betas and no
    momentum, the cycled momentum goes to betas[0]. 1.13 computes it into group['momentum'] (which
    the Adam family ignores); copying it into betas[0] after every get_lr gives 2.x's numbers."""

    def __init__(self, optimizer, **kwargs):
        self.use_beta1 = "betas" in optimizer.defaults and "momentum" not in optimizer.defaults
        if self.use_beta1 and kwargs.get("cycle_momentum", True):
            optimizer.defaults["momentum"] = 0.0  # let 1.13's check pass; removed below
        super().__init__(optimizer, **kwargs)
        optimizer.defaults.pop("momentum", None) if self.use_beta1 else None

    def get_lr(self):
        lrs = super().get_lr()
        if self.use_beta1 and self.cycle_momentum:
            for group in self.optimizer.param_groups:
                group["betas"] = (group.pop("momentum"), *group["betas"][1:])
        return lrs


# The landscapes as experiment.md defines them.
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

SCHEDULERS = {
    "step_lr": S.StepLR, "multi_step_lr": S.MultiStepLR, "exponential_lr": S.ExponentialLR,
    "cosine_annealing_lr": S.CosineAnnealingLR,
    "cosine_annealing_warm_restarts": S.CosineAnnealingWarmRestarts,
    "linear_lr": S.LinearLR, "constant_lr": S.ConstantLR, "polynomial_lr": S.PolynomialLR,
    "one_cycle_lr": S.OneCycleLR, "cyclic_lr": CyclicLR2x,
    "reduce_lr_on_plateau": S.ReduceLROnPlateau, "sequential_lr": S.SequentialLR,
}

STEPS = 40



def case(name, problem, start, optimizer, scheduler, steps=STEPS):
    return name, {"problem": {"name": problem}, "start": start, "steps": steps,
                  "optimizers": [{**optimizer, "scheduler": scheduler}]}


CASES = [
    case("step_lr", "quadratic", [-1.5, 0.5], {"name": "sgd", "lr": 0.05},
         {"name": "step_lr", "step_size": 7, "gamma": 0.5}),
    case("step_lr-default-gamma", "quadratic", [-1.5, 0.5], {"name": "adam", "lr": 0.1},
         {"name": "step_lr", "step_size": 3}),
    case("multi_step_lr", "quadratic", [-1.5, 0.5], {"name": "sgd", "lr": 0.02, "momentum": 0.9},
         {"name": "multi_step_lr", "milestones": [5, 12, 30], "gamma": 0.3}),
    case("exponential_lr", "quadratic", [-1.5, 0.5], {"name": "adam", "lr": 0.1},
         {"name": "exponential_lr", "gamma": 0.9}),
    # T_max = 15 over 40 steps: past T_max the cosine climbs back (torch's chainable branch).
    case("cosine_annealing_lr", "quadratic", [-1.5, 0.5], {"name": "sgd", "lr": 0.1},
         {"name": "cosine_annealing_lr", "T_max": 15, "eta_min": 0.001}),
    case("cosine_annealing_lr-default-eta-min", "rosenbrock", [-1.5, 2.0], {"name": "adam", "lr": 0.05},
         {"name": "cosine_annealing_lr", "T_max": 8}),
    case("cosine_annealing_warm_restarts", "quadratic", [-1.5, 0.5], {"name": "adam", "lr": 0.1},
         {"name": "cosine_annealing_warm_restarts", "T_0": 5, "T_mult": 2, "eta_min": 0.01}),
    case("cosine_annealing_warm_restarts-defaults", "quadratic", [-1.5, 0.5], {"name": "sgd", "lr": 0.1},
         {"name": "cosine_annealing_warm_restarts", "T_0": 6}),
    case("linear_lr", "quadratic", [-1.5, 0.5], {"name": "adam", "lr": 0.2},
         {"name": "linear_lr", "start_factor": 0.1, "end_factor": 0.9, "total_iters": 10}),
    case("linear_lr-defaults", "quadratic", [-1.5, 0.5], {"name": "sgd", "lr": 0.1}, {"name": "linear_lr"}),
    case("constant_lr", "quadratic", [-1.5, 0.5], {"name": "sgd", "lr": 0.1},
         {"name": "constant_lr", "factor": 0.25, "total_iters": 6}),
    case("constant_lr-defaults", "quadratic", [-1.5, 0.5], {"name": "adagrad", "lr": 0.5}, {"name": "constant_lr"}),
    case("polynomial_lr", "quadratic", [-1.5, 0.5], {"name": "rmsprop", "lr": 0.05},
         {"name": "polynomial_lr", "total_iters": 25, "power": 2.0}),
    case("polynomial_lr-defaults", "quadratic", [-1.5, 0.5], {"name": "sgd", "lr": 0.1}, {"name": "polynomial_lr"}),
    # total_steps defaults to the spec's steps; momentum cycles (SGD's momentum).
    case("one_cycle_lr", "quadratic", [-1.5, 0.5], {"name": "sgd", "lr": 0.01, "momentum": 0.9},
         {"name": "one_cycle_lr", "max_lr": 0.1}),
    # betas[0] cycles for the Adam family; three phases, linear annealing, every number set.
    case("one_cycle_lr-three-phase-linear", "quadratic", [-1.5, 0.5], {"name": "adam", "lr": 0.01},
         {"name": "one_cycle_lr", "max_lr": 0.2, "total_steps": 50, "pct_start": 0.25,
          "anneal_strategy": "linear", "three_phase": True, "div_factor": 10.0,
          "final_div_factor": 100.0, "base_momentum": 0.8, "max_momentum": 0.9}),
    case("one_cycle_lr-no-momentum", "quadratic", [-1.5, 0.5], {"name": "adagrad", "lr": 0.5},
         {"name": "one_cycle_lr", "max_lr": 0.5, "cycle_momentum": False}),
    case("cyclic_lr-triangular2", "quadratic", [-1.5, 0.5], {"name": "sgd", "lr": 0.05, "momentum": 0.9},
         {"name": "cyclic_lr", "base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5, "step_size_down": 3,
          "mode": "triangular2", "base_momentum": 0.7, "max_momentum": 0.95}),
    case("cyclic_lr-exp-range", "quadratic", [-1.5, 0.5], {"name": "rmsprop", "lr": 0.01, "momentum": 0.5},
         {"name": "cyclic_lr", "base_lr": 0.001, "max_lr": 0.05, "step_size_up": 4,
          "mode": "exp_range", "gamma": 0.97}),
    # torch >= 2.2: betas[0] of Adam cycles (see CyclicLR2x).
    case("cyclic_lr-adam-cycles-beta1", "quadratic", [-1.5, 0.5], {"name": "adam", "lr": 0.01},
         {"name": "cyclic_lr", "base_lr": 0.01, "max_lr": 0.2, "step_size_up": 6, "base_momentum": 0.5,
          "max_momentum": 0.95}),
    case("cyclic_lr-triangular-no-momentum", "quadratic", [-1.5, 0.5], {"name": "adam", "lr": 0.01},
         {"name": "cyclic_lr", "base_lr": 0.01, "max_lr": 0.2, "step_size_up": 6, "cycle_momentum": False}),
    # lr 0.2 makes y flip sign at constant size, so the loss stalls and the plateau rule fires.
    case("reduce_lr_on_plateau", "quadratic", [-1.5, 0.5], {"name": "sgd", "lr": 0.2},
         {"name": "reduce_lr_on_plateau", "factor": 0.5, "patience": 2, "threshold": 0.01}),
    case("reduce_lr_on_plateau-max-abs-cooldown", "quadratic", [-1.5, 0.5], {"name": "sgd", "lr": 0.1},
         {"name": "reduce_lr_on_plateau", "mode": "max", "threshold_mode": "abs", "threshold": 0.001,
          "factor": 0.5, "patience": 1, "cooldown": 2, "min_lr": 0.02, "eps": 1e-6}),
    case("reduce_lr_on_plateau-defaults", "quadratic", [-1.5, 0.5], {"name": "sgd", "lr": 0.2},
         {"name": "reduce_lr_on_plateau"}, steps=80),
    # Warm-up then cosine: SequentialLR's reset and step(0) at the milestone.
    case("sequential_lr-warmup-cosine", "quadratic", [-1.5, 0.5], {"name": "adam", "lr": 0.1},
         {"name": "sequential_lr", "milestones": [5],
          "schedulers": [{"name": "linear_lr", "start_factor": 0.1, "total_iters": 5},
                         {"name": "cosine_annealing_lr", "T_max": 30}]}),
    # step(0) takes the closed form: each later scheduler restarts from the base lr.
    case("sequential_lr-three", "quadratic", [-1.5, 0.5], {"name": "sgd", "lr": 0.1, "momentum": 0.5},
         {"name": "sequential_lr", "milestones": [4, 15],
          "schedulers": [{"name": "constant_lr", "factor": 0.5, "total_iters": 3},
                         {"name": "exponential_lr", "gamma": 0.9},
                         {"name": "step_lr", "step_size": 4, "gamma": 0.5}]}),
    case("sequential_lr-restarts-multistep-polynomial", "quadratic", [-1.5, 0.5], {"name": "sgd", "lr": 0.1},
         {"name": "sequential_lr", "milestones": [10, 22],
          "schedulers": [{"name": "cosine_annealing_warm_restarts", "T_0": 4},
                         {"name": "multi_step_lr", "milestones": [3, 6]},
                         {"name": "polynomial_lr", "total_iters": 10, "power": 0.5}]}),
    # one_cycle_lr sets initial_lr, which SequentialLR's reset and the next scheduler then use.
    case("sequential_lr-one-cycle-then-linear", "quadratic", [-1.5, 0.5], {"name": "sgd", "lr": 0.05, "momentum": 0.9},
         {"name": "sequential_lr", "milestones": [20],
          "schedulers": [{"name": "one_cycle_lr", "max_lr": 0.1, "total_steps": 20},
                         {"name": "linear_lr", "start_factor": 1.0, "end_factor": 0.1, "total_iters": 10}]}),
    # Schedulers drive lr-dependent state of the new optimizers too (ASGD's eta uses the current lr).
    case("asgd-exponential_lr", "quadratic", [-1.5, 0.5], {"name": "asgd", "lr": 0.05, "t0": 10.0},
         {"name": "exponential_lr", "gamma": 0.95}),
    case("rprop-step_lr", "quadratic", [-1.5, 0.5], {"name": "rprop", "lr": 0.05},
         {"name": "step_lr", "step_size": 5}),
]


def build_scheduler(spec, optimizer, steps):
    kwargs = {k: v for k, v in spec.items() if k != "name"}
    cls = SCHEDULERS[spec["name"]]
    if spec["name"] == "sequential_lr":
        kwargs["schedulers"] = [build_scheduler(c, optimizer, steps) for c in kwargs["schedulers"]]
    if spec["name"] == "one_cycle_lr":
        kwargs.setdefault("total_steps", steps)
    return cls(optimizer, **kwargs)


def run(spec):
    f = LANDSCAPES[spec["problem"]["name"]]
    steps = spec["steps"]
    entry = spec["optimizers"][0]
    options = {k: (tuple(v) if isinstance(v, list) else v) for k, v in entry.items()
               if k not in ("name", "scheduler")}
    p = torch.tensor(spec["start"], dtype=torch.float64, requires_grad=True)
    optimizer = OPTIMIZERS[entry["name"]]([p], foreach=False, **options)
    scheduler = build_scheduler(entry["scheduler"], optimizer, steps)
    plateau = entry["scheduler"]["name"] == "reduce_lr_on_plateau"
    params, losses, lrs = [list(spec["start"])], [], [optimizer.param_groups[0]["lr"]]
    for _ in range(steps):
        optimizer.zero_grad()
        loss = f(p[0], p[1])
        loss.backward()
        losses.append(loss.item())
        optimizer.step()
        if plateau:
            scheduler.step(loss.item())
        else:
            scheduler.step()
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
        "generator": "tests/tools/make_scheduler_fixtures.py",
        "date": datetime.date.today().isoformat(),
        "hint": "regenerate with /usr/bin/python3 tests/tools/make_scheduler_fixtures.py",
        "notes": "float64; torch's loop, the scheduler stepped once per optimizer step "
                 "(step(loss) for reduce_lr_on_plateau with the loss whose gradient drove the step); "
                 "params/loss/lr[k] after k steps",
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
