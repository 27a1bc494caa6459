// Variants of a replication share the years before the plan: a variant that
// only switches off announced levers opening after 2023 continues a copy of
// the policy's run from the end of 2023, or from the month the first of them
// opens. Its outputs must be exactly those of a run of the variant from the start.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "io/scenario.hpp"
#include "model/assessment.hpp"
#include "model/region_simulation.hpp"
#include "model/runner.hpp"

using namespace renewsim;
using namespace renewsim::model;

namespace {
// Every series row, the conditioning shift, the started-project log and the
// event count of one replication of each variant, shared and from the start.
// Returns how many variants continued the shared run; `later` counts those
// that went on from after its first day of 2024.
int check_shared_equals_fresh(const io::Scenario& sc, std::uint64_t seed, std::uint64_t rep, int* later = nullptr) {
  const auto variants = make_variants(sc.params, true, true);
  std::vector<const ModelParams*> params;
  std::vector<int> log_from;
  for (std::size_t v = 0; v < variants.size(); ++v) {
    params.push_back(&variants[v].params);
    log_from.push_back(v < 2 ? 2024 : 0);  // the policy and the counterfactual log, as run does
  }
  const CalibratedInputs inputs = targets_from_baseline(sc.params);
  const auto shared = simulate_replication_variants(params, inputs, seed, rep, log_from, true);
  REQUIRE(shared.size() == variants.size());
  int continued = 0;
  for (std::size_t v = 0; v < variants.size(); ++v) {
    INFO("variant " << variants[v].name);
    const auto fresh = simulate_replication(variants[v].params, inputs, seed, rep, 0, log_from[v]);
    CHECK_FALSE(fresh.continued);
    continued += shared[v].continued;
    if (later && shared[v].continued && shared[v].continued_from > kernel::first_day_of_year(2024)) ++*later;
    CHECK(shared[v].events == fresh.events);
    CHECK(shared[v].demand_shift_2023 == fresh.demand_shift_2023);
    const auto a = replication_rows(shared[v], variants[v].params, variants[v].params.warmup_start_year);
    const auto b = replication_rows(fresh, variants[v].params, variants[v].params.warmup_start_year);
    REQUIRE(a.size() == b.size());
    int differ = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i].year != b[i].year || a[i].metric.str() != b[i].metric.str() || !(a[i].value == b[i].value)) {
        if (differ++ < 5) UNSCOPED_INFO(b[i].year << ' ' << b[i].metric.str() << ": " << a[i].value << " vs " << b[i].value);
      }
    CHECK(differ == 0);
    REQUIRE(shared[v].started.size() == fresh.started.size());
    bool same_log = true;
    for (std::size_t i = 0; i < fresh.started.size(); ++i) {
      const auto &x = shared[v].started[i], &y = fresh.started[i];
      same_log = same_log && x.firm == y.firm && x.year == y.year && x.category == y.category && x.kind == y.kind &&
                 x.supported == y.supported;
    }
    CHECK(same_log);
  }
  return continued;
}

bool switch_off(ModelParams& p, const std::string& name) {
  bool found = false;
  p.policy.for_each_typed([&](LeverBase& b, const char*) {
    if (b.name == name) {
      b.enabled = false;
      found = true;
    }
  });
  return found;
}
}  // namespace

TEST_CASE("variants sharing the years before the plan equal runs from the start", "[model][variants][levers]") {
  // Every lever type; an unannounced lever (not shared) among them.
  const io::Scenario sc =
      io::load_scenario(RENEWSIM_SOURCE_DIR "/scenarios/examples/all_levers.toml", {"population.scale=0.1"});
  const int continued = check_shared_equals_fresh(sc, 5, 1);
  const auto variants = make_variants(sc.params, true, true);
  // The policy, and all but the variant without the unannounced lever (the counterfactual drops it too).
  CHECK(continued == static_cast<int>(variants.size()) - 2);
}

TEST_CASE("a plan's variants share their years before the plan", "[model][variants][scenarios]") {
  const io::Scenario sc = io::load_scenario(RENEWSIM_SOURCE_DIR "/scenarios/wenzhou.toml", {"population.scale=0.05"});
  const auto variants = make_variants(sc.params, true, true);
  // Eight of Wenzhou's levers open in June 2024: their variants go on from
  // then (a small population: the copies fit), the policy's from the last stop.
  int later = 0;
  CHECK(check_shared_equals_fresh(sc, 11, 0, &later) == static_cast<int>(variants.size()));
  CHECK(later >= 9);
}

