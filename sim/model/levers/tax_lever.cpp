#include "model/levers/tax_lever.hpp"

#include <algorithm>

namespace renewsim::model {

bool TaxLever::apply(const ProjectView& v, TaxTreatment& t) const {
  if (!p_.covers(v)) return false;
  const double unit_price = v.price / std::max<std::uint32_t>(1, v.units);
  if (p_.expensing_unit_limit > 0 && unit_price <= p_.expensing_unit_limit) t.expensed_share = 1.0;
  t.expensed_share = std::max(t.expensed_share, p_.bonus_share);
  if (p_.depreciation_years > 0) t.depreciation_years = std::min(t.depreciation_years, p_.depreciation_years);
  t.credit = std::max(t.credit, p_.credit);
  t.deduction_multiplier = std::max(t.deduction_multiplier, 1.0 + p_.super_deduction);
  if (p_.holiday_free_years > 0 || p_.holiday_half_years > 0) {
    double full = 0;
    for (int i = 0; i < t.schedule.count; ++i) full = std::max(full, t.schedule.steps[static_cast<std::size_t>(i)].rate);
    t.schedule = TaxSchedule::holiday(full, p_.holiday_free_years, p_.holiday_half_years);
  }
  return true;
}

}  // namespace renewsim::model
