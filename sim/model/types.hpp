// Vocabulary of the firm model: equipment categories, energy classes, size
// classes, and their names as used in scenario files and outputs.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace renewsim::model {

enum class Category : std::uint8_t {
  MachineTools,
  FurnacesBoilers,
  MotorsPumps,  // motors, pumps, fans, compressors
  RobotLines,
  Instruments,
  Software,  // industrial (digital R&D / design) software
};
inline constexpr int kCategories = 6;
inline constexpr std::array<std::string_view, kCategories> kCategoryNames = {
    "machine_tools", "furnaces_boilers", "motors_pumps", "robot_lines", "instruments", "software"};

enum class EnergyClass : std::uint8_t { BelowBaseline, Baseline, EnergySaving, Benchmark };
inline constexpr int kEnergyClasses = 4;
inline constexpr std::array<std::string_view, kEnergyClasses> kEnergyClassNames = {
    "below_baseline", "baseline", "energy_saving", "benchmark"};

enum class SizeClass : std::uint8_t { Small, Medium, Large };
inline constexpr int kSizeClasses = 3;
inline constexpr std::array<std::string_view, kSizeClasses> kSizeClassNames = {"small", "medium", "large"};

// Technology-menu options for a replacement: what a new vintage delivers.
enum class MenuOption : std::uint8_t { Standard, Efficient, Advanced };
inline constexpr int kMenuOptions = 3;
inline constexpr std::array<std::string_view, kMenuOptions> kMenuOptionNames = {"standard", "efficient",
                                                                                "advanced"};

// What a renewal project does to a vintage slot.
enum class ProjectKind : std::uint8_t { Replace, Retrofit, Expand, AdoptSoftware };
inline constexpr int kProjectKinds = 4;
inline constexpr std::array<std::string_view, kProjectKinds> kProjectKindNames = {"replace", "retrofit", "expand",
                                                                                  "adopt_software"};

// Who pays for a lever.
enum class FundingLevel : std::uint8_t { Central, Provincial, City, County };
inline constexpr int kFundingLevels = 4;
inline constexpr std::array<std::string_view, kFundingLevels> kFundingLevelNames = {"central", "provincial", "city",
                                                                                    "county"};

inline constexpr int idx(Category c) { return static_cast<int>(c); }
inline constexpr int idx(EnergyClass e) { return static_cast<int>(e); }
inline constexpr int idx(SizeClass s) { return static_cast<int>(s); }
inline constexpr int idx(MenuOption m) { return static_cast<int>(m); }
inline constexpr int idx(ProjectKind k) { return static_cast<int>(k); }
inline constexpr int idx(FundingLevel l) { return static_cast<int>(l); }

}  // namespace renewsim::model
