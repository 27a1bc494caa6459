// Levers: the capital subsidy on its own, then inside whole runs.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>

#include "io/output.hpp"
#include "io/scenario.hpp"
#include "model/levers/policy.hpp"
#include "model/region_simulation.hpp"
#include "model/runner.hpp"

using namespace renewsim;
using namespace renewsim::model;

namespace {
ProjectView project(double price, kernel::Day day = kernel::day_of(2025, 6, 1)) {
  ProjectView v;
  v.price = price;
  v.day = day;
  v.category = Category::MachineTools;
  v.kind = ProjectKind::Replace;
  v.energy_class = EnergyClass::EnergySaving;
  return v;
}
CapitalSubsidyParams subsidy(double rate, double cap, double budget) {
  CapitalSubsidyParams c;
  c.name = "s";
  c.rate = rate;
  c.cap = cap;
  c.budget = budget;
  return c;
}
}  // namespace

TEST_CASE("capital subsidy: eligibility at and around every threshold", "[levers][capital-subsidy]") {
  CapitalSubsidyParams p = subsidy(0.1, 0, 0);
  p.eligible.min_price = 2e6;
  p.eligible.min_energy_class = EnergyClass::EnergySaving;
  p.eligible.categories.set(idx(Category::MachineTools));
  p.eligible.kinds.set(idx(ProjectKind::Replace));
  p.eligible.sizes.set(idx(SizeClass::Small));
  p.eligible.sectors.set(3);
  const CapitalSubsidy s(p);
  ProjectView v = project(2e6);
  v.sector = 3;
  CHECK(s.entitlement(v, 0) == Approx(2e5));  // exactly the minimum size qualifies
  v.price = 2e6 - 1;
  CHECK(s.entitlement(v, 0) == 0);
  v.price = 2e6;
  v.energy_class = EnergyClass::Baseline;
  CHECK(s.entitlement(v, 0) == 0);
  v.energy_class = EnergyClass::Benchmark;  // better than required
  CHECK(s.entitlement(v, 0) > 0);
  v.sector = 2;
  CHECK(s.entitlement(v, 0) == 0);
  v.sector = 3;
  v.size = SizeClass::Large;
  CHECK(s.entitlement(v, 0) == 0);
  v.size = SizeClass::Small;
  v.kind = ProjectKind::Expand;
  CHECK(s.entitlement(v, 0) == 0);
  v.kind = ProjectKind::Replace;
  v.category = Category::Software;
  CHECK(s.entitlement(v, 0) == 0);
}

TEST_CASE("capital subsidy: dates, first and last day included", "[levers][capital-subsidy]") {
  CapitalSubsidyParams p = subsidy(0.1, 0, 0);
  p.window = {kernel::day_of(2024, 5, 15), kernel::day_of(2027, 12, 31)};
  const CapitalSubsidy s(p);
  CHECK(s.entitlement(project(1e6, kernel::day_of(2024, 5, 14)), 0) == 0);
  CHECK(s.entitlement(project(1e6, kernel::day_of(2024, 5, 15)), 0) > 0);
  CHECK(s.entitlement(project(1e6, kernel::day_of(2027, 12, 31)), 0) > 0);
  CHECK(s.entitlement(project(1e6, kernel::day_of(2028, 1, 1)), 0) == 0);
  p.enabled = false;
  CHECK(CapitalSubsidy(p).entitlement(project(1e6), 0) == 0);
}

TEST_CASE("capital subsidy: caps and tiered rates", "[levers][capital-subsidy]") {
  const CapitalSubsidy capped(subsidy(0.3, 5e6, 0));
  CHECK(capped.entitlement(project(1e7), 0) == Approx(3e6));
  CHECK(capped.entitlement(project(1e8), 0) == Approx(5e6));  // 30 % would be 30 m
  CapitalSubsidyParams t = subsidy(0.0, 0, 0);
  t.tier_rates = {0.08, 0.10, 0.12};
  const CapitalSubsidy tiered(t);
  CHECK(tiered.entitlement(project(1e6), 0.0) == Approx(8e4));
  CHECK(tiered.entitlement(project(1e6), 0.3333) == Approx(8e4));
  CHECK(tiered.entitlement(project(1e6), 0.34) == Approx(1e5));
  CHECK(tiered.entitlement(project(1e6), 0.99) == Approx(1.2e5));
}

