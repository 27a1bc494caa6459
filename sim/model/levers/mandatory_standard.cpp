#include "model/levers/mandatory_standard.hpp"

namespace renewsim::model {

bool MandatoryStandard::bans_equipment(const EquipmentView& eq) const {
  const Eligibility& e = p_.eligible;
  if (e.categories.any() ? !e.categories.test(static_cast<std::size_t>(idx(eq.category)))
                         : eq.category == Category::Software)
    return false;
  if (p_.max_age > 0 && eq.age_years > p_.max_age) return true;
  if (eq.energy_applicable && eq.energy_class < p_.min_energy_class) return true;
  return p_.require_cnc && eq.cnc_applicable && !eq.cnc;
}

}  // namespace renewsim::model
