// Levers on financing: loan funds (relending quota, preferential fund with a
// whitelist), interest subsidies backed by a fund, credit supply.
#include <catch2/catch.hpp>

#include <tuple>

#include "io/scenario.hpp"
#include "model/levers/policy.hpp"
#include "model/region_simulation.hpp"
#include "model/runner.hpp"

using namespace renewsim;
using namespace renewsim::model;

namespace {
ProjectView project(double price, std::uint64_t firm_key = 7, kernel::Day day = kernel::day_of(2025, 6, 1)) {
  ProjectView v;
  v.price = price;
  v.day = day;
  v.firm_key = firm_key;
  v.revenue = 1e8;
  return v;
}
LoanFundParams fund(double rate, double lending) {
  LoanFundParams f;
  f.name = "fund";
  f.rate = rate;
  f.lending = lending;
  return f;
}
io::Scenario small() { return io::load_scenario(RENEWSIM_SOURCE_DIR "/tests/data/small.toml"); }
}  // namespace

TEST_CASE("loan fund: whitelist by rules and admission share, pool in event order, never exceeded",
          "[levers][loan-fund]") {
  LoanFundParams p = fund(0.02, 10e6);
  p.max_loan_share = 0.8;
  p.eligible.min_revenue = 5e7;
  LoanFund f(p);
  ProjectView v = project(5e6);
  CHECK(f.available(v, 5e6) == Approx(4e6));  // at most 80 % of the price
  CHECK(f.available(v, 1e6) == Approx(1e6));
  v.revenue = 5e7 - 1;
  CHECK(f.available(v, 5e6) == 0);  // below the whitelist's revenue rule
  v.revenue = 5e7;
  CHECK(f.lend(v, 5e6) == Approx(4e6));
  CHECK(f.lend(v, 5e6) == Approx(4e6));
  CHECK(f.remaining(v.day) == Approx(2e6));
  CHECK(f.lend(v, 5e6) == 0);  // the pool cannot cover it: rejected, not partly served
  CHECK(f.rejected() == 1);
  CHECK(f.lend(project(2e6), 2e6) == Approx(1.6e6));  // a smaller one still fits
  CHECK(f.remaining(v.day) == Approx(0.4e6));
  // Dates.
  CHECK(f.available(project(1e5, 7, kernel::day_of(2023, 12, 31)), 1e5) == 0);
  // Admission share: about that share of firms is on the list, the same firms every time.
  p.lending = 0;
  p.admission_share = 0.3;
  const LoanFund listed(p);
  int admitted = 0;
  for (std::uint64_t k = 0; k < 20000; ++k) admitted += listed.covers(project(1e6, k * 7919 + 1)) ? 1 : 0;
  CHECK(admitted / 20000.0 == Approx(0.3).margin(0.015));
  CHECK(listed.covers(project(1e6, 42)) == listed.covers(project(2e6, 42, kernel::day_of(2026, 1, 1))));
  // The interest saved on a straight-amortising loan: gap x amount x years / 2.
  CHECK(listed.interest_saved(1e6, 0.045, 5) == Approx(0.025 * 1e6 * 2.5));
}

TEST_CASE("policy: a fund's rate, interest subsidies on all loans or only on the fund's, credit-supply cuts",
          "[levers][loan-fund][interest][policy]") {
  PolicyParams pp;
  pp.loan_funds.push_back(fund(0.0175, 0));
  pp.loan_funds.back().max_loan_share = 0.5;
  InterestSubsidyParams backed;
  backed.name = "central";
  backed.points = 0.015;
  backed.years = 5;
  backed.backed_by = "fund";
  pp.interest_subsidies.push_back(backed);
  const double market = 0.0445;
  const ProjectView v = project(2e6);
  // Half the loan from the fund at 1.75 %, half at the market rate; the
  // subsidy applies to the fund's half only.
  const double blended = 0.5 * 0.0175 + 0.5 * market;
  CHECK(Policy(pp).loan_rate(v, 2e6, market, 5) == Approx(blended - 0.5 * 0.015));
  pp.loan_funds[0].enabled = false;  // no fund: the backed subsidy backs nothing
  CHECK(Policy(pp).loan_rate(v, 2e6, market, 5) == Approx(market));
  pp.interest_subsidies[0].backed_by.clear();  // on any loan
  CHECK(Policy(pp).loan_rate(v, 2e6, market, 5) == Approx(market - 0.015));
  CreditSupplyParams leasing;
  leasing.name = "leasing";
  leasing.rate_cut = 0.005;
  pp.credit_supplies.push_back(leasing);
  CHECK(Policy(pp).loan_rate(v, 2e6, market, 5) == Approx(market - 0.02));
  pp.credit_supplies[0].rate_cut = 0.5;  // never below zero
  CHECK(Policy(pp).loan_rate(v, 2e6, market, 5) == 0);
}