TEST_CASE("capital subsidy: budget in event order, never exceeded, yearly or pooled", "[levers][capital-subsidy]") {
  CapitalSubsidy s(subsidy(0.1, 0, 1.5e6));  // room for one 1 m grant and half of another
  const auto d = kernel::day_of(2025, 3, 1);
  CHECK(s.offer(project(1e7, d), 0, 1e18) == Approx(1e6));
  CHECK(s.grant(project(1e7, d), 0, 1e18) == Approx(1e6));  // first come, first served
  CHECK(s.offer(project(1e7, d), 0, 1e18) == 0);            // the rest cannot cover the second
  CHECK(s.grant(project(1e7, d), 0, 1e18) == 0);
  CHECK(s.rejected() == 1);
  CHECK(s.grant(project(4e6, d), 0, 1e18) == Approx(4e5));  // a smaller one still fits
  CHECK(s.remaining(d) == Approx(1e5));
  CHECK(s.grant(project(1e7, kernel::day_of(2026, 1, 1)), 0, 1e18) == Approx(1e6));  // a new year's budget
  CapitalSubsidyParams pooled = subsidy(0.1, 0, 1.5e6);
  pooled.pool = true;
  CapitalSubsidy pool(pooled);
  CHECK(pool.grant(project(1e7, d), 0, 1e18) == Approx(1e6));
  CHECK(pool.grant(project(1e7, kernel::day_of(2026, 1, 1)), 0, 1e18) == 0);  // no reset
}

TEST_CASE("capital subsidy call: ranked by score at the deadline, budget in rank order, cutoff for the next call",
          "[levers][capital-subsidy][call]") {
  CapitalSubsidyParams p = subsidy(0.1, 0, 2.5e6);
  p.call = true;
  p.call_month = 9;
  p.call_day = 30;
  p.window = {kernel::day_of(2024, 5, 15), kernel::day_of(2026, 3, 31)};
  CapitalSubsidy s(p);
  CHECK(s.call_deadlines() ==
        std::vector<kernel::Day>{kernel::day_of(2024, 9, 30), kernel::day_of(2025, 9, 30), kernel::day_of(2026, 3, 31)});
  // Before the first call every eligible firm counts on the grant.
  const ProjectView v = project(1e7, kernel::day_of(2024, 6, 1));
  CHECK(s.offer(v, 0.1, 1e18) == Approx(1e6));
  CHECK(s.apply(v, 0.1, 1e18) == Approx(1e6));
  CHECK(s.remaining(v.day) == Approx(2.5e6));  // applying commits nothing
  // Four applications of 1 m: the budget takes the two best scores; ties go to the earlier.
  std::vector<CallApplication> apps = {
      {0.2, 1e6, 0, 10, 1}, {0.9, 1e6, 1, 11, 1}, {0.5, 1e6, 2, 12, 1}, {0.5, 1e6, 3, 13, 1}};
  const std::vector<bool> ok = s.decide(apps, kernel::day_of(2024, 9, 30));
  std::vector<std::uint32_t> granted;
  for (std::size_t i = 0; i < apps.size(); ++i)
    if (ok[i]) granted.push_back(apps[i].project);
  CHECK(granted == std::vector<std::uint32_t>{11, 12});
  CHECK(s.rejected() == 2);
  CHECK(s.remaining(kernel::day_of(2024, 10, 1)) == Approx(0.5e6));  // never exceeded
  // Next time, only firms scoring at least the lowest accepted score count on it.
  CHECK(s.cutoff() == 0.5);
  CHECK(s.offer(project(1e7, kernel::day_of(2025, 2, 1)), 0.49, 1e18) == 0);
  CHECK(s.offer(project(1e7, kernel::day_of(2025, 2, 1)), 0.5, 1e18) == Approx(1e6));
  // A call where everyone fits resets the cutoff.
  std::vector<CallApplication> few = {{0.1, 1e6, 4, 14, 1}};
  CHECK(s.decide(few, kernel::day_of(2025, 9, 30)) == std::vector<bool>{true});
  CHECK(s.cutoff() == 0);
}

