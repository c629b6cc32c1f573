// The PyTorch script of an experiment (see torch_script.h). The file is written in sections: a
// header, the problem (make_model and loss), the batches and noise OptLab draws, the runs (their
// optimizers and OptLab's numbers) and a fixed part (the loop and the comparison).
#include "runner/torch_script.h"

#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "problems/fit.h"
#include "problems/landscapes.h"
#include "problems/mlp.h"
#include "problems/rng.h"
#include "runner/experiment.h"
#include "runner/spec.h"
#include "runner/torch_expression.h"

namespace optlab {
namespace {

using nlohmann::json;

// Text as a Python string literal: JSON's escapes are Python's too. Not ASCII-escaped: JSON writes
// an emoji as a surrogate pair, which Python would read as two lone surrogates (the file is UTF-8).
std::string py_string(const std::string& text) {
  return json(text).dump(-1, ' ', false, json::error_handler_t::replace);
}

// A JSON value as a Python literal (null/true/false -> None/True/False).
std::string py(const json& v) {
  if (v.is_null()) return "None";
  if (v.is_boolean()) return v.get<bool>() ? "True" : "False";
  if (v.is_number_float()) return python_number(v.get<double>());
  if (v.is_number()) return v.dump();
  if (v.is_string()) return py_string(v.get<std::string>());
  std::string out;
  if (v.is_array()) {
    for (const json& item : v) out += (out.empty() ? "" : ", ") + py(item);
    return "[" + out + "]";
  }
  for (const auto& [key, value] : v.items()) out += (out.empty() ? "" : ", ") + py_string(key) + ": " + py(value);
  return "{" + out + "}";
}

// Numbers as a Python list, `per_line` to a line, indented under an assignment.
template <class Number>
std::string py_list(const std::vector<Number>& v, std::size_t per_line = 8) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += (i % per_line == 0) ? ",\n    " : ", ";
    if constexpr (std::is_floating_point_v<Number>) out += python_number(v[i]);
    else out += std::to_string(v[i]);
  }
  return out + "]";
}

// The scheduler arguments torch wants as integers (a spec may write 7.0 for 7).
const std::set<std::string> kIntegerArguments = {"step_size", "T_max", "T_0", "T_mult", "total_iters", "total_steps",
                                                 "step_size_up", "step_size_down", "patience", "cooldown", "milestones"};

json integral(const json& v) {
  if (v.is_array()) {
    json out = json::array();
    for (const json& item : v) out.push_back(integral(item));
    return out;
  }
  if (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>()) return static_cast<long long>(v.get<double>());
  return v;
}

json torch_scheduler(const json& options) {
  json out = json::object();
  for (const auto& [key, value] : options.items()) {
    if (key == "schedulers") {
      json children = json::array();
      for (const json& c : value) children.push_back(torch_scheduler(c));
      out[key] = children;
    } else {
      out[key] = kIntegerArguments.count(key) ? integral(value) : value;
    }
  }
  return out;
}

// ---- the problem ----------------------------------------------------------------------------------

const char* kPointModel = R"PY(

class Point(nn.Module):
    """The two coordinates as one parameter, so that every problem trains an nn.Module."""

    def __init__(self, start):
        super().__init__()
        self.xy = nn.Parameter(torch.tensor(start))


def make_model():
    return Point(START)
)PY";

void landscape_section(std::ostream& out, const Eigen::VectorXd& start, const Landscape& landscape) {
  const LandscapeInfo& info = landscape.info();
  const bool builtin = info.name != "expr";
  // A built-in's formula text computes what its C++ code computes (tests check that they agree).
  const Expression expression(info.formula);
  out << "# ---- the problem: " << (builtin ? "the landscape " + info.name : std::string("a formula")) << "\n"
      << "#   f(x, y) = " << expression.text() << "\n"
      << "# translated from OptLab's formula grammar (^ is **; constants folded as OptLab folds them).\n\n"
      << "def f(x, y):\n    return " << torch_expression(expression) << "\n\n\n"
      << "START = " << py(json::array({start[0], start[1]})) << "\n" << kPointModel << "\n\n"
      << "def loss(model, rows=None):\n    return f(model.xy[0], model.xy[1])\n";
}

