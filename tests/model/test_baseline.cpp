// The shipped baseline (only pre-2024 policies) reproduces the calibration year.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "io/scenario.hpp"
#include "model/region_simulation.hpp"
#include "model/runner.hpp"

using namespace renewsim;

TEST_CASE("the default baseline reproduces 2023 investment growth, CNC and digital-tool rates within 1 pp",
          "[model][calibration][baseline][parallel]") {
  io::Scenario sc = io::load_scenario(RENEWSIM_SOURCE_DIR "/scenarios/default.toml");
  model::ModelParams p = sc.params;
  p.end_year = 2023;
  const auto cal = model::calibrate(p, sc.seed);
  const int reps = 8;
  const auto out = model::run_replications(p, cal.targets, {sc.seed, reps, 0});
  double cnc = 0, digital = 0;
  for (const auto& r : out) {
    const auto& y22 = r.years[r.years.size() - 2];
    const auto& y23 = r.years.back();
    REQUIRE(y23.year == 2023);
    // Each replication is conditioned on the observed 2023 growth.
    CHECK(std::fabs(y23.investment / y22.investment - 1 - p.baseline.equipment_investment_growth) <= 0.01);
    cnc += y23.cnc_rate / reps;
    digital += y23.digital_tool_rate / reps;
  }
  INFO("CNC " << cnc << ", digital " << digital);
  CHECK(std::fabs(cnc - p.baseline.cnc_rate) <= 0.01);
  CHECK(std::fabs(digital - p.baseline.digital_tool_rate) <= 0.01);
}

// Each replication's search for its 2023 demand shift: it starts at the
// calibration's shift, takes its first step with the calibration's measured
// slope, and the run goes on with the trial closest to the observed growth
// (within the tolerance, or after the last of nine trials).
TEST_CASE("the 2023 search steps first by the measured slope and keeps its closest trial",
          "[model][calibration][baseline]") {
  io::Scenario sc = io::load_scenario(RENEWSIM_SOURCE_DIR "/scenarios/default.toml", {"population.scale=0.25"});
  model::ModelParams p = sc.params;
  p.end_year = 2023;
  const auto cal = model::calibrate(p, sc.seed);
  const double slope = cal.targets.growth_per_shift_2023;
  INFO("measured slope " << slope);
  // Measured, not the starting guess, and of the size the plans show (4-6).
  CHECK(slope != model::CalibratedInputs{}.growth_per_shift_2023);
  CHECK(slope > 1.0);
  CHECK(slope < 20.0);
  const double target = p.baseline.equipment_investment_growth;
  for (std::uint64_t r = 0; r < 3; ++r) {
    model::RegionSimulation sim(p, cal.targets, sc.seed, r);
    const auto trials = model::condition_on_2023(sim, p, cal.targets, p.end_year);
    REQUIRE(!trials.empty());
    REQUIRE(trials.size() <= 9);
    CHECK(trials[0].shift == cal.targets.demand_shift_2023);
    if (trials.size() > 1)
      CHECK(trials[1].shift == Approx(std::clamp(trials[0].shift + (target - trials[0].growth) / slope, -1.0, 1.0)));
    std::size_t best = 0;
    for (std::size_t k = 1; k < trials.size(); ++k)
      if (std::fabs(trials[k].growth - target) < std::fabs(trials[best].growth - target)) best = k;
    CHECK((std::fabs(trials[best].growth - target) <= 5e-4 || trials.size() == 9));
    // The run goes on with that shift, and its 2023 is that trial's.
    CHECK(sim.demand_shift_2023() == trials[best].shift);
    const auto& years = sim.run(2023);
    REQUIRE(years.size() >= 2);
    CHECK(years.back().investment / years[years.size() - 2].investment - 1 == trials[best].growth);
  }
}

// Calibration's searches stop sooner (kCalibrationGrowthSearch: 0.2 pp, at
// most five trials); from the same start they take the same steps, so their
// trials are the first of a replication's. Each search stops at its first
// trial within its tolerance, or after its last step.
TEST_CASE("calibration's growth searches are the first trials of a replication's", "[model][calibration][baseline]") {
  io::Scenario sc = io::load_scenario(RENEWSIM_SOURCE_DIR "/scenarios/default.toml", {"population.scale=0.25"});
  model::ModelParams p = sc.params;
  p.end_year = 2023;
  const auto cal = model::calibrate(p, sc.seed);
  const double target = p.baseline.equipment_investment_growth;
  const model::GrowthSearch strict{}, loose = model::kCalibrationGrowthSearch;
  REQUIRE(loose.tolerance > strict.tolerance);
  REQUIRE(loose.steps < strict.steps);
  auto stops_at_first_within = [&](const std::vector<model::GrowthTrial>& trials, const model::GrowthSearch& s) {
    REQUIRE(!trials.empty());
    REQUIRE(trials.size() <= static_cast<std::size_t>(s.steps) + 1);
    for (std::size_t k = 0; k + 1 < trials.size(); ++k) CHECK(std::fabs(trials[k].growth - target) > s.tolerance);
    CHECK((std::fabs(trials.back().growth - target) <= s.tolerance ||
           trials.size() == static_cast<std::size_t>(s.steps) + 1));
  };
  std::size_t strict_trials = 0, loose_trials = 0;
  for (std::uint64_t r = 0; r < 4; ++r) {
    model::RegionSimulation a(p, cal.targets, sc.seed, r), b(p, cal.targets, sc.seed, r);
    const auto full = model::condition_on_2023(a, p, cal.targets, p.end_year, strict);
    const auto quick = model::condition_on_2023(b, p, cal.targets, p.end_year, loose);
    stops_at_first_within(full, strict);
    stops_at_first_within(quick, loose);
    REQUIRE(quick.size() <= full.size());
    for (std::size_t k = 0; k < quick.size(); ++k) {
      CHECK(quick[k].shift == full[k].shift);
      CHECK(quick[k].growth == full[k].growth);
    }
    strict_trials += full.size();
    loose_trials += quick.size();
  }
  INFO("trials: " << strict_trials << " strict, " << loose_trials << " for calibration");
  CHECK(loose_trials < strict_trials);
}
