// Targets, the counterfactual, deadweight and lever attribution.
#include <catch2/catch.hpp>

#include <cmath>

#include "io/output.hpp"
#include "io/scenario.hpp"
#include "model/assessment.hpp"

using namespace renewsim;
using namespace renewsim::model;

namespace {
// A replication whose metric "m" is 100, 110, 99, 120 in 2023-2026 and "r_rate" 0.5, 0.6, 0.7, 0.8.
// (A table refers to its rows: they live as long as the tests.)
MetricTable table() {
  static const std::vector<MetricRow> rows = [] {
    std::vector<MetricRow> r;
    const double m[] = {100, 110, 99, 120};
    for (int i = 0; i < 4; ++i) {
      r.push_back({2023 + i, "m", m[i]});
      r.push_back({2023 + i, "r_rate", 0.5 + 0.1 * i});
    }
    return r;
  }();
  return MetricTable(rows);
}
TargetSpec target(const char* metric, TargetMeasure measure, Comparison c, double value, int year = 2026) {
  TargetSpec t;
  t.name = "t";
  t.metric = metric;
  t.measure = measure;
  t.comparison = c;
  t.value = value;
  t.year = year;
  return t;
}
io::Scenario small_with(const std::string& extra) {
  return io::parse_scenario(R"(
[scenario]
name = "t"
end_year = 2026
warmup_start_year = 2021
[[sectors]]
name = "machinery"
firms = 400
category_mix = { machine_tools = 0.6, motors_pumps = 0.2, instruments = 0.2 }
[[sectors]]
name = "chemicals"
firms = 300
category_mix = { machine_tools = 0.1, furnaces_boilers = 0.5, motors_pumps = 0.4 }
)" + extra,
                            "t.toml");
}
AssessedRun run(const io::Scenario& sc, int reps = 3, int threads = 2) {
  const auto cal = calibrate(sc.params, 5);
  AssessedRunOptions o;
  o.run = {5, reps, threads, 0};
  o.assessment = sc.assessment;
  o.counterfactual = sc.counterfactual;
  o.attribution = sc.attribution;
  return run_assessed(sc.params, cal.targets, sc.targets, o);
}
double window_value(const std::vector<MetricRow>& rows, const std::string& metric, int first, int last) {
  double s = 0;
  for (const auto& r : rows)
    if (r.metric == metric && r.year >= first && r.year <= last) s += r.value;
  return s;
}
}  // namespace

TEST_CASE("target measures: level, growth, change, sum, yearly growth, every year", "[assessment][targets]") {
  const MetricTable m = table();
  auto eval = [&](const TargetSpec& t, double scale = 1.0) { return evaluate_target(t, m, scale); };
  auto level = eval(target("m", TargetMeasure::Level, Comparison::AtLeast, 120));
  CHECK(level.defined);
  CHECK(level.value == 120);
  CHECK(level.met);
  CHECK_FALSE(eval(target("m", TargetMeasure::Level, Comparison::Above, 120)).met);
  CHECK(eval(target("m", TargetMeasure::Level, Comparison::AtMost, 120)).met);
  CHECK_FALSE(eval(target("m", TargetMeasure::Level, Comparison::Below, 120)).met);

  auto growth = eval(target("m", TargetMeasure::Growth, Comparison::AtLeast, 0.2));
  CHECK(growth.value == Approx(0.2));
  CHECK(growth.met == (120.0 / 100.0 - 1.0 >= 0.2));

  auto change = eval(target("r_rate", TargetMeasure::Change, Comparison::AtLeast, 0.3));
  CHECK(change.value == Approx(0.3));

  TargetSpec sum = target("m", TargetMeasure::Sum, Comparison::AtLeast, 329);
  sum.from_year = 2024;
  CHECK(eval(sum).value == Approx(110 + 99 + 120));
  CHECK(eval(sum).met);
  sum.value = 329.5;
  CHECK_FALSE(eval(sum).met);

  // Yearly growth: +10 %, -10 %, +21 %: the worst year decides.
  TargetSpec yoy = target("m", TargetMeasure::YearlyGrowth, Comparison::AtLeast, 0.05);
  yoy.from_year = 2024;
  CHECK(eval(yoy).value == Approx(99.0 / 110.0 - 1));
  CHECK_FALSE(eval(yoy).met);
  yoy.from_year = 2026;
  CHECK(eval(yoy).met);

  // Every year at most 115: 2026 breaks it; the worst (highest) value is reported.
  TargetSpec every = target("m", TargetMeasure::Level, Comparison::AtMost, 115);
  every.each_year = true;
  every.from_year = 2024;
  CHECK(eval(every).value == 120);
  CHECK_FALSE(eval(every).met);
  every.year = 2025;
  CHECK(eval(every).value == 110);
  CHECK(eval(every).met);

  // A scaled population: money and counts are compared per unit of scale, rates are not.
  CHECK(eval(target("m", TargetMeasure::Level, Comparison::AtLeast, 240), 0.5).value == 240);
  CHECK(eval(target("r_rate", TargetMeasure::Level, Comparison::AtLeast, 0.8), 0.5).value == Approx(0.8));
  CHECK(eval(target("m", TargetMeasure::Growth, Comparison::AtLeast, 0.2), 0.5).value == Approx(0.2));

  // Missing values and zero bases leave a target undefined (and not met).
  CHECK_FALSE(eval(target("nope", TargetMeasure::Level, Comparison::AtLeast, 0)).defined);
  CHECK_FALSE(eval(target("m", TargetMeasure::Level, Comparison::AtLeast, 0, 2030)).defined);
  const std::vector<MetricRow> zero_rows = {{2023, "z", 0.0}, {2024, "z", 5.0}};
  const MetricTable zero(zero_rows);
  TargetSpec g = target("z", TargetMeasure::Growth, Comparison::AtLeast, 0, 2024);
  CHECK_FALSE(evaluate_target(g, zero).defined);
  TargetSpec listed = target("m", TargetMeasure::Level, Comparison::AtLeast, 0);
  listed.modelled = false;
  CHECK_FALSE(eval(listed).defined);
}