void fit_section(std::ostream& out, const Eigen::VectorXd& start, const FitProblem& fit) {
  const FitData& d = fit.data();
  const bool line = fit.model() == FitModel::Line;
  out << "# ---- the problem: " << (line ? "a line w*x + b fitted by MSELoss (mean), as nn.Linear(1, 1)"
                                         : "logistic regression w1*x1 + w2*x2, BCEWithLogitsLoss (mean), as nn.Linear(2, 1, bias=False)")
      << "\n# The data (" << d.name << ", " << d.x.rows() << " points), as OptLab holds it.\n";
  out << "X = torch.tensor([";
  for (Eigen::Index i = 0; i < d.x.rows(); ++i) {
    out << (i ? ",\n    " : "") << "[" << python_number(d.x(i, 0));
    if (!line) out << ", " << python_number(d.x(i, 1));
    out << "]";
  }
  out << "])\n";
  out << "Y = torch.tensor(" << py_list(std::vector<double>(d.y.data(), d.y.data() + d.y.size())) << ")\n";
  out << "START = " << py(json::array({start[0], start[1]})) << "\n" << kPointModel << "\n\n";
  out << "def loss(model, rows=None):\n"
      << "    x, y = (X, Y) if rows is None else (X[rows], Y[rows])\n";
  if (line)
    out << "    w, b = model.xy[0], model.xy[1]\n"
        << "    return nn.functional.mse_loss(w * x[:, 0] + b, y)\n";
  else
    out << "    w1, w2 = model.xy[0], model.xy[1]\n"
        << "    return nn.functional.binary_cross_entropy_with_logits(w1 * x[:, 0] + w2 * x[:, 1], y)\n";
}

const char* torch_activation(Activation a) {
  switch (a) {
    case Activation::Tanh: return "nn.Tanh()";
    case Activation::Relu: return "nn.ReLU()";
    case Activation::LeakyRelu: return "nn.LeakyReLU(0.01)";
    case Activation::Sigmoid: return "nn.Sigmoid()";
    case Activation::Linear: return "nn.Identity()";  // kept as a module: Linear layers sit at 0, 2, 4, ...
  }
  return "";
}

// What the network sees of a point: (x1, x2) and the spec's input features after them, in order
// (mlp.h); the penalty is the spec's L1 term over every parameter (experiment.md).
std::string network_inputs_code(const MlpConfig& c) {
  static const std::map<std::string, std::string> code = {
      {"x1^2", "points[:, 0:1] ** 2"},          {"x2^2", "points[:, 1:2] ** 2"},
      {"x1*x2", "points[:, 0:1] * points[:, 1:2]"}, {"sin(x1)", "torch.sin(points[:, 0:1])"},
      {"sin(x2)", "torch.sin(points[:, 1:2])"}};
  if (c.features.empty())
    return "def inputs(points):\n    \"\"\"What the network sees of each point: (x1, x2) as they are.\"\"\"\n    return points\n";
  std::string out = "def inputs(points):\n    \"\"\"What the network sees of each point: x1, x2, then the features.\"\"\"\n"
                    "    return torch.cat([points";
  for (InputFeature f : c.features) out += ", " + code.at(feature_name(f)) + "  # " + feature_name(f) + "\n        ";
  return out + "], dim=1)\n";
}

std::string network_loss_code(const MlpConfig& c) {
  std::string out = "def loss(model, rows=None):\n"
                    "    x, y = (X, Y) if rows is None else (X[rows], Y[rows])\n";
  if (c.l1 == 0.0) return out + "    return criterion(model(inputs(x)), y)\n";
  return out + "    # OptLab's L1 penalty over every parameter, weights and biases\n"
               "    return criterion(model(inputs(x)), y) + " + python_number(c.l1) +
               " * sum(p.abs().sum() for p in model.parameters())\n";
}

