#include "model/decision.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

#include "model/waiting.hpp"

namespace renewsim::model {

double annuity_factor(double r, double life) {
  if (r <= 0) return life;  // (an infinite life gives the perpetuity 1/r below)
  // The alternatives of a slot, and often all slots of a review, share the
  // firm's rate and the category's life: remember the last one (per thread).
  thread_local double last_r = -1, last_life = -1, last_value = 0;
  if (r == last_r && life == last_life) return last_value;
  last_r = r;
  last_life = life;
  last_value = (1.0 - std::exp(-life * std::log1p(r))) / r;
  return last_value;
}

double profitability(const Alternative& a, const FinanceTerms& f) {
  if (a.benefit <= 0) return 0.0;
  if (a.cost <= 0) return 1e9;  // free and beneficial
  const double hurdle = a.benefit * annuity_factor(f.discount_rate, a.life) / (f.waiting_multiplier * a.cost);
  const double payback = f.payback_years * a.benefit / a.cost;
  return hurdle < payback ? hurdle : payback;
}

double profitability_closing(const Alternative& a, double full_cost, const FinanceTerms& f, double open_weight) {
  if (a.benefit <= 0) return 0.0;
  if (a.cost <= 0) return 1e9;
  const double value = a.benefit * annuity_factor(f.discount_rate, a.life);
  const double m = f.waiting_multiplier;
  const double ordinary = value / (m * a.cost);
  double option = 0;  // F(V): the value of waiting to invest at the full cost
  if (m > 1.0 + 1e-12 && full_cost > 0) {
    const double beta = m / (m - 1.0);
    const double trigger = m * full_cost;
    option = value >= trigger ? value - full_cost : (trigger - full_cost) * std::pow(value / trigger, beta);
  }
  // Waiting without the support is never better than waiting with it: the
  // ratio is at least the ordinary one (the set where it clears 1 is the same).
  const double closing = std::max(ordinary, (value - option) / a.cost);
  const double w = open_weight < 0 ? 0.0 : (open_weight > 1 ? 1.0 : open_weight);
  const double hurdle = w * ordinary + (1.0 - w) * closing;
  const double payback = f.payback_years * a.benefit / a.cost;
  return hurdle < payback ? hurdle : payback;
}

double hurdle_share(double lowest_rate, double life, double payback_years, double delta, double sigma,
                    bool may_close) {
  // Asked millions of times a run, so the rate is rounded down to a grid of
  // 0.25 pp and the life up to whole years, and each grid point's annuity
  // and multiplier are remembered (per thread). Both roundings only raise
  // the bound: A falls with the rate and rises with the life, M rises with
  // the rate.
  constexpr double kStep = 0.0025;
  const double r = std::max(0.0, lowest_rate);
  if (!(r < 1.0 && life < 1000.0)) {  // beyond the grid: no rounding
    const double m = may_close ? 1.0 : waiting_multiplier(r, delta, sigma);
    return std::min(1.0, (1.0 + 1e-9) * annuity_factor(r, life) / (m * payback_years));
  }
  const auto steps = static_cast<std::uint32_t>(r / kStep);  // rounded down (r >= 0)
  auto years = static_cast<std::uint32_t>(life);
  if (years < life) ++years;
  // Zero-initialised (no per-thread constructor to run); key 0 is empty.
  struct Entry {
    std::uint32_t key;
    double delta, sigma, annuity, multiplier;
  };
  thread_local std::array<Entry, 1024> memo;
  const std::uint32_t key = (steps + 1) << 10 | years;
  Entry& e = memo[(steps * 37 + years) % memo.size()];
  if (e.key != key || e.delta != delta || e.sigma != sigma) {
    const double grid_rate = steps * kStep;
    e = {key, delta, sigma, annuity_factor(grid_rate, years), waiting_multiplier(grid_rate, delta, sigma)};
  }
  const double m = may_close ? 1.0 : e.multiplier;
  // Widened, so that rounding can never put the bound below the exact ratio.
  return std::min(1.0, (1.0 + 1e-9) * e.annuity / (m * payback_years));
}

int forced_choice(const double* ratios, const double* costs, int n, double scale, double u) {
  double weights[8];
  double total = 0;
  for (int i = 0; i < n; ++i) total += weights[i] = logit_weight(ratios[i], scale);
  if (total > 0 && std::isfinite(total)) {
    double acc = 0;
    for (int i = 0; i < n; ++i) {
      acc += weights[i] / total;
      if (u < acc && weights[i] > 0) return i;
    }
    for (int i = n - 1; i >= 0; --i)
      if (weights[i] > 0) return i;
  }
  if (total > 0) {  // overflow: the best ratio
    int best = 0;
    for (int i = 1; i < n; ++i)
      if (ratios[i] > ratios[best]) best = i;
    return best;
  }
  int cheapest = 0;
  for (int i = 1; i < n; ++i)
    if (costs[i] < costs[cheapest]) cheapest = i;
  return cheapest;
}

Logit::Logit(double scale) : inv_(1.0 / scale) {
  const double whole = std::round(inv_);
  if (std::fabs(inv_ - whole) < 1e-12 && whole >= 1 && whole <= 64) whole_ = static_cast<unsigned>(whole);
}

double Logit::pow_weight(double ratio) const { return std::pow(ratio, inv_); }

double logit_weight(double ratio, double scale) { return Logit(scale).weight(ratio); }

double logit_keep_probability(const double* ratios, int n, double scale) {
  return Logit(scale).keep_probability(ratios, n);
}

int logit_choice(const double* ratios, int n, double scale, double u) { return Logit(scale).choice(ratios, n, u); }

int Logit::choice(const double* ratios, int n, double u) const {
  double weights[8];
  double total = 1.0;  // keep
  for (int i = 0; i < n; ++i) {
    weights[i] = weight(ratios[i]);
    total += weights[i];
  }
  if (!std::isfinite(total)) {
    // Some weight overflowed: the logit's limit is the alternative with the best ratio.
    int best = 0;
    for (int i = 1; i < n; ++i)
      if (ratios[i] > ratios[best]) best = i;
    return best + 1;
  }
  double acc = 1.0 / total;
  if (u < acc) return 0;
  for (int i = 0; i < n; ++i) {
    acc += weights[i] / total;
    if (u < acc) return i + 1;
  }
  // Rounding left u above the last bound: the last available alternative.
  for (int i = n - 1; i >= 0; --i)
    if (weights[i] > 0) return i + 1;
  return 0;
}

}  // namespace renewsim::model