TEST_CASE("in a run: a call's grants stay within each year's budget and are all paid", "[levers][capital-subsidy][call]") {
  io::Scenario sc = io::load_scenario(RENEWSIM_SOURCE_DIR "/tests/data/small.toml");
  CapitalSubsidyParams c = subsidy(0.15, 0, 1e8);
  c.call = true;
  c.call_month = 6;
  c.call_day = 30;
  c.window = {kernel::day_of(2024, 1, 1), kernel::day_of(2025, 6, 30)};
  sc.params.policy.capital_subsidies.push_back(c);
  RegionSimulation sim(sc.params, targets_from_baseline(sc.params), 17, 0);
  const auto& years = sim.run();
  double granted = 0, outlay = 0;
  std::int64_t supported = 0, rejected = 0;
  for (const auto& y : years) {
    CHECK(y.levers[0].granted <= 1e8 * (1 + 1e-12));
    granted += y.levers[0].granted;
    outlay += y.levers[0].outlay;
    supported += y.levers[0].supported_projects;
    rejected += y.levers[0].rejected_applications;
    if (y.year < 2024 || y.year > 2025) CHECK(y.levers[0].granted == 0);
  }
  CHECK(supported > 0);
  CHECK(rejected > 0);
  CHECK(outlay == Approx(granted));  // the last call closed in mid-2025: everything is paid by the end of 2026
  CHECK(outlay == Approx(sim.ledger().subsidies_paid));
}

TEST_CASE("policy: subsidies stack up to the total share, a project draws a lever once", "[levers][policy]") {
  PolicyParams pp;
  pp.capital_subsidies.push_back(subsidy(0.2, 0, 0));
  pp.capital_subsidies.push_back(subsidy(0.2, 0, 0));
  pp.max_subsidy_share = 0.3;
  Policy policy(pp);
  const ProjectView v = project(1e7);
  CHECK(policy.offer(v, 0).amount == Approx(3e6));
  Grants g;
  std::vector<std::uint16_t> rejected;
  policy.grant(v, 0, g, rejected);
  CHECK(g.count == 2);
  CHECK(g.amount[0] == Approx(2e6));
  CHECK(g.amount[1] == Approx(1e6));
  CHECK(g.total() == Approx(3e6));
  policy.grant(v, 0, g, rejected);  // again: nothing more
  CHECK(g.count == 2);
  CHECK(g.total() == Approx(3e6));
  CHECK(rejected.empty());
  // Disabled levers are not part of the package.
  pp.capital_subsidies[0].enabled = false;
  CHECK(Policy(pp).size() == 1);
}

namespace {
io::Scenario small_with_subsidy(double rate, double budget) {
  io::Scenario sc = io::load_scenario(RENEWSIM_SOURCE_DIR "/tests/data/small.toml");
  CapitalSubsidyParams c = subsidy(rate, 0, budget);
  c.name = "upgrade";
  c.window = {kernel::day_of(2024, 1, 1), kernel::day_of(2025, 12, 31)};
  c.funding = {0, 0.5, 0.3, 0.2};
  sc.params.policy.capital_subsidies.push_back(c);
  return sc;
}
}  // namespace

TEST_CASE("in a run: budgets hold, grants only in the window, outlay follows acceptance", "[levers][capital-subsidy]") {
  const io::Scenario sc = small_with_subsidy(0.15, 2e8);
  RegionSimulation sim(sc.params, targets_from_baseline(sc.params), 5, 0);
  const auto& years = sim.run();
  double granted = 0, outlay = 0;
  std::int64_t supported = 0, rejected = 0;
  for (const auto& y : years) {
    REQUIRE(y.levers.size() == 1);
    const LeverYear& l = y.levers[0];
    CHECK(l.granted <= 2e8 * (1 + 1e-12));  // never above the year's budget
    if (y.year < 2024 || y.year > 2025) {
      CHECK(l.granted == 0);
      CHECK(l.supported_projects == 0);
    }
    if (y.year < 2024) CHECK(y.fiscal_outlay == 0);
    CHECK(y.fiscal_outlay_by_level[0] == 0);
    CHECK(y.fiscal_outlay_by_level[1] == Approx(0.5 * y.fiscal_outlay));
    granted += l.granted;
    outlay += l.outlay;
    supported += l.supported_projects;
    rejected += l.rejected_applications;
  }
  CHECK(supported > 0);
  CHECK(rejected > 0);  // the budget binds in this scenario
  CHECK(outlay <= granted * (1 + 1e-12));  // some grants are still to be paid at the end
  CHECK(outlay == Approx(sim.ledger().subsidies_paid));
  CHECK(outlay > 0.5 * granted);
}

