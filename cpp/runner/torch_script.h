// "Open in PyTorch": an experiment as one self-contained Python file that runs it with torch.optim
// in float64 and compares its losses with the numbers OptLab computed (embedded in the file).
// `optlab export-torch SPEC.json` prints it; the page's "Export PyTorch script" saves the same
// text (bindings.cpp's torchScript).
//
// The script holds the problem (a landscape or formula as torch expressions, the fit problem's
// data and loss, or the network as nn.Sequential with its exact initial weights and its data
// written out as numbers), the mini-batch order and gradient noise OptLab draws (written out, so
// they match), each optimizer with torch's names and arguments, its scheduler and changes, the
// loop, and the comparison: it prints the largest differences per run and exits 1 when any loss
// is off by more than 1e-9 (relative above 1; a run that diverged in OptLab is compared up to
// diverged_at, where torch must diverge too).
#pragma once

#include <string>

namespace optlab {

// The script for a spec's text. Throws SpecError for a bad spec, or for one torch cannot replay
// ("optimizers[0].bias_correction: ...": OptLab's own option), or one too big to write out.
std::string torch_script(const std::string& spec_text);

// The most numbers (data, weights, batch orders, noise, expected losses) a script may hold.
constexpr long kMaxTorchScriptNumbers = 4000000;

}  // namespace optlab
