// What the inspector shows for one run of a Session, as JSON: the point, the loss, the step that
// led here (gradient used, update applied, effective step size) and every named state buffer.
#pragma once

#include <nlohmann/json.hpp>

#include "runner/session.h"

namespace optlab {

nlohmann::json run_internals(const Session& session, int run);
// The same for run as it was at `step` (earliest_step() to step_count()), the session unmoved.
nlohmann::json run_internals_at(const Session& session, int run, long step);
// The same for any state of a run labelled `label`.
nlohmann::json state_internals(const RunState& s, const std::string& label);

// {"status": "ok"|"diverged", "diverged_at": n|null}
nlohmann::json run_status(const Session& session, int run);

}  // namespace optlab
