// Levers that act through rules and information: land, group purchase,
// first-of-kind equipment, mandatory standards, awards, advisers and
// awareness, programmes.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <set>

#include "io/output.hpp"
#include "io/scenario.hpp"
#include "model/levers/policy.hpp"
#include "model/region_simulation.hpp"
#include "model/runner.hpp"

using namespace renewsim;
using namespace renewsim::model;

namespace {
ProjectView project(double price, std::uint64_t key = 7, kernel::Day day = kernel::day_of(2025, 6, 1)) {
  ProjectView v;
  v.price = price;
  v.day = day;
  v.firm_key = key;
  v.project_key = key * 31 + 5;
  v.revenue = 1e8;
  v.category = Category::MachineTools;
  v.kind = ProjectKind::Replace;
  return v;
}
io::Scenario small() { return io::load_scenario(RENEWSIM_SOURCE_DIR "/tests/data/small.toml"); }
std::vector<YearStats> run_one(const io::Scenario& sc, std::uint64_t seed, std::uint64_t rep = 0) {
  return simulate_replication(sc.params, targets_from_baseline(sc.params), seed, rep).years;
}
const YearStats& year(const std::vector<YearStats>& ys, int y) {
  for (const auto& s : ys)
    if (s.year == y) return s;
  throw std::out_of_range("no such year");
}
}  // namespace

TEST_CASE("land: waivers stack up to the land price, score bonus, expansions only by default", "[levers][land]") {
  LandLeverParams l;
  l.name = "zero_land";
  l.waiver = 0.6;
  l.score_bonus = 0.2;
  PolicyParams pp;
  pp.land_levers.push_back(l);
  pp.land_levers.push_back(l);
  pp.land_levers.back().name = "county_top_up";
  Policy policy(pp);
  ProjectView v = project(1e7);
  CHECK(policy.land_waiver(v) == 0);  // a replacement needs no land
  v.kind = ProjectKind::Expand;
  CHECK(policy.land_waiver(v) == 1.0);  // 0.6 + 0.6, at most all of it
  CHECK(policy.score_bonus(v) == Approx(0.4));
  std::vector<std::pair<std::uint16_t, double>> paid;
  policy.support_at_start(v, v.price, 1e6, [&](std::uint16_t lever, double a, bool to_firm) {
    CHECK_FALSE(to_firm);
    paid.emplace_back(lever, a);
  }, [](std::uint16_t) {}, [](std::uint16_t) {});
  REQUIRE(paid.size() == 2);
  CHECK(paid[0].second == Approx(6e5));
  CHECK(paid[1].second == Approx(4e5));  // only what is left of the land price
}

TEST_CASE("group purchase: a discount for the cluster's participating firms", "[levers][group-purchase]") {
  GroupPurchaseParams g;
  g.name = "fasteners";
  g.discount = 0.08;
  g.participation = 0.5;
  g.eligible.counties = {false, true};
  g.eligible.sectors.set(2);
  PolicyParams pp;
  pp.group_purchases.push_back(g);
  const Policy policy(pp);
  int joined = 0;
  for (std::uint64_t k = 0; k < 10000; ++k) {
    ProjectView v = project(1e6, k * 2654435761u + 1);
    v.sector = 2;
    v.county = 1;
    const double f = policy.price_factor(v);
    CHECK((f == 1.0 || f == Approx(0.92)));
    joined += f < 1 ? 1 : 0;
    v.county = 0;  // outside the cluster
    CHECK(policy.price_factor(v) == 1.0);
  }
  CHECK(joined / 10000.0 == Approx(0.5).margin(0.02));
}

