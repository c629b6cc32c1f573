// The interactive session: stepping back is exact, changes restart what they should.
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>

#include "runner/experiment.h"
#include "runner/internals_json.h"
#include "runner/session.h"

// Allocation failure on demand: while g_allocations_left >= 0 it counts down, and the allocation
// that finds it at 0 throws std::bad_alloc (once). Replaces operator new for this test binary only.
namespace {
long g_allocations_left = -1;
}  // namespace

void* operator new(std::size_t n) {
  if (g_allocations_left >= 0 && g_allocations_left-- == 0) throw std::bad_alloc();
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

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
  s.set_optimizer(1, parse_run(nlohmann::json{{"name", "rmsprop"}, {"lr", 0.01}}, "optimizers[1]", 10));
  EXPECT_EQ(s.history(0).params, other);
  EXPECT_EQ(s.history(1).size(), 41);
  EXPECT_EQ(s.state(1).optimizer.name(), "rmsprop");
  Spec spec = parse_spec(kSpec);
  spec.runs[1] = parse_run(nlohmann::json{{"name", "rmsprop"}, {"lr", 0.01}}, "optimizers[1]", 10);
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

TEST(Session, StateAtEqualsTheStateAfterBackAndDoesNotMoveTheSession) {
  Session s(parse_spec(kSpec));
  s.step_by(200);
  Session untouched(parse_spec(kSpec));
  untouched.step_by(200);
  for (long k : {200L, 199L, 150L, 128L, 127L, 64L, 1L, 0L}) {
    Session back_then(parse_spec(kSpec));
    back_then.step_by(200);
    back_then.back(200 - k);
    for (int i = 0; i < s.run_count(); ++i) {
      if (!back_then.state(i).diverged) EXPECT_EQ(s.state_at(i, k).step, k);
      EXPECT_EQ(s.state_at(i, k).x, back_then.state(i).x) << "run " << i << " step " << k;
      EXPECT_EQ(run_internals_at(s, i, k), run_internals(back_then, i)) << "run " << i << " step " << k;
    }
  }
  expect_same_state(s, untouched);
  EXPECT_THROW(s.state_at(0, 201), std::out_of_range);
  EXPECT_THROW(s.state_at(0, -1), std::out_of_range);
}

TEST(Session, StateAtBelowTheWindowIsRefused) {
  Session s(parse_spec(kSpec));
  s.step_by(3 * s.window());
  ASSERT_GT(s.earliest_step(), 0);
  EXPECT_THROW(s.state_at(0, s.earliest_step() - 1), std::out_of_range);
  EXPECT_EQ(s.state_at(0, s.earliest_step()).step, s.earliest_step());
}

TEST(Session, StateAtOfADivergedRunIsWhereItStopped) {
  Session s(parse_spec(R"J({"problem": {"name": "quadratic"}, "start": [0, 1], "steps": 30,
                           "optimizers": [{"name": "sgd", "lr": 0.3}, {"name": "sgd", "lr": 0.01}]})J"));
  EXPECT_TRUE(s.state_at(0, 25).diverged);
  EXPECT_EQ(s.state_at(0, 25).step, 19);
  EXPECT_FALSE(s.state_at(0, 15).diverged);
  EXPECT_EQ(s.state_at(0, 15).step, 15);
}

TEST(Session, GoToReachesEveryStepExactly) {
  Session s(parse_spec(kSpec));
  const long far = 3 * s.window() + 10;
  for (long target : {50L, 20L, far, far - 5, 7L, 0L, 1L}) {
    s.go_to(target);
    Session reference(parse_spec(kSpec));
    reference.step_by(target);
    expect_same_state(s, reference);
  }
  s.go_to(kMaxSteps + 5);
  EXPECT_EQ(s.step_count(), kMaxSteps);
  EXPECT_THROW(s.go_to(-1), std::invalid_argument);
}

// Every run must stay at the session's step, whichever allocation fails, and carry on exactly.
void expect_out_of_memory_leaves_the_session_whole(const char* spec, long from, long allocations) {
  int failures = 0;
  for (long k = 0; k < allocations; ++k) {
    Session s(parse_spec(spec));
    s.step_by(from);
    g_allocations_left = k;
    try {
      s.step_by(3);
      g_allocations_left = -1;
    } catch (const OutOfMemory& e) {
      g_allocations_left = -1;
      ++failures;
      EXPECT_NE(std::string(e.what()).find("out of memory"), std::string::npos);
      EXPECT_NE(std::string(e.what()).find("every run stays at step " + std::to_string(s.step_count())),
                std::string::npos)
          << e.what();
    }
    for (int i = 0; i < s.run_count(); ++i) {
      if (s.state(i).diverged) continue;  // stopped before: checked against the reference below
      EXPECT_EQ(s.state(i).step, s.step_count()) << "allocation " << k << ", run " << i;
      EXPECT_EQ(s.history(i).last_step(), s.step_count()) << "allocation " << k << ", run " << i;
    }
    const long at = s.step_count();
    s.step_by(from + 3 - at);
    Session reference(parse_spec(spec));
    reference.step_by(from + 3);
    expect_same_state(s, reference);
    for (int i = 0; i < s.run_count(); ++i) EXPECT_EQ(s.trail(i).steps(), reference.trail(i).steps());
  }
  EXPECT_GT(failures, 0) << "no allocation failed: the test tested nothing";
}

TEST(Session, OutOfMemoryWhileSteppingALandscapeLeavesEveryRunAtTheSameStep) {
  // Step 64 takes a checkpoint, so its allocations are covered too.
  expect_out_of_memory_leaves_the_session_whole(kSpec, 62, 200);
}

TEST(Session, OutOfMemoryWhileSteppingANetworkLeavesEveryRunAtTheSameStep) {
  const char* spec = R"J({"problem": {"name": "mlp", "data": {"name": "moons", "n": 20}, "layers": [2, 4, 1],
    "batch_size": 8}, "steps": 0, "seed": 2,
    "optimizers": [{"name": "adam", "lr": 0.01}, {"name": "sgd", "lr": 0.1, "momentum": 0.9}]})J";
  expect_out_of_memory_leaves_the_session_whole(spec, 62, 400);
}

}  // namespace
}  // namespace optlab
