// Tax levers turned into the cost of capital (Hall & Jorgenson 1967).
//
// Per unit of equipment price, with discount rate r, economic depreciation
// delta and inflation pi:
//   Z = present value of the tax saved by depreciation deductions
//   U = present-value-weighted income-tax rate on the asset's returns
//   tax factor T = (1 - k - Z) / (1 - U)
//   user cost rho = (r - pi + delta) * T
// With a constant rate u and straight-line depreciation over Y years with a
// bonus (expensed) share b:  Z = u * z,  z = b + (1 - b)(1 - e^{-rY})/(rY),
// U = u. A tax holiday makes the rate a function of the asset's age; Z and U
// are then integrated exactly over the piecewise-constant schedule.
#pragma once

#include <array>

namespace renewsim::model {

// Income-tax rate as a step function of years since the investment.
// Fixed capacity, no heap: it is built for every alternative a firm weighs.
struct TaxSchedule {
  struct Step {
    double from_year;
    double rate;
  };
  static constexpr int kMaxSteps = 4;
  std::array<Step, kMaxSteps> steps{};  // sorted by from_year, the first at 0
  int count = 0;

  static TaxSchedule flat(double rate) {
    TaxSchedule s;
    s.steps[0] = {0.0, rate};
    s.count = 1;
    return s;
  }
  // Free for `free_years`, half rate for the next `half_years`, then full.
  static TaxSchedule holiday(double rate, double free_years, double half_years) {
    TaxSchedule s;
    s.steps[0] = {0.0, 0.0};
    s.steps[1] = {free_years, rate / 2};
    s.steps[2] = {free_years + half_years, rate};
    s.count = 3;
    return s;
  }
  double rate_at(double t) const;
};

struct TaxTreatment {
  TaxSchedule schedule = TaxSchedule::flat(0.25);
  double credit = 0;              // k: investment tax credit, share of price
  double expensed_share = 0;      // b: deducted at once (one-time expensing: 1)
  double depreciation_years = 10; // Y: straight line for the rest
  double deduction_multiplier = 1;  // deductions count this many times (R&D super-deduction: 2)
};

// z: present value of deductions per unit of price (constant rate, no holiday).
double depreciation_pv(double r, double years, double expensed_share);
// Z: present value of the tax saved by the deductions, per unit of price.
double deduction_tax_pv(const TaxTreatment& t, double r);
// U: effective tax rate on returns that decay at rate r + delta.
double effective_return_tax(const TaxSchedule& s, double r, double delta);
// T = (1 - k - Z) / (1 - U): multiplies the price to give the pre-tax cost.
double tax_factor(const TaxTreatment& t, double r, double delta);
// rho = (r - pi + delta) * T.
double user_cost(const TaxTreatment& t, double r, double delta, double inflation);

}  // namespace renewsim::model
