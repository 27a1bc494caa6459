// The renewal decision at a review: each alternative (retrofit, replace with a
// menu option, expand, adopt software) is an upfront cost and a yearly benefit
// against keeping the equipment. Levers enter only through these numbers (a
// subsidy lowers the cost, an interest subsidy the discount rate, tax terms
// the tax factor, a lead time the dates) and through eligibility and
// awareness, never as special cases here.
#pragma once

namespace renewsim::model {

struct FinanceTerms {
  double discount_rate;       // blend of the firm's hurdle on own funds and its loan rate
  double payback_years;       // K+S payback threshold b
  double waiting_multiplier;  // Dixit-Pindyck beta/(beta-1)
};

struct Alternative {
  double cost;     // upfront cost after tax effects and subsidies, RMB (> 0)
  double benefit;  // yearly benefit over keeping, RMB
  double life;     // years the benefit lasts
};

// Present value of 1 RMB a year for `life` years at rate r.
double annuity_factor(double r, double life);

// How far an alternative clears both rules: the payback rule (cost recovered
// within b years: b * benefit / cost) and the hurdle with the value of waiting
// (PV(benefit) / (multiplier * cost)). >= 1 passes both; 0 for no benefit.
double profitability(const Alternative& a, const FinanceTerms& f);

// Profitability when support of `cost` (the cost with support) ends before
// the firm's next review: waiting forfeits it, so the hurdle compares the
// value now with the option of investing later at `full_cost` (Dixit-Pindyck:
// F(V) = (V* - C)(V/V*)^beta below V* = M C, V - C above):
//   hurdle_now = max(PV / (M cost), (V - F(V)) / cost),  V = PV(benefit),
// which clears 1 exactly when investing now beats waiting (the first term
// keeps the ratio from falling below the ordinary one). `open_weight` in
// [0, 1] is how much of the wait the support survives (1: it outlasts the
// next review, the ordinary rule). The payback rule is unchanged.
double profitability_closing(const Alternative& a, double full_cost, const FinanceTerms& f, double open_weight);

// A choice that must be made (a mandatory standard bans keeping): the logit
// among the n alternatives without keep; if none has a positive ratio, the
// one with the lowest `costs`. Returns the index of the chosen alternative.
int forced_choice(const double* ratios, const double* costs, int n, double scale, double u);

// Logit weight of an alternative against keeping: ratio^(1/scale), monotone
// in the ratio (0 for a ratio of 0).
double logit_weight(double ratio, double scale);

// Probability of keeping: 1 / (1 + sum of weights). With upper bounds of the
// ratios it is a lower bound of the true one, so a draw below it decides
// "keep" without pricing the alternatives exactly.
double logit_keep_probability(const double* ratios, int n, double scale);

// Logit choice between keeping (utility 0) and n alternatives with utilities
// ln(ratio_i) / scale. Returns 0 for keep, i + 1 for alternative i. `u` is a
// uniform draw in [0, 1). A ratio of 0 means unavailable.
int logit_choice(const double* ratios, int n, double scale, double u);

}  // namespace renewsim::model
