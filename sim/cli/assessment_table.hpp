// The table `renewsim run` prints: each target's projection and probability,
// then the public cost, leverage, additionality and deadweight.
#pragma once

#include <string>

#include "model/assessment.hpp"

namespace renewsim::cli {

std::string assessment_table(const model::Assessment& a);

}  // namespace renewsim::cli