TEST_CASE("first-of-kind: a share of projects, counted at 150 % in the subsidy base, insurance paid",
          "[levers][first-of-kind]") {
  FirstOfKindParams k;
  k.name = "first_unit";
  k.share = 0.25;
  k.insurance_subsidy = 0.02;
  k.eligible.kinds.set(idx(ProjectKind::Replace));
  CapitalSubsidyParams c;
  c.name = "subsidy";
  c.rate = 0.1;
  PolicyParams pp;
  pp.first_of_kind.push_back(k);
  pp.capital_subsidies.push_back(c);
  Policy policy(pp);
  int first = 0;
  for (std::uint64_t key = 0; key < 20000; ++key) {
    ProjectView v = project(1e6, key);
    v.project_key = key * 0x9e3779b97f4a7c15ULL;
    v.counted_factor = policy.counted_factor(v);
    const double offer = policy.offer(v, 0).amount;
    if (v.counted_factor > 1) {
      ++first;
      CHECK(v.counted_factor == 1.5);
      CHECK(offer == Approx(0.1 * 1.5e6 + 0.02 * 1e6));
    } else {
      CHECK(offer == Approx(0.1 * 1e6));
    }
  }
  CHECK(first / 20000.0 == Approx(0.25).margin(0.015));
}

TEST_CASE("mandatory standard: bans by age, class and control at and around each threshold", "[levers][standard]") {
  MandatoryStandardParams m;
  m.name = "old_machine_tools";
  m.max_age = 10;
  m.min_energy_class = EnergyClass::Baseline;
  m.eligible.categories.set(idx(Category::MachineTools));
  m.eligible.categories.set(idx(Category::FurnacesBoilers));
  m.window = {kernel::day_of(2024, 6, 1), kernel::day_of(2030, 12, 31)};
  m.compliance = 0.5;
  const MandatoryStandard st(m);
  ProjectView firm = project(0);
  EquipmentView e;
  e.age_years = 10.0;
  CHECK_FALSE(st.bans(firm, e));  // "over 10 years"
  e.age_years = 10.01;
  CHECK(st.bans(firm, e));
  e.age_years = 3;
  e.energy_class = EnergyClass::BelowBaseline;
  CHECK(st.bans(firm, e));
  e.energy_applicable = false;  // a category without energy classes
  CHECK_FALSE(st.bans(firm, e));
  e.energy_applicable = true;
  e.category = Category::Instruments;  // not a listed category
  CHECK_FALSE(st.bans(firm, e));
  e.category = Category::FurnacesBoilers;
  firm.day = kernel::day_of(2024, 5, 31);  // not yet in force
  CHECK_FALSE(st.bans(firm, e));
  // Compliance: about half of the firms act before the deadline.
  int acting = 0;
  for (std::uint64_t k = 0; k < 10000; ++k) acting += st.compels(project(0, k * 6364136223846793005ULL + 1)) ? 1 : 0;
  CHECK(acting / 10000.0 == Approx(0.5).margin(0.02));
  // Firms keeping banned equipment get no subsidy.
  PolicyParams pp;
  pp.mandatory_standards.push_back(m);
  CapitalSubsidyParams c;
  c.name = "subsidy";
  pp.capital_subsidies.push_back(c);
  Policy policy(pp);
  ProjectView v = project(1e6);
  CHECK(policy.offer(v, 0).amount > 0);
  v.non_compliant = true;
  CHECK(policy.offer(v, 0).amount == 0);
  Grants g;
  std::vector<std::uint16_t> rejected;
  policy.grant(v, 0, g, rejected);
  CHECK(g.count == 0);
}