TEST_CASE("credit supply: access for a share of rationed firms, lifted limits, dates", "[levers][credit]") {
  CreditSupplyParams p;
  p.name = "credit_plan";
  p.access_share = 0.4;
  p.limit_lift = 0.5;
  p.window = {kernel::day_of(2024, 1, 1), kernel::day_of(2027, 12, 31)};
  const CreditSupply c(p);
  int access = 0;
  for (std::uint64_t k = 0; k < 20000; ++k) access += c.gives_access(project(1e6, k * 104729 + 3)) ? 1 : 0;
  CHECK(access / 20000.0 == Approx(0.4).margin(0.015));
  CHECK(c.limit_lift(project(1e6)) == 0.5);
  CHECK(c.limit_lift(project(1e6, 7, kernel::day_of(2028, 1, 1))) == 0);
  PolicyParams pp;
  pp.credit_supplies.push_back(p);
  pp.credit_supplies.push_back(p);
  pp.credit_supplies.back().name = "guarantee";
  CHECK(Policy(pp).credit_limit_lift(project(1e6)) == Approx(1.0));  // lifts add up
}

TEST_CASE("in a run: a loan fund lends within its pool and window, a cheaper fund never fewer projects",
          "[levers][loan-fund]") {
  auto run = [](double rate, double admission) {
    io::Scenario sc = small();
    LoanFundParams f = fund(rate, 3e8);
    f.window = {kernel::day_of(2024, 1, 1), kernel::day_of(2026, 12, 31)};
    f.admission_share = admission;
    f.fiscal_share = 1.0;  // a city fund: the budget pays the interest saved
    sc.params.policy.loan_funds.push_back(f);
    std::int64_t started = 0;
    double lent = 0, outlay = 0;
    for (std::uint64_t rep = 0; rep < 3; ++rep) {
      double lent_rep = 0;
      const auto out = simulate_replication(sc.params, targets_from_baseline(sc.params), 51, rep);
      for (const auto& y : out.years) {
        REQUIRE(y.levers.size() == 1);
        if (y.year < 2024 || y.year > 2026) CHECK(y.levers[0].lent == 0);
        lent_rep += y.levers[0].lent;
        outlay += y.levers[0].outlay;
        if (y.year >= 2024 && y.year <= 2026) started += y.projects_started;
      }
      CHECK(lent_rep <= 3e8 * (1 + 1e-12));  // one pool for the whole window
      lent += lent_rep;
    }
    return std::make_tuple(started, lent, outlay);
  };
  const auto [started_dear, lent_dear, outlay_dear] = run(0.04, 1.0);
  const auto [started_cheap, lent_cheap, outlay_cheap] = run(0.01, 1.0);
  const auto [started_none, lent_none, outlay_none] = run(0.01, 0.0);
  CHECK(lent_dear > 0);
  CHECK(outlay_dear > 0);
  CHECK(outlay_cheap > outlay_dear);  // a wider gap to the market rate costs more
  CHECK(started_cheap >= started_dear);
  CHECK(lent_none == 0);  // nobody on the whitelist
  CHECK(outlay_none == 0);
  (void)lent_cheap;
  (void)started_none;
}

