// The phase diagram of SGD with momentum on a quadratic (issue 16, item 6). On f(x) = λx²/2 torch's
// rule (v = βv + g, x -= lr·v; nesterov: x -= lr·(g + βv)) is linear in the state (x, lr·v), with a
// 2x2 matrix that depends only on h = lr·λ and β:
//   plain:    [[1 - h, -β], [h, β]]                     (trace 1 - h + β, determinant β)
//   nesterov: [[1 - h - βh, -β²], [h, β]]               (trace 1 - h - βh + β, determinant β(1 - h))
// Its eigenvalues decide what the iteration does:
//   monotone   (0): spectral radius < 1 and the eigenvalue of largest modulus is real, >= 0 and
//                   strictly larger in modulus than the other when that one is negative (so the
//                   error keeps its sign once the other mode has faded);
//   oscillates (1): spectral radius < 1 otherwise (complex pair: a spiral; or a dominant negative
//                   eigenvalue: sign flips every step);
//   diverges   (2): spectral radius >= 1.
// The rate is the spectral radius: the error shrinks by about that factor a step.
#pragma once

#include <array>
#include <string>

namespace optlab {

enum class MomentumPhase { Monotone = 0, Oscillates = 1, Diverges = 2 };

struct PhasePoint {
  MomentumPhase phase;
  double rate;  // spectral radius
};

// The iteration matrix row-major {m00, m01, m10, m11} acting on (x, lr·v).
std::array<double, 4> momentum_matrix(double h, double beta, bool nesterov);
PhasePoint momentum_phase(double h, double beta, bool nesterov);

// {"h": {"from", "to", "n"}, "beta": {"from", "to", "n"}, "nesterov"?: bool,
//  "points"?: [{"lr", "momentum", "eigenvalues": [λ, ...]}]} ->
// {"h": [...], "beta": [...], "phase": [nh*nbeta, row-major j*nh + i], "rate": [...],
//  "points": [[{"h", "beta", "phase", "rate"} per eigenvalue] per point],
//  "phases": ["monotone", "oscillates", "diverges"]}. Errors: SpecError naming the field.
std::string momentum_phase_request_to_json(const std::string& text);

constexpr int kMaxPhaseAxis = 1024;
constexpr int kMaxPhasePoints = 64;

}  // namespace optlab