void network_section(std::ostream& out, const Eigen::VectorXd& start, const MlpProblem& mlp) {
  const MlpConfig& c = mlp.config();
  const Dataset& d = mlp.train();
  out << "# ---- the problem: a network on " << d.size() << " training points (" << d.name << ")\n";
  out << "X = torch.tensor([";
  for (Eigen::Index i = 0; i < d.x.rows(); ++i)
    out << (i ? ",\n    " : "") << "[" << python_number(d.x(i, 0)) << ", " << python_number(d.x(i, 1)) << "]";
  out << "])\n";
  if (c.loss == MlpLoss::CrossEntropy) {
    std::vector<long> labels;
    for (Eigen::Index i = 0; i < d.y.size(); ++i) labels.push_back(static_cast<long>(d.y[i]));
    out << "Y = torch.tensor(" << py_list(labels, 20) << ", dtype=torch.long)  # class indices\n";
  } else {
    out << "Y = torch.tensor(" << py_list(std::vector<double>(d.y.data(), d.y.data() + d.y.size()))
        << ").reshape(-1, 1)  # " << (c.loss == MlpLoss::Bce ? "labels 0 or 1" : "targets") << ", shaped [n, 1]\n";
  }
  out << "\n\n" << network_inputs_code(c) << "\n\n";
  out << "# The initial weights, one list a tensor as [p.tolist() for p in model.parameters()] prints them.\n";
  out << "INITIAL_WEIGHTS = " << py(weights_to_tensors(c.layers, start)) << "\n\n\n";
  out << "def make_model():\n    model = nn.Sequential(";
  for (std::size_t l = 1; l < c.layers.size(); ++l) {
    if (l > 1) out << ", " << torch_activation(c.activation) << ", ";
    out << "nn.Linear(" << c.layers[l - 1] << ", " << c.layers[l] << ")";
  }
  out << ")\n"
      << "    with torch.no_grad():\n"
      << "        for p, value in zip(model.parameters(), INITIAL_WEIGHTS):\n"
      << "            p.copy_(torch.tensor(value))\n"
      << "    return model\n\n\n";
  const char* criterion = c.loss == MlpLoss::Bce ? "nn.BCEWithLogitsLoss()" : c.loss == MlpLoss::Mse ? "nn.MSELoss()" : "nn.CrossEntropyLoss()";
  out << "criterion = " << criterion << "  # mean over the points, as OptLab\n\n\n" << network_loss_code(c);
}

// ---- what OptLab draws: mini-batch orders and gradient noise --------------------------------------

// Each epoch's shuffle for a batch size: the concatenated batches of its steps, as the run's problem
// draws them.
std::vector<int> epoch_order(const Problem& problem, long epoch, long per_epoch) {
  std::vector<int> order;
  for (long j = 0; j < per_epoch; ++j) {
    const long step = epoch * per_epoch + j;
    const std::vector<int> rows = dynamic_cast<const MlpProblem*>(&problem)
                                      ? dynamic_cast<const MlpProblem&>(problem).batch_indices(step)
                                      : dynamic_cast<const FitProblem&>(problem).batch_indices(step);
    order.insert(order.end(), rows.begin(), rows.end());
  }
  return order;
}

// An optimizer entry's hyperparameters as torch's constructor takes them, every default written
// out. From the spec's entry, not the RunSpec: a scheduler's construction changed the latter's lr.
json torch_hyperparameters(const json& entry, std::size_t i) {
  json plain = entry;
  for (const char* key : {"label", "color", "scheduler", "changes", "batch_size", "noise"}) plain.erase(key);
  json options = Optimizer::from_json(plain).options_json();
  if (options.contains("bias_correction") && options["bias_correction"] == false)
    throw SpecError("optimizers[" + std::to_string(i) + "].bias_correction: false is OptLab's own option, not part of "
                    "torch.optim, so a PyTorch script cannot replay it");
  options.erase("name");
  options.erase("bias_correction");
  return options;
}

struct RunPlan {
  long steps = 0;       // steps to take: the spec's, or diverged_at
  long batch_size = 0;  // 0: full batch
  double noise = 0.0;
};

}  // namespace