TEST_CASE("in a run: capacity below the baseline is renewed and what is left exits at the deadline",
          "[levers][standard]") {
  io::Scenario sc = small();
  sc.params.end_year = 2028;
  const auto before = run_one(sc, 71);
  MandatoryStandardParams m;
  m.name = "energy_baseline";
  m.min_energy_class = EnergyClass::Baseline;
  m.window = {kernel::day_of(2024, 1, 1), kernel::day_of(2030, 12, 31)};
  m.deadline = kernel::day_of(2026, 6, 30);
  m.compliance = 0.7;
  sc.params.policy.mandatory_standards.push_back(m);
  RegionSimulation sim(sc.params, targets_from_baseline(sc.params), 71, 0);
  const auto& after = sim.run();
  const auto below = static_cast<std::size_t>(idx(EnergyClass::BelowBaseline));
  CHECK(year(before, 2023).energy_class_shares[below] > 0.02);
  CHECK(year(after, 2025).energy_class_shares[below] < year(before, 2025).energy_class_shares[below]);
  CHECK(year(after, 2024).replacements + year(after, 2024).retrofits >
        year(before, 2024).replacements + year(before, 2024).retrofits);
  CHECK(year(after, 2024).levers[0].supported_projects > 0);  // renewals the standard compelled
  CHECK(year(before, 2024).levers.empty());
  CHECK(year(after, 2026).capacity_exited > 0);  // the firms that did not comply lose that capacity
  CHECK(year(after, 2026).units_exited > 0);
  for (const auto& y : after)
    if (y.year != 2026) CHECK(y.capacity_exited == 0);
  // No below-baseline equipment is ever bought: none is left once the last
  // projects that were under way at the deadline are done.
  CHECK(year(after, 2027).energy_class_shares[below] == 0);
  CHECK(sim.units_in_service() == sim.ledger().initial_units + sim.ledger().installed_units - sim.ledger().scrapped_units);
}

TEST_CASE("award: thresholds, once per firm, budget in event order", "[levers][award]") {
  AwardParams a;
  a.name = "smart_factory";
  a.amount = 5e5;
  a.min_cnc_share = 0.8;
  a.require_digital_tools = true;
  a.budget = 1e6;
  Award award(a);
  FirmStatus s;
  s.key_capacity = 100;
  s.cnc_capacity = 80;
  s.digital_tools = true;
  CHECK(award.qualifies(s));
  s.cnc_capacity = 79.9;
  CHECK_FALSE(award.qualifies(s));
  s.cnc_capacity = 80;
  s.digital_tools = false;
  CHECK_FALSE(award.qualifies(s));
  s.digital_tools = true;
  FirmStatus empty;  // no key capacity: cannot reach a CNC share
  empty.digital_tools = true;
  CHECK_FALSE(award.qualifies(empty));
  // The decision counts it only for a project that lifts the firm to the status.
  FirmStatus lower = s;
  lower.cnc_capacity = 50;
  ProjectView v = project(1e6);
  v.firm = 3;
  CHECK(award.offer(v, lower, s) == 5e5);
  CHECK(award.offer(v, s, s) == 0);
  CHECK(award.offer(v, lower, lower) == 0);
  // Not yet open when the firm decides: not counted on, though it would be open at commissioning.
  CHECK(award.offer(v, lower, s, a.window.start - 1) == 0);
  CHECK(award.offer(v, lower, s, a.window.start) == 5e5);
  CHECK(award.claim(v, s) == 5e5);
  CHECK(award.claim(v, s) == Award::kNone);  // once per firm
  CHECK(award.offer(v, lower, s) == 0);
  v.firm = 4;
  CHECK(award.claim(v, s) == 5e5);
  v.firm = 5;
  CHECK(award.claim(v, s) == Award::kNone);  // the year's budget is spent
  CHECK(award.rejected() == 1);
  v.day = kernel::day_of(2026, 1, 2);
  CHECK(award.claim(v, s) == 5e5);  // a new year's budget
  // A recognition without money still designates, once per firm, whatever the budget.
  AwardParams rp = a;
  rp.amount = 0;
  rp.budget = 1;
  Award recognition(rp);
  CHECK(recognition.claim(v, s) == 0);
  CHECK(recognition.claim(v, s) == Award::kNone);
  v.firm = 6;
  CHECK(recognition.claim(v, lower) == Award::kNone);  // not qualifying
  CHECK(recognition.claim(v, s) == 0);
}

