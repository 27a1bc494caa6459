// What every lever shares: the project it looks at, when it is open, which
// projects qualify, and who pays for it.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <string>

#include "kernel/calendar.hpp"
#include "model/types.hpp"

namespace renewsim::model {

// A proposed project as a lever sees it.
struct ProjectView {
  std::uint32_t firm = 0;
  std::uint8_t sector = 0;
  SizeClass size = SizeClass::Small;
  Category category = Category::MachineTools;
  ProjectKind kind = ProjectKind::Replace;
  MenuOption option = MenuOption::Standard;
  EnergyClass energy_class = EnergyClass::Baseline;  // of the equipment after the project
  bool cnc = false;
  double price = 0;  // RMB, the whole project
  std::uint32_t units = 1;
  kernel::Day day = 0;
};

// Open from `start` to `end`, both days included.
struct LeverWindow {
  kernel::Day start = kernel::day_of(2024, 1, 1);
  kernel::Day end = kernel::day_of(2027, 12, 31);
  bool open(kernel::Day d) const { return d >= start && d <= end; }
};

// Which projects qualify. Empty sets mean "all".
struct Eligibility {
  std::bitset<256> sectors;                      // by sector index; none set = all sectors
  std::bitset<kSizeClasses> sizes;
  std::bitset<kCategories> categories;
  std::bitset<kProjectKinds> kinds;
  EnergyClass min_energy_class = EnergyClass::BelowBaseline;  // of the equipment after the project
  bool require_cnc = false;
  double min_price = 0;  // minimum project size, RMB (inclusive)

  bool matches(const ProjectView& v) const {
    if (sectors.any() && !sectors.test(v.sector)) return false;
    if (sizes.any() && !sizes.test(static_cast<std::size_t>(idx(v.size)))) return false;
    if (categories.any() && !categories.test(static_cast<std::size_t>(idx(v.category)))) return false;
    if (kinds.any() && !kinds.test(static_cast<std::size_t>(idx(v.kind)))) return false;
    if (v.energy_class < min_energy_class) return false;
    if (require_cnc && !v.cnc) return false;
    return v.price >= min_price;
  }
};

// Shares of the cost borne by each level of government (sum 1).
using FundingShares = std::array<double, kFundingLevels>;

// The parameters every lever type has; each type's parameters extend it.
struct LeverBase {
  std::string name;
  bool enabled = true;
  LeverWindow window;
  Eligibility eligible;
  FundingShares funding = {1, 0, 0, 0};  // central unless a type says otherwise

  // Whether the lever covers a project now: enabled, open and eligible.
  bool covers(const ProjectView& v) const { return enabled && window.open(v.day) && eligible.matches(v); }
};

}  // namespace renewsim::model
