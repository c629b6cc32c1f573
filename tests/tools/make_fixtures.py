#!/usr/bin/python3
"""Regenerates tests/fixtures/torch_<name>.json: torch.optim trajectories that
tests/cpp/optim_torch_test.cpp replays step by step.

Run by hand, not by CI:   /usr/bin/python3 tests/tools/make_fixtures.py
(Debian's python3-torch, 1.13; the pyenv python3 on PATH has no torch.)

Every case runs one torch optimizer in float64 on a 2-D function for STEPS steps and
records the parameters after every step. The gradient is written out by hand below, in
the same operation order as the C++ test, so both sides feed the optimizer bit-identical
gradients and any difference is the optimizer's own.

torch 1.13's NAdam multiplies mu_t into mu_product_next twice; torch >= 2.0 fixed it and
docs/spec/update-rules.md follows the fixed form, so this script replaces 1.13's
_single_tensor_nadam with the fixed rule (see fixed_single_tensor_nadam).
"""

import datetime
import json
import math
import os
import sys

import torch
import torch.optim.nadam  # noqa: F401  (loads the module patched below)

STEPS = 200
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")

# float64 everywhere, including torch's scalar state tensors (step, NAdam's mu_product),
# which torch 1.13 creates with the default dtype.
torch.set_default_dtype(torch.float64)


# --- the functions and their gradients, written as in optim_torch_test.cpp -------------

def rosenbrock_grad(x, y):
    # f = (1 - x)^2 + 100 (y - x^2)^2
    r = y - x * x
    return (-2.0 * (1.0 - x) - 400.0 * x * r, 200.0 * r)


def beale_grad(x, y):
    # f = (1.5 - x + x y)^2 + (2.25 - x + x y^2)^2 + (2.625 - x + x y^3)^2
    y2 = y * y
    y3 = y2 * y
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y2
    c = 2.625 - x + x * y3
    gx = 2.0 * a * (y - 1.0) + 2.0 * b * (y2 - 1.0) + 2.0 * c * (y3 - 1.0)
    gy = 2.0 * a * x + 2.0 * b * (2.0 * x * y) + 2.0 * c * (3.0 * x * y2)
    return (gx, gy)


FUNCTIONS = {
    "rosenbrock": (rosenbrock_grad, [-1.5, 2.0]),
    "beale": (beale_grad, [1.0, 1.5]),
}


# --- torch 1.13's NAdam with the torch >= 2.0 fix of mu_product_next ----------------------

