#include "model/levers/interest_subsidy.hpp"

#include <algorithm>
#include <limits>


namespace renewsim::model {

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
  return budget_.take(v.day, amount) ? amount : 0.0;
}

}  // namespace renewsim::model