TEST_CASE("in a run: credit supply to rationed firms lowers rationing and never lowers projects started",
          "[levers][credit]") {
  auto run = [](double access) {
    io::Scenario sc = small();
    sc.params.population.credit_access = {0.3, 0.5, 0.8};  // much rationing
    if (access > 0) {
      CreditSupplyParams c;
      c.name = "credit_plan";
      c.access_share = access;
      c.expected_loss = 0.02;
      sc.params.policy.credit_supplies.push_back(c);
    }
    std::int64_t rationed = 0, started = 0;
    double outlay = 0;
    for (std::uint64_t rep = 0; rep < 3; ++rep) {
      const auto out = simulate_replication(sc.params, targets_from_baseline(sc.params), 61, rep);
      for (const auto& y : out.years)
        if (y.year >= 2024 && y.year <= 2027) {
          rationed += y.credit_rationed;
          started += y.projects_started;
          outlay += y.fiscal_outlay;
        }
    }
    return std::make_tuple(rationed, started, outlay);
  };
  const auto [rationed0, started0, outlay0] = run(0.0);
  const auto [rationed1, started1, outlay1] = run(1.0);
  CHECK(rationed1 < rationed0);
  CHECK(started1 >= started0);
  CHECK(outlay0 == 0);
  CHECK(outlay1 > 0);  // the guarantee's expected losses
}

TEST_CASE("an interest subsidy backed by a disabled fund subsidises nothing, in the decision and at the start",
          "[levers][loan-fund][interest]") {
  PolicyParams pp;
  LoanFundParams f = fund(0.0175, 0);
  f.enabled = false;
  pp.loan_funds.push_back(f);
  InterestSubsidyParams backed;
  backed.name = "central";
  backed.backed_by = "fund";
  pp.interest_subsidies.push_back(backed);
  Policy policy(pp);
  const ProjectView v = project(2e6);
  CHECK(policy.loan_rate(v, 1e6, 0.045, 5) == 0.045);
  std::vector<std::uint16_t> rejected;
  int booked = 0;
  const auto [part, index] = policy.lend(v, 1e6, 0.045, 5, rejected, [](std::uint16_t, double, double) {});
  CHECK(part == 0);
  policy.grant_interest(v, 1e6, part, index, 5, rejected, [&](std::uint16_t, double) { ++booked; });
  CHECK(booked == 0);
}

TEST_CASE("credit supply: the credit a lever made possible is booked once, to the lever that made it",
          "[levers][credit]") {
  PolicyParams pp;
  CreditSupplyParams a;
  a.name = "plan_a";
  a.access_share = 0.5;
  a.expected_loss = 0.1;
  pp.credit_supplies.push_back(a);
  CreditSupplyParams b = a;
  b.name = "plan_b";
  pp.credit_supplies.push_back(b);
  CreditSupplyParams lift;
  lift.name = "guarantee";
  lift.limit_lift = 0.3;
  pp.credit_supplies.push_back(lift);
  const Policy policy(pp);
  int firms_with_access = 0;
  for (std::uint64_t k = 0; k < 2000; ++k) {
    const ProjectView v = project(1e6, k * 0x9E3779B97F4A7C15ULL + 11);
    double made = 0;
    int levers = 0;
    policy.for_each_credit_supply(v, false, 4e5, 0, [&](std::uint16_t, const CreditSupplyParams&, double m) {
      made += m;
      levers += m > 0 ? 1 : 0;
    });
    CHECK(levers <= 1);  // a firm given access is booked to one lever only
    CHECK(made == (policy.credit_access(v) ? 4e5 : 0.0));
    firms_with_access += levers;
  }
  CHECK(firms_with_access / 2000.0 == Approx(0.75).margin(0.04));  // 1 - 0.5 x 0.5
  // A firm with access: only the lift's lever is booked for the loan above the ordinary limit.
  std::vector<double> made(3, 0.0);
  policy.for_each_credit_supply(project(1e6), true, 5e5, 3e5,
                                [&](std::uint16_t l, const CreditSupplyParams&, double m) { made[l] += m; });
  CHECK(made == std::vector<double>{0, 0, 2e5});
}

TEST_CASE("in a run: a very generous tax treatment (negative tax factor) still lets firms expand",
          "[levers][tax][decision]") {
  auto expansions = [](bool generous) {
    io::Scenario sc = small();
    if (generous) {
      TaxLeverParams t;
      t.name = "rd";
      t.super_deduction = 3.0;
      t.credit = 0.2;
      sc.params.policy.tax_levers.push_back(t);
    }
    std::int64_t n = 0;
    for (const auto& y : simulate_replication(sc.params, targets_from_baseline(sc.params), 131, 0).years)
      if (y.year >= 2024) n += y.expansions;
    return n;
  };
  const auto base = expansions(false);
  CHECK(base > 0);
  // (Not monotone: cheaper replacements compete for the same credit.) With
  // a negative tax factor the cheap bound must not rule expansion out.
  CHECK(expansions(true) > base / 2);
}