std::string torch_script(const std::string& spec_text) {
  const Spec spec = parse_spec(spec_text);
  const json doc = parse_json(spec_text);
  std::vector<json> hyperparameters;
  for (std::size_t i = 0; i < spec.runs.size(); ++i) hyperparameters.push_back(torch_hyperparameters(doc["optimizers"][i], i));
  std::unique_ptr<Problem> problem = make_problem(spec);
  const Eigen::VectorXd start = start_point(spec, *problem);
  const auto* mlp = dynamic_cast<const MlpProblem*>(problem.get());
  const auto* fit = dynamic_cast<const FitProblem*>(problem.get());
  const auto* landscape = dynamic_cast<const Landscape*>(problem.get());

  // Each run's own problem, batch size and noise; the size of the script before anything runs.
  std::vector<RunPlan> plans;
  std::vector<std::unique_ptr<Problem>> own;
  const double shared_noise = spec.problem.is_object() && spec.problem.contains("noise") ? spec.problem["noise"].get<double>() : 0.0;
  long numbers = static_cast<long>(start.size()) + (mlp ? 3 * mlp->train().size() : fit ? 3 * fit->data_rows() : 0);
  for (std::size_t i = 0; i < spec.runs.size(); ++i) {
    own.push_back(make_run_problem(spec, i));
    const Problem& p = own.back() ? *own.back() : *problem;
    RunPlan plan;
    plan.batch_size = p.batch_rows();
    plan.noise = spec.runs[i].overrides.contains("noise") ? spec.runs[i].overrides["noise"].get<double>() : shared_noise;
    if (mlp || fit) plan.noise = 0.0;
    plans.push_back(plan);
    numbers += 2 * (spec.steps + 1) + (plan.batch_size > 0 ? spec.steps * plan.batch_size : 0) + (plan.noise > 0 ? 2 * spec.steps : 0);
  }
  if (numbers > kMaxTorchScriptNumbers)
    throw SpecError("steps: the PyTorch script would hold about " + std::to_string(numbers) + " numbers (data, weights, batches, losses), more than " +
                    std::to_string(kMaxTorchScriptNumbers) + "; ask for fewer steps or a smaller problem");
  const ExperimentResult result = run_experiment(spec);
  for (std::size_t i = 0; i < plans.size(); ++i)
    plans[i].steps = result.runs[i].diverged ? result.runs[i].diverged_at : spec.steps;

  std::ostringstream out;
  out << "#!/usr/bin/env python3\n"
      << "\"\"\"An OptLab experiment in PyTorch (generated by OptLab: optlab export-torch, or the page's\n"
      << "\"Export PyTorch script\"). Run it with  python3 this_file.py  (torch 1.13 or later).\n\n"
      << "It trains every run of the experiment with torch.optim in float64, from the same start, on the same\n"
      << "data, mini-batches and gradient noise as OptLab, and compares each step's loss with the numbers\n"
      << "OptLab computed (OPTLAB_LOSS below): it prints the largest differences per run and exits with\n"
      << "status 1 if any loss differs by more than 1e-9 (relative to the loss when it is above 1). A run\n"
      << "that diverged in OptLab is compared up to the step where it diverged, where torch must diverge too.\n"
      << "\"\"\"\n\n"
      << "import math\nimport sys\n\nimport torch\nfrom torch import nn\nfrom torch.optim import lr_scheduler\n\n"
      << "torch.set_default_dtype(torch.float64)\n\n"
      << "# The experiment as OptLab read it (docs/spec/experiment.md), for reference.\n"
      << "SPEC = " << py(doc) << "\n"
      << "SEED = " << spec.seed << "\n\n";

  if (mlp) network_section(out, start, *mlp);
  else if (fit) fit_section(out, start, *fit);
  else landscape_section(out, start, *landscape);

  // Mini-batches: each epoch's order per batch size, as OptLab draws them (seeded by SEED).
  std::map<long, std::pair<const Problem*, long>> batched;  // batch size -> (a problem drawing it, steps needed)
  for (std::size_t i = 0; i < plans.size(); ++i) {
    if (plans[i].batch_size <= 0) continue;
    auto& entry = batched[plans[i].batch_size];
    if (!entry.first) entry.first = own[i] ? own[i].get() : problem.get();
    entry.second = std::max(entry.second, plans[i].steps);
  }
  out << "\n\n# ---- mini-batches: each epoch's shuffle of the training rows as OptLab draws it (its xoshiro256**\n"
      << "# seeded from SEED and the epoch), cut into batches of batch_size, the last one smaller.\n"
      << "EPOCHS = {";
  bool first = true;
  for (const auto& [size, entry] : batched) {
    const long per_epoch = entry.first->steps_per_epoch();
    const long epochs = (entry.second + per_epoch - 1) / per_epoch;
    out << (first ? "" : ",") << "\n    " << size << ": [";
    for (long e = 0; e < epochs; ++e) out << (e ? ",\n        " : "") << py_list(epoch_order(*entry.first, e, per_epoch), 20);
    out << "]";
    first = false;
  }
  out << (batched.empty() ? "}" : "\n}") << "\n\n\n"
      << "def batch_rows(batch_size, k):\n"
      << "    \"\"\"The training rows of step k's batch (None: full batch).\"\"\"\n"
      << "    if batch_size is None:\n        return None\n"
      << "    per_epoch = -(-len(Y) // batch_size)\n"
      << "    order = EPOCHS[batch_size][k // per_epoch]\n"
      << "    j = k % per_epoch\n"
      << "    return torch.tensor(order[j * batch_size:(j + 1) * batch_size])\n";

  long noise_steps = 0;
  for (const RunPlan& p : plans)
    if (p.noise > 0) noise_steps = std::max(noise_steps, p.steps);
  if (noise_steps > 0) {
    std::vector<double> z;
    for (long k = 0; k < noise_steps; ++k) {
      Rng rng(spec.seed, RngStream::kGradientNoise, static_cast<std::uint64_t>(k));
      z.push_back(rng.normal());
      z.push_back(rng.normal());
    }
    out << "\n\n# ---- gradient noise: the standard normals OptLab draws at step k (NOISE[2k], NOISE[2k + 1]);\n"
        << "# a run adds noise * them to the gradient of x and y.\n"
        << "NOISE = " << py_list(z, 6) << "\n\n\n"
        << "def add_noise(model, sigma, k):\n"
        << "    model.xy.grad += torch.tensor([sigma * NOISE[2 * k], sigma * NOISE[2 * k + 1]])\n";
  }

  // The runs: torch's optimizer and arguments, scheduler, changes, and OptLab's numbers.
  bool cyclic = false, nadam = false;
  out << "\n\n# ---- the runs: each optimizer with torch's names, and the numbers OptLab computed.\nRUNS = [";
  for (std::size_t i = 0; i < spec.runs.size(); ++i) {
    const RunSpec& r = spec.runs[i];
    const RunResult& res = result.runs[i];
    const json& hyper = hyperparameters[i];
    if (r.optimizer.name() == "nadam") nadam = true;
    json scheduler = r.scheduler.active() ? torch_scheduler(r.scheduler.options_json()) : json();
    if (scheduler.dump().find("\"cyclic_lr\"") != std::string::npos) cyclic = true;
    json changes = json::array();
    if (r.changes)
      for (const HyperparameterChange& c : *r.changes) changes.push_back({{"step", c.step}, {"values", c.values}});
    out << (i ? "," : "") << "\n    {\"label\": " << py(json(r.label)) << ", \"optimizer\": " << py(json(r.optimizer.name()))
        << ",\n     \"hyperparameters\": " << py(hyper)
        << ",\n     \"scheduler\": " << py(scheduler) << ",\n     \"changes\": " << py(changes)
        << ",\n     \"batch_size\": " << (plans[i].batch_size > 0 ? std::to_string(plans[i].batch_size) : "None")
        << ", \"noise\": " << python_number(plans[i].noise) << ", \"steps\": " << plans[i].steps
        << ",\n     \"diverged_at\": " << (res.diverged ? std::to_string(res.diverged_at) : "None")
        << ",\n     \"OPTLAB_LOSS\": " << py_list(res.history.loss, 6);
    if (res.history.keep_lr) out << ",\n     \"OPTLAB_LR\": " << py_list(res.history.lr, 6);
    out << "}";
  }
  out << "]\n";
  if (cyclic) {
    out << R"PY(

class CyclicLRBetas(lr_scheduler.CyclicLR):
    """torch >= 2.2's CyclicLR on torch 1.13: for an optimizer with betas and no momentum (the Adam
    family) the cycled momentum goes to betas[0], as OptLab does (1.13 refuses such an optimizer)."""

    def __init__(self, optimizer, **kwargs):
        self.use_beta1 = "betas" in optimizer.defaults and "momentum" not in optimizer.defaults
        if self.use_beta1 and kwargs.get("cycle_momentum", True):
            optimizer.defaults["momentum"] = 0.0  # passes 1.13's check; removed below
        super().__init__(optimizer, **kwargs)
        if self.use_beta1:
            optimizer.defaults.pop("momentum", None)

    def get_lr(self):
        lrs = super().get_lr()
        if self.use_beta1 and self.cycle_momentum:
            for group in self.optimizer.param_groups:
                group["betas"] = (group.pop("momentum"), *group["betas"][1:])
        return lrs


NEW_CYCLIC_LR = tuple(int(v) for v in torch.__version__.split("+")[0].split(".")[:2]) >= (2, 2)
)PY";
  }
  if (nadam) {
    out << R"PY(

# torch 1.13's NAdam multiplies mu_t into mu_product_next twice; torch >= 2.0 fixed it, and OptLab
# computes the fixed rule (docs/spec/update-rules.md). On 1.13 the fixed rule replaces torch's.
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
        mu_product_next = mu_product * mu_next  # the fix: 1.13 has mu_product * mu * mu_next
        exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        denom = exp_avg_sq.div(bias_correction2).sqrt().add_(eps)
        param.addcdiv_(grad, denom, value=-lr * (1. - mu) / (1. - mu_product.item()))
        param.addcdiv_(exp_avg, denom, value=-lr * mu_next / (1. - mu_product_next.item()))


if int(torch.__version__.split(".")[0]) < 2:
    import torch.optim.nadam  # noqa: E402,F401  (torch.optim deletes its submodule names: reach it by sys.modules)
    sys.modules["torch.optim.nadam"]._single_tensor_nadam = fixed_single_tensor_nadam
)PY";
  }
  out << R"PY(

