#include "cli/assessment_table.hpp"

#include <cmath>
#include <cstdio>

namespace renewsim::cli {
namespace {

enum class Unit { Percent, Points, Amount };

Unit unit_of(const model::TargetSpec& t) {
  if (t.measure == model::TargetMeasure::Growth || t.measure == model::TargetMeasure::YearlyGrowth) return Unit::Percent;
  if (!model::metric_is_extensive(t.metric)) return t.measure == model::TargetMeasure::Change ? Unit::Points : Unit::Percent;
  return Unit::Amount;
}

std::string fmt(double v, Unit u) {
  if (std::isnan(v)) return "-";
  char buf[64];
  switch (u) {
    case Unit::Percent: std::snprintf(buf, sizeof buf, "%.1f %%", v * 100); break;
    case Unit::Points: std::snprintf(buf, sizeof buf, "%+.1f pp", v * 100); break;
    case Unit::Amount: {
      const double a = std::fabs(v);
      if (a >= 1e9) std::snprintf(buf, sizeof buf, "%.1f bn", v / 1e9);
      else if (a >= 1e6) std::snprintf(buf, sizeof buf, "%.1f m", v / 1e6);
      else if (a == std::floor(a) || a >= 100) std::snprintf(buf, sizeof buf, "%.0f", v);
      else std::snprintf(buf, sizeof buf, "%.2f", v);
      break;
    }
  }
  return buf;
}

std::string money(double v) { return fmt(v, Unit::Amount); }

std::string pad(std::string s, std::size_t width) {
  // Widths count bytes; the table's own text is ASCII.
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

}  // namespace

std::string assessment_table(const model::Assessment& a) {
  std::string out;
  std::size_t name_w = 6;
  for (const auto& t : a.targets) name_w = std::max(name_w, t.spec.name.size());
  name_w = std::min<std::size_t>(name_w, 44);
  bool any_modelled = false, any_listed = false;
  for (const auto& t : a.targets) (t.spec.modelled ? any_modelled : any_listed) = true;
  if (any_modelled) {
    out += pad("target", name_w) + "  year  " + pad("projected median [5 %, 95 %]", 36) + pad("target", 14) +
           pad("P(meet)", 9) + "without new policy\n";
    for (const auto& t : a.targets) {
      if (!t.spec.modelled) continue;
      const Unit u = unit_of(t.spec);
      const std::string proj = fmt(t.value.p50, u) + " [" + fmt(t.value.p05, u) + ", " + fmt(t.value.p95, u) + "]";
      const std::string goal = std::string(model::kComparisonNames[static_cast<std::size_t>(t.spec.comparison)]) + " " +
                               fmt(t.spec.value, u == Unit::Points ? Unit::Points : u);
      char prob[32];
      std::snprintf(prob, sizeof prob, "%.2f", t.probability);
      std::string cf = "-";
      if (!std::isnan(t.counterfactual_probability)) {
        char b[32];
        std::snprintf(b, sizeof b, "%.2f", t.counterfactual_probability);
        cf = fmt(t.counterfactual.p50, u) + " (P " + b + ")";
      }
      out += pad(t.spec.name.substr(0, name_w), name_w) + "  " + std::to_string(t.spec.year) + "  " + pad(proj, 36) +
             pad(goal, 14) + pad(std::isnan(t.probability) ? "-" : prob, 9) + cf + "\n";
    }
  }
  if (any_listed) {
    out += "not modelled:\n";
    for (const auto& t : a.targets)
      if (!t.spec.modelled) out += "  " + t.spec.name + " (" + std::to_string(t.spec.year) + "): " + t.spec.note + "\n";
  }
  const auto& h = a.headline;
  char window[64];
  std::snprintf(window, sizeof window, "%d-%d", a.options.first_year, a.options.last_year);
  out += std::string("policy window ") + window + " (medians [5 %, 95 %] over replications):\n";
  auto line = [&](const char* label, const model::Spread& s) {
    out += std::string("  ") + pad(label, 38) + money(s.p50) + " [" + money(s.p05) + ", " + money(s.p95) + "]\n";
  };
  line("equipment investment", h.investment);
  line("fiscal outlay, all levers", h.fiscal_outlay);
  line("fiscal outlay, new levers", h.new_policy_outlay);
  if (h.has_counterfactual) {
    line("net fiscal cost (vs counterfactual)", h.net_fiscal_cost);
    line("additional investment", h.induced_investment);
    char b[64];
    std::snprintf(b, sizeof b, "%.2f RMB per RMB", h.leverage);
    out += std::string("  ") + pad("leverage (mean additional / cost)", 38) + (std::isnan(h.leverage) ? "-" : b) + "\n";
    line("supported projects", h.supported_projects);
    line("deadweight projects", h.deadweight_projects);
    std::snprintf(b, sizeof b, "%.1f %%", h.deadweight_share * 100);
    out += std::string("  ") + pad("deadweight share", 38) + (std::isnan(h.deadweight_share) ? "-" : b) + "\n";
  } else {
    line("supported projects", h.supported_projects);
  }
  return out;
}

}  // namespace renewsim::cli