TEST_CASE("in a run: awards are paid once per firm that reaches the status, within budget", "[levers][award]") {
  io::Scenario sc = small();
  AwardParams a;
  a.name = "digital_workshop";
  a.amount = 3e5;
  a.min_cnc_share = 0.9;
  a.require_digital_tools = true;
  a.budget = 9e5;  // three awards a year
  sc.params.policy.awards.push_back(a);
  FirstOfKindParams k;
  k.name = "first_unit";
  k.share = 0.2;
  k.insurance_subsidy = 0.02;
  sc.params.policy.first_of_kind.push_back(k);
  RegionSimulation sim(sc.params, targets_from_baseline(sc.params), 81, 0);
  const auto& years = sim.run();
  std::int64_t awards = 0, rejected = 0;
  double paid_to_firms = 0;
  for (const auto& y : years) {
    const LeverYear& l = y.levers[1];  // first-of-kind is numbered before awards
    paid_to_firms += y.levers[0].outlay + l.outlay;
    rejected += l.rejected_applications;
    CHECK(l.outlay <= 9e5 + 1e-6);
    CHECK(l.outlay == Approx(3e5 * static_cast<double>(l.supported_projects)));
    if (y.year < 2024 || y.year > 2027) CHECK(l.supported_projects == 0);
    awards += l.supported_projects;
  }
  CHECK(awards > 0);
  CHECK(awards <= sc.params.total_firms());
  CHECK(rejected > 0);  // claims the budget refused are counted
  CHECK(paid_to_firms == Approx(sim.ledger().subsidies_paid));  // awards and insurance reach the ledger
}

TEST_CASE("awareness: an unannounced lever reaches only firms told of it or that learn of it",
          "[levers][awareness]") {
  CapitalSubsidyParams c;
  c.name = "quiet_subsidy";
  c.rate = 0.2;
  c.announced = false;
  c.window = {kernel::day_of(2024, 1, 1), kernel::day_of(2027, 12, 31)};
  // Learned at a yearly hazard: the share aware after t years is 1 - e^{-rate t}.
  c.awareness_rate = 0.5;
  int aware = 0;
  for (std::uint64_t k = 0; k < 20000; ++k) aware += c.known(project(1e6, k * 0x2545F4914F6CDD1DULL + 9, kernel::day_of(2026, 1, 1))) ? 1 : 0;
  CHECK(aware / 20000.0 == Approx(1 - std::exp(-0.5 * (kernel::day_of(2026, 1, 1) - c.window.start) / 365.25)).margin(0.015));
  c.awareness_rate = 0;
  ProjectView v = project(1e6);
  CHECK_FALSE(c.covers(v));
  c.awareness_bit = 3;
  v.known = std::uint64_t{1} << 3;
  CHECK(c.covers(v));

  // In a run: nothing without advisers; advisers visit every firm once and the lever then supports projects.
  auto run = [&](bool advisers) {
    io::Scenario sc = small();
    sc.params.policy.capital_subsidies.push_back(c);
    if (advisers) {
      AdvisoryParams a;
      a.name = "diagnosis";
      a.window = {kernel::day_of(2024, 3, 1), kernel::day_of(2025, 2, 28)};
      a.cost_per_visit = 2e4;
      sc.params.policy.advisories.push_back(a);
    }
    return run_one(sc, 91);
  };
  std::int64_t supported = 0;
  for (const auto& y : run(false)) supported += y.levers[0].supported_projects;
  CHECK(supported == 0);
  const auto with = run(true);
  std::int64_t visits = 0;
  double visit_cost = 0;
  for (const auto& y : with) {
    supported += y.levers[0].supported_projects;
    visits += y.levers[1].supported_projects;
    visit_cost += y.levers[1].outlay;
    if (y.year < 2024) CHECK(y.levers[0].supported_projects == 0);
  }
  CHECK(supported > 0);
  CHECK(visits == small().params.total_firms());  // full coverage, each firm once
  CHECK(visit_cost == Approx(2e4 * static_cast<double>(visits)));
  CHECK(year(with, 2025).levers[1].supported_projects > 0);  // visits spread over the window
  CHECK(year(with, 2026).levers[1].supported_projects == 0);
}

