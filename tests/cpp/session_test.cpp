// The interactive session: stepping back is exact, changes restart what they should.
#include <gtest/gtest.h>

#include "runner/experiment.h"
#include "runner/session.h"

namespace optlab {
namespace {

const char* kSpec = R"J({"problem": {"name": "rosenbrock", "noise": 0.5}, "steps": 0, "seed": 3,
  "optimizers": [{"name": "adam", "lr": 0.05}, {"name": "sgd", "lr": 0.0008, "momentum": 0.9},
                 {"name": "nadam", "lr": 0.02}, {"name": "sgd", "lr": 0.01}]})J";

void expect_same_state(const Session& a, const Session& b) {
  ASSERT_EQ(a.step_count(), b.step_count());
  for (int i = 0; i < a.run_count(); ++i) {
    EXPECT_EQ(a.history(i).params, b.history(i).params) << "run " << i;
    EXPECT_EQ(a.history(i).loss, b.history(i).loss) << "run " << i;
    EXPECT_EQ(a.state(i).x, b.state(i).x);
    EXPECT_EQ(a.state(i).grad, b.state(i).grad);
    EXPECT_EQ(a.state(i).diverged, b.state(i).diverged);
    const auto sa = a.state(i).optimizer.state(), sb = b.state(i).optimizer.state();
    ASSERT_EQ(sa.size(), sb.size());
    for (std::size_t k = 0; k < sa.size(); ++k) EXPECT_EQ(sa[k].value, sb[k].value) << sa[k].name;
    EXPECT_EQ(a.state(i).optimizer.last().update, b.state(i).optimizer.last().update);
    EXPECT_EQ(a.state(i).optimizer.last().grad, b.state(i).optimizer.last().grad);
  }
}

TEST(Session, StepBackEqualsTheStateThatManyStepsEarlier) {
  for (long k : {1L, 5L, 63L, 64L, 65L, 130L}) {
    Session s(parse_spec(kSpec));
    s.step_by(200);
    EXPECT_EQ(s.back(k), k);
    Session reference(parse_spec(kSpec));
    reference.step_by(200 - k);
    expect_same_state(s, reference);
  }
}

TEST(Session, SteppingAgainAfterBackRetracesTheSamePath) {
  Session s(parse_spec(kSpec));
  s.step_by(150);
  Session reference(parse_spec(kSpec));
  reference.step_by(150);
  s.back(70);
  s.step_by(70);
  expect_same_state(s, reference);
}

TEST(Session, MatchesRunExperiment) {
  Session s(parse_spec(kSpec));
  s.step_by(100);
  Spec spec = parse_spec(kSpec);
  spec.steps = 100;
  const ExperimentResult r = run_experiment(spec);
  for (int i = 0; i < s.run_count(); ++i) {
    EXPECT_EQ(s.history(i).params, r.runs[static_cast<std::size_t>(i)].history.params);
    EXPECT_EQ(s.history(i).loss, r.runs[static_cast<std::size_t>(i)].history.loss);
  }
}

TEST(Session, BackPastTheStartStopsAtZero) {
  Session s(parse_spec(kSpec));
  s.step_by(10);
  EXPECT_EQ(s.back(25), 10);
  EXPECT_EQ(s.step_count(), 0);
  EXPECT_EQ(s.history(0).size(), 1);
  EXPECT_EQ(s.back(1), 0);
}

TEST(Session, BackUndoesDivergence) {
  Session s(parse_spec(R"J({"problem": {"name": "quadratic"}, "start": [0, 1], "steps": 0,
                           "optimizers": [{"name": "sgd", "lr": 0.3}, {"name": "sgd", "lr": 0.01}]})J"));
  s.step_by(30);
  EXPECT_TRUE(s.state(0).diverged);
  EXPECT_EQ(s.state(0).step, 19);
  EXPECT_EQ(s.history(1).size(), 31);
  s.back(15);  // to step 15, before the divergence at 19
  EXPECT_FALSE(s.state(0).diverged);
  EXPECT_EQ(s.history(0).size(), 16);
  s.step_by(15);
  EXPECT_TRUE(s.state(0).diverged);
  EXPECT_EQ(s.state(0).step, 19);
}

TEST(Session, SetOptimizerRecomputesThatRunOnlyToTheCurrentStep) {
  Session s(parse_spec(kSpec));
  s.step_by(40);
  const auto other = s.history(0).params;
  s.set_optimizer(1, parse_run(nlohmann::json{{"name", "rmsprop"}, {"lr", 0.01}}, "optimizers[1]"));
  EXPECT_EQ(s.history(0).params, other);
  EXPECT_EQ(s.history(1).size(), 41);
  EXPECT_EQ(s.state(1).optimizer.name(), "rmsprop");
  Spec spec = parse_spec(kSpec);
  spec.runs[1] = parse_run(nlohmann::json{{"name", "rmsprop"}, {"lr", 0.01}}, "optimizers[1]");
  spec.steps = 40;
  EXPECT_EQ(s.history(1).params, run_experiment(spec).runs[1].history.params);
}

TEST(Session, SetStartRestartsEveryRunThere) {
  Session s(parse_spec(kSpec));
  s.step_by(40);
  s.set_start(Eigen::Vector2d(0.5, -0.5));
  EXPECT_EQ(s.step_count(), 0);
  for (int i = 0; i < s.run_count(); ++i) {
    EXPECT_EQ(s.history(i).size(), 1);
    EXPECT_EQ(s.history(i).params[0], 0.5);
    EXPECT_EQ(s.history(i).params[1], -0.5);
  }
  EXPECT_THROW(s.set_start(Eigen::Vector2d(std::nan(""), 0)), std::invalid_argument);
}

TEST(Session, ReadingARunThatDoesNotExistThrows) {
  Session s(parse_spec(kSpec));
  EXPECT_THROW(s.history(4), std::out_of_range);
  EXPECT_THROW(s.history(-1), std::out_of_range);
}

}  // namespace
}  // namespace optlab
