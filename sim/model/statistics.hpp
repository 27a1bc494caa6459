// What a run records: flows per calendar year (booked on the day they happen)
// and the state at each year's end. Kept incrementally, so closing a year
// never loops over the firms.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/types.hpp"

namespace renewsim::model {

// One lever's flows in one year.
struct LeverYear {
  double granted = 0;                // committed to projects started this year, RMB
  double outlay = 0;                 // paid out this year (at acceptance), RMB
  std::int64_t supported_projects = 0;  // projects started with a grant from the lever
  std::int64_t rejected_applications = 0;  // eligible projects the budget could not cover
  double lent = 0;  // loan funds: lent to projects started this year, RMB
};

// Project size bands (price at start, RMB) that plans count projects by.
inline constexpr std::size_t kProjectBands = 4;
inline constexpr std::array<double, kProjectBands> kProjectBandMin = {2e6, 2e7, 1e8, 1e9};
inline constexpr std::array<const char*, kProjectBands> kProjectBandNames = {"2m", "20m", "100m", "1bn"};

// A project started in the logged window, as the deadweight count matches it
// against the counterfactual's projects.
struct StartedProject {
  std::uint32_t firm = 0;
  std::int16_t year = 0;
  std::uint8_t category = 0;
  std::uint8_t kind = 0;
  bool supported = false;  // support from a lever that is not part of the baseline
};

struct YearStats {
  int year = 0;
  // Flows during the year.
  double investment = 0;  // equipment investment booked on payment dates, RMB
  std::array<double, kCategories> investment_by_category{};
  std::vector<double> investment_by_sector;
  double repair_spend = 0;
  std::int64_t projects_started = 0;
  std::int64_t projects_commissioned = 0;
  std::int64_t replacements = 0;
  std::int64_t retrofits = 0;
  std::int64_t expansions = 0;
  std::int64_t software_adoptions = 0;
  std::int64_t breakdowns = 0;
  std::int64_t credit_rationed = 0;  // chosen projects that financing could not cover
  std::int64_t units_installed = 0;
  std::int64_t units_scrapped = 0;
  std::int64_t robots_added = 0;
  std::array<std::int64_t, kProjectBands> projects_at_least{};  // started, price >= kProjectBandMin
  std::array<double, kProjectBands> project_value_at_least{};    // their prices, RMB
  std::int64_t energy_saving_projects = 0;  // replacements and retrofits raising the energy class
  std::int64_t supported_projects = 0;  // started with support from a lever not in the baseline (or accepted by a call)
  double loans_drawn = 0;    // loan part of equipment payments, RMB
  double investment_counted = 0;  // investment with first-of-kind equipment at its counted multiple, RMB
  double land_paid = 0;      // land price paid for expansions (not equipment investment), RMB
  double capacity_exited = 0;  // capacity scrapped by mandatory standards at their deadlines
  // Supply-chain network (rows only when the scenario has one).
  bool network = false;
  std::array<double, 3> network_aware{};    // year end: share of firms aware, by network position
  std::array<double, 3> network_renewed{};  // year end: share that renewed since the diffusion start, by position
  std::int64_t leader_upgrades = 0;         // projects commissioned by chain leaders
  std::int64_t leader_triggered_reviews = 0;
  std::int64_t leader_triggered_renewals = 0;  // projects started at reviews a leader's upgrade triggered
  std::int64_t imitation_reviews = 0;
  std::int64_t cascade_renewals = 0;  // projects started in leaders' cascades, every step
  std::int64_t units_exited = 0;
  double fiscal_outlay = 0;  // all levers, RMB
  std::array<double, kFundingLevels> fiscal_outlay_by_level{};
  std::vector<LeverYear> levers;  // by enabled lever, in declaration order
  // State at the year's end.
  double cnc_rate = 0;
  double digital_tool_rate = 0;
  std::array<double, kSizeClasses> digital_tool_rate_by_size{};
  std::array<double, kEnergyClasses> energy_class_shares{};
  double capacity = 0;
  double units_in_service = 0;
};

// A metric's name, interned: a run keeps a row per replication, variant,
// year and metric, and all of them share one copy of each name (8 bytes a
// row instead of a string of its own). Names are never freed; equal names
// are the same object, so comparing is comparing addresses.
class MetricName {
 public:
  MetricName(std::string_view name);  // NOLINT: as easily made as the string it names
  MetricName(const std::string& name) : MetricName(std::string_view(name)) {}
  MetricName(const char* name) : MetricName(std::string_view(name)) {}
  const std::string& str() const { return *name_; }
  operator const std::string&() const { return *name_; }
  friend bool operator==(MetricName a, MetricName b) { return a.name_ == b.name_; }

 private:
  const std::string* name_;
};

// One (year, metric, value) row of the tidy series.
struct MetricRow {
  int year;
  MetricName metric;
  double value;
};

// Flattens a run's years into rows for `first_year`..last, in a fixed order.
// Growth metrics are relative to 2023 and to the previous year (which may be
// a warm-up year not itself reported).
std::vector<MetricRow> metric_rows(const std::vector<YearStats>& years, const std::vector<std::string>& sector_names,
                                   const std::vector<std::string>& lever_names, int first_year);

}  // namespace renewsim::model
