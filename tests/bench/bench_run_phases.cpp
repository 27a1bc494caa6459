// Where the time of `renewsim run` goes, for one replication of a scenario:
// loading it, calibration, and for the policy variant the population build,
// the warm-up to the end of 2022, one conditioning trial (a copy of the
// simulation at the end of 2022 run through 2023), the 2023 growth search
// (replayed: every trial it takes) and the run from 2023 to the end, then one
// whole replication as `run` does it (model::simulate_replication), which
// must find the same shift. One thread; thread CPU time and wall time per
// phase, and the resident memory after the build and with a trial copy alive.
// `run` repeats the replication for each variant (policy, counterfactual,
// each new lever removed), spread over its threads.
//
//   bench_run_phases SCENARIO.toml [--seed S] [--set KEY.PATH=VALUE ...]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "io/scenario.hpp"
#include "model/assessment.hpp"
#include "model/region_simulation.hpp"
#include "model/runner.hpp"
#include "scaled_population.hpp"

using namespace renewsim;
using bench::thread_cpu_seconds;

namespace {

double resident_mib() {
  std::ifstream in("/proc/self/statm");
  long long size = 0, resident = 0;
  in >> size >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

struct Timer {
  std::chrono::steady_clock::time_point w0 = std::chrono::steady_clock::now();
  double c0 = thread_cpu_seconds();
  void report(const char* what, double firm_years = 0) {
    const double cpu = thread_cpu_seconds() - c0;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
    std::printf("%-44s %9.3f %9.3f", what, cpu, wall);
    if (firm_years > 0) std::printf(" %12.3e", firm_years / cpu);
    std::printf("\n");
    std::fflush(stdout);
    *this = Timer{};
  }
};

}  // namespace

static int measure(int argc, char** argv) {
  std::vector<std::string> overrides;
  long long seed_arg = -1;
  for (int i = 2; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (i + 1 < argc && flag == "--set") overrides.emplace_back(argv[i + 1]);
    else if (i + 1 < argc && flag == "--seed") seed_arg = bench::integer_arg(argv[i + 1], "--seed", 0);
    else {
      std::fprintf(stderr, "bench_run_phases: unknown option or missing value: %s\n", argv[i]);
      return 2;
    }
  }
  Timer t;
  const io::Scenario sc = io::load_scenario(argv[1], overrides);
  const std::uint64_t seed = seed_arg >= 0 ? static_cast<std::uint64_t>(seed_arg) : sc.seed;
  const model::ModelParams& p = sc.params;
  const double firms = static_cast<double>(p.total_firms());
  const auto variants = model::make_variants(p, sc.counterfactual, sc.attribution);
  std::printf("scenario %s: %lld firms, %d-%d, %zu variants per replication; one thread\n", p.name.c_str(),
              static_cast<long long>(p.total_firms()), p.warmup_start_year, p.end_year, variants.size());
  std::printf("%-44s %9s %9s %12s\n", "phase", "cpu s", "wall s", "firm-yrs/cpu s");
  t.report("load scenario");
  const model::Calibration cal = model::calibrate(p, seed);
  t.report("calibration (whole)");
  std::printf("  calibration population %lld firms, %zu steps\n", static_cast<long long>(cal.firms_used),
              cal.steps.size());

  double parts_cpu = 0;
  auto timed = [&](const char* what, double firm_years, auto&& f) {
    Timer u;
    f();
    parts_cpu += thread_cpu_seconds() - u.c0;
    u.report(what, firm_years);
  };
  std::uint64_t events = 0;
  double shift = cal.targets.demand_shift_2023;
  int trials = 0;
  {
    std::unique_ptr<model::RegionSimulation> sim;
    timed("policy: build population (and settle)", 0,
          [&] { sim = std::make_unique<model::RegionSimulation>(p, cal.targets, seed, 0); });
    std::printf("  resident after the build: %.0f MiB (state %.0f MiB)\n", resident_mib(),
                static_cast<double>(sim->population().bytes()) / (1024.0 * 1024.0));
    timed("policy: run to the end of 2022", firms * (2022 - p.warmup_start_year + 1), [&] { sim->run(2022); });
    if (p.baseline.calibrate && p.warmup_start_year <= 2022) {
      {
        Timer u;
        model::RegionSimulation trial = *sim;
        u.report("policy: one trial: copy at the end of 2022");
        std::printf("  resident with a trial copy: %.0f MiB\n", resident_mib());
        trial.set_demand_shift_2023(shift);
        trial.run(2023);
        u.report("policy: one trial: run 2023", firms);
      }
      // The 2023 growth search as model::simulate_replication does it (the
      // shift it finds is checked against the whole replication's below).
      std::vector<model::GrowthTrial> found;
      timed("policy: 2023 growth conditioning (all trials)", 0,
            [&] { found = model::condition_on_2023(*sim, p, cal.targets, p.end_year); });
      trials = static_cast<int>(found.size());
      std::printf("  %d trials (start: shift %.4f, growth per unit of shift %.2f)\n", trials,
                  cal.targets.demand_shift_2023, cal.targets.growth_per_shift_2023);
      shift = sim->demand_shift_2023();
    }
    // The run stands at the end of 2023 when the last trial found the shift.
    const int from = sim->now() >= kernel::day_of(2023, 12, 31) ? 2023 : 2022;
    timed(from == 2023 ? "policy: run 2024 to the end" : "policy: run 2023 to the end", firms * (p.end_year - from),
          [&] { sim->run(); });
    events = sim->events_processed();
  }
  std::printf("  events %llu, %.2f per firm-year\n", static_cast<unsigned long long>(events),
              static_cast<double>(events) / (firms * bench::simulated_years(p)));
  std::printf("%-44s %9.3f\n", "policy: sum of the phases", parts_cpu);
  Timer w;
  const auto out = model::simulate_replication(p, cal.targets, seed, 0);
  w.report("policy: one whole replication (as run does)", firms * bench::simulated_years(p));
  std::printf("  same 2023 shift and events as the phases: %s\n",
              out.demand_shift_2023 == shift && out.events == events ? "yes" : "NO");
  std::printf("  resident now (peak is higher): %.0f MiB\n", resident_mib());
  return 0;
}

int main(int argc, char** argv) {
  const char* usage = "SCENARIO.toml [--seed S] [--set KEY.PATH=VALUE ...]";
  return bench::run_main("bench_run_phases", usage, argc, argv, [&] { return measure(argc, argv); });
}
