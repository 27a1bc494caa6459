#include "io/scenario.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <vector>

#include "io/errors.hpp"
#include "kernel/calendar.hpp"
#include "io/toml_reader.hpp"

namespace renewsim::io {
namespace {

using namespace toml_input;

using model::kCategories;
using model::kCategoryNames;
using model::kEnergyClasses;
using model::kEnergyClassNames;
using model::kMenuOptionNames;
using model::kMenuOptions;
using model::kSizeClasses;
using model::kSizeClassNames;

void read_category(Reader& r, model::CategoryParams& c) {
  r.number("price_per_capacity", c.price_per_capacity, 0, 100);
  r.number("price_decline", c.price_decline, -0.5, 0.5);
  r.number("output_per_unit", c.output_per_unit, 1, kInf);
  r.number("economic_life", c.economic_life, 1, 100);
  r.number("survival_half_life", c.survival_half_life, 0.5, 100);
  r.number("survival_steepness", c.survival_steepness, 0.01, 10);
  r.number("labour_cost", c.labour_cost, 0, 1);
  r.number("energy_cost", c.energy_cost, 0, 1);
  r.number("maintenance_cost", c.maintenance_cost, 0, 1);
  r.number("maintenance_age_slope", c.maintenance_age_slope, 0, 10);
  r.number("unit_cost_improvement", c.unit_cost_improvement, -0.5, 0.5);
  r.number("cnc_labour_saving", c.cnc_labour_saving, 0, 1);
  r.number("productivity_gain", c.productivity_gain, 0, 1);
  r.boolean("cnc_applicable", c.cnc_applicable);
  r.boolean("energy_applicable", c.energy_applicable);
  r.number("new_cnc_share", c.new_cnc_share, 0, 1);
  r.number("new_cnc_share_growth", c.new_cnc_share_growth, -1, 1);
  r.number("retrofit_cost_share", c.retrofit_cost_share, 0, 10);
  r.number("retrofit_labour_saving", c.retrofit_labour_saving, 0, 1);
  r.number("repair_cost_share", c.repair_cost_share, 0, 10);
  r.number("repair_age_slope", c.repair_age_slope, 0, 10);
  r.integer("approval_days", c.approval_days, 0, 3650);
  r.integer("delivery_days", c.delivery_days, 0, 3650);
  r.integer("acceptance_days", c.acceptance_days, 0, 3650);
  r.number("down_payment_share", c.down_payment_share, 0, 1);
}

void read_sector(Reader& r, model::SectorParams& s, Errors& errors, const toml::table& t) {
  r.require("name");
  r.require("firms");
  r.require("category_mix");
  r.identifier("name", s.name);
  r.integer("firms", s.firms, 0, 100'000'000);
  std::array<double, kCategories> mix{};
  const std::size_t errors_before = errors.count();
  r.named_numbers("category_mix", mix, kCategoryNames, 0, kInf);  // weights, normalised below
  double total = 0;
  for (int c = 0; c < kCategories; ++c) total += mix[static_cast<std::size_t>(c)];
  if (t.contains("category_mix")) {
    if (errors.count() > errors_before)
      ;  // a share was already reported
    else if (mix[model::idx(model::Category::Software)] > 0)
      errors.add(t.get("category_mix")->source(), r.key_path("category_mix.software"),
                 "software is not production capacity; digital tools come from baseline_2023.digital_tool_rate");
    else if (total <= 0)
      errors.add(t.get("category_mix")->source(), r.key_path("category_mix"), "shares must not all be zero");
    else
      for (auto& m : mix) m /= total;
  }
  s.category_mix = mix;
  r.number("demand_growth", s.demand_growth, -0.5, 1);
  r.number("profit_margin", s.profit_margin, -1, 1);
  r.number("price_factor", s.price_factor, 0.01, 100);
  r.number("energy_intensity", s.energy_intensity, 0, 100);
  r.number("software_benefit", s.software_benefit, 0, 1);
  r.number("contribution_margin", s.contribution_margin, 0, 1);
  r.number("expansion_land_cost", s.expansion_land_cost, 0, 10);
}

void read_eligibility(Reader& r, model::Eligibility& e, const std::vector<std::string>& sector_names) {
  for (auto i : r.name_list("sectors", sector_names)) e.sectors.set(i);
  for (auto i : r.name_list("sizes", kSizeClassNames)) e.sizes.set(i);
  for (auto i : r.name_list("categories", kCategoryNames)) e.categories.set(i);
  if (const auto kinds = r.name_list("kinds", model::kProjectKindNames); !kinds.empty()) {
    e.kinds.reset();  // given kinds replace a type's default (land: expansions)
    for (auto i : kinds) e.kinds.set(i);
  }
  e.min_energy_class =
      static_cast<model::EnergyClass>(r.choice("min_energy_class", model::idx(e.min_energy_class), kEnergyClassNames));
  r.boolean("require_cnc", e.require_cnc);
  r.number("min_project", e.min_price, 0, kInf);
  r.number("min_revenue", e.min_revenue, 0, kInf);
  for (auto i : r.name_list("positions", model::kNetworkPositionNames)) e.positions.set(i);
}

// County indices 0..counties-1 (eligible.counties).
void read_counties(Reader& r, Errors& errors, model::Eligibility& e, int counties) {
  const toml::array* arr = r.array("counties");
  if (!arr) return;
  e.counties.assign(static_cast<std::size_t>(counties), false);
  for (const auto& item : *arr) {
    const auto* i = item.as_integer();
    if (!i || i->get() < 0 || i->get() >= counties) {
      errors.add(item.source(), r.key_path("counties"),
                 "expected county indices from 0 to " + std::to_string(counties - 1) + " (population.counties)");
      continue;
    }
    e.counties[static_cast<std::size_t>(i->get())] = true;
  }
}

void read_funding(Reader& r, Errors& errors, const toml::table& t, model::FundingShares& f) {
  if (!t.contains("funding")) return;
  model::FundingShares shares{};
  const std::size_t errors_before = errors.count();
  r.named_numbers("funding", shares, model::kFundingLevelNames, 0, 1);
  if (errors.count() > errors_before) return;  // a wrong type or level says more than the sum would
  double sum = 0;
  for (double s : shares) sum += s;
  if (std::fabs(sum - 1.0) > 1e-9)
    errors.add(t.get("funding")->source(), r.key_path("funding"),
               "shares of central, provincial, city and county sum to " + std::to_string(sum) + ", not 1");
  else
    f = shares;
}

void read_capital_subsidy(Reader& r, Errors& errors, model::CapitalSubsidyParams& c) {
  r.number("rate", c.rate, 0, 1);
  if (const toml::array* tiers = r.array("tiers")) {
    for (const auto& item : *tiers) {
      const double* v = nullptr;
      double x = 0;
      if (const auto* f = item.as_floating_point()) x = f->get(), v = &x;
      else if (const auto* i = item.as_integer()) x = static_cast<double>(i->get()), v = &x;
      if (!v || x < 0 || x > 1) errors.add(item.source(), r.key_path("tiers"), "expected rates between 0 and 1");
      else c.tier_rates.push_back(x);
    }
  }
  r.number("cap", c.cap, 0, kInf);
  r.number("budget", c.budget, 0, kInf);
  r.boolean("pool", c.pool);
  // A call with a yearly deadline "MM-DD" instead of first come, first served.
  std::string deadline;
  r.string("call_deadline", deadline);
  if (!deadline.empty()) {
    int m = 0, d = 0;
    char rest = 0;
    if (std::sscanf(deadline.c_str(), "%2d-%2d%c", &m, &d, &rest) != 2 || m < 1 || m > 12 || d < 1 ||
        d > kernel::days_in_month(2024, m))
      errors.add(r.node_source("call_deadline"), r.key_path("call_deadline"),
                 "expected a day of the year \"MM-DD\", got \"" + deadline + "\"");
    else {
      c.call = true;
      c.call_month = m;
      c.call_day = d;
    }
  }
}

void read_tax_lever(Reader& r, model::TaxLeverParams& t) {
  r.number("expensing_unit_limit", t.expensing_unit_limit, 0, kInf);
  r.number("bonus_share", t.bonus_share, 0, 1);
  r.number("depreciation_years", t.depreciation_years, 0, 100);
  r.number("credit", t.credit, 0, 0.5);
  r.number("holiday_free_years", t.holiday_free_years, 0, 100);
  r.number("holiday_half_years", t.holiday_half_years, 0, 100);
  r.number("super_deduction", t.super_deduction, 0, 3);
}

void read_interest_subsidy(Reader& r, model::InterestSubsidyParams& i) {
  r.number("points", i.points, 0, 0.2);
  r.number("years", i.years, 0, 50);
  r.number("budget", i.budget, 0, kInf);
  r.boolean("pool", i.pool);
  r.identifier("backed_by", i.backed_by);
}

void read_loan_fund(Reader& r, model::LoanFundParams& f) {
  r.number("rate", f.rate, 0, 1);
  r.number("lending", f.lending, 0, kInf);
  r.boolean("pool", f.pool);
  r.number("max_loan_share", f.max_loan_share, 0, 1);
  r.number("admission_share", f.admission_share, 0, 1);
  r.number("fiscal_share", f.fiscal_share, 0, 1);
}

void read_credit_supply(Reader& r, model::CreditSupplyParams& c) {
  r.number("access_share", c.access_share, 0, 1);
  r.number("limit_lift", c.limit_lift, 0, 10);
  r.number("rate_cut", c.rate_cut, 0, 0.2);
  r.number("expected_loss", c.expected_loss, 0, 1);
}

void read_mandatory_standard(Reader& r, Errors& errors, const toml::table& t, model::MandatoryStandardParams& m) {
  r.number("max_age", m.max_age, 0, 100);
  m.min_energy_class =
      static_cast<model::EnergyClass>(r.choice("min_energy_class", model::idx(m.min_energy_class), kEnergyClassNames));
  r.boolean("require_cnc", m.require_cnc);
  m.deadline = m.window.end;
  r.date("deadline", m.deadline);
  if (m.deadline < m.window.start || m.deadline > m.window.end)
    errors.add(t.get("deadline") ? t.get("deadline")->source() : t.source(), r.key_path("deadline"),
               "the deadline must fall between the standard's start and end");
  r.boolean("exit_at_deadline", m.exit_at_deadline);
  r.number("compliance", m.compliance, 0, 1);
  r.boolean("exclude_from_subsidies", m.exclude_from_subsidies);
  if (m.max_age <= 0 && m.min_energy_class == model::EnergyClass::BelowBaseline && !m.require_cnc)
    errors.add(t.source(), r.key_path("max_age"), "a mandatory standard needs max_age, min_energy_class or require_cnc");
}

void read_award(Reader& r, model::AwardParams& a) {
  r.number("amount", a.amount, 0, kInf);
  r.number("min_cnc_share", a.min_cnc_share, 0, 1);
  r.number("min_efficient_share", a.min_efficient_share, 0, 1);
  r.number("min_benchmark_share", a.min_benchmark_share, 0, 1);
  r.number("min_robot_share", a.min_robot_share, 0, 1);
  r.boolean("require_digital_tools", a.require_digital_tools);
  r.number("budget", a.budget, 0, kInf);
  r.boolean("pool", a.pool);
}

void read_advisory(Reader& r, Errors& errors, model::AdvisoryParams& a) {
  r.number("coverage", a.coverage, 0, 1);
  r.number("cost_per_visit", a.cost_per_visit, 0, kInf);
  if (const toml::array* arr = r.array("informs"))
    for (const auto& item : *arr) {
      if (const auto* s = item.as_string()) a.informs.push_back(s->get());
      else errors.add(item.source(), r.key_path("informs"), "expected a lever name (string)");
    }
}

void read_programme(Reader& r, model::ProgrammeParams& g) {
  static constexpr std::array<std::string_view, 2> kRoles = {"demonstration", "chain_leader"};
  g.role = static_cast<model::ProgrammeParams::Role>(r.choice("role", static_cast<int>(g.role), kRoles));
  r.number("share", g.share, 0, 1);
  r.number("grant", g.grant, 0, kInf);
  r.integer("max_projects", g.max_projects, 0, std::numeric_limits<std::int64_t>::max());
}

void read_levers(Reader& top, Errors& errors, model::ModelParams& p) {
  std::vector<std::string> sector_names;
  for (const auto& s : p.sectors) sector_names.push_back(s.name);
  if (const toml::table* t = top.table("policy")) {
    Reader r(*t, "policy", errors);
    r.number("max_subsidy_share", p.policy.max_subsidy_share, 0, 1);
    r.finish();
  }
  const toml::array* arr = top.array("levers");
  if (!arr) return;
  static constexpr std::array<std::string_view, 13> kTypes = {
      "capital_subsidy", "tax",           "interest_subsidy",   "approval", "loan_fund", "credit_supply", "land",
      "group_purchase",  "first_of_kind", "mandatory_standard", "award",    "advisory",  "programme"};
  // The common part of a type's parameters as its defaults have it (payer, eligibility).
  auto defaults_of = [](int type) -> model::LeverBase {
    switch (type) {
      case 0: return model::CapitalSubsidyParams{};
      case 1: return model::TaxLeverParams{};
      case 2: return model::InterestSubsidyParams{};
      case 3: return model::ApprovalLeverParams{};
      case 4: return model::LoanFundParams{};
      case 5: return model::CreditSupplyParams{};
      case 6: return model::LandLeverParams{};
      case 7: return model::GroupPurchaseParams{};
      case 8: return model::FirstOfKindParams{};
      case 9: return model::MandatoryStandardParams{};
      case 10: return model::AwardParams{};
      case 11: return model::AdvisoryParams{};
      case 12: return model::ProgrammeParams{};
      default: return model::LeverBase{};
    }
  };
  std::set<std::string> names;
  std::set<std::string> unannounced, fund_names;
  struct Reference {  // a lever named by another, checked once all are read
    toml::source_region where;
    std::string path, name;
    bool fund;  // must be a loan fund (else an unannounced lever)
  };
  std::vector<Reference> references;
  std::size_t i = 0;
  for (const auto& node : *arr) {
    const std::string path = "levers[" + std::to_string(i++) + "]";
    const toml::table* lt = node.as_table();
    if (!lt) {
      errors.add(node.source(), path, "expected a table ([[levers]])");
      continue;
    }
    Reader r(*lt, path, errors);
    r.require("name");
    r.require("type");
    const int type = r.choice("type", -1, kTypes);
    // What every lever has: a name, dates, who pays, which projects qualify, awareness.
    model::LeverBase base = defaults_of(type);
    r.identifier("name", base.name);
    if (!base.name.empty() && !names.insert(base.name).second)
      errors.add(lt->source(), path + ".name", "lever \"" + base.name + "\" is defined twice");
    r.boolean("enabled", base.enabled);
    r.boolean("baseline", base.baseline);
    r.date("start", base.window.start);
    r.date("end", base.window.end);
    if (base.window.end < base.window.start)
      errors.add(lt->source(), path + ".end", "the lever ends before it starts");
    read_funding(r, errors, *lt, base.funding);
    if (const toml::table* el = r.table("eligible")) {
      Reader er(*el, r.key_path("eligible"), errors);
      read_eligibility(er, base.eligible, sector_names);
      read_counties(er, errors, base.eligible, p.population.counties);
      er.finish();
      // Types that pick firms (and, for standards, equipment), not projects.
      static constexpr std::array<std::string_view, 5> kProjectRules = {"kinds", "min_project", "min_energy_class",
                                                                        "require_cnc", "categories"};
      for (const auto& key : kProjectRules) {
        const bool standard_key = type == 9 && key != "categories";
        if ((standard_key || type == 11) && el->contains(key))
          errors.add(el->get(key)->source(), r.key_path("eligible") + "." + std::string(key),
                     std::string("not used by ") + std::string(kTypes[static_cast<std::size_t>(type)]) +
                         " (it selects firms by sectors, sizes, counties and min_revenue" +
                         (type == 9 ? "; equipment by categories and its own rules)" : ")"));
      }
    }
    r.boolean("announced", base.announced);
    r.number("awareness_rate", base.awareness_rate, 0, 100);
    r.number("reviews_on_open", base.reviews_on_open, 0, 1);
    r.number("reviews_before_close", base.reviews_before_close, 0, 1);
    r.integer("reaction_days", base.reaction_days, 1, 3650);
    if (!base.announced) unannounced.insert(base.name);
    // Each type: its own keys on top of the common ones.
    auto make = [&](auto params, auto read_own, auto& into) {
      static_cast<model::LeverBase&>(params) = base;
      read_own(params);
      into.push_back(std::move(params));
    };
    auto& pol = p.policy;
    switch (type) {
      case 0: make(model::CapitalSubsidyParams{}, [&](auto& c) { read_capital_subsidy(r, errors, c); }, pol.capital_subsidies); break;
      case 1: make(model::TaxLeverParams{}, [&](auto& t) { read_tax_lever(r, t); }, pol.tax_levers); break;
      case 2:
        make(model::InterestSubsidyParams{}, [&](auto& x) { read_interest_subsidy(r, x); }, pol.interest_subsidies);
        if (!pol.interest_subsidies.back().backed_by.empty())
          references.push_back({lt->get("backed_by")->source(), path + ".backed_by", pol.interest_subsidies.back().backed_by, true});
        break;
      case 3: make(model::ApprovalLeverParams{}, [&](auto& a) { r.integer("days_saved", a.days_saved, 0, 3650); }, pol.approval_levers); break;
      case 4:
        make(model::LoanFundParams{}, [&](auto& f) { read_loan_fund(r, f); }, pol.loan_funds);
        fund_names.insert(base.name);
        break;
      case 5: make(model::CreditSupplyParams{}, [&](auto& c) { read_credit_supply(r, c); }, pol.credit_supplies); break;
      case 6:
        make(model::LandLeverParams{}, [&](auto& l) {
          r.number("waiver", l.waiver, 0, 1);
          r.number("score_bonus", l.score_bonus, 0, 1);
        }, pol.land_levers);
        break;
      case 7:
        make(model::GroupPurchaseParams{}, [&](auto& g) {
          r.number("discount", g.discount, 0, 0.9);
          r.number("participation", g.participation, 0, 1);
        }, pol.group_purchases);
        break;
      case 8:
        make(model::FirstOfKindParams{}, [&](auto& k) {
          r.number("share", k.share, 0, 1);
          r.number("investment_factor", k.investment_factor, 1, 10);
          r.number("insurance_subsidy", k.insurance_subsidy, 0, 1);
        }, pol.first_of_kind);
        break;
      case 9: make(model::MandatoryStandardParams{}, [&](auto& m) { read_mandatory_standard(r, errors, *lt, m); }, pol.mandatory_standards); break;
      case 10: make(model::AwardParams{}, [&](auto& a) { read_award(r, a); }, pol.awards); break;
      case 11:
        make(model::AdvisoryParams{}, [&](auto& a) { read_advisory(r, errors, a); }, pol.advisories);
        if (const toml::node* inf = lt->get("informs"); inf && inf->as_array())
          for (const auto& item : *inf->as_array())
            if (const auto* s = item.as_string()) references.push_back({item.source(), path + ".informs", s->get(), false});
        break;
      case 12: make(model::ProgrammeParams{}, [&](auto& g) { read_programme(r, g); }, pol.programmes); break;
      default: break;
    }
    if (type >= 0) r.finish();  // an unknown type's own keys are not reported as well
  }
  for (const auto& ref : references) {
    if (ref.fund && !fund_names.count(ref.name))
      errors.add(ref.where, ref.path, "no loan_fund lever named \"" + ref.name + "\"");
    else if (!ref.fund && !names.count(ref.name))
      errors.add(ref.where, ref.path, "no lever named \"" + ref.name + "\"");
    else if (!ref.fund && !unannounced.count(ref.name))
      errors.add(ref.where, ref.path, "lever \"" + ref.name + "\" is announced (every firm knows it): an adviser cannot tell of it");
  }
  if (unannounced.size() > 64)
    errors.add(arr->source(), "levers", "at most 64 levers may be unannounced");
  if (fund_names.size() > model::Policy::kMaxFunds)
    errors.add(arr->source(), "levers", "at most 32 loan_fund levers");
  if (p.policy.mandatory_standards.size() > model::Policy::kMaxStandards)
    errors.add(arr->source(), "levers", "at most 64 mandatory_standard levers");
}

// [network]: the supply-chain network and what travels along it. An edge
// list is read from a CSV file (supplier,customer firm indices) relative to
// the scenario file.
void read_network(Reader& top, Errors& errors, model::ModelParams& p, const std::string& scenario_path) {
  const toml::table* t = top.table("network");
  if (!t) return;
  auto& n = p.network;
  n.enabled = true;
  Reader r(*t, "network", errors);
  r.boolean("enabled", n.enabled);
  static constexpr std::array<std::string_view, 3> kTopologies = {"generated", "complete", "edge_list"};
  n.topology = static_cast<model::NetworkParams::Topology>(r.choice("topology", static_cast<int>(n.topology), kTopologies));
  r.number("suppliers_per_firm", n.suppliers_per_firm, 1, 1000);
  r.number("same_county_share", n.same_county_share, 0, 1);
  r.number("closure", n.closure, 0, 1);
  r.number("customer_tail", n.customer_tail, 1.05, 10);
  std::vector<std::string> sector_names;
  for (const auto& s : p.sectors) sector_names.push_back(s.name);
  if (const toml::table* shares = r.table("input_shares")) {
    Reader sr(*shares, "network.input_shares", errors);
    n.input_shares.assign(p.sectors.size(), {});
    for (std::size_t s = 0; s < p.sectors.size(); ++s) {
      const toml::table* row = sr.table(sector_names[s]);
      if (!row) continue;
      Reader rr(*row, "network.input_shares." + sector_names[s], errors);
      std::vector<double> v(p.sectors.size(), 0.0);
      double sum = 0;
      for (std::size_t u = 0; u < p.sectors.size(); ++u) {
        rr.number(sector_names[u], v[u], 0, 1);
        sum += v[u];
      }
      rr.finish();
      if (std::fabs(sum - 1.0) > 1e-6)
        errors.add(row->source(), "network.input_shares." + sector_names[s],
                   "shares sum to " + std::to_string(sum) + ", not 1");
      n.input_shares[s] = v;
    }
    sr.finish();
  }
  for (auto i : r.name_list("key_chains", sector_names)) n.key_chains.push_back(static_cast<std::uint8_t>(i));
  r.number("leader_share", n.leader_share, 0, 1);
  r.integer("leader_suppliers", n.leader_suppliers, 0, 100000);
  r.integer("tree_depth", n.tree_depth, 0, 20);
  std::string edges;
  r.string("edges_csv", edges);
  r.number("bass_p", n.bass_p, 0, 10);
  r.number("bass_q", n.bass_q, 0, 10);
  static constexpr std::array<std::string_view, 2> kPeers = {"renewed", "aware"};
  n.peers_count_when_aware = r.choice("peers", n.peers_count_when_aware ? 1 : 0, kPeers) == 1;
  r.number("imitation", n.imitation, 0, 1);
  r.integer("imitation_lag_days", n.imitation_lag_days, 0, 3650);
  r.number("leader_review_share", n.leader_review_share, 0, 1);
  r.integer("leader_lag_days", n.leader_lag_days, 0, 3650);
  r.number("demonstration_q", n.demonstration_q, 0, 10);
  r.date("start", n.start);
  r.finish();
  if (n.topology == model::NetworkParams::Topology::EdgeList) {
    if (edges.empty()) {
      errors.add(t->source(), "network.edges_csv", "missing (required with topology = \"edge_list\")");
      return;
    }
    const auto slash = scenario_path.find_last_of('/');
    const std::string file = edges.front() == '/' || slash == std::string::npos
                                 ? edges
                                 : scenario_path.substr(0, slash + 1) + edges;
    std::ifstream in(file);
    if (!in) {
      errors.add(t->get("edges_csv")->source(), "network.edges_csv", "cannot open \"" + file + "\"");
      return;
    }
    const auto total = static_cast<std::uint64_t>(p.total_firms());
    std::string line;
    std::size_t line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      if (line.empty() || line[0] == '#' || (line_no == 1 && !std::isdigit(static_cast<unsigned char>(line[0]))))
        continue;  // blank, comment, header
      unsigned long long s = 0, c = 0;
      char comma = 0, rest = 0;
      if (std::sscanf(line.c_str(), "%llu %c %llu %c", &s, &comma, &c, &rest) != 3 || comma != ',' || s >= total ||
          c >= total) {
        errors.add(t->get("edges_csv")->source(), "network.edges_csv",
                   file + ":" + std::to_string(line_no) + ": expected \"supplier,customer\" with firm indices below " +
                       std::to_string(total));
        if (errors.count() > 50) return;
        continue;
      }
      n.edge_list.emplace_back(static_cast<std::uint32_t>(s), static_cast<std::uint32_t>(c));
    }
  }
}

// [assessment] and [[targets]]: the window whose flows are summed, which
// variants run, and the plan's targets (each checked against the metrics the
// run will report).
void read_assessment(Reader& top, Errors& errors, Scenario& sc) {
  const model::ModelParams& p = sc.params;
  auto& a = sc.assessment;
  a.scale = p.population.scale;
  a.first_year = 2024;
  a.last_year = p.end_year;
  if (const toml::table* t = top.table("assessment")) {
    Reader r(*t, "assessment", errors);
    r.integer("first_year", a.first_year, 2023, 2100);
    r.integer("last_year", a.last_year, 2023, 2100);
    r.boolean("counterfactual", sc.counterfactual);
    r.boolean("attribution", sc.attribution);
    r.finish();
    if (a.last_year < a.first_year) errors.add(r.node_source("last_year"), "assessment.last_year", "before assessment.first_year");
    if (a.last_year > p.end_year)
      errors.add(r.node_source("last_year"), "assessment.last_year",
                 "after scenario.end_year (" + std::to_string(p.end_year) + ")");
  }
  const toml::array* arr = top.array("targets");
  if (!arr) return;
  const std::vector<std::string> metrics = model::metric_names(p);
  std::set<std::string> names;
  std::size_t i = 0;
  for (const auto& node : *arr) {
    const std::string path = "targets[" + std::to_string(i++) + "]";
    const toml::table* tt = node.as_table();
    if (!tt) {
      errors.add(node.source(), path, "expected a table ([[targets]])");
      continue;
    }
    Reader r(*tt, path, errors);
    model::TargetSpec t;
    r.require("name");
    r.identifier("name", t.name);
    if (!t.name.empty() && !names.insert(t.name).second)
      errors.add(tt->source(), path + ".name", "target \"" + t.name + "\" is defined twice");
    r.string("description", t.description);
    r.string("source", t.source);
    r.string("note", t.note);
    r.boolean("modelled", t.modelled);
    r.require("year");
    r.integer("year", t.year, 2023, 2100);
    if (!t.modelled) {
      // Listed only: what the model cannot project, and why.
      if (t.note.empty()) errors.add(tt->source(), path + ".note", "missing (say why the target is not modelled)");
      for (const char* key : {"metric", "measure", "comparison", "value", "base_year", "from_year", "each_year"})
        r.known(key);
      r.string("metric", t.metric);
      r.finish();
      sc.targets.push_back(std::move(t));
      continue;
    }
    r.require("metric");
    r.require("comparison");
    r.require("value");
    r.string("metric", t.metric);
    t.measure = static_cast<model::TargetMeasure>(r.choice("measure", 0, model::kTargetMeasureNames));
    t.comparison = static_cast<model::Comparison>(r.choice("comparison", 0, model::kComparisonNames));
    r.number("value", t.value);
    r.integer("base_year", t.base_year, 2023, 2100);
    t.from_year = t.measure == model::TargetMeasure::Sum ? a.first_year : 2024;
    r.integer("from_year", t.from_year, 2023, 2100);
    r.boolean("each_year", t.each_year);
    r.finish();
    check_known_name(errors, r.node_source("metric"), path + ".metric", t.metric, metrics, "metric",
                     "in this scenario's series", "(docs/outputs.md lists them)");
    if (t.year > p.end_year)
      errors.add(r.node_source("year"), path + ".year", "after scenario.end_year (" + std::to_string(p.end_year) + ")");
    const bool base = t.measure == model::TargetMeasure::Growth || t.measure == model::TargetMeasure::Change;
    if (base && t.base_year >= t.year)
      errors.add(r.node_source("base_year"), path + ".base_year", "must be before the target's year");
    if (!base && tt->contains("base_year"))
      errors.add(r.node_source("base_year"), path + ".base_year", "used only by the growth and change measures");
    const bool window = t.measure == model::TargetMeasure::Sum || t.measure == model::TargetMeasure::YearlyGrowth || t.each_year;
    if (window && t.from_year > t.year)
      errors.add(r.node_source("from_year"), path + ".from_year", "after the target's year");
    if (t.measure == model::TargetMeasure::YearlyGrowth && t.from_year < 2024)
      errors.add(r.node_source("from_year"), path + ".from_year", "yearly growth needs the year before (2023 is the first reported)");
    if (!window && tt->contains("from_year"))
      errors.add(r.node_source("from_year"), path + ".from_year", "used only by sum, yearly_growth and each_year");
    sc.targets.push_back(std::move(t));
  }
}

Scenario read(const toml::table& root, const std::string& name) {
  Errors errors(name);
  Scenario sc;
  sc.params = model::default_params();
  model::ModelParams& p = sc.params;
  Reader top(root, "", errors);

  if (const toml::table* t = top.table("scenario")) {
    Reader r(*t, "scenario", errors);
    r.string("name", p.name);
    // The name is the default output directory results/<name>: one plain path component.
    if (const toml::node* n = t->get("name"); n && n->is_string() &&
        (p.name.empty() || p.name == "." || p.name == ".." || p.name.find_first_of("/\\") != std::string::npos))
      errors.add(n->source(), "scenario.name", "\"" + p.name + "\" cannot name the output directory results/<name>");
    r.string("description", sc.description);
    r.integer("end_year", p.end_year, 2023, 2100);
    r.integer("warmup_start_year", p.warmup_start_year, 1990, 2023);
    r.integer("seed", sc.seed, 0, std::numeric_limits<std::int64_t>::max());
    r.integer("replications", sc.replications, 1, 1'000'000);
    r.finish();
  }
  if (const toml::table* t = top.table("baseline_2023")) {
    Reader r(*t, "baseline_2023", errors);
    r.number("cnc_rate", p.baseline.cnc_rate, 0, 1);
    r.number("digital_tool_rate", p.baseline.digital_tool_rate, 0, 1);
    r.named_numbers("energy_class_shares", p.baseline.energy_class_shares, kEnergyClassNames, 0, 1, true);
    r.number("equipment_investment_growth", p.baseline.equipment_investment_growth, -0.9, 5);
    r.boolean("calibrate", p.baseline.calibrate);
    r.finish();
    double sum = 0;
    for (double s : p.baseline.energy_class_shares) sum += s;
    if (t->contains("energy_class_shares") && std::fabs(sum - 1.0) > 1e-6)
      errors.add(t->get("energy_class_shares")->source(), "baseline_2023.energy_class_shares",
                 "shares sum to " + std::to_string(sum) + ", not 1");
  }
  if (const toml::table* t = top.table("population")) {
    auto& q = p.population;
    Reader r(*t, "population", errors);
    r.number("scale", q.scale, 1e-6, 1e3);
    r.named_numbers("size_shares", q.size_shares, kSizeClassNames, 0, 1);
    if (q.size_shares[0] + q.size_shares[1] + q.size_shares[2] <= 0)
      errors.add(t->get("size_shares") ? t->get("size_shares")->source() : t->source(), "population.size_shares",
                 "shares must not all be zero");
    // Firm revenue is kept in single precision: 1e15 RMB (far above any firm) keeps
    // it and what is computed from it finite.
    r.named_numbers("revenue_min", q.revenue_min, kSizeClassNames, 0, 1e15);
    r.named_numbers("revenue_max", q.revenue_max, kSizeClassNames, 0, 1e15);
    r.named_numbers("revenue_median", q.revenue_median, kSizeClassNames, 1, 1e15);
    r.number("revenue_sigma", q.revenue_sigma, 0.01, 5);
    r.number("utilisation", q.utilisation, 0.05, 1);
    r.integer("counties", q.counties, 1, 10000);
    r.number("cash_to_revenue", q.cash_to_revenue, 1e-6, 10);
    r.number("debt_to_revenue", q.debt_to_revenue, 1e-6, 10);
    r.named_numbers("credit_access", q.credit_access, kSizeClassNames, 0, 1);
    r.number("credit_multiplier", q.credit_multiplier, 0, 100);
    r.number("equity_to_revenue", q.equity_to_revenue, 0, 100);
    r.number("hurdle_rate_median", q.hurdle_rate_median, 0.001, 1);
    r.number("hurdle_rate_sigma", q.hurdle_rate_sigma, 0, 3);
    r.number("payback_years_median", q.payback_years_median, 0.1, 100);
    r.number("payback_years_sigma", q.payback_years_sigma, 0, 3);
    r.number("historical_investment_growth", q.historical_investment_growth, -0.5, 1);
    r.number("max_initial_age", q.max_initial_age, 1, 100);
    r.integer("expansion_slots", q.expansion_slots, 0, 8);
    r.number("class_age_correlation", q.class_age_correlation, 0, 100);
    r.number("software_benefit_sigma", q.software_benefit_sigma, 0, 5);
    r.number("settle_ratio", q.settle_ratio, 0.01, 100);
    r.finish();
    for (int s = 0; s < kSizeClasses; ++s)
      if (q.revenue_min[static_cast<std::size_t>(s)] >= q.revenue_max[static_cast<std::size_t>(s)])
        errors.add(t->source(), "population.revenue_min." + std::string(kSizeClassNames[static_cast<std::size_t>(s)]),
                   "must be below revenue_max");
  }
  if (const toml::table* t = top.table("macro")) {
    Reader r(*t, "macro", errors);
    r.number("loan_rate", p.macro.loan_rate, 0, 1);
    r.number("loan_spread", p.macro.loan_spread, -0.5, 1);
    r.number("loan_years", p.macro.loan_years, 0.1, 50);
    r.number("equipment_inflation", p.macro.equipment_inflation, -0.5, 1);
    r.number("energy_price_growth", p.macro.energy_price_growth, -0.5, 1);
    r.number("wage_growth", p.macro.wage_growth, -0.5, 1);
    r.finish();
  }
  if (const toml::table* t = top.table("tax")) {
    Reader r(*t, "tax", errors);
    r.number("income_tax_rate", p.tax.income_tax_rate, 0, 0.99);
    r.number("depreciation_years", p.tax.depreciation_years, 0, 100);
    r.number("expensing_unit_limit", p.tax.expensing_unit_limit, 0, kInf);
    r.number("special_equipment_credit", p.tax.special_equipment_credit, 0, 1);
    r.finish();
    if (p.tax.income_tax_rate + p.tax.special_equipment_credit >= 1)
      errors.add(t->source(), "tax", "income_tax_rate + special_equipment_credit must stay below 1");
  }
  if (const toml::table* t = top.table("behaviour")) {
    auto& b = p.behaviour;
    Reader r(*t, "behaviour", errors);
    r.number("review_interval_days", b.review_interval_days, 1, 3650);
    r.number("logit_scale", b.logit_scale, 1e-3, 100);
    r.number("volatility", b.volatility, 0, 5);
    r.number("dividend_yield", b.dividend_yield, 1e-4, 1);  // Dixit-Pindyck needs delta > 0
    r.number("credibility", b.credibility, 0, 1);
    r.number("cash_reserve_share", b.cash_reserve_share, 0, 10);
    r.number("expansion_slack", b.expansion_slack, 0, 10);
    r.number("demand_noise", b.demand_noise, 0, 1);
    static constexpr std::array<std::string_view, 3> kWindows{"none", "day", "month"};
    b.decision_window = static_cast<model::BehaviourParams::DecisionWindow>(
        r.choice("decision_window", static_cast<int>(b.decision_window), kWindows));
    r.finish();
  }
  if (const toml::table* t = top.table("categories")) {
    Reader r(*t, "categories", errors);
    for (int c = 0; c < kCategories; ++c) {
      const auto cname = kCategoryNames[static_cast<std::size_t>(c)];
      if (const toml::table* ct = r.table(cname)) {
        Reader cr(*ct, "categories." + std::string(cname), errors);
        read_category(cr, p.categories[static_cast<std::size_t>(c)]);
        cr.finish();
      }
    }
    r.finish();
  }
  if (const toml::table* t = top.table("menu")) {
    Reader r(*t, "menu", errors);
    for (int o = 0; o < kMenuOptions; ++o) {
      const auto oname = kMenuOptionNames[static_cast<std::size_t>(o)];
      if (const toml::table* ot = r.table(oname)) {
        auto& m = p.menu[static_cast<std::size_t>(o)];
        Reader orr(*ot, "menu." + std::string(oname), errors);
        orr.number("price_factor", m.price_factor, 0.01, 100);
        m.energy_class = static_cast<model::EnergyClass>(orr.choice("energy_class", model::idx(m.energy_class), kEnergyClassNames));
        orr.boolean("always_cnc", m.always_cnc);
        orr.number("extra_labour_saving", m.extra_labour_saving, 0, 1);
        orr.finish();
      }
    }
    r.finish();
  }
  top.require("sectors");
  if (const toml::array* arr = top.array("sectors")) {
    std::set<std::string> names;
    std::size_t i = 0;
    for (const auto& node : *arr) {
      const std::string path = "sectors[" + std::to_string(i++) + "]";
      const toml::table* st = node.as_table();
      if (!st) {
        errors.add(node.source(), path, "expected a table ([[sectors]])");
        continue;
      }
      model::SectorParams s;
      Reader r(*st, path, errors);
      read_sector(r, s, errors, *st);
      r.finish();
      if (!s.name.empty() && !names.insert(s.name).second)
        errors.add(st->source(), path + ".name", "sector \"" + s.name + "\" is defined twice");
      p.sectors.push_back(s);
    }
    if (arr->empty()) errors.add(arr->source(), "sectors", "at least one sector is required");
    if (p.sectors.size() > 255) errors.add(arr->source(), "sectors", "at most 255 sectors");
  }
  if (p.population.scale != 1.0)
    for (auto& s : p.sectors)
      if (s.firms > 0)
        s.firms = std::max<std::int64_t>(1, std::llround(static_cast<double>(s.firms) * p.population.scale));
  read_levers(top, errors, p);
  if (p.population.scale != 1.0) {
    // A scaled region keeps its budgets per firm: finite budgets, loan quotas
    // and designation limits scale with the firms (0 stays unlimited).
    const double k = p.population.scale;
    for (auto& c : p.policy.capital_subsidies) c.budget *= k;
    for (auto& i : p.policy.interest_subsidies) i.budget *= k;
    for (auto& f : p.policy.loan_funds) f.lending *= k;
    for (auto& a : p.policy.awards) a.budget *= k;
    for (auto& g : p.policy.programmes)
      if (g.max_projects > 0)
        g.max_projects = std::max<std::int64_t>(1, std::llround(static_cast<double>(g.max_projects) * k));
  }
  read_network(top, errors, p, name);
  read_assessment(top, errors, sc);
  top.finish();
  if (p.total_firms() >= (std::int64_t{1} << 28))
    errors.add(root.get("sectors")->source(), "sectors",
               std::to_string(p.total_firms()) + " firms in all; at most 268435455");
  if (p.warmup_start_year > p.end_year) {  // the year ranges rule it out today; kept should they widen
    const toml::node* n = root.at_path("scenario.warmup_start_year").node();
    errors.add(n ? n->source() : root.source(), "scenario.warmup_start_year", "must not be after scenario.end_year");
  }
  if (!errors.empty()) throw InputError(errors.joined());
  return sc;
}

}  // namespace

