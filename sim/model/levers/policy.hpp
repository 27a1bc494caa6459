// The policy package of a run: the levers declared in the scenario, with
// their budgets (one package per replication). The decision asks it what a
// project would receive; a started project's grants are committed in event
// order; grants are paid out at acceptance and booked as fiscal outlay.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "model/levers/approval_lever.hpp"
#include "model/levers/capital_subsidy.hpp"
#include "model/levers/interest_subsidy.hpp"
#include "model/levers/tax_lever.hpp"

namespace renewsim::model {

struct PolicyParams {
  std::vector<CapitalSubsidyParams> capital_subsidies;
  std::vector<TaxLeverParams> tax_levers;
  std::vector<InterestSubsidyParams> interest_subsidies;
  std::vector<ApprovalLeverParams> approval_levers;
  // Stacking: capital subsidies together give at most this share of a price.
  double max_subsidy_share = 1.0;

  // Names of the enabled levers in the order outputs and the package number
  // them: capital subsidies, tax levers, interest subsidies, approval levers,
  // each in declaration order.
  std::vector<std::string> enabled_names() const {
    std::vector<std::string> out;
    for (const auto& c : capital_subsidies)
      if (c.enabled) out.push_back(c.name);
    for (const auto& t : tax_levers)
      if (t.enabled) out.push_back(t.name);
    for (const auto& i : interest_subsidies)
      if (i.enabled) out.push_back(i.name);
    for (const auto& a : approval_levers)
      if (a.enabled) out.push_back(a.name);
    return out;
  }
};

// What outputs need of any lever.
struct LeverInfo {
  std::string name;
  FundingShares funding{};
};

// What a project has been granted, by lever: at most kMax levers a project
// (offer() and grant() both stop there).
struct Grants {
  static constexpr int kMax = 6;
  std::array<std::uint16_t, kMax> lever{};
  std::array<double, kMax> amount{};
  std::uint8_t count = 0;
  double total() const {
    double t = 0;
    for (int i = 0; i < count; ++i) t += amount[static_cast<std::size_t>(i)];
    return t;
  }
  bool has(std::uint16_t l) const {
    for (int i = 0; i < count; ++i)
      if (lever[static_cast<std::size_t>(i)] == l) return true;
    return false;
  }
};

class Policy {
 public:
  explicit Policy(const PolicyParams& p);

  // The support a project would receive if it started now: each enabled
  // lever's offer in declaration order, stacked up to the maximum share.
  double offer(const ProjectView& v, double score) const;
  // Commits grants for a project starting now (skipping levers it has drawn
  // already); appends the indices of levers that had to reject it.
  void grant(const ProjectView& v, double score, Grants& grants, std::vector<std::uint16_t>& rejected);

  // Applies the enabled tax levers that cover the project, in declaration
  // order; appends the lever numbers (as in info()) of those that applied.
  void apply_tax(const ProjectView& v, TaxTreatment& t, std::vector<std::uint16_t>* applied = nullptr) const;
  // Bounds for the decision's cheap ratio bounds: the largest credit any tax
  // lever gives, and whether any gives a tax holiday.
  double max_tax_credit() const { return max_tax_credit_; }
  bool any_tax_holiday() const { return any_tax_holiday_; }
  const std::vector<TaxLever>& tax_levers() const { return taxes_; }
  std::size_t first_tax_lever() const { return subsidies_.size(); }  // lever number of tax_levers()[0]

  // Interest subsidies stack: the total cut of the loan rate a project's loan
  // would get now, averaged over a loan of `loan_years`.
  double loan_rate_cut(const ProjectView& v, double loan_years) const;
  // Commits the interest subsidies for a project starting now with this loan;
  // calls book(lever number, committed interest) for each, and appends the
  // lever numbers that had to reject it.
  template <class Book>
  void grant_interest(const ProjectView& v, double loan, double loan_years, std::vector<std::uint16_t>& rejected,
                      Book&& book) {
    const std::size_t first = subsidies_.size() + taxes_.size();
    for (std::size_t i = 0; i < interest_.size(); ++i) {
      const std::int64_t before = interest_[i].rejected();
      const double got = interest_[i].grant(v, loan, loan_years);
      if (got > 0) book(static_cast<std::uint16_t>(first + i), got);
      else if (interest_[i].rejected() > before) rejected.push_back(static_cast<std::uint16_t>(first + i));
    }
  }
  bool has_interest_subsidies() const { return !interest_.empty(); }

  // Approval levers stack: the days they save a project starting now; calls
  // count(lever number) for each that applies.
  template <class Count>
  int approval_days_saved(const ProjectView& v, Count&& count) const {
    const std::size_t first = subsidies_.size() + taxes_.size() + interest_.size();
    int days = 0;
    for (std::size_t i = 0; i < approval_.size(); ++i)
      if (const int d = approval_[i].days_saved(v); d > 0) {
        days += d;
        count(static_cast<std::uint16_t>(first + i));
      }
    return days;
  }

  // Enabled levers, numbered as in PolicyParams::enabled_names().
  std::size_t size() const { return info_.size(); }
  const LeverInfo& info(std::size_t i) const { return info_[i]; }
  bool empty() const { return info_.empty(); }

 private:
  std::vector<CapitalSubsidy> subsidies_;  // enabled ones only
  std::vector<TaxLever> taxes_;            // enabled ones only
  std::vector<InterestSubsidy> interest_;  // enabled ones only
  std::vector<ApprovalLever> approval_;    // enabled ones only
  std::vector<LeverInfo> info_;
  double max_share_;
  double max_tax_credit_ = 0;
  bool any_tax_holiday_ = false;
};

}  // namespace renewsim::model
