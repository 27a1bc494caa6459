// Interest subsidy: percentage points off the loan rate of eligible projects
// for a number of years, from a finite budget.
//
// In the decision the cut lowers the loan rate over the loan's life by
// points x min(1, years / loan years), on the part of the price the firm
// borrows. When the project starts and its loan is known, the expected
// subsidised interest on the amortising loan,
//   points x loan x (y - y^2 / (2 L)),  y = min(years, L), L = loan years,
// is committed against the budget in event order (rejected and counted when
// the budget cannot cover it) and booked as outlay in that year.
// Plans: central 1.5 pp for 2 years on equipment-renewal loans backed by the
// relending quota (data file); Quanzhou §2.3: city +1 pp on top of the
// provincial subsidy for provincial key renovation projects, stackable.
#pragma once

#include <map>
#include <string>

#include "model/levers/lever_common.hpp"

namespace renewsim::model {

struct InterestSubsidyParams : LeverBase {  // default payer: central
  double points = 0.015;  // off the loan rate (0.015 = 1.5 pp)
  double years = 2;       // how long the cut lasts
  double budget = 0;      // RMB of subsidised interest committed per year (or for the pool); 0 = unlimited
  bool pool = false;
  // Only loans from this loan fund (its name; empty = any loan), e.g. the
  // central subsidy on loans backed by the relending quota.
  std::string backed_by;
};

class InterestSubsidy {
 public:
  explicit InterestSubsidy(InterestSubsidyParams p)
      : p_(std::move(p)), budget_(p_.budget, p_.pool, "an interest subsidy's budget") {}
  const InterestSubsidyParams& params() const { return p_; }
  // The average cut of the loan rate over a loan of `loan_years` (0 if it does not apply or the budget is spent).
  double rate_cut(const ProjectView& v, double loan_years) const;
  // Expected subsidised interest on an amortising loan.
  double cost(double loan, double loan_years) const;
  // Commits the subsidy for a project starting now with this loan; returns the
  // committed interest (0, and a rejection counted, when the budget cannot cover it).
  double grant(const ProjectView& v, double loan, double loan_years);
  double remaining(kernel::Day d) const { return budget_.remaining(d); }
  std::int64_t rejected() const { return budget_.rejected(); }

 private:
  InterestSubsidyParams p_;
  Budget budget_;
};

}  // namespace renewsim::model