TEST_CASE("variants go on from the month their first switched-off lever can act", "[model][variants]") {
  const io::Scenario sc = io::load_scenario(RENEWSIM_SOURCE_DIR "/scenarios/wenzhou.toml", {"population.scale=0.05"});
  const auto variants = make_variants(sc.params, true, true);
  std::vector<const ModelParams*> params;
  for (const auto& v : variants) params.push_back(&v.params);
  const auto out =
      simulate_replication_variants(params, targets_from_baseline(sc.params), 11, 0, std::vector<int>{}, false);
  const kernel::Day fork = kernel::first_day_of_year(2024);
  kernel::Day last = fork;
  for (std::size_t v = 1; v < variants.size(); ++v) {
    INFO("variant " << variants[v].name);
    REQUIRE(out[v].continued);
    const kernel::Day act = RegionSimulation::first_act_switched_off(sc.params, variants[v].params);
    REQUIRE(act != kernel::EventQueue::kNever);
    const kernel::Day month = std::max(fork, kernel::first_day_of_month(kernel::year_of(act), kernel::month_of(act)));
    CHECK(out[v].continued_from == month);
    CHECK(RegionSimulation::can_continue_as(sc.params, variants[v].params, out[v].continued_from));
    last = std::max(last, month);
  }
  // The policy switches nothing off: it goes on from the last stop.
  REQUIRE(out[0].continued);
  CHECK(out[0].continued_from == last);
  CHECK(RegionSimulation::first_act_switched_off(sc.params, sc.params) == kernel::EventQueue::kNever);
}

TEST_CASE("only announced levers that cannot act before the shared years end are shared", "[model][variants]") {
  io::Scenario sc = io::load_scenario(RENEWSIM_SOURCE_DIR "/scenarios/examples/all_levers.toml", {"population.scale=0.1"});
  const ModelParams& full = sc.params;
  const kernel::Day fork = kernel::first_day_of_year(2024);
  std::string opening_2024, unannounced;
  full.policy.for_each_typed([&](const LeverBase& b, const char*) {
    if (!b.enabled || b.baseline) return;
    if (!b.announced) unannounced = b.name;
    else if (b.window.start >= fork && opening_2024.empty()) opening_2024 = b.name;
  });
  REQUIRE(!opening_2024.empty());
  REQUIRE(!unannounced.empty());
  ModelParams v = full;
  REQUIRE(switch_off(v, opening_2024));
  CHECK(RegionSimulation::can_continue_as(full, v, fork));
  // Not if the lever could have acted before the fork.
  CHECK_FALSE(RegionSimulation::can_continue_as(full, v, fork + 400));
  ModelParams w = full;
  REQUIRE(switch_off(w, unannounced));
  CHECK_FALSE(RegionSimulation::can_continue_as(full, w, fork));
  // Nor switching a lever on, nor other lever lists.
  CHECK_FALSE(RegionSimulation::can_continue_as(v, full, fork));
  ModelParams x = full;
  x.policy.capital_subsidies.pop_back();
  CHECK_FALSE(RegionSimulation::can_continue_as(full, x, fork));

  // A lever that opened in 2023, switched off: its variant runs from the
  // start and still gives the same results as on its own.
  bool moved = false;
  sc.params.policy.for_each_typed([&](LeverBase& b, const char*) {
    if (b.name == opening_2024) {
      b.window.start = kernel::day_of(2023, 3, 1);
      moved = true;
    }
  });
  REQUIRE(moved);
  const auto variants = make_variants(sc.params, true, true);
  const int continued = check_shared_equals_fresh(sc, 3, 0);
  CHECK(continued < static_cast<int>(variants.size()) - 2);
}

TEST_CASE("a run that a switched-off lever has acted in is left as it was", "[model][variants]") {
  const io::Scenario sc =
      io::load_scenario(RENEWSIM_SOURCE_DIR "/scenarios/examples/all_levers.toml", {"population.scale=0.1"});
  const CalibratedInputs inputs = targets_from_baseline(sc.params);
  const auto variants = make_variants(sc.params, true, true);
  RegionSimulation sim(sc.params, inputs, 3, 0);
  sim.run(2025);  // the levers opening in 2024 have acted by now
  int refused = 0;
  for (std::size_t v = 1; v < variants.size(); ++v) {
    INFO("variant " << variants[v].name);
    // (Those that could have shared the years to the end of 2023.)
    if (!RegionSimulation::can_continue_as(sc.params, variants[v].params, kernel::first_day_of_year(2024))) continue;
    RegionSimulation trial(sim);
    if (trial.continue_as(variants[v].params, false)) continue;
    ++refused;
    // Refused with nothing changed: it goes on exactly as the policy's run.
    RegionSimulation fresh(sc.params, inputs, 3, 0);
    ReplicationOutput x, y;
    x.years = trial.run();
    y.years = fresh.run();
    const auto a = replication_rows(x, sc.params, 2023);
    const auto b = replication_rows(y, sc.params, 2023);
    REQUIRE(a.size() == b.size());
    bool same = true;
    for (std::size_t i = 0; i < a.size(); ++i) same = same && a[i].value == b[i].value && a[i].metric == b[i].metric;
    CHECK(same);
    CHECK(trial.events_processed() == fresh.events_processed());
  }
  CHECK(refused >= 3);
}