TEST_CASE("programme: members by rules and share, projects designated up to a yearly number", "[levers][programme]") {
  ProgrammeParams g;
  g.name = "demonstration";
  g.share = 1.0;
  g.grant = 1e6;
  g.max_projects = 2;
  g.eligible.sizes.set(idx(SizeClass::Large));
  Programme prog(g);
  ProjectView v = project(1e7);
  CHECK_FALSE(prog.member(v));
  v.size = SizeClass::Large;
  CHECK(prog.member(v));
  CHECK(prog.offer(v) == 1e6);
  CHECK(prog.designate(v));
  CHECK(prog.designate(v));
  CHECK(prog.offer(v) == 0);  // this year's two are taken
  CHECK_FALSE(prog.designate(v));
  CHECK(prog.rejected() == 1);
  v.day = kernel::day_of(2026, 3, 1);
  CHECK(prog.designate(v));
}

TEST_CASE("extra reviews when a lever opens: more projects start right after the opening", "[levers][reviews]") {
  auto started_after_open = [](double share) {
    io::Scenario sc = small();
    CapitalSubsidyParams c;
    c.name = "subsidy";
    c.rate = 0.15;
    c.window = {kernel::day_of(2025, 3, 1), kernel::day_of(2027, 12, 31)};
    c.reviews_on_open = share;
    c.reaction_days = 60;
    sc.params.policy.capital_subsidies.push_back(c);
    RegionSimulation sim(sc.params, targets_from_baseline(sc.params), 101, 0);
    sim.run(2024);
    const auto events_before = sim.events_processed();
    const auto& ys = sim.run();
    (void)events_before;
    return year(ys, 2025).levers[0].supported_projects;
  };
  CHECK(started_after_open(1.0) > started_after_open(0.0));
}

TEST_CASE("the commissioning hook reports every commissioning, with programme designations", "[levers][programme]") {
  io::Scenario sc = small();
  ProgrammeParams g;
  g.name = "leaders";
  g.role = ProgrammeParams::Role::ChainLeader;
  g.eligible.sizes.set(idx(SizeClass::Large));
  sc.params.policy.programmes.push_back(g);
  RegionSimulation sim(sc.params, targets_from_baseline(sc.params), 111, 0);
  std::int64_t reported = 0, leaders = 0, demos = 0;
  std::set<std::uint32_t> leader_firms;
  sim.set_commission_hook([&](RegionSimulation& s, const Commissioned& c) {
    ++reported;
    CHECK(c.day == s.now());
    if (c.chain_leader) {
      ++leaders;
      leader_firms.insert(c.firm);
      CHECK(s.population().firms[c.firm].size == static_cast<std::uint8_t>(SizeClass::Large));
    }
    demos += c.demonstration ? 1 : 0;
  });
  const auto& ys = sim.run();
  std::int64_t commissioned = 0, designated = 0;
  for (const auto& y : ys) {
    commissioned += y.projects_commissioned;
    designated += y.levers[0].supported_projects;
  }
  CHECK(reported == commissioned);
  CHECK(leaders > 0);
  CHECK(leaders <= designated);  // designated projects still under way at the end are not reported
  CHECK(demos == 0);
}

