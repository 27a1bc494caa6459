// Fingerprints: the hashes of a run's series.csv and summary.csv (policy,
// counterfactual and attribution variants, as `renewsim run` writes them) for
// fixed scenarios, overrides, seeds and thread counts. A change meant to move
// results updates tests/fingerprints.csv in the same commit and says why; any
// other change must leave them alone. The failure message shows the new line.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "io/output.hpp"
#include "io/scenario.hpp"
#include "model/assessment.hpp"

using namespace renewsim;

namespace {
std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, sep)) out.push_back(item);
  return out;
}

// Checks the lines of tests/fingerprints.csv whose scenario path starts with
// one of `prefixes` (or does not, with `except`); returns how many.
int check_fingerprints(const std::vector<std::string>& prefixes, bool except) {
  std::ifstream in(RENEWSIM_SOURCE_DIR "/tests/fingerprints.csv");
  REQUIRE(in);
  std::string line;
  std::getline(in, line);  // header
  int checked = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto f = split(line, ',');
    REQUIRE(f.size() == 7);
    const std::string& scenario = f[0];
    bool listed = false;
    for (const auto& p : prefixes) listed = listed || scenario.rfind(p, 0) == 0;
    if (listed == except) continue;
    const auto overrides = f[1].empty() ? std::vector<std::string>{} : split(f[1], '|');
    const std::uint64_t seed = std::stoull(f[2]);
    const int reps = std::stoi(f[3]), threads = std::stoi(f[4]);
    const io::Scenario sc = io::load_scenario(std::string(RENEWSIM_SOURCE_DIR "/") + scenario, overrides);
    const auto cal = model::calibrate(sc.params, seed);
    model::AssessedRunOptions opts;
    opts.run = {seed, reps, threads, 0};
    opts.assessment = sc.assessment;
    opts.counterfactual = sc.counterfactual;
    opts.attribution = sc.attribution;
    const model::AssessedRun run = model::run_assessed(sc.params, cal.targets, sc.targets, opts);
    const io::SeriesTable table = io::make_series(run);
    const std::string series = io::fnv1a_hex(io::series_csv(table));
    const std::string summary = io::fnv1a_hex(io::summary_csv(table));
    INFO("now: " << scenario << ',' << f[1] << ',' << seed << ',' << reps << ',' << threads << ',' << series << ','
                 << summary);
    CHECK(series == f[5]);
    CHECK(summary == f[6]);
    ++checked;
  }
  return checked;
}
}  // namespace

// The test scenarios and the examples: also run under ThreadSanitizer ([parallel]).
TEST_CASE("fingerprints of series.csv and summary.csv are unchanged", "[model][determinism][fingerprint][parallel]") {
  CHECK(check_fingerprints({"tests/", "scenarios/examples/"}, false) >= 4);
}

// The plan scenarios at small scale (too slow for ThreadSanitizer; the threads
// they use are the same code as above).
TEST_CASE("fingerprints of the plan scenarios are unchanged", "[model][determinism][fingerprint][scenarios]") {
  CHECK(check_fingerprints({"tests/", "scenarios/examples/"}, true) >= 12);
}
