#include "model/levers/capital_subsidy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>


namespace renewsim::model {

double CapitalSubsidy::entitlement(const ProjectView& v, double score) const {
  return p_.covers(v) ? amount(v, score) : 0.0;
}

double CapitalSubsidy::entitlement_covering_firm(const ProjectView& v, double score) const {
  return p_.eligible.matches_project(v) ? amount(v, score) : 0.0;
}

double CapitalSubsidy::amount(const ProjectView& v, double score) const {
  double rate = p_.rate;
  if (!p_.tier_rates.empty()) {
    const auto n = p_.tier_rates.size();
    const auto tier = std::min(n - 1, static_cast<std::size_t>(std::max(0.0, score) * static_cast<double>(n)));
    rate = p_.tier_rates[tier];
  }
  const double amount = rate * v.price;
  return p_.cap > 0 ? std::min(amount, p_.cap) : amount;
}

std::vector<bool> CapitalSubsidy::decide(std::vector<CallApplication>& apps, kernel::Day deadline) {
  std::sort(apps.begin(), apps.end(), [](const CallApplication& a, const CallApplication& b) {
    return a.score != b.score ? a.score > b.score : a.order < b.order;
  });
  std::vector<bool> accepted(apps.size(), false);
  double lowest = 1.0;
  bool any_rejected = false;
  for (std::size_t i = 0; i < apps.size(); ++i) {
    if (apps[i].amount <= 0) continue;
    if (!budget_.take(deadline, apps[i].amount)) {
      any_rejected = true;
      continue;
    }
    accepted[i] = true;
    lowest = std::min(lowest, apps[i].score);
  }
  // Next time firms below the lowest accepted score expect nothing (when the budget bound).
  cutoff_ = any_rejected ? lowest : 0.0;
  return accepted;
}

std::vector<kernel::Day> CapitalSubsidy::call_deadlines() const {
  std::vector<kernel::Day> out;
  for (int y = kernel::year_of(p_.window.start); y <= kernel::year_of(p_.window.end); ++y) {
    const kernel::Day d = kernel::day_of(y, p_.call_month, std::min(p_.call_day, kernel::days_in_month(y, p_.call_month)));
    if (d >= p_.window.start && d < p_.window.end) out.push_back(d);
  }
  out.push_back(p_.window.end);
  return out;
}

double CapitalSubsidy::grant(const ProjectView& v, double score, double limit) {
  const double amount = std::min(entitlement(v, score), limit);
  if (amount <= 0) return 0.0;
  return budget_.take(v.day, amount) ? amount : 0.0;
}

}  // namespace renewsim::model
