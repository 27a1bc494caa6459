// Capital subsidy: a share of an eligible project's price, paid after
// acceptance, from a finite budget.
//
// - rate, or tiered rates chosen by the project's evaluation score
//   (e.g. 8-12 % by score: tiers {0.08, 0.10, 0.12});
// - minimum project size and other eligibility rules; a cap per project;
// - a budget per calendar year (reset each year) or one pool for the whole
//   window; applications are served in event order (first come, first
//   served) and one that the remaining budget cannot cover is rejected and
//   recorded; the budget is never exceeded;
// - or a call: applications collect until the call's deadline (a day each
//   year, and the window's end), are ranked by evaluation score (ties: the
//   earlier application) and granted in rank order while the budget lasts.
//   A firm counts on a call's grant if its score reaches the lowest score the
//   previous call accepted (any score before the first call has closed).
// (That a project draws a lever at most once is kept by the policy package.)
// Plans: Jiaxing §11 (8-12 % of equipment for energy-saving projects with
// equipment >= 2 m; smart renovation >= 20 m up to 15 m), Sichuan §7 (3 bn a
// year), Quanzhou §4.8-4.9 (30 % cap 5 m; 12.5 % cap 5 m).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/levers/lever_common.hpp"

namespace renewsim::model {

struct CapitalSubsidyParams : LeverBase {
  CapitalSubsidyParams() { funding = {0, 0, 1, 0}; }  // default: the city pays
  double rate = 0.1;                      // share of the price
  std::vector<double> tier_rates;         // when set, the rate is tiers[score * n]
  double cap = 0;                         // RMB per project; 0 = no cap
  double budget = 0;                      // RMB per year (or for the pool); 0 = unlimited
  bool pool = false;                      // one budget for the whole window instead of yearly
  bool call = false;                      // a call with a deadline and ranking instead of first come, first served
  int call_month = 12, call_day = 31;     // the call's yearly deadline
};

// An application to a call, decided at the deadline.
struct CallApplication {
  double score = 0;
  double amount = 0;
  std::uint64_t order = 0;  // arrival: breaks ties in the ranking
  std::uint32_t project = 0;
  std::uint32_t generation = 0;  // of the project record (records are reused)
};

class CapitalSubsidy {
 public:
  explicit CapitalSubsidy(CapitalSubsidyParams p)
      : p_(std::move(p)), budget_(p_.budget, p_.pool, "a capital subsidy's budget") {}
  const CapitalSubsidyParams& params() const { return p_; }

  // The grant the project is entitled to: rate (or the tier given by `score`,
  // a uniform in [0,1)) times the price, capped; 0 when closed or not eligible.
  double entitlement(const ProjectView& v, double score) const;
  // The same for a firm it is known to cover (covers_firm): the project's own rules only.
  double entitlement_covering_firm(const ProjectView& v, double score) const;
  // What it would receive now, at most `limit`: the entitlement, or 0 when
  // the remaining budget cannot cover it.
  double offer(const ProjectView& v, double score, double limit) const {
    return expected(std::min(entitlement(v, score), limit), v.day, score);
  }
  // What a firm entitled to `amount` (capped as it must be) may expect on
  // `day`: all of it, or 0 when the budget cannot cover it (a call: when its
  // budget is spent or the score is below the last call's cutoff).
  double expected(double amount, kernel::Day day, double score) const {
    if (!(amount > 0)) return 0.0;
    if (p_.call) return score >= cutoff_ && remaining(day) > 0 ? amount : 0.0;
    return amount <= remaining(day) ? amount : 0.0;
  }
  // Commits that grant for a project that starts now; returns the amount
  // (0, and a rejection counted, when the budget cannot cover it).
  double grant(const ProjectView& v, double score, double limit);

  double remaining(kernel::Day d) const { return budget_.remaining(d); }
  std::int64_t rejected() const { return budget_.rejected(); }

  // Calls. `apply` returns what the project would get if accepted (0 if not
  // entitled) and commits nothing; `decide` ranks the applications of a call
  // closing on `deadline`, commits the budget to those that fit, in rank
  // order, and returns their flags (rejections counted); it then sets the
  // cutoff score for the next call.
  bool call() const { return p_.call; }
  double apply(const ProjectView& v, double score, double limit) const {
    return std::min(entitlement(v, score), limit);
  }
  std::vector<bool> decide(std::vector<CallApplication>& applications, kernel::Day deadline);
  double cutoff() const { return cutoff_; }
  // The deadlines of the calls in the window: each year's call day, and the window's last day.
  std::vector<kernel::Day> call_deadlines() const;

 private:
  // Rate (or tier) times the price, capped, for a project it covers.
  double amount(const ProjectView& v, double score) const;
  CapitalSubsidyParams p_;
  Budget budget_;
  double cutoff_ = 0;  // lowest score the last call accepted (0: everyone may hope)
};

}  // namespace renewsim::model
