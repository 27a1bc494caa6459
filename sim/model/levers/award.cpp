#include "model/levers/award.hpp"

#include <algorithm>
#include <limits>

#include "model/invariant.hpp"

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

double Award::remaining(kernel::Day d) const {
  if (p_.budget <= 0) return std::numeric_limits<double>::infinity();
  const auto it = used_.find(p_.pool ? 0 : kernel::year_of(d));
  return std::max(0.0, p_.budget - (it == used_.end() ? 0.0 : it->second));
}

double Award::offer(const ProjectView& v, const FirmStatus& before, const FirmStatus& after) const {
  if (!p_.covers(v) || awarded(v.firm) || qualifies(before) || !qualifies(after)) return 0.0;
  return p_.amount <= remaining(v.day) ? p_.amount : 0.0;
}

double Award::claim(const ProjectView& v, const FirmStatus& now) {
  if (!p_.covers(v) || awarded(v.firm) || !qualifies(now) || p_.amount <= 0) return 0.0;
  if (p_.amount > remaining(v.day)) {
    ++rejected_;
    return 0.0;
  }
  if (awarded_.size() <= v.firm) awarded_.resize(v.firm + 1, false);
  awarded_[v.firm] = true;
  if (p_.budget > 0) used_[p_.pool ? 0 : kernel::year_of(v.day)] += p_.amount;
  RENEWSIM_INVARIANT(p_.budget <= 0 || used_[p_.pool ? 0 : kernel::year_of(v.day)] <= p_.budget * (1 + 1e-12),
                     "an award's budget was exceeded");
  return p_.amount;
}

}  // namespace renewsim::model
