// Elementary functions that return the same bits in every build. glibc (native) and musl
// (Emscripten) disagree in the last bit on a few percent of inputs for sin, cos, tan and tanh, and
// on rarer ones for exp, log and pow, which would break "the wasm module prints the same result as
// the CLI, bit for bit". These are built only from IEEE-exact operations (+ - * /, sqrt,
// comparisons, bit manipulation, integer arithmetic), so any conforming build computes the same
// result; compile without fast-math and without FMA contraction (-ffp-contract=off).
//
// Accuracy: within 1 ulp of the correctly rounded result over the normal range (measured: see
// tests/cpp/portable_math_test.cpp); subnormal results of exp and pow may be 1 ulp off.
// Special values (NaN, +-inf, +-0, overflow, underflow) are those of C99 Annex F.
#pragma once

namespace optlab::pm {

double exp(double x);
double expm1(double x);  // e^x - 1, accurate for small |x|
double log(double x);    // natural logarithm
double log1p(double x);  // ln(1 + x), accurate for small |x|
double pow(double x, double y);  // pow(x, 2) == x * x exactly
// sin, cos, tan: the argument is reduced exactly (Payne-Hanek beyond |x| = 2^25 pi/2), so every
// finite double gets a result within 1 ulp.
double sin(double x);
double cos(double x);
double tan(double x);
double tanh(double x);
// tanh for a network's activations, where it runs tens of thousands of times a step: about twice
// as fast as tanh, within 6 ulp (tested), and like every function here the same in every build.
double tanh_activation(double x);
// out[i] = tanh_activation(x[i]) for i < n, the same bits, two at a time where it can (out may be x).
void tanh_activation(const double* x, double* out, long n);
// 1 / (1 + e^-x), from e^-|x| so that nothing overflows, rounded once (within 1 ulp).
double sigmoid(double x);

}  // namespace optlab::pm