# ---- the loop, as OptLab runs it -----------------------------------------------------------------
OPTIMIZERS = {
    "sgd": torch.optim.SGD, "adagrad": torch.optim.Adagrad, "rmsprop": torch.optim.RMSprop,
    "adam": torch.optim.Adam, "adamw": torch.optim.AdamW, "adamax": torch.optim.Adamax,
    "nadam": torch.optim.NAdam, "radam": torch.optim.RAdam, "adadelta": torch.optim.Adadelta,
    "rprop": torch.optim.Rprop, "asgd": torch.optim.ASGD,
}
SCHEDULERS = {
    "step_lr": "StepLR", "multi_step_lr": "MultiStepLR", "exponential_lr": "ExponentialLR",
    "cosine_annealing_lr": "CosineAnnealingLR", "cosine_annealing_warm_restarts": "CosineAnnealingWarmRestarts",
    "linear_lr": "LinearLR", "constant_lr": "ConstantLR", "polynomial_lr": "PolynomialLR",
    "one_cycle_lr": "OneCycleLR", "cyclic_lr": "CyclicLR", "reduce_lr_on_plateau": "ReduceLROnPlateau",
    "sequential_lr": "SequentialLR",
}
DIVERGED_LOSS = 1e12  # OptLab stops a run whose loss is above this or not finite
TOLERANCE = 1e-9