def fixed_single_tensor_nadam(params, grads, exp_avgs, exp_avg_sqs, mu_products, state_steps,
                              *, beta1, beta2, lr, weight_decay, momentum_decay, eps):
    for i, param in enumerate(params):
        grad = grads[i]
        exp_avg = exp_avgs[i]
        exp_avg_sq = exp_avg_sqs[i]
        mu_product = mu_products[i]
        step_t = state_steps[i]
        step_t += 1
        step = step_t.item()
        bias_correction2 = 1 - beta2 ** step
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        mu = beta1 * (1. - 0.5 * (0.96 ** (step * momentum_decay)))
        mu_next = beta1 * (1. - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
        mu_product *= mu
        mu_product_next = mu_product * mu_next  # THE FIX: 1.13 has mu_product * mu * mu_next
        exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        denom = exp_avg_sq.div(bias_correction2).sqrt().add_(eps)
        param.addcdiv_(grad, denom, value=-lr * (1. - mu) / (1. - mu_product.item()))
        param.addcdiv_(exp_avg, denom, value=-lr * mu_next / (1. - mu_product_next.item()))


# torch/optim/__init__.py deletes its submodule names, so reach the module through sys.modules.
NADAM_MODULE = sys.modules["torch.optim.nadam"]
ORIGINAL_NADAM = NADAM_MODULE._single_tensor_nadam
NADAM_MODULE._single_tensor_nadam = fixed_single_tensor_nadam


# --- the cases: every option at least once, lr always explicit -----------------------------
# (torch 1.13's SGD has no default lr; torch >= 2.2 and OptLab use 1e-3.)

CLASSES = {
    "sgd": torch.optim.SGD, "adagrad": torch.optim.Adagrad, "rmsprop": torch.optim.RMSprop,
    "adam": torch.optim.Adam, "adamw": torch.optim.AdamW, "adamax": torch.optim.Adamax,
    "nadam": torch.optim.NAdam, "radam": torch.optim.RAdam, "adadelta": torch.optim.Adadelta,
    "rprop": torch.optim.Rprop, "asgd": torch.optim.ASGD,
}

CASES = {
    "sgd": [
        ("default", {"lr": 1e-3}),
        ("momentum", {"lr": 1e-3, "momentum": 0.9}),
        ("momentum-dampening", {"lr": 1e-3, "momentum": 0.9, "dampening": 0.5}),
        ("nesterov", {"lr": 1e-3, "momentum": 0.9, "nesterov": True}),
        ("weight-decay", {"lr": 1e-3, "momentum": 0.5, "weight_decay": 0.1}),
    ],
    "adagrad": [
        ("default", {"lr": 1e-2}),
        ("lr-decay-initial-accumulator", {"lr": 0.5, "lr_decay": 0.01,
                                          "initial_accumulator_value": 0.1, "eps": 1e-6}),
        ("weight-decay", {"lr": 0.1, "weight_decay": 0.1}),
    ],
    "rmsprop": [
        ("default", {"lr": 1e-2}),
        ("centered-momentum", {"lr": 1e-3, "centered": True, "momentum": 0.9}),
        ("centered", {"lr": 1e-2, "centered": True}),
        ("momentum", {"lr": 1e-3, "momentum": 0.5}),
        ("alpha-eps-weight-decay", {"lr": 1e-2, "alpha": 0.9, "eps": 1e-4, "weight_decay": 0.05}),
    ],
    "adam": [
        ("default", {"lr": 1e-3}),
        ("betas-eps", {"lr": 0.05, "betas": [0.8, 0.99], "eps": 1e-6}),
        ("amsgrad", {"lr": 0.05, "amsgrad": True}),
        ("weight-decay", {"lr": 0.02, "weight_decay": 0.1}),
    ],
    "adamw": [
        ("default", {"lr": 1e-3}),
        ("decay-amsgrad", {"lr": 0.05, "weight_decay": 0.5, "amsgrad": True}),
        ("no-decay-betas-eps", {"lr": 0.02, "weight_decay": 0.0, "betas": [0.85, 0.99], "eps": 1e-6}),
    ],
    "adamax": [
        ("default", {"lr": 2e-3}),
        ("betas-eps-weight-decay", {"lr": 0.05, "betas": [0.8, 0.99], "eps": 1e-4, "weight_decay": 0.1}),
    ],
    "nadam": [
        ("default", {"lr": 2e-3}),
        ("momentum-decay-betas", {"lr": 0.05, "momentum_decay": 0.01, "betas": [0.85, 0.995]}),
        ("weight-decay-eps", {"lr": 0.02, "weight_decay": 0.1, "eps": 1e-6}),
    ],
    "radam": [
        # The default betas switch from the plain to the rectified branch at step 6.
        ("default", {"lr": 1e-3}),
        ("betas", {"lr": 0.005, "betas": [0.9, 0.99]}),
        ("weight-decay-eps", {"lr": 0.002, "weight_decay": 0.1, "eps": 1e-6}),
        # beta2 <= 2/3: rho_inf <= 5, so the rectified branch is never taken.
        ("never-rectified", {"lr": 1e-3, "betas": [0.9, 0.6]}),
    ],
    "adadelta": [
        ("default", {"lr": 1.0}),
        ("rho-eps-weight-decay", {"lr": 0.5, "rho": 0.95, "eps": 1e-4, "weight_decay": 0.1}),
    ],
    "rprop": [
        ("default", {"lr": 1e-2}),
        # Narrow step_sizes so that both clamps bite; etas away from the defaults.
        ("etas-step-sizes", {"lr": 0.05, "etas": [0.3, 1.5], "step_sizes": [1e-3, 0.2]}),
    ],
    "asgd": [
        ("default", {"lr": 1e-3}),
        # t0 = 20: averaging (mu < 1) starts inside the run; a large lambd decays eta visibly.
        ("lambd-alpha-t0-weight-decay", {"lr": 2e-3, "lambd": 0.05, "alpha": 0.5, "t0": 20.0,
                                         "weight_decay": 0.1}),
    ],
}


def run(name, options, function):
    grad_fn, start = FUNCTIONS[function]
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    kwargs = dict(options)
    for pair in ("betas", "etas", "step_sizes"):
        if pair in kwargs:
            kwargs[pair] = tuple(kwargs[pair])
    optimizer = CLASSES[name]([p], foreach=False, **kwargs)
    trajectory = [list(start)]
    averaged = [[0.0, 0.0]]  # ASGD's state 'ax' after each step (it never feeds back into params)
    for _ in range(STEPS):
        x, y = (float(v) for v in p.detach())
        gx, gy = grad_fn(x, y)
        p.grad = torch.tensor([gx, gy], dtype=torch.float64)
        optimizer.step()
        point = [float(v) for v in p.detach()]
        if not all(math.isfinite(v) for v in point):
            sys.exit(f"{name} {options} diverged on {function}: pick another case")
        trajectory.append(point)
        if name == "asgd":
            averaged.append([float(v) for v in optimizer.state[p]["ax"]])
    return (trajectory, averaged) if name == "asgd" else trajectory


def check_nadam_fix_matters():
    # If torch's own NAdam ever ran instead of the fixed one, the fixtures would be wrong.
    fixed = run("nadam", {"lr": 2e-3}, "rosenbrock")
    NADAM_MODULE._single_tensor_nadam = ORIGINAL_NADAM
    original = run("nadam", {"lr": 2e-3}, "rosenbrock")
    NADAM_MODULE._single_tensor_nadam = fixed_single_tensor_nadam
    assert fixed != original, "the NAdam fix changed nothing: is the patch applied?"


def to_text(fixture):
    # One line per case field and per step, so a diff shows which step changed. json.dumps
    # prints floats with repr(), which reads back to the same double.
    lines = ['{"header": ' + json.dumps(fixture["header"]) + ',', ' "cases": [']
    for k, case in enumerate(fixture["cases"]):
        lines.append('  {')
        for key in ("case", "options", "function", "start", "steps"):
            lines.append(f'   "{key}": {json.dumps(case[key])},')
        lines.append('   "params": [')
        points = [f'    {json.dumps(p)}' for p in case["params"]]
        lines.append(',\n'.join(points))
        lines.append('   ]' + (',' if "ax" in case else ''))
        if "ax" in case:
            lines.append('   "ax": [')
            lines.append(',\n'.join(f'    {json.dumps(p)}' for p in case["ax"]))
            lines.append('   ]')
        lines.append('  }' + (',' if k + 1 < len(fixture["cases"]) else ''))
    lines.append(' ]}')
    return '\n'.join(lines) + '\n'


def main():
    check_nadam_fix_matters()
    header = {
        "torch_version": torch.__version__,
        "generator": "tests/tools/make_fixtures.py",
        "date": datetime.date.today().isoformat(),
        "hint": "regenerate with /usr/bin/python3 tests/tools/make_fixtures.py",
        "notes": "float64; params[k] is the point after k steps (params[0] = start); gradients "
                 "written by hand as in optim_torch_test.cpp; NAdam uses the torch>=2.0 "
                 "mu_product_next fix patched into torch 1.13",
    }
    for name, cases in CASES.items():
        out = {"header": header, "cases": []}
        for label, options in cases:
            for function in FUNCTIONS:
                result = run(name, options, function)
                case = {
                    "case": f"{label}-{function}",
                    "options": {"name": name, **options},
                    "function": function,
                    "start": FUNCTIONS[function][1],
                    "steps": STEPS,
                    "params": result[0] if name == "asgd" else result,
                }
                if name == "asgd":
                    case["ax"] = result[1]
                out["cases"].append(case)
        path = os.path.join(OUT_DIR, f"torch_{name}.json")
        with open(path, "w") as f:
            f.write(to_text(out))
        print(f"wrote {os.path.normpath(path)}: {len(out['cases'])} cases")

if __name__ == "__main__":
    main()
