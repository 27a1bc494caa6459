#include "model/levers/capital_subsidy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace renewsim::model {

double CapitalSubsidy::entitlement(const ProjectView& v, double score) const {
  if (!p_.covers(v)) return 0.0;
  double rate = p_.rate;
  if (!p_.tier_rates.empty()) {
    const auto n = p_.tier_rates.size();
    const auto tier = std::min(n - 1, static_cast<std::size_t>(std::max(0.0, score) * static_cast<double>(n)));
    rate = p_.tier_rates[tier];
  }
  const double amount = rate * v.price;
  return p_.cap > 0 ? std::min(amount, p_.cap) : amount;
}

double CapitalSubsidy::used(kernel::Day d) const {
  const int key = p_.pool ? 0 : kernel::year_of(d);
  const auto it = used_.find(key);
  return it == used_.end() ? 0.0 : it->second;
}

double& CapitalSubsidy::budget_used(kernel::Day d) { return used_[p_.pool ? 0 : kernel::year_of(d)]; }

double CapitalSubsidy::remaining(kernel::Day d) const {
  if (p_.budget <= 0) return std::numeric_limits<double>::infinity();
  return std::max(0.0, p_.budget - used(d));
}

double CapitalSubsidy::offer(const ProjectView& v, double score, double limit) const {
  const double amount = std::min(entitlement(v, score), limit);
  return amount > 0 && amount <= remaining(v.day) ? amount : 0.0;
}

double CapitalSubsidy::grant(const ProjectView& v, double score, double limit) {
  const double amount = std::min(entitlement(v, score), limit);
  if (amount <= 0) return 0.0;
  if (amount > remaining(v.day)) {
    ++rejected_;
    return 0.0;
  }
  if (p_.budget > 0) budget_used(v.day) += amount;
  return amount;
}

}  // namespace renewsim::model