TEST_CASE("with one lever of every type switched off a scenario equals its counterfactual byte for byte",
          "[levers][policy][determinism]") {
  const io::Scenario without = small();
  io::Scenario with = small();
  PolicyParams& pp = with.params.policy;
  auto off = [](auto lever, const char* name) {
    lever.name = name;
    lever.enabled = false;
    lever.reviews_on_open = 1.0;
    return lever;
  };
  pp.capital_subsidies.push_back(off(CapitalSubsidyParams{}, "a"));
  pp.tax_levers.push_back(off(TaxLeverParams{}, "b"));
  pp.interest_subsidies.push_back(off(InterestSubsidyParams{}, "c"));
  pp.approval_levers.push_back(off(ApprovalLeverParams{}, "d"));
  pp.loan_funds.push_back(off(LoanFundParams{}, "e"));
  pp.credit_supplies.push_back(off(CreditSupplyParams{}, "f"));
  pp.land_levers.push_back(off(LandLeverParams{}, "g"));
  pp.group_purchases.push_back(off(GroupPurchaseParams{}, "h"));
  pp.first_of_kind.push_back(off(FirstOfKindParams{}, "i"));
  MandatoryStandardParams m = off(MandatoryStandardParams{}, "j");
  m.max_age = 5;
  pp.mandatory_standards.push_back(m);
  pp.awards.push_back(off(AwardParams{}, "k"));
  pp.advisories.push_back(off(AdvisoryParams{}, "l"));
  pp.programmes.push_back(off(ProgrammeParams{}, "m"));
  CHECK(pp.enabled_names().empty());
  auto csv = [](const model::ModelParams& p) {
    const auto cal = calibrate(p, 13, 20000, 2);
    return io::series_csv(io::make_series(run_replications(p, cal.targets, {13, 2, 2}), p, 2023));
  };
  CHECK(csv(with.params) == csv(without.params));
}

TEST_CASE("inform: a neighbour's word makes a firm aware of an unannounced lever", "[levers][awareness]") {
  io::Scenario sc = small();
  CapitalSubsidyParams c;
  c.name = "quiet_subsidy";
  c.rate = 0.3;
  c.announced = false;
  c.window = {kernel::day_of(2023, 6, 1), kernel::day_of(2026, 12, 31)};
  sc.params.policy.capital_subsidies.push_back(c);
  CapitalSubsidyParams loud = c;
  loud.name = "loud_subsidy";
  loud.announced = true;
  sc.params.policy.capital_subsidies.push_back(loud);
  RegionSimulation sim(sc.params, targets_from_baseline(sc.params), 121, 0);
  CHECK_FALSE(sim.inform(0, "loud_subsidy"));  // announced: nothing to tell
  CHECK_FALSE(sim.inform(0, "no_such_lever"));
  const auto n = static_cast<std::uint32_t>(sim.population().firms.size());
  for (std::uint32_t i = 0; i < n; i += 2) CHECK(sim.inform(i, "quiet_subsidy"));
  const auto& ys = sim.run();
  std::int64_t quiet = 0;
  for (const auto& y : ys) quiet += y.levers[0].supported_projects;
  CHECK(quiet > 0);
  CHECK_THROWS_AS(sim.inform(n, "quiet_subsidy"), std::out_of_range);
}

TEST_CASE("subsidy exclusion follows each standard's own setting", "[levers][standard]") {
  auto supported = [](bool exclude) {
    io::Scenario sc = small();
    MandatoryStandardParams m;
    m.name = "old_tools";
    m.max_age = 8;
    m.compliance = 0.0;  // nobody acts early: banned equipment stays until the deadline
    m.exit_at_deadline = false;
    m.exclude_from_subsidies = exclude;
    m.window = {kernel::day_of(2024, 1, 1), kernel::day_of(2026, 12, 31)};
    sc.params.policy.mandatory_standards.push_back(m);
    CapitalSubsidyParams c;
    c.name = "subsidy";
    c.rate = 0.1;
    sc.params.policy.capital_subsidies.push_back(c);
    std::int64_t n = 0;
    for (const auto& y : run_one(sc, 141)) n += y.levers[0].supported_projects;
    return n;
  };
  const auto excluded = supported(true);
  const auto not_excluded = supported(false);
  CHECK(not_excluded > excluded);
}