TEST_CASE("with every lever switched off a policy scenario equals its counterfactual byte for byte",
          "[levers][policy][determinism][parallel]") {
  io::Scenario with = small_with_subsidy(0.2, 0);
  with.params.policy.capital_subsidies[0].enabled = false;
  const io::Scenario without = io::load_scenario(RENEWSIM_SOURCE_DIR "/tests/data/small.toml");
  auto csv = [](const model::ModelParams& p) {
    const auto cal = calibrate(p, 11, 20000, 2);
    return io::series_csv(io::make_series(run_replications(p, cal.targets, {11, 2, 2}), p, 2023));
  };
  CHECK(csv(with.params) == csv(without.params));
}

TEST_CASE("a higher subsidy rate never lowers the number of subsidised projects", "[levers][capital-subsidy]") {
  std::int64_t previous = -1;
  for (double rate : {0.05, 0.15, 0.30}) {
    const io::Scenario sc = small_with_subsidy(rate, 0);
    std::int64_t supported = 0;
    for (std::uint64_t rep = 0; rep < 3; ++rep) {
      const auto out = simulate_replication(sc.params, targets_from_baseline(sc.params), 21, rep);
      for (const auto& y : out.years) supported += y.levers[0].supported_projects;
    }
    INFO("rate " << rate << ": " << supported << " supported projects");
    CHECK(supported >= previous);
    previous = supported;
  }
}

TEST_CASE("policy: what a firm counts on is what it is granted, however many levers stack", "[levers][policy]") {
  PolicyParams pp;
  for (int i = 0; i < Grants::kMax + 3; ++i) pp.capital_subsidies.push_back(subsidy(0.02, 0, 0));
  Policy policy(pp);
  const ProjectView v = project(1e7);
  Grants g;
  std::vector<std::uint16_t> rejected;
  const double offered = policy.offer(v, 0).amount;
  policy.grant(v, 0, g, rejected);
  CHECK(g.count == Grants::kMax);
  CHECK(g.total() == Approx(offered));
}

TEST_CASE("expansion slots stay expansion slots through replacements", "[model][expansion]") {
  io::Scenario sc = io::load_scenario(RENEWSIM_SOURCE_DIR "/tests/data/small.toml");
  sc.params.end_year = 2040;  // long enough for expansion vintages to wear out
  RegionSimulation sim(sc.params, targets_from_baseline(sc.params), 8, 0);
  sim.run();
  const Population& pop = sim.population();
  for (const Firm& f : pop.firms) {
    int expansion = 0;
    for (std::uint32_t s = f.first_slot; s < f.first_slot + f.slots; ++s) expansion += pop.slots[s].has(Vintage::kExpansion);
    REQUIRE(expansion == sc.params.population.expansion_slots);
  }
}

namespace {
TaxTreatment base_treatment() {
  TaxTreatment t;
  t.schedule = TaxSchedule::flat(0.25);
  t.depreciation_years = 10;
  return t;
}
}  // namespace

