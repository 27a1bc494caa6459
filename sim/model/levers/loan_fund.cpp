#include "model/levers/loan_fund.hpp"

#include <algorithm>
#include <limits>


namespace renewsim::model {

bool LoanFund::covers(const ProjectView& v) const {
  return p_.covers(v) && (p_.admission_share >= 1.0 || p_.firm_draw(v) < p_.admission_share);
}

double LoanFund::available(const ProjectView& v, double loan) const {
  if (loan <= 0 || !covers(v)) return 0.0;
  const double amount = std::min(loan, p_.max_loan_share * v.price);
  return amount <= remaining(v.day) ? amount : 0.0;
}

double LoanFund::lend(const ProjectView& v, double loan) {
  if (loan <= 0 || !covers(v)) return 0.0;
  const double amount = std::min(loan, p_.max_loan_share * v.price);
  if (amount <= 0) return 0.0;
  return lent_.take(v.day, amount) ? amount : 0.0;
}

double LoanFund::interest_saved(double amount, double market_rate, double years) const {
  // Straight amortisation: the average balance over the loan is half the amount.
  if (amount <= 0 || years <= 0) return 0.0;
  return std::max(0.0, market_rate - p_.rate) * amount * years / 2.0;
}

}  // namespace renewsim::model