std::string fnv1a_hex(const std::string& bytes) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

namespace {

bool is_named_list(std::string_view key) { return key == "sectors" || key == "levers" || key == "targets"; }

// Layers `over` onto `base`: tables key by key, [[sectors]]/[[levers]] by
// name, the rest replaced. Nodes are moved, not copied: a copy would lose
// its source position, which error messages need.
void merge_into(toml::table& base, toml::table&& over) {
  for (auto&& [k, v] : over) {
    const std::string key(k.str());
    toml::node* existing = base.get(key);
    if (existing && existing->is_table() && v.is_table()) {
      merge_into(*existing->as_table(), std::move(*v.as_table()));
      continue;
    }
    if (existing && is_named_list(key) && existing->is_array() && v.is_array()) {
      toml::array& list = *existing->as_array();
      for (auto&& item : *v.as_array()) {
        toml::table* entry = item.as_table();
        const auto name = entry ? entry->get_as<std::string>("name") : nullptr;
        toml::table* same = nullptr;
        for (auto& old : list)
          if (auto* t = old.as_table(); t && name)
            if (const auto n = t->get_as<std::string>("name"); n && n->get() == name->get()) same = t;
        if (same) merge_into(*same, std::move(*entry));
        else item.visit([&](auto&& x) { list.push_back(std::move(x)); });
      }
      continue;
    }
    // Inserted under the toml::key itself: it carries the key's position.
    const toml::key& name = k;  // (a structured binding cannot be captured before C++20 compilers catch up)
    v.visit([&](auto&& x) { base.insert_or_assign(name, std::move(x)); });
  }
}

// The file's table with its includes layered underneath; `chain` holds the
// files being included (for cycles), `bytes` collects every file's text.
toml::table resolve(const std::string& text, const std::string& path, std::vector<std::string>& chain,
                    std::string& bytes) {
  toml::table own = parse_toml(text, path);
  bytes += text;
  const toml::node* inc = own.get("include");
  if (!inc) return own;
  std::vector<std::pair<std::string, toml::source_region>> files;
  auto bad = [&](const toml::source_region& where, const std::string& what) {
    std::ostringstream s;
    s << (where.path ? *where.path : path) << ':' << where.begin.line << ':' << where.begin.column
      << ": include: " << printable(what);
    throw InputError(s.str());
  };
  if (const auto* one = inc->as_string()) files.emplace_back(one->get(), inc->source());
  else if (const auto* many = inc->as_array())
    for (const auto& item : *many) {
      if (const auto* s = item.as_string()) files.emplace_back(s->get(), item.source());
      else bad(item.source(), "expected a file name (string)");
    }
  else bad(inc->source(), "expected a file name or an array of file names");
  toml::table layered;
  for (const auto& [file, where] : files) {
    const std::string full = !file.empty() && file.front() == '/' ? file : directory_of(path) + file;
    if (std::find(chain.begin(), chain.end(), full) != chain.end()) {
      std::string cycle;
      for (const auto& c : chain) cycle += c + " -> ";
      bad(where, "include cycle: " + cycle + full);
    }
    std::ifstream in(full, std::ios::binary);
    if (!in) bad(where, "cannot open \"" + full + "\"");
    std::ostringstream ss;
    ss << in.rdbuf();
    chain.push_back(full);
    merge_into(layered, resolve(ss.str(), full, chain, bytes));  // a temporary: moved from
    chain.pop_back();
  }
  own.erase("include");
  merge_into(layered, std::move(own));
  return layered;
}

// One --set "a.b.c=value" onto the table: the setting is parsed as the TOML
// document `"a"."b"."c" = value` (so every value it adds keeps a position in
// "--set a.b.c") and layered on top; a first key naming [[sectors]] or
// [[levers]] is followed by the entry's name.
void apply_override(toml::table& root, const std::string& setting) {
  const std::string where = "--set " + setting;
  const auto eq = setting.find('=');
  if (eq == std::string::npos || eq == 0) throw InputError(printable(where) + ": expected KEY.PATH=VALUE");
  const std::string path = setting.substr(0, eq);
  std::vector<std::string> keys;
  for (std::size_t start = 0;;) {
    const auto dot = path.find('.', start);
    keys.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (keys.back().empty()) throw InputError(printable(where) + ": an empty key in the path");
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  toml::table* at = &root;
  std::size_t first = 0;
  if (is_named_list(keys[0])) {
    if (keys.size() < 3) throw InputError(printable(where) + ": name an entry and a key: " + keys[0] + ".NAME.KEY");
    toml::array* list = root.get(keys[0]) ? root.get(keys[0])->as_array() : nullptr;
    at = nullptr;
    if (list)
      for (auto& item : *list)
        if (auto* t = item.as_table())
          if (const auto n = t->get_as<std::string>("name"); n && n->get() == keys[1]) at = t;
    if (!at) throw InputError(printable(where) + ": no entry of " + keys[0] + " named \"" + printable(keys[1]) + "\"");
    first = 2;
  }
  std::string doc;
  for (std::size_t i = first; i < keys.size(); ++i) {
    doc += i > first ? ".\"" : "\"";
    for (char c : keys[i]) {
      if (c == '"' || c == '\\') doc += '\\';
      doc += c;
    }
    doc += '"';
  }
  doc += " = " + setting.substr(eq + 1);
  toml::table value;
  try {
    value = toml::parse(doc, "--set " + path);
  } catch (const toml::parse_error& e) {
    throw InputError(printable(where) + ": the value is not TOML (" + printable(e.description()) +
                     "; strings need quotes: key=\"text\")");
  }
  merge_into(*at, std::move(value));
}

}  // namespace

std::string settings_as_toml(const std::vector<std::string>& settings, const std::vector<std::string>& comments) {
  auto key_text = [](const std::string& path) {  // each segment quoted: any name is a valid key
    std::string out;
    std::size_t start = 0;
    for (;;) {
      const auto dot = path.find('.', start);
      out += (out.empty() ? "\"" : ".\"") + path.substr(start, dot == std::string::npos ? std::string::npos : dot - start) + '"';
      if (dot == std::string::npos) return out;
      start = dot + 1;
    }
  };
  std::string plain;
  std::vector<std::pair<std::string, std::string>> entries;  // "list\nname" -> lines, in first-seen order
  for (std::size_t i = 0; i < settings.size(); ++i) {
    const std::string& s = settings[i];
    const auto eq = s.find('=');
    if (eq == std::string::npos) throw InputError("not a setting KEY.PATH=VALUE: " + printable(s));
    const std::string path = s.substr(0, eq);
    std::string line = s.substr(eq + 1);
    if (i < comments.size() && !comments[i].empty()) line += "  # " + comments[i];
    const auto d1 = path.find('.');
    const auto d2 = d1 == std::string::npos ? d1 : path.find('.', d1 + 1);
    if (d2 != std::string::npos && is_named_list(path.substr(0, d1))) {
      const std::string id = path.substr(0, d1) + '\n' + path.substr(d1 + 1, d2 - d1 - 1);
      auto it = std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.first == id; });
      if (it == entries.end()) it = entries.insert(entries.end(), {id, ""});
      it->second += key_text(path.substr(d2 + 1)) + " = " + line + '\n';
    } else {
      plain += key_text(path) + " = " + line + '\n';
    }
  }
  std::string out = plain;
  for (const auto& [id, lines] : entries) {
    const auto nl = id.find('\n');
    out += "\n[[" + id.substr(0, nl) + "]]\nname = \"" + id.substr(nl + 1) + "\"\n" + lines;
  }
  return out;
}

Scenario parse_scenario(const std::string& text, const std::string& name, const std::vector<std::string>& overrides) {
  std::vector<std::string> chain{name};
  std::string bytes;
  toml::table root = resolve(text, name, chain, bytes);
  for (const auto& o : overrides) {
    apply_override(root, o);
    bytes += '\n' + o;
  }
  Scenario sc = read(root, name);
  sc.path = name;
  sc.content_hash = fnv1a_hex(bytes);
  return sc;
}

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the scenario file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_scenario(ss.str(), path, overrides);
}

}  // namespace renewsim::io
