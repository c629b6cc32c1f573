// Regression tests for what fuzzing and the sanitizers found (tests/fuzz/README.md lists each
// finding with its input). Each case is the smallest input that showed the bug.
#include <gtest/gtest.h>

#include <climits>
#include <string>

#include "runner/session.h"
#include "runner/spec.h"

namespace optlab {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_spec(text);
  } catch (const SpecError& e) {
    return e.what();
  }
  return "(accepted)";
}

struct MessageCase {
  std::string spec;
  std::string message_starts;
};

// spec_fuzz: a key that is empty, holds ": " or control characters made a message that named no
// field (": unknown field", ": {: invalid JSON") or ran over several lines; now such a key is
// quoted as in JSON, and any control character left in a message is escaped.
const MessageCase kMessages[] = {
    {R"J({"problem": {"name": "booth"}, "steps": 1, "optimizers": [{"name": "sgd"}], "": 9})J", "\"\": unknown field"},
    {R"J({"problem": {"name": "booth", "": 1}, "steps": 1, "optimizers": [{"name": "sgd"}]})J", "problem.\"\": unknown field"},
    {R"J({"": 1, "": 2})J", "\"\": duplicate key"},
    {R"J({"problem": {"name": "booth"}, "steps": 1, "optimizers": [{"name": "sgd"}], "a\nb": 1})J",
     "\"a\\nb\": unknown field"},
    {R"J({": {"name": "booth"}( "steps": 20})J", "\": {\": invalid JSON: parse error at line 1, column 8"},
    {R"J({"problem": {"name": "booth"}, "steps": 1, "optimizers": [{"name": "sgd", "l\tr": 1}]})J",
     "optimizers[0].l\\u0009r: unknown hyperparameter"},
    {R"J({"problem": {"name": "booth"}, "steps": 1, "optimizers": [{"name": "sg\u0001d"}]})J",
     "optimizers[0].name: unknown optimizer 'sg\\u0001d'"},
};

// spec_fuzz: an mlp problem's rejection escaped parse_spec as a plain std::invalid_argument, not
// the SpecError that spec.h promises (and that the CLI and the page's callers catch).
const MessageCase kNetworkRejections[] = {
    {R"J({"problem": {"name": "mlp", "data": {"name": "xor", "n": 20}, "layers": [3, 4, 1]}, "steps": 3,
          "optimizers": [{"name": "adam"}]})J",
     "problem.layers[0]: "},
};

TEST(Regression, NetworkRejectionsAreSpecErrors) {
  for (const MessageCase& c : kNetworkRejections) {
    const std::string message = error_of(c.spec);
    EXPECT_EQ(message.rfind(c.message_starts, 0), 0u) << "spec: " << c.spec << "\nmessage: " << message;
  }
}

TEST(Regression, SpecErrorsNameOddKeysOnOneLine) {
  for (const MessageCase& c : kMessages) {
    const std::string message = error_of(c.spec);
    EXPECT_EQ(message.rfind(c.message_starts, 0), 0u) << "spec: " << c.spec << "\nmessage: " << message;
    for (const char ch : message) EXPECT_GE(static_cast<unsigned char>(ch), 0x20) << message;
  }
}

// Found reading Session while fuzzing it: step_by(n) computed step_ + n before clamping to
// kMaxSteps, which overflows for n near LONG_MAX (the page passes any number it is given, and
// wasm's long has 32 bits). A run that diverges at step 0 keeps the test instant.
TEST(Regression, StepByHugeCountClampsWithoutOverflow) {
  Session s(parse_spec(R"J({"problem": {"expr": "sqrt(x)"}, "start": [-1, 0], "steps": 3,
                           "optimizers": [{"name": "sgd"}]})J"));
  s.step_by(LONG_MAX);
  EXPECT_EQ(s.step_count(), kMaxSteps);
  s.step_by(LONG_MAX);
  EXPECT_EQ(s.step_count(), kMaxSteps);
  EXPECT_EQ(s.back(LONG_MAX), kMaxSteps);
  EXPECT_EQ(s.step_count(), 0);
}

}  // namespace
}  // namespace optlab
