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

// What of the payback bound b x benefit / cost the hurdle rule leaves (<= 1):
// min(b, A(r, life) / M(r)) / b at r = `lowest_rate` (rounded down to a grid,
// the life up), which bounds profitability() at every rate of at least
// `lowest_rate` (the annuity A falls and the multiplier M rises with the
// rate). With `may_close` (support may end before the next review) M is left
// out, which bounds profitability_closing().
double hurdle_share(double lowest_rate, double life, double payback_years, double delta, double sigma,
                    bool may_close);

// A choice that must be made (a mandatory standard bans keeping): the logit
// among the n alternatives without keep; if none has a positive ratio, the
// one with the lowest `costs`. Returns the index of the chosen alternative.
int forced_choice(const double* ratios, const double* costs, int n, double scale, double u);

// The logit over log profitability ratios with a fixed scale: the exponent
// 1/scale is analysed once (a whole exponent, as 1/0.1, is applied by
// repeated squaring, no pow), since the model weighs millions of ratios.
class Logit {
 public:
  explicit Logit(double scale);
  // ratio^(1/scale), monotone in the ratio (0 for a ratio of 0).
  double weight(double ratio) const {
    if (!(ratio > 0)) return 0.0;
    switch (whole_) {
      case 0: return pow_weight(ratio);
      case 10: return power(ratio, 10);  // the default scale 0.1, unrolled
      default: return power(ratio, whole_);
    }
  }
  double keep_probability(const double* ratios, int n) const {
    double total = 1.0;
    if (whole_ == 10) {
      // The default scale without branches on the ratios: 0^10 = 0 stands
      // for "no weight" (ratio 0, negative or NaN), as weight() gives.
      for (int i = 0; i < n; ++i) total += power(ratios[i] > 0 ? ratios[i] : 0.0, 10);
    } else {
      for (int i = 0; i < n; ++i) total += weight(ratios[i]);
    }
    return 1.0 / total;
  }
  int choice(const double* ratios, int n, double u) const;

 private:
  double pow_weight(double ratio) const;
  // base^e by repeated squaring: the same products for a constant or a variable e.
  static double power(double base, unsigned e) {
    double w = 1.0;
    for (; e; e >>= 1, base *= base)
      if (e & 1u) w *= base;
    return w;
  }
  double inv_;
  unsigned whole_ = 0;  // the exponent when whole (1 to 64), else 0
};

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