TEST_CASE("tax lever: each mode gives the Hall-Jorgenson closed form", "[levers][tax]") {
  const double r = 0.08, delta = 0.1, u = 0.25;
  const double z10 = (1 - std::exp(-r * 10)) / (r * 10);
  ProjectView v = project(8e6);  // one unit of 8 m
  SECTION("expensing limit raised above the unit price") {
    TaxLeverParams p;
    p.expensing_unit_limit = 1e7;
    TaxTreatment t = base_treatment();
    REQUIRE(TaxLever(p).apply(v, t));
    CHECK(tax_factor(t, r, delta) == Approx(1.0));
    p.expensing_unit_limit = 5e6;  // below the unit price: no change
    TaxTreatment t2 = base_treatment();
    TaxLever(p).apply(v, t2);
    CHECK(tax_factor(t2, r, delta) == Approx((1 - u * z10) / (1 - u)));
  }
  SECTION("bonus depreciation and a shorter life") {
    TaxLeverParams p;
    p.bonus_share = 0.5;
    p.depreciation_years = 5;
    TaxTreatment t = base_treatment();
    TaxLever(p).apply(v, t);
    const double z = 0.5 + 0.5 * (1 - std::exp(-r * 5)) / (r * 5);
    CHECK(tax_factor(t, r, delta) == Approx((1 - u * z) / (1 - u)));
  }
  SECTION("investment credit") {
    TaxLeverParams p;
    p.credit = 0.1;
    TaxTreatment t = base_treatment();
    TaxLever(p).apply(v, t);
    CHECK(tax_factor(t, r, delta) == Approx((1 - 0.1 - u * z10) / (1 - u)));
  }
  SECTION("income-tax holiday: years 1-3 free, 4-6 half") {
    TaxLeverParams p;
    p.holiday_free_years = 3;
    p.holiday_half_years = 3;
    TaxTreatment t = base_treatment();
    TaxLever(p).apply(v, t);
    const double a = r + delta;
    const double big_u = u * (0.5 * (std::exp(-3 * a) - std::exp(-6 * a)) + std::exp(-6 * a));
    const double big_z = u / (r * 10) * (0.5 * (std::exp(-3 * r) - std::exp(-6 * r)) + std::exp(-6 * r) - std::exp(-r * 10));
    CHECK(tax_factor(t, r, delta) == Approx((1 - big_z) / (1 - big_u)));
  }
  SECTION("outside its window or eligibility it changes nothing") {
    TaxLeverParams p;
    p.credit = 0.2;
    p.window = {kernel::day_of(2026, 1, 1), kernel::day_of(2026, 12, 31)};
    TaxTreatment t = base_treatment();
    CHECK_FALSE(TaxLever(p).apply(v, t));
    CHECK(t.credit == 0);
  }
}

TEST_CASE("policy: tax levers in declaration order, with bounds for the decision", "[levers][tax][policy]") {
  PolicyParams pp;
  pp.capital_subsidies.push_back(subsidy(0.1, 0, 0));
  TaxLeverParams a, b;
  a.name = "credit";
  a.credit = 0.15;
  b.name = "holiday";
  b.holiday_free_years = 3;
  pp.tax_levers = {a, b};
  const Policy policy(pp);
  CHECK(policy.size() == 3);
  CHECK(policy.info(1).name == "credit");
  CHECK(policy.info(1).funding[0] == 1.0);  // tax expenditure: central
  CHECK(policy.max_tax_credit() == 0.15);
  CHECK(policy.any_tax_holiday());
  TaxTreatment t = base_treatment();
  std::vector<std::uint16_t> applied;
  policy.apply_tax(project(1e6), t, &applied);
  CHECK(applied == std::vector<std::uint16_t>{1, 2});
  CHECK(t.credit == 0.15);
  CHECK(t.schedule.rate_at(1.0) == 0.0);
  CHECK((PolicyParams{pp}.enabled_names() == std::vector<std::string>{"s", "credit", "holiday"}));
}

