// Hall-Jorgenson user cost against its closed forms, one tax lever at a time.
#include <catch2/catch.hpp>

#include <cmath>

#include "model/user_cost.hpp"

using namespace renewsim::model;

namespace {
constexpr double r = 0.08, delta = 0.1, u = 0.25, Y = 10;
TaxTreatment base() {
  TaxTreatment t;
  t.schedule = TaxSchedule::flat(u);
  t.depreciation_years = Y;
  return t;
}
}  // namespace

TEST_CASE("straight-line depreciation: z = (1 - e^{-rY}) / (rY)", "[model][theory][user-cost]") {
  const double z = (1 - std::exp(-r * Y)) / (r * Y);
  CHECK(depreciation_pv(r, Y, 0.0) == Approx(z).epsilon(1e-14));
  const TaxTreatment t = base();
  CHECK(deduction_tax_pv(t, r) == Approx(u * z).epsilon(1e-12));
  CHECK(effective_return_tax(t.schedule, r, delta) == Approx(u).epsilon(1e-12));
  const double rho = (r + delta) * (1 - u * z) / (1 - u);
  CHECK(user_cost(t, r, delta, 0.0) == Approx(rho).epsilon(1e-12));
  // Inflation lowers the cost by pi in the first factor.
  CHECK(user_cost(t, r, delta, 0.02) == Approx((r - 0.02 + delta) * (1 - u * z) / (1 - u)).epsilon(1e-12));
}

TEST_CASE("one-time expensing: z = 1, so the tax factor is 1", "[model][theory][user-cost]") {
  TaxTreatment t = base();
  t.expensed_share = 1.0;
  CHECK(depreciation_pv(r, Y, 1.0) == 1.0);
  CHECK(tax_factor(t, r, delta) == Approx(1.0).epsilon(1e-14));
  CHECK(user_cost(t, r, delta, 0.0) == Approx(r + delta).epsilon(1e-14));
  // A bonus share b: z = b + (1 - b) z_sl.
  t.expensed_share = 0.4;
  const double z = 0.4 + 0.6 * (1 - std::exp(-r * Y)) / (r * Y);
  CHECK(tax_factor(t, r, delta) == Approx((1 - u * z) / (1 - u)).epsilon(1e-12));
}

TEST_CASE("investment tax credit: (1 - k - u z) / (1 - u)", "[model][theory][user-cost]") {
  TaxTreatment t = base();
  t.credit = 0.10;
  const double z = (1 - std::exp(-r * Y)) / (r * Y);
  CHECK(tax_factor(t, r, delta) == Approx((1 - 0.10 - u * z) / (1 - u)).epsilon(1e-12));
  CHECK(tax_factor(t, r, delta) < tax_factor(base(), r, delta));
}

TEST_CASE("R&D super-deduction: (1 - u z (1 + s)) / (1 - u)", "[model][theory][user-cost]") {
  TaxTreatment t = base();
  t.deduction_multiplier = 2.0;  // 100 % super-deduction
  const double z = (1 - std::exp(-r * Y)) / (r * Y);
  CHECK(tax_factor(t, r, delta) == Approx((1 - u * z * 2.0) / (1 - u)).epsilon(1e-12));
  CHECK(deduction_tax_pv(t, r) == Approx(2.0 * u * z).epsilon(1e-12));
  t.schedule = TaxSchedule::holiday(u, 3, 3);  // the integrated path multiplies too
  TaxTreatment once = t;
  once.deduction_multiplier = 1.0;
  CHECK(deduction_tax_pv(t, r) == Approx(2.0 * deduction_tax_pv(once, r)).epsilon(1e-12));
}

TEST_CASE("tax holiday (free years 1-3, half years 4-6) integrates the rate schedule", "[model][theory][user-cost]") {
  TaxTreatment t = base();
  t.schedule = TaxSchedule::holiday(u, 3, 3);
  CHECK(t.schedule.rate_at(1.0) == 0.0);
  CHECK(t.schedule.rate_at(4.0) == u / 2);
  CHECK(t.schedule.rate_at(7.0) == u);
  // Returns decay at a = r + delta: U = u [ (e^{-3a} - e^{-6a}) / 2 + e^{-6a} ].
  const double a = r + delta;
  const double big_u = u * (0.5 * (std::exp(-3 * a) - std::exp(-6 * a)) + std::exp(-6 * a));
  CHECK(effective_return_tax(t.schedule, r, delta) == Approx(big_u).epsilon(1e-12));
  // Deductions 1/Y a year over [0, Y]: Z = u/(rY) [ (e^{-3r} - e^{-6r}) / 2 + e^{-6r} - e^{-rY} ].
  const double big_z = u / (r * Y) * (0.5 * (std::exp(-3 * r) - std::exp(-6 * r)) + std::exp(-6 * r) - std::exp(-r * Y));
  CHECK(deduction_tax_pv(t, r) == Approx(big_z).epsilon(1e-12));
  CHECK(tax_factor(t, r, delta) == Approx((1 - big_z) / (1 - big_u)).epsilon(1e-12));
  // A holiday with expensing: the deduction falls in a free year and is worth nothing.
  t.expensed_share = 1.0;
  CHECK(deduction_tax_pv(t, r) == 0.0);
  // With the full rate everywhere the general path equals the closed form.
  TaxTreatment flat3 = base();
  flat3.schedule = TaxSchedule::holiday(u, 0, 0);
  CHECK(tax_factor(flat3, r, delta) == Approx(tax_factor(base(), r, delta)).epsilon(1e-12));
}