TEST_CASE("call and first-come subsidies stack alike in the offer and the grant", "[levers][call][policy]") {
  PolicyParams pp;
  CapitalSubsidyParams call;
  call.name = "call";
  call.rate = 0.2;
  call.call = true;
  call.budget = 1e6;
  pp.capital_subsidies.push_back(call);
  CapitalSubsidyParams first;
  first.name = "first";
  first.rate = 0.2;
  pp.capital_subsidies.push_back(first);
  pp.max_subsidy_share = 0.3;
  Policy policy(pp);
  // A call that binds sets the cutoff at 0.8: a firm scoring 0.5 expects nothing from it.
  std::vector<CallApplication> apps = {{0.8, 1e6, 0, 1, 1}, {0.7, 1e6, 1, 2, 1}};
  policy.decide_call(0, apps, kernel::day_of(2024, 12, 31));
  const ProjectView v = project(1e7);
  const Offer offer = policy.offer(v, 0.5);
  Grants g;
  std::vector<std::uint16_t> rejected;
  std::vector<std::pair<std::uint32_t, double>> asked;
  policy.grant(v, 0.5, g, rejected, &asked);
  CHECK(offer.amount == Approx(1e6));  // the first-come subsidy, in the room the call application leaves
  CHECK(g.total() == Approx(offer.amount));
  REQUIRE(asked.size() == 1);
  CHECK(asked[0].second == Approx(2e6));
}