TEST_CASE("in a run: a tax credit supports projects in its window and a larger one never lowers investment",
          "[levers][tax]") {
  auto run = [](double credit) {
    io::Scenario sc = io::load_scenario(RENEWSIM_SOURCE_DIR "/tests/data/small.toml");
    TaxLeverParams t;
    t.name = "credit";
    t.credit = credit;
    t.window = {kernel::day_of(2024, 1, 1), kernel::day_of(2025, 12, 31)};
    sc.params.policy.tax_levers.push_back(t);
    std::map<int, YearStats> sum;
    for (std::uint64_t rep = 0; rep < 3; ++rep) {
      const auto out = simulate_replication(sc.params, targets_from_baseline(sc.params), 31, rep);
      for (const auto& y : out.years) {
        YearStats& s = sum[y.year];
        s.investment += y.investment;
        s.fiscal_outlay += y.fiscal_outlay;
        s.projects_started += y.projects_started;
        if (s.levers.empty()) s.levers.resize(1);
        s.levers[0].supported_projects += y.levers.at(0).supported_projects;
        s.levers[0].outlay += y.levers.at(0).outlay;
      }
    }
    return sum;
  };
  const auto low = run(0.05), high = run(0.25);
  for (const auto& [year, s] : high) {
    if (year < 2024 || year > 2025) {
      CHECK(s.levers[0].supported_projects == 0);
    } else {
      CHECK(s.levers[0].supported_projects > 0);
      CHECK(s.levers[0].outlay > 0);
      CHECK(s.fiscal_outlay == Approx(s.levers[0].outlay));
    }
  }
  double inv_low = 0, inv_high = 0;
  std::int64_t started_low = 0, started_high = 0;
  for (int y = 2024; y <= 2025; ++y) {
    inv_low += low.at(y).investment;
    inv_high += high.at(y).investment;
    started_low += low.at(y).projects_started;
    started_high += high.at(y).projects_started;
  }
  CHECK(started_high >= started_low);
  CHECK(inv_high >= inv_low);
}

TEST_CASE("interest subsidy: rate cut, expected interest, budget in event order", "[levers][interest]") {
  InterestSubsidyParams p;
  p.points = 0.015;
  p.years = 2;
  p.budget = 1e5;
  InterestSubsidy s(p);
  const ProjectView v = project(1e7);
  CHECK(s.rate_cut(v, 5) == Approx(0.015 * 2 / 5));  // averaged over a 5-year loan
  CHECK(s.rate_cut(v, 1) == Approx(0.015));
  // Amortising 5-year loan of 4 m: outstanding 1 - t/5; over 2 years 2 - 4/10 = 1.6 loan-years.
  CHECK(s.cost(4e6, 5) == Approx(0.015 * 4e6 * 1.6));
  CHECK(s.grant(v, 4e6, 5) == Approx(9.6e4));  // first come
  CHECK(s.grant(v, 4e6, 5) == 0);              // the rest of the budget cannot cover it
  CHECK(s.rejected() == 1);
  CHECK(s.rate_cut(v, 5) > 0);  // still open: 4 000 left
  InterestSubsidyParams closed = p;
  closed.window = {kernel::day_of(2026, 1, 1), kernel::day_of(2026, 12, 31)};
  CHECK(InterestSubsidy(closed).rate_cut(v, 5) == 0);
  // Stacking: a central 1.5 pp and a city 1 pp add up.
  PolicyParams pp;
  pp.interest_subsidies.push_back(p);
  InterestSubsidyParams city = p;
  city.name = "city";
  city.points = 0.01;
  city.budget = 0;
  pp.interest_subsidies.push_back(city);
  CHECK(Policy(pp).loan_rate(v, 1e6, 0.05, 2) == Approx(0.05 - 0.025));
}

TEST_CASE("in a run: interest subsidies support borrowing projects within budget, more points never fewer projects",
          "[levers][interest]") {
  auto run = [](double points) {
    io::Scenario sc = io::load_scenario(RENEWSIM_SOURCE_DIR "/tests/data/small.toml");
    InterestSubsidyParams i;
    i.name = "relending";
    i.points = points;
    i.years = 2;
    i.budget = 2e6;
    i.window = {kernel::day_of(2024, 1, 1), kernel::day_of(2025, 12, 31)};
    sc.params.policy.interest_subsidies.push_back(i);
    std::int64_t started = 0, supported = 0;
    double loans = 0;
    for (std::uint64_t rep = 0; rep < 3; ++rep) {
      const auto out = simulate_replication(sc.params, targets_from_baseline(sc.params), 41, rep);
      for (const auto& y : out.years) {
        REQUIRE(y.levers.size() == 1);
        CHECK(y.levers[0].granted <= 2e6 * (1 + 1e-12));
        CHECK(y.levers[0].outlay == Approx(y.levers[0].granted));
        if (y.year < 2024 || y.year > 2025) CHECK(y.levers[0].supported_projects == 0);
        if (y.year >= 2024 && y.year <= 2025) {
          started += y.projects_started;
          supported += y.levers[0].supported_projects;
        }
        loans += y.loans_drawn;
      }
    }
    return std::make_tuple(started, supported, loans);
  };
  const auto [started_low, supported_low, loans_low] = run(0.005);
  const auto [started_high, supported_high, loans_high] = run(0.03);
  CHECK(supported_low > 0);
  CHECK(loans_low > 0);
  CHECK(started_high >= started_low);
  (void)supported_high;
  (void)loans_high;
}

