// Fingerprints: the hash of a run's series.csv for fixed scenarios and seeds.
// A change meant to move results updates tests/fingerprints.csv in the same
// commit and says why; any other change must leave them alone.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "io/output.hpp"
#include "io/scenario.hpp"
#include "model/runner.hpp"

using namespace renewsim;

TEST_CASE("fingerprints of series.csv are unchanged", "[model][determinism][fingerprint][parallel]") {
  std::ifstream in(RENEWSIM_SOURCE_DIR "/tests/fingerprints.csv");
  REQUIRE(in);
  std::string line;
  std::getline(in, line);  // header
  int checked = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream ss(line);
    std::string scenario, seed, reps, threads, expected;
    std::getline(ss, scenario, ',');
    std::getline(ss, seed, ',');
    std::getline(ss, reps, ',');
    std::getline(ss, threads, ',');
    std::getline(ss, expected, ',');
    const io::Scenario sc = io::load_scenario(std::string(RENEWSIM_SOURCE_DIR "/") + scenario);
    const auto cal = model::calibrate(sc.params, std::stoull(seed));
    const auto out = model::run_replications(sc.params, cal.targets, {std::stoull(seed), std::stoi(reps), std::stoi(threads)});
    const std::string hash = io::fnv1a_hex(io::series_csv(io::make_series(out, sc.params, 2023)));
    INFO(scenario << " seed " << seed << " reps " << reps << " threads " << threads);
    CHECK(hash == expected);
    ++checked;
  }
  CHECK(checked >= 2);
}