TEST_CASE("a metric table finds each metric's value by year, the last row of a repeated one", "[assessment]") {
  const std::vector<MetricRow> rows = {{2024, "b", 1.0}, {2023, "a", 2.0}, {2024, "a", 3.0},
                                       {2023, "b", 4.0}, {2024, "a", 5.0}, {2025, "c", 6.0}};
  const MetricTable m(rows);
  CHECK(m.value("a", 2023) == 2.0);
  CHECK(m.value("a", 2024) == 5.0);
  CHECK(m.value("b", 2023) == 4.0);
  CHECK(m.value("b", 2024) == 1.0);
  CHECK(m.value("c", 2025) == 6.0);
  CHECK_FALSE(m.value("c", 2024).has_value());
  CHECK_FALSE(m.value("a", 2022).has_value());
  CHECK_FALSE(m.value("no_such_metric", 2024).has_value());
  const std::vector<MetricRow> none;
  CHECK_FALSE(MetricTable(none).value("a", 2023).has_value());
}

TEST_CASE("extensive metrics are money and counts, not rates, shares or growth", "[assessment][targets]") {
  CHECK(metric_is_extensive("equipment_investment"));
  CHECK(metric_is_extensive("projects_started.at_least_100m"));
  CHECK(metric_is_extensive("lever.smart_factory.supported_projects"));
  CHECK_FALSE(metric_is_extensive("cnc_rate"));
  CHECK_FALSE(metric_is_extensive("capacity_share.energy_class.benchmark"));
  CHECK_FALSE(metric_is_extensive("equipment_investment_growth_vs_2023"));
  CHECK_FALSE(metric_is_extensive("digital_tool_rate.size.large"));
}

TEST_CASE("deadweight: supported projects matched once each against the counterfactual", "[assessment][deadweight]") {
  // Firm 1 replaces machine tools in both runs (twice with support, once in the counterfactual);
  // firm 2 only with support; firm 3 unsupported in both.
  const std::vector<StartedProject> policy = {
      {1, 2024, 0, 0, true}, {1, 2025, 0, 0, true}, {2, 2024, 0, 0, true}, {3, 2024, 0, 0, false}};
  const std::vector<StartedProject> cf = {{1, 2026, 0, 0, false}, {3, 2024, 0, 0, false}, {2, 2024, 1, 0, false}};
  const Deadweight d = count_deadweight(policy, cf);
  CHECK(d.supported.at(2024) == 2);
  CHECK(d.supported.at(2025) == 1);
  CHECK(d.deadweight.at(2024) == 1);  // firm 1's first project; firm 2's category differs
  CHECK(d.deadweight.at(2025) == 0);  // the counterfactual's one match is used up
}

TEST_CASE("variants: the counterfactual keeps only baseline levers, attribution removes each new one",
          "[assessment][variants]") {
  const io::Scenario sc = small_with(R"(
[[levers]]
name = "old_credit"
type = "tax"
baseline = true
credit = 0.05
[[levers]]
name = "grant"
type = "capital_subsidy"
rate = 0.1
[[levers]]
name = "off"
type = "capital_subsidy"
enabled = false
[[levers]]
name = "fund"
type = "loan_fund"
rate = 0.02
)");
  const auto v = make_variants(sc.params, true, true);
  REQUIRE(v.size() == 4);
  CHECK(v[0].name == "policy");
  CHECK(v[1].name == "counterfactual");
  CHECK(v[1].params.policy.enabled_names() == std::vector<std::string>{"old_credit"});
  CHECK(v[2].name == "without:grant");
  CHECK(v[2].lever_type == "capital_subsidy");
  CHECK(v[2].params.policy.enabled_names() == std::vector<std::string>{"old_credit", "fund"});
  CHECK(v[3].name == "without:fund");
  CHECK(make_variants(sc.params, false, false).size() == 1);
}