TEST_CASE("approval lever: days saved for eligible projects, stacking, never below zero", "[levers][approval]") {
  ApprovalLeverParams a;
  a.name = "commitment_filing";
  a.days_saved = 45;
  a.eligible.kinds.set(idx(ProjectKind::Replace));
  a.eligible.kinds.set(idx(ProjectKind::Retrofit));  // no new land
  const ApprovalLever lever(a);
  ProjectView v = project(1e6);
  CHECK(lever.days_saved(v) == 45);
  v.kind = ProjectKind::Expand;
  CHECK(lever.days_saved(v) == 0);
  PolicyParams pp;
  pp.approval_levers.push_back(a);
  ApprovalLeverParams b = a;
  b.name = "leaders";
  b.days_saved = 20;
  b.eligible = Eligibility{};
  b.eligible.sizes.set(idx(SizeClass::Large));
  pp.approval_levers.push_back(b);
  const Policy policy(pp);
  std::vector<std::uint16_t> counted;
  ProjectView large = project(1e6);
  large.size = SizeClass::Large;
  CHECK(policy.approval_days_saved(large, [&](std::uint16_t l) { counted.push_back(l); }) == 65);
  CHECK(counted == std::vector<std::uint16_t>{0, 1});
}

TEST_CASE("in a run: a shorter approval lead time never brings investment later", "[levers][approval]") {
  // Cumulative investment to each year end, summed over replications, with
  // approval cut by 0, 30 and 60 days from 2024 on.
  auto cumulative = [](int days) {
    io::Scenario sc = io::load_scenario(RENEWSIM_SOURCE_DIR "/tests/data/small.toml");
    if (days > 0) {
      ApprovalLeverParams a;
      a.name = "fast";
      a.days_saved = days;
      a.window = {kernel::day_of(2024, 1, 1), kernel::day_of(2026, 12, 31)};
      sc.params.policy.approval_levers.push_back(a);
    }
    std::map<int, double> cum;
    std::int64_t supported = 0;
    for (std::uint64_t rep = 0; rep < 3; ++rep) {
      const auto out = simulate_replication(sc.params, targets_from_baseline(sc.params), 51, rep);
      double running = 0;
      for (const auto& y : out.years) {
        running += y.investment;
        cum[y.year] += running;
        if (!y.levers.empty()) supported += y.levers[0].supported_projects;
        if (!y.levers.empty()) CHECK(y.fiscal_outlay == 0);  // costs no public money
      }
    }
    if (days > 0) CHECK(supported > 0);
    return cum;
  };
  const auto slow = cumulative(0), mid = cumulative(30), fast = cumulative(60);
  CHECK(mid.at(2024) >= slow.at(2024));
  CHECK(fast.at(2024) >= mid.at(2024));
  CHECK(slow.at(2023) == mid.at(2023));  // nothing changes before the lever opens
}

#include "model/invariant.hpp"

TEST_CASE("invariant checks are on in the test build and throw", "[model][invariants]") {
#ifdef RENEWSIM_CHECKS
  CHECK_THROWS_AS([] { RENEWSIM_INVARIANT(1 + 1 == 3, "arithmetic"); }(), std::logic_error);
  CHECK_NOTHROW([] { RENEWSIM_INVARIANT(1 + 1 == 2, "arithmetic"); }());
#else
  FAIL("the test presets define RENEWSIM_CHECKS");
#endif
}