TEST_CASE("support_bound is never below what a project of the firm is offered", "[levers][policy][bound]") {
  // The decision's cheap bounds stand in for candidates priced with every
  // lever; they are exact only if no offer ever exceeds the bound.
  PolicyParams pp;
  CapitalSubsidyParams tiers;
  tiers.name = "tiers";
  tiers.tier_rates = {0.1, 0.2, 0.3};
  tiers.cap = 2e6;
  tiers.eligible.sectors.set(0);
  tiers.eligible.sectors.set(1);
  pp.capital_subsidies.push_back(tiers);
  CapitalSubsidyParams call;
  call.name = "call";
  call.rate = 0.1;
  call.call = true;
  call.budget = 5e6;
  pp.capital_subsidies.push_back(call);
  CapitalSubsidyParams retrofit;
  retrofit.name = "retrofit";
  retrofit.rate = 0.25;
  retrofit.eligible.kinds.set(static_cast<std::size_t>(ProjectKind::Retrofit));
  retrofit.eligible.min_price = 5e5;
  retrofit.window = {kernel::day_of(2025, 1, 1), kernel::day_of(2026, 12, 31)};
  pp.capital_subsidies.push_back(retrofit);
  CapitalSubsidyParams small_budget;
  small_budget.name = "small_budget";
  small_budget.rate = 0.2;
  small_budget.budget = 3e6;
  pp.capital_subsidies.push_back(small_budget);
  CapitalSubsidyParams quiet;
  quiet.name = "quiet";
  quiet.rate = 0.15;
  quiet.announced = false;
  quiet.awareness_rate = 0.5;
  pp.capital_subsidies.push_back(quiet);
  pp.max_subsidy_share = 0.4;
  FirstOfKindParams fok;
  fok.name = "fok";
  fok.share = 0.5;
  fok.insurance_subsidy = 0.05;
  pp.first_of_kind.push_back(fok);
  GroupPurchaseParams group;
  group.name = "group";
  group.discount = 0.1;
  group.participation = 0.5;
  group.eligible.sectors.set(1);
  pp.group_purchases.push_back(group);
  ProgrammeParams programme;
  programme.name = "programme";
  programme.grant = 2e5;
  programme.share = 0.5;
  programme.window = {kernel::day_of(2023, 1, 1), kernel::day_of(2027, 6, 30)};
  pp.programmes.push_back(programme);
  AwardParams award;
  award.name = "award";
  award.amount = 5e5;
  award.min_cnc_share = 0.8;
  award.window = {kernel::day_of(2024, 1, 1), kernel::day_of(2028, 3, 31)};
  pp.awards.push_back(award);
  Policy policy(pp);

  std::mt19937_64 rng(2024);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const double credibility = 0.8;
  int offered = 0, bound_above_zero = 0, not_all_covering = 0;
  for (int firm = 0; firm < 400; ++firm) {
    ProjectView fv = project(0, rng(), kernel::day_of(2023, 6, 1) + static_cast<kernel::Day>(u(rng) * 5 * 365));
    fv.firm = static_cast<std::uint32_t>(firm);
    fv.sector = static_cast<std::uint8_t>(rng() % 3);
    fv.size = static_cast<SizeClass>(rng() % kSizeClasses);
    fv.known = rng() & 1u;
    FirmStatus before;
    before.key_capacity = 100;
    before.cnc_capacity = 100 * u(rng);
    std::uint64_t found_with_bound = 0;
    const SupportBound b = policy.support_bound(fv, credibility, [&] { return before; }, &found_with_bound);
    if (b.capital_share > 0 || b.cash_fixed > 0) ++bound_above_zero;
    // The bound hands back the covering mask it finds on the way (budgets spent or not).
    CHECK(found_with_bound == policy.subsidies_covering_firm(fv));
    for (int k = 0; k < 20; ++k) {
      ProjectView v = fv;
      v.project_key = rng();
      v.category = static_cast<Category>(rng() % kCategories);
      v.kind = static_cast<ProjectKind>(rng() % kProjectKinds);
      v.energy_class = static_cast<EnergyClass>(rng() % kEnergyClasses);
      v.cnc = rng() & 1u;
      const double list = std::exp(std::log(1e4) + u(rng) * std::log(1e4));  // 10 thousand to 100 million
      v.price = list;
      // As the decision prices a candidate (RegionSimulation::lever_support).
      const double paid = list * policy.price_factor(v);
      v.price = paid;
      v.counted_factor = policy.counted_factor(v);
      const double score = u(rng);
      Offer o = policy.offer(v, score);
      // The firm's rules found once for the firm (as lever_support does for a
      // slot's alternatives) give the same offer as checking them per project.
      const std::uint64_t covering = policy.subsidies_covering_firm(fv);
      const Offer once = policy.offer(v, score, &covering);
      CHECK(once.amount == o.amount);
      CHECK(once.capital == o.capital);
      CHECK(once.closes == o.closes);
      if (covering != ~std::uint64_t{0}) ++not_all_covering;
      FirmStatus after = before;
      after.cnc_capacity = 100 * u(rng);
      ProjectView at_commissioning = v;
      at_commissioning.day = v.day + 200;
      policy.award_offer(at_commissioning, before, after, o, v.day);
      if (o.amount > 0) ++offered;
      CHECK(paid >= b.price_factor * list * (1 - 1e-12));
      CHECK(credibility * o.capital <= b.capital_share * paid * (1 + 1e-12));
      CHECK(credibility * (o.amount - o.capital) <= (b.cash_share * list + b.cash_fixed) * (1 + 1e-12));
      // No support the firm is offered closes before the bound says (the hurdle bound's closing test).
      if (o.amount > 0) CHECK(o.closes >= b.closes);
      // Budgets run down as projects start, and the bound follows them.
      if (u(rng) < 0.3) {
        Grants g;
        std::vector<std::uint16_t> rejected;
        policy.grant(v, score, g, rejected);
      }
    }
  }
  // Not vacuous: offers were made, and some firms had no support to expect.
  CHECK(offered > 1000);
  CHECK(bound_above_zero < 400);
  CHECK(not_all_covering > 1000);  // the firm rules of some subsidies excluded some firms
  // A firm that qualifies for the award already, outside every window, expects nothing.
  ProjectView late = project(0, 99, kernel::day_of(2029, 1, 1));
  const SupportBound none = policy.support_bound(late, credibility, [] { return FirmStatus{}; });
  CHECK(none.capital_share == 0);
  CHECK(none.cash_fixed == 0);
  CHECK(none.price_factor == 1);
}
