// The sweep file and the engine: settings per point, common random numbers,
// the same commits at any thread count and split over ranks, and resume.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "io/errors.hpp"
#include "io/search_file.hpp"
#include "io/sweep_file.hpp"
#include "kernel/calendar.hpp"
#include "model/runner.hpp"
#include "sweep/engine.hpp"

using namespace renewsim;

namespace {
const std::string kSweeps = RENEWSIM_SOURCE_DIR "/tests/data/sweeps/";

std::vector<sweep::Commit> run(const io::SweepSpec& spec, int threads, std::uint64_t rank = 0,
                               std::uint64_t ranks = 1, const sweep::ResumeState& resume = {}) {
  std::vector<sweep::Commit> out;
  sweep::EngineOptions o;
  o.threads = threads;
  o.rank = rank;
  o.ranks = ranks;
  sweep::run_points(spec, resume, o, [&](sweep::Commit&& c) { out.push_back(std::move(c)); });
  return out;
}
const sweep::Commit& find(const std::vector<sweep::Commit>& cs, std::uint64_t point, std::int64_t rep) {
  for (const auto& c : cs)
    if (c.point == point && c.replication == rep) return c;
  FAIL("no commit of point " << point << " replication " << rep);
  return cs.front();
}
std::vector<std::string> texts(const std::vector<sweep::Commit>& cs) {
  std::vector<std::string> out;
  for (const auto& c : cs) out.push_back(c.runs + "|" + c.summary + "|" + c.results);
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

TEST_CASE("sweep file: base scenario, settings per point, hash", "[sweep]") {
  const io::SweepSpec s = io::load_sweep(kSweeps + "grid.toml");
  CHECK(s.name == "small_grid");
  CHECK(s.base.params.name == "small_policy");
  CHECK(s.replications.fixed == 2);
  CHECK_FALSE(s.replications.adaptive());
  const auto d = s.design();
  REQUIRE(d.size() == 6);
  CHECK(s.point_settings(d.point(5)) ==
        std::vector<std::string>{"population.scale=0.2", "levers.city_subsidy.tiers=[0.2]",
                                 "levers.city_subsidy.budget=8e+07"});
  CHECK(s.content_hash.size() == 16);

  const io::SweepSpec a = io::load_sweep(kSweeps + "adaptive.toml");
  CHECK(a.replications.adaptive());
  REQUIRE(a.replications.precision.size() == 2);
  CHECK(a.replications.precision[0].label() == "half_width.investment_growth");
  CHECK(a.replications.precision[1].label() == "half_width.cnc_rate.2026");
  CHECK(a.design_kind == sweep::DesignKind::LatinHypercube);
}

TEST_CASE("sweep file: errors name the line and key; all are reported", "[sweep]") {
  const std::string text =
      "[sweep]\nscenario = \"" + kSweeps + "../small_policy.toml\"\nreplications = 0\n"
      "[[parameters]]\nkey = \"levers.city_subsidy.budget\"\nmin = 2\nmax = 1\nsteps = 2\n";
  try {
    (void)io::parse_sweep(text, "inline.toml");
    FAIL("no error");
  } catch (const io::InputError& e) {
    const std::string m = e.what();
    CHECK_THAT(m, Catch::Contains("inline.toml:3:16: sweep.replications: value 0 is out of range"));
    CHECK_THAT(m, Catch::Contains("inline.toml:7:7: parameters[0].max: below min"));
  }
}

TEST_CASE("sweep engine: commits in order, identical at 1 and 2 threads and over 2 ranks", "[sweep][parallel]") {
  const io::SweepSpec spec = io::load_sweep(kSweeps + "grid.toml");
  const auto one = run(spec, 1);
  // 6 points x 2 replications: the window's runs in (point, replication) order, then its points.
  REQUIRE(one.size() == 18);
  for (std::size_t i = 0; i < 12; ++i) {
    CHECK(one[i].kind == sweep::Commit::Kind::Run);
    CHECK(one[i].point == i / 2);
    CHECK(one[i].replication == static_cast<std::int64_t>(i % 2));
  }
  for (std::size_t i = 12; i < 18; ++i) {
    CHECK(one[i].kind == sweep::Commit::Kind::Point);
    CHECK(one[i].point == i - 12);
  }
  const auto two = run(spec, 2);
  REQUIRE(two.size() == one.size());
  for (std::size_t i = 0; i < one.size(); ++i) {
    CHECK(two[i].runs == one[i].runs);
    CHECK(two[i].summary == one[i].summary);
    CHECK(two[i].results == one[i].results);
  }
  auto split = run(spec, 1, 0, 2);
  const auto rank1 = run(spec, 1, 1, 2);
  split.insert(split.end(), rank1.begin(), rank1.end());
  CHECK(texts(split) == texts(one));
}

TEST_CASE("sweep engine: common random numbers, and a resumed point reuses its runs", "[sweep]") {
  const io::SweepSpec spec = io::load_sweep(kSweeps + "grid.toml");
  const auto all = run(spec, 1);
  // Points 0 and 1 differ only in the subsidy budget; replication 0 draws the
  // same numbers at both, so their 2023 rows (before the lever opens) agree.
  auto rows_2023 = [](const std::string& runs) {
    std::string out;
    std::size_t pos = 0;
    while (pos < runs.size()) {
      const auto end = runs.find('\n', pos);
      const std::string line = runs.substr(pos, end - pos);
      if (line.find(",2023,") != std::string::npos) out += line.substr(line.find(',')) + "\n";
      pos = end + 1;
    }
    return out;
  };
  const std::string& p0 = find(all, 0, 0).runs;
  const std::string& p1 = find(all, 1, 0).runs;
  CHECK_FALSE(rows_2023(p0).empty());
  CHECK(rows_2023(p0) == rows_2023(p1));
  CHECK(p0 != p1);  // and later they differ

  // Point 0 done, point 1's replication 0 done: the rest is what remains.
  sweep::ResumeState resume;
  resume.points_done.insert(0);
  std::size_t pos = 0;
  const std::string& runs = p1;
  while (pos < runs.size()) {
    const auto end = runs.find('\n', pos);
    std::string line = runs.substr(pos, end - pos);
    std::vector<std::string> f;
    for (std::size_t s = 0;;) {
      const auto c = line.find(',', s);
      f.push_back(line.substr(s, c == std::string::npos ? std::string::npos : c - s));
      if (c == std::string::npos) break;
      s = c + 1;
    }
    resume.runs[1][0][f[1]].push_back({std::stoi(f[3]), f[4], std::stod(f[5])});
    pos = end + 1;
  }
  const auto rest = run(spec, 2, 0, 1, resume);
  REQUIRE(rest.size() == all.size() - 4);  // point 0's three commits and one run of point 1 are not redone
  CHECK(rest[0].point == 1);
  CHECK(rest[0].replication == 1);
  const sweep::Commit& point1 = find(rest, 1, -1);
  CHECK(point1.kind == sweep::Commit::Kind::Point);
  CHECK(point1.summary == find(all, 1, -1).summary);  // over both replications, one of them read back
  CHECK(point1.results == find(all, 1, -1).results);
}

TEST_CASE("levers that open after 2023 leave 2021-2023 as they were (sweeps share calibrations on this)", "[sweep]") {
  for (const char* file : {"/scenarios/examples/all_levers.toml", "/scenarios/jiaxing.toml"}) {
    const io::Scenario sc = io::load_scenario(RENEWSIM_SOURCE_DIR + std::string(file), {"population.scale=0.05"});
    model::ModelParams without = sc.params;
    int disabled = 0;
    without.policy.for_each_typed([&](model::LeverBase& b, const char*) {
      if (b.enabled && b.window.start > kernel::day_of(2023, 12, 31)) {
        b.enabled = false;
        ++disabled;
      }
    });
    REQUIRE(disabled > 0);
    const model::CalibratedInputs inputs;
    const auto a = model::simulate_replication(sc.params, inputs, 11, 0, 2023);
    const auto b = model::simulate_replication(without, inputs, 11, 0, 2023);
    REQUIRE(a.years.size() == b.years.size());
    for (std::size_t y = 0; y < a.years.size(); ++y) {
      INFO(file << " year " << a.years[y].year);
      CHECK(a.years[y].investment == b.years[y].investment);
      CHECK(a.years[y].projects_started == b.years[y].projects_started);
      CHECK(a.years[y].cnc_rate == b.years[y].cnc_rate);
    }
  }
}

TEST_CASE("the example sweeps of every plan are valid", "[sweep][scenarios]") {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(RENEWSIM_SOURCE_DIR "/scenarios/sweeps")) {
    if (e.path().extension() != ".toml") continue;
    INFO(e.path().string());
    const io::SweepSpec s = io::load_sweep(e.path().string());
    CHECK(s.design().size() > 0);
    CHECK(s.base.targets.size() > 0);
    ++n;
  }
  CHECK(n >= 5);
}

TEST_CASE("the example calibration and optimisation files are valid", "[sweep][scenarios]") {
  int n = 0;
  for (const char* folder : {"/scenarios/calibration", "/scenarios/optimise"})
    for (const auto& e : std::filesystem::directory_iterator(std::string(RENEWSIM_SOURCE_DIR) + folder)) {
      if (e.path().extension() != ".toml") continue;
      INFO(e.path().string());
      const std::string kind = io::search_command_of(e.path().string());
      if (kind == "calibrate") {
        const io::CalibrationSpec c = io::load_calibration(e.path().string());
        CHECK(!c.moments.empty());
        for (const auto& m : c.moments) CHECK(m.year <= 2023);
      } else {
        CHECK(kind == "optimise");
        CHECK(!io::load_optimisation(e.path().string()).target.empty());
      }
      ++n;
    }
  CHECK(n >= 2);
}

TEST_CASE("adaptive replications stop at the first batch that is precise enough, else at the maximum", "[sweep]") {
  io::SweepSpec spec = io::load_sweep(kSweeps + "adaptive.toml");
  REQUIRE(spec.replications.adaptive());
  spec.replications.precision.resize(1);  // the target's probability only
  auto replications_of = [](const std::vector<sweep::Commit>& cs) {
    std::vector<int> out;  // results.csv's replications column, per point
    for (const auto& c : cs)
      if (c.kind == sweep::Commit::Kind::Point) {
        const auto a = c.results.find(',', c.results.find(',') + 1);
        out.push_back(std::stoi(c.results.substr(a + 1)));
      }
    return out;
  };
  // Two replications give a Wilson half-width of at most 0.41 whatever the share met.
  spec.replications.precision[0].half_width = 0.45;
  auto loose = run(spec, 2);
  CHECK(replications_of(loose) == std::vector<int>{2, 2, 2});
  std::size_t runs = 0;
  for (const auto& c : loose) runs += c.kind == sweep::Commit::Kind::Run ? 1 : 0;
  CHECK(runs == 6);
  // Never precise enough: every point runs to the maximum, in batches of 2.
  spec.replications.precision[0].half_width = 1e-6;
  CHECK(replications_of(run(spec, 2)) == std::vector<int>{8, 8, 8});
}
