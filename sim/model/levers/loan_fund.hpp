// Loan fund: a finite pool of low-rate lending for eligible projects, drawn in
// event order. Models the central bank's technology-innovation and renovation
// relending quota (banks lend at a low rate against it) and city funds that
// lend at a fixed rate to white-listed firms (Quanzhou §2.3: 15 bn at a fixed
// 2 %). The whitelist is built by rules: the eligibility rules (sector, size,
// county, minimum revenue, minimum project size for key projects) and an
// admission share (the share of qualifying firms the list admits, a fixed draw
// per firm).
//
// A covered project borrows up to `max_loan_share` of its price from the
// fund at `rate` instead of the market rate; interest subsidies that name the
// fund (`backed_by`) apply on top. The pool is lent once (`pool = true`, the
// default: a quota) or renewed each calendar year. A loan the remaining pool
// cannot cover is rejected and counted. The public cost is the share
// `fiscal_share` of the interest the firm saves (0 for relending: central-bank
// money, not a budget outlay), booked when the project starts.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "model/levers/lever_common.hpp"

namespace renewsim::model {

struct LoanFundParams : LeverBase {
  double rate = 0.02;           // the fund's lending rate, per year
  double lending = 0;           // RMB that can be lent (per year, or in all with pool); 0 = unlimited
  bool pool = true;             // one amount for the whole window instead of a yearly one
  double max_loan_share = 1.0;  // of a project's price
  double admission_share = 1.0; // share of qualifying firms on the whitelist
  double fiscal_share = 0.0;    // share of the interest saved that the budget pays
};

class LoanFund {
 public:
  explicit LoanFund(LoanFundParams p) : p_(std::move(p)), lent_(p_.lending, p_.pool, "a loan fund's lending") {}
  const LoanFundParams& params() const { return p_; }
  // Whether the project's firm is on the whitelist and the lever covers it now.
  bool covers(const ProjectView& v) const;
  // The most a project may borrow from the fund now (0 when not covered or the pool is short of it).
  double available(const ProjectView& v, double loan) const;
  // Lends to a project that starts now; returns the amount lent (0, and a
  // rejection counted, when the pool cannot cover it).
  double lend(const ProjectView& v, double loan);
  // Expected interest saved on an amortising loan of `amount` over `years`
  // at `market_rate` instead of the fund's rate.
  double interest_saved(double amount, double market_rate, double years) const;
  double remaining(kernel::Day d) const { return lent_.remaining(d); }
  std::int64_t rejected() const { return lent_.rejected(); }

 private:
  LoanFundParams p_;
  Budget lent_;
};

}  // namespace renewsim::model
