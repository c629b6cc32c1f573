// RAdam's step in the operation order of torch's _single_tensor_radam; the rule is in radam.h.
#include "optim/radam.h"

#include <cmath>

#include "math/portable.h"
#include "optim/adam.h"

namespace optlab {

void validate(const RadamOptions& o) { validate_adam_like(o.lr, o.betas, o.eps, o.weight_decay); }

void radam_step(const RadamOptions& o, RadamState& state, Eigen::VectorXd& params,
                const Eigen::VectorXd& grad, StepReport& report) {
  const Eigen::Index n = begin_step(report, params, grad);
  ensure_state(state.exp_avg, n);
  ensure_state(state.exp_avg_sq, n);
  const auto [beta1, beta2] = o.betas;
  state.step += 1;
  const double t = state.step;
  const double bias_correction1 = 1 - pm::pow(beta1, t);
  const double bias_correction2 = 1 - pm::pow(beta2, t);
  // The branch depends on t and β2 only, so it is the same for every component.
  const double rho_inf = 2 / (1 - beta2) - 1;
  const double rho_t = rho_inf - 2 * t * pm::pow(beta2, t) / bias_correction2;
  const bool rectified = rho_t > 5.;
  const double rect = rectified ? std::sqrt((rho_t - 4) * (rho_t - 2) * rho_inf /
                                            ((rho_inf - 4) * (rho_inf - 2) * rho_t))
                                : 1.0;
  for (Eigen::Index i = 0; i < n; ++i) {
    double g = grad[i];
    if (o.weight_decay != 0) g = g + o.weight_decay * params[i];
    double& m = state.exp_avg[i];
    double& v = state.exp_avg_sq[i];
    m = m * beta1 + (1 - beta1) * g;
    v = v * beta2 + (1 - beta2) * g * g;
    const double bias_corrected_exp_avg = m / bias_correction1;
    const double before = params[i];
    if (rectified) {
      const double adaptive_lr = std::sqrt(bias_correction2) / (std::sqrt(v) + o.eps);
      params[i] = before - bias_corrected_exp_avg * o.lr * adaptive_lr * rect;
      report.step_size[i] = o.lr * adaptive_lr * rect / bias_correction1;
    } else {
      params[i] = before - bias_corrected_exp_avg * o.lr;
      report.step_size[i] = o.lr / bias_correction1;
    }
    report.grad[i] = g;
    report.update[i] = params[i] - before;
  }
  set_scalars(report, {{"rho_t", rho_t}, {"rectified", rectified ? 1.0 : 0.0}});
  if (rectified) report.scalars.push_back({"rect", rect});
}

}  // namespace optlab
