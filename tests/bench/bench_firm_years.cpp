// Firm-model throughput: simulated firm-years per second on one core, for
// populations of several sizes built from a scenario's sector mix (scaled).
// Prints build time, run time, firm-years/s, events per firm-year, bytes per
// firm, and the run's CPU time with firm-years per CPU second (the figure to
// read on a shared machine, where wall time includes waiting for a core).
// One replication per size, no calibration (initial mixes as stated).
//
//   bench_firm_years SCENARIO.toml [FIRMS ...]     (default 10000 100000 1000000)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "io/scenario.hpp"
#include "model/region_simulation.hpp"
#include "scaled_population.hpp"

using namespace renewsim;
using bench::thread_cpu_seconds;

static int measure(int argc, char** argv) {
  const io::Scenario sc = io::load_scenario(argv[1]);
  const std::vector<long long> sizes = bench::sizes_from(argc, argv);
  const int years = bench::simulated_years(sc.params);
  std::printf("scenario %s, %d-%d (%d years), 1 replication, 1 thread\n", sc.params.name.c_str(),
              sc.params.warmup_start_year, sc.params.end_year, years);
  std::printf("%10s %9s %9s %14s %12s %12s %10s %11s %14s\n", "firms", "build s", "run s", "firm-years/s",
              "events/fy", "bytes/firm", "slots/firm", "run cpu s", "fy/cpu s");
  for (long long n : sizes) {
    const model::ModelParams p = bench::scaled_params(sc.params, n);
    const long long total = p.total_firms();
    const auto t0 = std::chrono::steady_clock::now();
    model::RegionSimulation sim(p, model::targets_from_baseline(p), sc.seed, 0);
    const auto t1 = std::chrono::steady_clock::now();
    const double c1 = thread_cpu_seconds();
    sim.run();
    const double cpu = thread_cpu_seconds() - c1;
    const auto t2 = std::chrono::steady_clock::now();
    const double build = std::chrono::duration<double>(t1 - t0).count();
    const double run = std::chrono::duration<double>(t2 - t1).count();
    const double firm_years = static_cast<double>(total) * years;
    const auto& pop = sim.population();
    std::printf("%10lld %9.3f %9.3f %14.3e %12.2f %12.1f %10.2f %11.3f %14.3e\n", total, build, run, firm_years / run,
                static_cast<double>(sim.events_processed()) / firm_years,
                static_cast<double>(pop.bytes()) / static_cast<double>(total),
                static_cast<double>(pop.slots.size()) / static_cast<double>(total), cpu, firm_years / cpu);
  }
  return 0;
}

int main(int argc, char** argv) {
  const char* usage = "SCENARIO.toml [FIRMS ...]";
  return bench::run_main("bench_firm_years", usage, argc, argv, [&] { return measure(argc, argv); });
}
