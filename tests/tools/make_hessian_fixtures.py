#!/usr/bin/python3
"""Regenerates tests/fixtures/torch_hessian.json: loss, gradient, Hessian and its eigenvalues and
eigenvectors from torch.autograd.functional (float64) for every built-in landscape (from its
formula text in the catalog) and for formulas that use every function and operator of the formula
grammar, at seeded points. tests/cpp/hessian_test.cpp and tests/wasm/hessian.test.mjs compare
`optlab hessian` with them to 1e-8.

Run by hand, not by CI:   /usr/bin/python3 tests/tools/make_hessian_fixtures.py
(Debian's python3-torch, 1.13; the pyenv python3 on PATH has no torch. Reads the built-ins'
formulas through the wasm module, so build it first: bash scripts/build.sh wasm.)
"""

import datetime
import json
import math
import os
import random
import subprocess

import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "tests", "fixtures", "torch_hessian.json")

# Every function of the grammar at least once, and every operator (including ^ with a variable
# exponent and a constant base).
FORMULAS = [
    "sin(x)*cos(y) + tan(x/4 + 0.1)",
    "exp(-x^2 - 0.5*y^2) + log(1 + x^2 + y^2)",
    "sqrt(x^2 + 2*y^2 + 1) - abs(x - 0.3)*y^2",
    "tanh(x*y) + sigmoid(x + 2*y) + x^3 - y^4/4",
    "(x + 2)^(y + 1.5) + 2^x - pi*e*y",
    "(x^2 + 1)/(y^2 + 2) - -x*y",
]


def catalog():
    script = ("import('./tests/wasm/load.mjs').then(async ({loadOptLab}) => {"
              "const M = await loadOptLab(); console.log(JSON.stringify(JSON.parse(M.catalog()).landscapes)); });")
    out = subprocess.run(["node", "-e", script], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def torch_function(formula):
    # The grammar reads as Python once ^ is **; its functions and constants are torch's.
    code = formula.replace("^", "**")
    names = {f: getattr(torch, f) for f in ["sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "sigmoid"]}
    names.update(pi=math.pi, e=math.e)
    return lambda v: eval(code, {"__builtins__": {}}, {**names, "x": v[0], "y": v[1]})


def number(v):
    return v if math.isfinite(v) else None


def case(problem, formula, points):
    f = torch_function(formula)
    out = []
    for p in points:
        v = torch.tensor(p, dtype=torch.float64)
        loss = f(v).item()
        grad = torch.autograd.functional.jacobian(f, v).tolist()
        hess = torch.autograd.functional.hessian(f, v)
        if torch.isfinite(hess).all():
            lam, vec = torch.linalg.eigh(hess)
            lam, vec = lam.tolist(), vec.T.tolist()
        else:
            lam, vec = [math.nan, math.nan], [[math.nan, math.nan], [math.nan, math.nan]]
        out.append({"point": p, "loss": number(loss), "gradient": [number(g) for g in grad],
                    "hessian": [[number(h) for h in row] for row in hess.tolist()],
                    "eigenvalues": [number(l) for l in lam], "eigenvectors": [[number(c) for c in row] for row in vec]})
    return {"problem": problem, "formula": formula, "points": out}


def main():
    rng = random.Random(7)
    cases = []
    for l in catalog():
        view = l["view"]
        points = [list(l["start"])] + [[m["x"], m["y"]] for m in l["minima"]]
        points += [[round(rng.uniform(view["xmin"], view["xmax"]), 6), round(rng.uniform(view["ymin"], view["ymax"]), 6)] for _ in range(4)]
        cases.append(case({"name": l["name"]}, l["formula"], points))
    for formula in FORMULAS:
        points = [[round(rng.uniform(-1.5, 1.5), 6), round(rng.uniform(-1.5, 1.5), 6)] for _ in range(6)]
        cases.append(case({"expr": formula}, formula, points))
    doc = {"generated_by": "tests/tools/make_hessian_fixtures.py", "torch": torch.__version__,
           "date": datetime.date.today().isoformat(), "cases": cases}
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: {len(cases)} cases, {sum(len(c['points']) for c in cases)} points")


if __name__ == "__main__":
    main()