def group_value(value):
    return tuple(value) if isinstance(value, list) else value  # betas, etas, step_sizes are tuples


def make_scheduler(spec, optimizer):
    kwargs = {k: v for k, v in spec.items() if k != "name"}
    if spec["name"] == "sequential_lr":
        kwargs["schedulers"] = [make_scheduler(s, optimizer) for s in kwargs["schedulers"]]
    if spec["name"] == "cyclic_lr" and not NEW_CYCLIC_LR:
        return CyclicLRBetas(optimizer, **kwargs)
    return getattr(lr_scheduler, SCHEDULERS[spec["name"]])(optimizer, **kwargs)


def edit(optimizer, values):
    """OptLab's "changes": hyperparameters edited in the param group between two steps."""
    for name, value in (values or {}).items():
        optimizer.param_groups[0][name] = group_value(value)


def diverged(model, value):
    finite = all(bool(torch.isfinite(p).all()) for p in model.parameters())
    return not math.isfinite(value) or value > DIVERGED_LOSS or not finite


def train(run):
    """run["steps"] steps of torch's loop; the loss at every step (entry 0: the start) and the lr."""
    model = make_model()
    hyperparameters = {k: group_value(v) for k, v in run["hyperparameters"].items()}
    optimizer = OPTIMIZERS[run["optimizer"]](model.parameters(), foreach=False, **hyperparameters)
    scheduler = make_scheduler(run["scheduler"], optimizer) if run["scheduler"] else None
    plateau = scheduler is not None and run["scheduler"]["name"] == "reduce_lr_on_plateau"
    changes = {c["step"]: c["values"] for c in run["changes"]}
    edit(optimizer, changes.get(0))
    losses, lrs = [], [optimizer.param_groups[0]["lr"]]
    for k in range(run["steps"]):
        with torch.no_grad():
            losses.append(loss(model).item())  # the full loss at params[k]
        optimizer.zero_grad()
        batch_loss = loss(model, batch_rows(run["batch_size"], k))  # the loss whose gradient drives step k
        batch_loss.backward()
        if run["noise"] > 0:
            add_noise(model, run["noise"], k)
        optimizer.step()
        if plateau:
            scheduler.step(batch_loss.item())
        elif scheduler is not None:
            scheduler.step()
        edit(optimizer, changes.get(k + 1))
        lrs.append(optimizer.param_groups[0]["lr"])
    with torch.no_grad():
        losses.append(loss(model).item())
    return model, losses, lrs


