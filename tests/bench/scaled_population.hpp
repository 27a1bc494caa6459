// Shared by the firm-model benchmark programs: a scenario's sector mix scaled
// to N firms (one replication, no calibration: the initial mixes as stated),
// and the calling thread's CPU time.
#pragma once

#include <cstdlib>
#include <vector>

#include <time.h>

#include <cmath>
#include <cstdint>

#include "model/parameters.hpp"

namespace renewsim::bench {

// The scenario's parameters with every sector's firm count scaled so that the
// total is about `firms` (each count rounded).
inline model::ModelParams scaled_params(const model::ModelParams& base, long long firms) {
  model::ModelParams p = base;
  const double scale = static_cast<double>(firms) / static_cast<double>(base.total_firms());
  for (auto& s : p.sectors) s.firms = static_cast<std::int64_t>(std::llround(static_cast<double>(s.firms) * scale));
  return p;
}

inline double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// Simulated years of one replication, the warm-up included.
inline int simulated_years(const model::ModelParams& p) { return p.end_year - p.warmup_start_year + 1; }

// The population sizes named on the command line after the scenario (default 10 k, 100 k, 1 M).
inline std::vector<long long> sizes_from(int argc, char** argv) {
  std::vector<long long> sizes;
  for (int i = 2; i < argc; ++i) sizes.push_back(std::atoll(argv[i]));
  if (sizes.empty()) sizes = {10'000, 100'000, 1'000'000};
  return sizes;
}

}  // namespace renewsim::bench
