// Tax lever: changes the tax treatment of eligible projects, and so the
// Hall-Jorgenson cost of capital they are weighed at (docs/model.md §7).
//
// - one-time expensing of units priced up to a limit (national: 5 m, 2024-27);
// - accelerated depreciation: a bonus share deducted at once, or a shorter
//   straight-line life;
// - an investment tax credit (special equipment: 10 %; extended to digital
//   and smart renovation);
// - an income-tax holiday on the project's returns (Jiaxing §13: free in years
//   1-3, half in years 4-6);
// - the R&D super-deduction (Jiaxing §13: 100 %, machine-tool makers 120 %):
//   the depreciation of equipment used for R&D is deducted (1 + s) times;
//   eligibility picks the equipment (e.g. instruments and software).
// The estimated tax expenditure is the fall in the present value of the
// pre-tax returns the project must earn, price x (T without - T with), booked
// in the year the project starts.
#pragma once

#include <string>

#include "model/levers/lever_common.hpp"
#include "model/user_cost.hpp"

namespace renewsim::model {

struct TaxLeverParams : LeverBase {  // tax expenditure: central by default
  double expensing_unit_limit = 0;  // RMB per unit; 0 = no change
  double bonus_share = 0;           // share deducted at once
  double depreciation_years = 0;    // shorter straight-line life; 0 = no change
  double credit = 0;                // share of the price; the larger of this and any other credit applies
  double holiday_free_years = 0;    // income-tax holiday: years free,
  double holiday_half_years = 0;    // then years at half rate
  double super_deduction = 0;       // extra share of the deductions (R&D super-deduction: 1.0 = 100 %)
};

class TaxLever {
 public:
  explicit TaxLever(TaxLeverParams p) : p_(std::move(p)) {}
  const TaxLeverParams& params() const { return p_; }
  // Changes `t` for a covered project (no change otherwise); true if it applied.
  bool apply(const ProjectView& v, TaxTreatment& t) const;

 private:
  TaxLeverParams p_;
};

}  // namespace renewsim::model