def differences(got, want):
    """Largest absolute and relative difference, and whether every entry is within the tolerance."""
    worst_abs = worst_rel = 0.0
    ok = True
    for g, w in zip(got, want):
        d = abs(g - w)
        if not d <= TOLERANCE * max(1.0, abs(w)):
            ok = False
        if d != d:  # a NaN on one side only
            worst_abs = worst_rel = math.inf
        else:
            worst_abs = max(worst_abs, d)
            worst_rel = max(worst_rel, d / abs(w)) if w != 0 else worst_rel
    return worst_abs, worst_rel, ok


def main():
    failed = 0
    for run in RUNS:
        model, losses, lrs = train(run)
        end = run["steps"] if run["diverged_at"] is not None else run["steps"] + 1
        worst_abs, worst_rel, ok = differences(losses[:end], run["OPTLAB_LOSS"][:end])
        text = f"{run['label']}: loss over {end} steps, max abs diff {worst_abs:.3g}, max rel diff {worst_rel:.3g}"
        if "OPTLAB_LR" in run:
            lr_abs, lr_rel, lr_ok = differences(lrs[:end], run["OPTLAB_LR"][:end])
            ok = ok and lr_ok
            text += f"; lr max rel diff {lr_rel:.3g}"
        if run["diverged_at"] is not None:
            also = diverged(model, losses[-1])
            ok = ok and also
            text += f"; diverged at step {run['diverged_at']} in OptLab" + (", and in torch" if also else ", NOT in torch")
        print(text + (": ok" if ok else ": DIFFERS"))
        failed += not ok
    if failed:
        print(f"{failed} of {len(RUNS)} runs differ from OptLab by more than {TOLERANCE}")
        sys.exit(1)
    print(f"all {len(RUNS)} runs match OptLab to {TOLERANCE}")


if __name__ == "__main__":
    main()
)PY";
  std::string text = out.str();
  if (!cyclic) {
    // make_scheduler names NEW_CYCLIC_LR only for a cyclic_lr; without one it must still be defined.
    const std::string marker = "DIVERGED_LOSS = 1e12";
    text.insert(text.find(marker), "NEW_CYCLIC_LR = True  # no cyclic_lr in this experiment\n");
  }
  return text;
}

}  // namespace optlab
