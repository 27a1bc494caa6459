// The cost and precision of conditioning replications on 2023 growth: each
// replication's search for its own 2023 demand shift (model::condition_on_2023)
// runs a trial, a copy of the run simulating 2023, per step. Calibrates once,
// then for replications 0..N-1 of the policy run reports the trials, the
// distance of the closest one from the observed growth, and the thread CPU
// time of the search. `--start-slope` replaces the calibration's slope of
// growth against the shift as the search's first step (the rest unchanged),
// to compare starts on the same replications. `--trials 1` lists each trial.
//
//   bench_conditioning SCENARIO.toml [--reps N] [--seed S] [--start-slope X] [--set KEY.PATH=VALUE ...] [--trials 1]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "io/scenario.hpp"
#include "model/region_simulation.hpp"
#include "model/runner.hpp"
#include "scaled_population.hpp"

using namespace renewsim;

static int measure(int argc, char** argv) {
  int reps = 12;
  long long seed = -1;
  double start_slope = 0;
  bool show_trials = false;
  std::vector<std::string> overrides;
  for (int i = 2; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (i + 1 == argc) {
      std::fprintf(stderr, "bench_conditioning: %s needs a value\n", argv[i]);
      return 2;
    }
    if (flag == "--reps") reps = static_cast<int>(bench::integer_arg(argv[i + 1], "--reps", 1));
    else if (flag == "--seed") seed = bench::integer_arg(argv[i + 1], "--seed", 0);
    else if (flag == "--start-slope") start_slope = bench::real_arg(argv[i + 1], "--start-slope");
    else if (flag == "--set") overrides.emplace_back(argv[i + 1]);
    else if (flag == "--trials") show_trials = bench::integer_arg(argv[i + 1], "--trials", 0) != 0;
    else {
      std::fprintf(stderr, "bench_conditioning: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  const io::Scenario sc = io::load_scenario(argv[1], overrides);
  const model::ModelParams& p = sc.params;
  const std::uint64_t s = seed >= 0 ? static_cast<std::uint64_t>(seed) : sc.seed;
  if (!p.baseline.calibrate || p.warmup_start_year > 2022) {
    std::fprintf(stderr, "bench_conditioning: %s does not condition on 2023 growth\n", argv[1]);
    return 2;
  }
  model::CalibratedInputs inputs = model::calibrate(p, s).targets;
  std::printf("scenario %s: %lld firms, seed %llu; observed 2023 growth %.4f\n", p.name.c_str(),
              static_cast<long long>(p.total_firms()), static_cast<unsigned long long>(s),
              p.baseline.equipment_investment_growth);
  std::printf("calibration: start shift %.5f, growth per unit of shift %.3f\n", inputs.demand_shift_2023,
              inputs.growth_per_shift_2023);
  if (start_slope > 0) inputs.growth_per_shift_2023 = start_slope;
  std::printf("search starts with growth per unit of shift %.3f\n", inputs.growth_per_shift_2023);
  std::printf("%4s %7s %10s %12s %9s\n", "rep", "trials", "shift", "distance pp", "cpu s");
  const double target = p.baseline.equipment_investment_growth;
  double trials_sum = 0, distance_sum = 0, distance_max = 0, cpu_sum = 0;
  for (int r = 0; r < reps; ++r) {
    model::RegionSimulation sim(p, inputs, s, static_cast<std::uint64_t>(r));
    sim.run(2022);
    const double c0 = bench::thread_cpu_seconds();
    const auto trials = model::condition_on_2023(sim, p, inputs, p.end_year);
    const double cpu = bench::thread_cpu_seconds() - c0;
    double distance = 1e300;
    for (const auto& t : trials) distance = std::min(distance, std::fabs(t.growth - target));
    std::printf("%4d %7zu %10.5f %12.3f %9.3f\n", r, trials.size(), sim.demand_shift_2023(), 100 * distance, cpu);
    if (show_trials)
      for (const auto& t : trials) std::printf("       trial: shift %9.5f  growth %8.4f\n", t.shift, t.growth);
    trials_sum += static_cast<double>(trials.size());
    distance_sum += distance;
    distance_max = std::max(distance_max, distance);
    cpu_sum += cpu;
  }
  std::printf("mean: %.2f trials, distance %.3f pp (largest %.3f pp), %.3f cpu s a replication\n", trials_sum / reps,
              100 * distance_sum / reps, 100 * distance_max, cpu_sum / reps);
  return 0;
}

int main(int argc, char** argv) {
  const char* usage = "SCENARIO.toml [--reps N] [--seed S] [--start-slope X] [--set KEY.PATH=VALUE ...] [--trials 1]";
  return bench::run_main("bench_conditioning", usage, argc, argv, [&] { return measure(argc, argv); });
}
