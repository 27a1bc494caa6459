#include "model/levers/award.hpp"

#include <algorithm>
#include <limits>


namespace renewsim::model {
namespace {
// share >= threshold, with an empty base passing only a zero threshold.
bool at_least(double part, double whole, double threshold) {
  if (threshold <= 0) return true;
  return whole > 0 && part >= threshold * whole;
}
}  // namespace

bool Award::qualifies(const FirmStatus& s) const {
  return at_least(s.cnc_capacity, s.key_capacity, p_.min_cnc_share) &&
         at_least(s.efficient_capacity, s.energy_capacity, p_.min_efficient_share) &&
         at_least(s.benchmark_capacity, s.energy_capacity, p_.min_benchmark_share) &&
         at_least(s.robot_capacity, s.capacity, p_.min_robot_share) && (!p_.require_digital_tools || s.digital_tools);
}

double Award::offer(const ProjectView& v, const FirmStatus& before, const FirmStatus& after,
                    std::optional<kernel::Day> decided) const {
  // Open (and known) when the firm decides, not only at commissioning: an
  // award that opens later is not yet there to be counted on.
  ProjectView now = v;
  if (decided) now.day = *decided;
  if (!p_.covers(now) || !p_.covers(v) || awarded(v.firm) || qualifies(before) || !qualifies(after)) return 0.0;
  return p_.amount <= remaining(v.day) ? p_.amount : 0.0;
}

double Award::claim(const ProjectView& v, const FirmStatus& now) {
  if (!p_.covers(v) || awarded(v.firm) || !qualifies(now)) return kNone;
  if (p_.amount > 0 && !budget_.take(v.day, p_.amount)) return kNone;
  if (awarded_.size() <= v.firm) awarded_.resize(v.firm + 1, false);
  awarded_[v.firm] = true;
  return p_.amount;
}

}  // namespace renewsim::model
