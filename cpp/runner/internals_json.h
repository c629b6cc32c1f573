// What the inspector shows for one run of a Session, as JSON: the point, the loss, the step that
// led here (gradient used, update applied, effective step size) and every named state buffer.
#pragma once

#include <nlohmann/json.hpp>

#include "runner/session.h"

namespace optlab {

nlohmann::json run_internals(const Session& session, int run);

// {"status": "ok"|"diverged", "diverged_at": n|null}
nlohmann::json run_status(const Session& session, int run);

}  // namespace optlab
