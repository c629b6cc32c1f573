// AdamW's step as torch's _single_tensor_adamw orders it: decay θ, then the Adam rule; see adamw.h.
#include "optim/adamw.h"

namespace optlab {

void validate(const AdamWOptions& o) { validate_adam_like(o.lr, o.betas, o.eps, o.weight_decay); }

void adamw_step(const AdamWOptions& o, AdamWState& state, Eigen::VectorXd& params,
                const Eigen::VectorXd& grad, StepReport& report) {
  const double decay_factor = 1 - o.lr * o.weight_decay;
  Eigen::VectorXd next = params;  // params stay untouched if adam_step rejects the sizes
  for (Eigen::Index i = 0; i < next.size(); ++i) next[i] = next[i] * decay_factor;
  // After the decay, AdamW is Adam without weight decay: with weight_decay = 0, Adam's g is ∇.
  const AdamOptions adam{o.lr, o.betas, o.eps, 0.0, o.amsgrad, o.bias_correction};
  adam_step(adam, state, next, grad, report);
  report.update = next - params;  // the whole step, decay included
  params = next;
  report.scalars.push_back({"decay_factor", decay_factor});
}

}  // namespace optlab
