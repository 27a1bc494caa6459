// Mandatory standard: from its start, equipment of a kind is banned (machine
// tools over 10 years of service; capacity below the energy-efficiency
// baseline; listed obsolete, non-CNC equipment) and must be replaced; what is
// still in service at the deadline exits (Liaocheng §2.1, §2.8; Sichuan §4;
// Quanzhou §5.11; Wenzhou 2027 targets: all capacity at or above the
// baseline). Firms that keep banned equipment get no subsidy (Jiaxing §11).
//
// At a review before the deadline a complying firm (a share `compliance` of
// the firms, a fixed draw per firm) must choose among the alternatives that
// make a banned slot comply; keeping is not among them (if none clears its
// rules it takes the one with the best ratio, or the cheapest). At the
// deadline every banned vintage not in a project is scrapped: its capacity
// exits. The standard bans by the rules below (all that are set must hold
// for a vintage to pass):
// - `max_age`: years of service (a retrofit does not make a vintage younger);
// - `min_energy_class`: equipment below this class;
// - `require_cnc`: equipment that could be numerically controlled and is not.
// The lever's eligibility picks the firms (sectors, sizes, counties) and the
// equipment (`categories`; none = all but software).
#pragma once

#include <string>

#include "model/levers/lever_common.hpp"

namespace renewsim::model {

struct MandatoryStandardParams : LeverBase {
  double max_age = 0;  // years; 0 = no age rule
  EnergyClass min_energy_class = EnergyClass::BelowBaseline;  // BelowBaseline = no class rule
  bool require_cnc = false;
  kernel::Day deadline = kernel::day_of(2027, 12, 31);  // banned capacity still in service exits (scenario default: the end)
  bool exit_at_deadline = true;
  double compliance = 1.0;  // share of firms replacing banned equipment at their reviews
  bool exclude_from_subsidies = true;
};

// The equipment a standard looks at (or would look at after a project).
struct EquipmentView {
  Category category = Category::MachineTools;
  double age_years = 0;
  EnergyClass energy_class = EnergyClass::Baseline;
  bool cnc = false;
  bool cnc_applicable = true;     // of the category
  bool energy_applicable = true;  // of the category
};

class MandatoryStandard {
 public:
  explicit MandatoryStandard(MandatoryStandardParams p) : p_(std::move(p)) {}
  const MandatoryStandardParams& params() const { return p_; }
  // Whether the standard is in force for the firm of `firm` (its sector,
  // size, county; day) at all.
  bool applies_to(const ProjectView& firm) const {
    return p_.enabled && p_.window.open(firm.day) && p_.eligible.matches_firm(firm);
  }
  // Whether it bans this equipment of that firm now.
  bool bans(const ProjectView& firm, const EquipmentView& e) const { return applies_to(firm) && bans_equipment(e); }
  // Whether it bans this equipment of a firm it applies to now (applies_to checked once for all its slots).
  bool bans_equipment(const EquipmentView& e) const;
  // Whether a complying firm must act on its banned equipment now (before the deadline).
  bool compels(const ProjectView& firm) const {
    return applies_to(firm) && firm.day <= p_.deadline && p_.known(firm) &&
           (p_.compliance >= 1.0 || p_.firm_draw(firm) < p_.compliance);
  }
  kernel::Day deadline() const { return p_.deadline; }

 private:
  MandatoryStandardParams p_;
};

}  // namespace renewsim::model
