#include "model/levers/interest_subsidy.hpp"

#include <algorithm>
#include <limits>

#include "model/invariant.hpp"

namespace renewsim::model {

double InterestSubsidy::remaining(kernel::Day d) const {
  if (p_.budget <= 0) return std::numeric_limits<double>::infinity();
  const auto it = used_.find(p_.pool ? 0 : kernel::year_of(d));
  return std::max(0.0, p_.budget - (it == used_.end() ? 0.0 : it->second));
}

double InterestSubsidy::rate_cut(const ProjectView& v, double loan_years) const {
  if (!p_.covers(v) || remaining(v.day) <= 0 || loan_years <= 0) return 0.0;
  return p_.points * std::min(1.0, p_.years / loan_years);
}

double InterestSubsidy::cost(double loan, double loan_years) const {
  if (loan <= 0 || loan_years <= 0) return 0.0;
  const double y = std::min(p_.years, loan_years);
  return p_.points * loan * (y - y * y / (2.0 * loan_years));
}

double InterestSubsidy::grant(const ProjectView& v, double loan, double loan_years) {
  if (!p_.covers(v)) return 0.0;
  const double amount = cost(loan, loan_years);
  if (amount <= 0) return 0.0;
  if (amount > remaining(v.day)) {
    ++rejected_;
    return 0.0;
  }
  if (p_.budget > 0) used_[p_.pool ? 0 : kernel::year_of(v.day)] += amount;
  RENEWSIM_INVARIANT(remaining(v.day) >= 0 && (p_.budget <= 0 || used_[p_.pool ? 0 : kernel::year_of(v.day)] <= p_.budget * (1 + 1e-12)),
                     "an interest subsidy's budget was exceeded");
  return amount;
}

}  // namespace renewsim::model
