// The shipped baseline (only pre-2024 policies) reproduces the calibration year.
#include <catch2/catch.hpp>

#include <cmath>

#include "io/scenario.hpp"
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
