#include "model/user_cost.hpp"

#include <cmath>
#include <limits>

namespace renewsim::model {
namespace {
// Integral of e^{-a t} over [t0, t1] (t1 may be infinite).
double discounted_span(double a, double t0, double t1) {
  if (a == 0) return t1 - t0;
  const double tail = std::isinf(t1) ? 0.0 : std::exp(-a * t1);
  return (std::exp(-a * t0) - tail) / a;
}
}  // namespace

double TaxSchedule::rate_at(double t) const {
  double rate = count == 0 ? 0.0 : steps[0].rate;
  for (int i = 0; i < count; ++i)
    if (t >= steps[static_cast<std::size_t>(i)].from_year) rate = steps[static_cast<std::size_t>(i)].rate;
  return rate;
}

double depreciation_pv(double r, double years, double expensed_share) {
  const double rest = r * years == 0 ? 1.0 : (1.0 - std::exp(-r * years)) / (r * years);
  return expensed_share + (1.0 - expensed_share) * rest;
}

double deduction_tax_pv(const TaxTreatment& t, double r) {
  // Expensed share: deducted at t = 0 at the rate then in force.
  double z = t.expensed_share * t.schedule.rate_at(0.0);
  // Straight line: (1 - b)/Y per year over [0, Y], at the rate of each step.
  const double y = t.depreciation_years;
  if (y > 0 && t.expensed_share < 1.0) {
    const auto& st = t.schedule.steps;
    const auto n = static_cast<std::size_t>(t.schedule.count);
    for (std::size_t i = 0; i < n; ++i) {
      const double lo = st[i].from_year;
      const double hi = std::min(y, i + 1 < n ? st[i + 1].from_year : y);
      if (hi > lo) z += (1.0 - t.expensed_share) / y * st[i].rate * discounted_span(r, lo, hi);
    }
  }
  return z * t.deduction_multiplier;
}

double effective_return_tax(const TaxSchedule& s, double r, double delta) {
  const double a = r + delta;
  double u = 0;
  const auto& st = s.steps;
  const auto n = static_cast<std::size_t>(s.count);
  for (std::size_t i = 0; i < n; ++i) {
    const double lo = st[i].from_year;
    const double hi = i + 1 < n ? st[i + 1].from_year : std::numeric_limits<double>::infinity();
    u += st[i].rate * discounted_span(a, lo, hi);
  }
  return u * a;
}

double tax_factor(const TaxTreatment& t, double r, double delta) {
  if (t.schedule.count == 1) {  // constant rate: U = u, Z = u z (closed form, one exp at most)
    const double u = t.schedule.steps[0].rate;
    const double z = t.expensed_share >= 1.0 ? 1.0 : depreciation_pv(r, t.depreciation_years, t.expensed_share);
    return (1.0 - t.credit - u * z * t.deduction_multiplier) / (1.0 - u);
  }
  const double big_u = effective_return_tax(t.schedule, r, delta);
  return (1.0 - t.credit - deduction_tax_pv(t, r)) / (1.0 - big_u);
}

double user_cost(const TaxTreatment& t, double r, double delta, double inflation) {
  return (r - inflation + delta) * tax_factor(t, r, delta);
}

}  // namespace renewsim::model