TEST_CASE("the counterfactual is the run without the new levers, with the same random numbers",
          "[assessment][counterfactual][parallel]") {
  const io::Scenario with = small_with(R"(
[[levers]]
name = "grant"
type = "capital_subsidy"
rate = 0.2
[[targets]]
name = "growth"
metric = "equipment_investment"
measure = "growth"
comparison = ">="
value = 0.1
year = 2026
)");
  const io::Scenario without = small_with("");
  const AssessedRun a = run(with);
  const AssessedRun b = run(without, 3, 1);
  REQUIRE(a.variants.size() == 3);
  // The counterfactual's replications equal the lever-free scenario's policy
  // runs, row for row (apart from the deadweight rows only policies carry).
  for (std::size_t r = 0; r < 3; ++r) {
    const auto& cf = a.rows[1][r];
    std::vector<MetricRow> plain;
    for (const auto& row : b.rows[0][r])
      if (row.metric != "deadweight_projects") plain.push_back(row);
    REQUIRE(cf.size() == plain.size());
    for (std::size_t i = 0; i < cf.size(); ++i) {
      CHECK(cf[i].metric == plain[i].metric);
      CHECK(cf[i].value == plain[i].value);
    }
  }
  // Additionality is taken replication by replication.
  const TargetResult& t = a.assessment.targets.at(0);
  std::vector<double> diff;
  for (std::size_t r = 0; r < 3; ++r) {
    const double p = evaluate_target(t.spec, MetricTable(a.rows[0][r])).value;
    const double c = evaluate_target(t.spec, MetricTable(a.rows[1][r])).value;
    diff.push_back(p - c);
  }
  CHECK(t.additionality.p50 == Approx(spread(diff).p50));
  // A 20 % grant on every project induces investment and costs money.
  const Headline& h = a.assessment.headline;
  CHECK(h.induced_investment.mean > 0);
  CHECK(h.net_fiscal_cost.mean > 0);
  CHECK(h.leverage > 0);
  CHECK(h.deadweight_projects.mean <= h.supported_projects.mean);
  REQUIRE(a.assessment.levers.size() == 1);
  CHECK(a.assessment.levers[0].lever == "grant");
  // With one new lever, removing it is the counterfactual.
  CHECK(a.assessment.levers[0].induced_investment.mean == Approx(h.induced_investment.mean));
}

TEST_CASE("a subsidy too small to change any decision is all deadweight and induces nothing",
          "[assessment][deadweight]") {
  const io::Scenario sc = small_with(R"(
[[levers]]
name = "token"
type = "capital_subsidy"
rate = 1e-12
)");
  const AssessedRun a = run(sc, 2);
  const Headline& h = a.assessment.headline;
  REQUIRE(h.supported_projects.mean > 100);
  CHECK(h.deadweight_projects.mean == h.supported_projects.mean);
  CHECK(h.deadweight_share == 1.0);
  CHECK(h.induced_investment.mean == Approx(0).margin(1e-3 * h.investment.mean));
  // Deadweight is counted by start year in the policy's rows.
  double dw = 0;
  for (const auto& row : a.rows[0][0])
    if (row.metric == "deadweight_projects") dw += row.value;
  CHECK(dw == window_value(a.rows[0][0], "supported_projects", 2024, 2026));
}

TEST_CASE("assessment outputs are identical at 1 and 2 threads", "[assessment][determinism][parallel]") {
  const io::Scenario sc = small_with(R"(
[[levers]]
name = "grant"
type = "capital_subsidy"
rate = 0.15
budget = 5e7
[[levers]]
name = "loans"
type = "loan_fund"
rate = 0.02
[[targets]]
name = "cnc"
metric = "cnc_rate"
comparison = ">"
value = 0.7
year = 2026
)");
  const AssessedRun a = run(sc, 3, 1), b = run(sc, 3, 2);
  CHECK(io::series_csv(io::make_series(a)) == io::series_csv(io::make_series(b)));
  CHECK(io::targets_csv(a.assessment) == io::targets_csv(b.assessment));
  CHECK(io::levers_csv(a.assessment) == io::levers_csv(b.assessment));
  CHECK(a.assessment.levers.size() == 2);
}

TEST_CASE("targets.csv lists every declared target, modelled or not", "[assessment][outputs]") {
  const io::Scenario sc = small_with(R"(
[[targets]]
name = "cum"
metric = "equipment_investment"
measure = "sum"
comparison = ">="
value = 1e9
year = 2026
source = "plan §2.3, \"quoted\""
[[targets]]
name = "5g"
modelled = false
year = 2025
note = "telecom, outside the model"
)");
  const AssessedRun a = run(sc, 2);
  const std::string csv = io::targets_csv(a.assessment);
  CHECK(csv.find("\ncum,modelled,equipment_investment,sum,>=,1e+09,2026,,2024,false,2,") != std::string::npos);
  CHECK(csv.find("\n5g,not_modelled,,,,,2025,,,false,2,") != std::string::npos);
  CHECK(csv.find("\"plan §2.3, \"\"quoted\"\"\"") != std::string::npos);
}
