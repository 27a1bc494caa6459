#include "model/statistics.hpp"

#include <mutex>
#include <string_view>
#include <unordered_set>

namespace renewsim::model {
namespace {
struct NameHash {
  using is_transparent = void;  // looked up by string_view without making a string
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
}  // namespace

MetricName::MetricName(std::string_view name) {
  // Node-based, so a name's address never changes; shared by every thread.
  static std::mutex mutex;
  static std::unordered_set<std::string, NameHash, std::equal_to<>> names;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = names.find(name);
  if (it == names.end()) it = names.emplace(name).first;
  name_ = &*it;
}

std::vector<MetricRow> metric_rows(const std::vector<YearStats>& years, const std::vector<std::string>& sector_names,
                                   const std::vector<std::string>& lever_names, int first_year) {
  std::vector<MetricRow> rows;
  const YearStats* base = nullptr;
  for (const auto& y : years)
    if (y.year == 2023) base = &y;
  for (std::size_t i = 0; i < years.size(); ++i) {
    const YearStats& y = years[i];
    if (y.year < first_year) continue;
    auto add = [&](std::string name, double v) { rows.push_back({y.year, std::move(name), v}); };
    add("equipment_investment", y.investment);
    if (base && base->investment > 0) add("equipment_investment_growth_vs_2023", y.investment / base->investment - 1.0);
    if (i > 0 && years[i - 1].investment > 0)
      add("equipment_investment_growth_yoy", y.investment / years[i - 1].investment - 1.0);
    for (int c = 0; c < kCategories; ++c)
      add("equipment_investment.category." + std::string(kCategoryNames[static_cast<std::size_t>(c)]),
          y.investment_by_category[static_cast<std::size_t>(c)]);
    for (std::size_t s = 0; s < sector_names.size() && s < y.investment_by_sector.size(); ++s)
      add("equipment_investment.sector." + sector_names[s], y.investment_by_sector[s]);
    add("equipment_investment_counted", y.investment_counted);
    add("cnc_rate", y.cnc_rate);
    add("digital_tool_rate", y.digital_tool_rate);
    for (int c = 0; c < kSizeClasses; ++c)
      add("digital_tool_rate.size." + std::string(kSizeClassNames[static_cast<std::size_t>(c)]),
          y.digital_tool_rate_by_size[static_cast<std::size_t>(c)]);
    for (int e = 0; e < kEnergyClasses; ++e)
      add("capacity_share.energy_class." + std::string(kEnergyClassNames[static_cast<std::size_t>(e)]),
          y.energy_class_shares[static_cast<std::size_t>(e)]);
    add("projects_started", static_cast<double>(y.projects_started));
    add("projects_commissioned", static_cast<double>(y.projects_commissioned));
    add("replacements", static_cast<double>(y.replacements));
    add("retrofits", static_cast<double>(y.retrofits));
    add("expansions", static_cast<double>(y.expansions));
    add("software_adoptions", static_cast<double>(y.software_adoptions));
    add("breakdowns", static_cast<double>(y.breakdowns));
    add("credit_rationed_projects", static_cast<double>(y.credit_rationed));
    add("units_installed", static_cast<double>(y.units_installed));
    add("units_scrapped", static_cast<double>(y.units_scrapped));
    add("robots_added", static_cast<double>(y.robots_added));
    for (std::size_t b = 0; b < kProjectBands; ++b)
      add(std::string("projects_started.at_least_") + kProjectBandNames[b], static_cast<double>(y.projects_at_least[b]));
    for (std::size_t b = 0; b < kProjectBands; ++b)
      add(std::string("project_value_started.at_least_") + kProjectBandNames[b], y.project_value_at_least[b]);
    add("energy_saving_projects", static_cast<double>(y.energy_saving_projects));
    add("supported_projects", static_cast<double>(y.supported_projects));
    add("repair_spend", y.repair_spend);
    add("capacity", y.capacity);
    add("units_in_service", y.units_in_service);
    add("loans_drawn", y.loans_drawn);
    add("land_paid", y.land_paid);
    add("capacity_exited", y.capacity_exited);
    add("units_exited", static_cast<double>(y.units_exited));
    if (y.network) {
      static constexpr std::array<const char*, 3> kPositions = {"others", "leaders", "leader_suppliers"};
      for (std::size_t g = 0; g < 3; ++g) {
        add(std::string("network.aware_share.") + kPositions[g], y.network_aware[g]);
        add(std::string("network.renewed_share.") + kPositions[g], y.network_renewed[g]);
      }
      add("network.leader_upgrades", static_cast<double>(y.leader_upgrades));
      add("network.leader_triggered_reviews", static_cast<double>(y.leader_triggered_reviews));
      add("network.leader_triggered_renewals", static_cast<double>(y.leader_triggered_renewals));
      add("network.imitation_reviews", static_cast<double>(y.imitation_reviews));
      add("network.cascade_renewals", static_cast<double>(y.cascade_renewals));
    }
    add("fiscal_outlay", y.fiscal_outlay);
    for (int l = 0; l < kFundingLevels; ++l)
      add("fiscal_outlay.level." + std::string(kFundingLevelNames[static_cast<std::size_t>(l)]),
          y.fiscal_outlay_by_level[static_cast<std::size_t>(l)]);
    for (std::size_t l = 0; l < lever_names.size() && l < y.levers.size(); ++l) {
      const std::string base = "lever." + lever_names[l] + ".";
      add(base + "granted", y.levers[l].granted);
      add(base + "outlay", y.levers[l].outlay);
      add(base + "supported_projects", static_cast<double>(y.levers[l].supported_projects));
      add(base + "rejected_applications", static_cast<double>(y.levers[l].rejected_applications));
      add(base + "lent", y.levers[l].lent);
    }
  }
  return rows;
}

}  // namespace renewsim::model
