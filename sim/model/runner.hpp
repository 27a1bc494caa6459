// Runs replications of a region in parallel (oneTBB) and calibrates the
// initial state. Each replication is sequential and keyed by its index, so the
// results are identical at any thread count.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "model/parameters.hpp"
#include "model/population.hpp"
#include "model/statistics.hpp"

namespace renewsim::model {

struct CalibrationStep {
  CalibratedInputs used;        // initial mixes tried
  double cnc_rate = 0;        // what 2023's year end showed
  double digital_tool_rate = 0;
  std::array<double, kEnergyClasses> energy_class_shares{};
  double investment_growth = 0;
};

struct Calibration {
  CalibratedInputs targets;  // what the replications start from
  std::vector<CalibrationStep> steps;
  std::int64_t firms_used = 0;  // size of the calibration population
};

// Adjusts the initial CNC, digital-tool and energy-class mixes (fixed-point
// steps) and the 2023 demand shift (secant steps) so that the end of 2023
// shows the scenario's 2023 values, on a population of at most `max_firms`
// (sectors scaled in proportion) and replications distinct from the run's own.
Calibration calibrate(const ModelParams& p, std::uint64_t seed, std::int64_t max_firms = 20000, int steps = 5);

struct ReplicationOutput {
  std::vector<YearStats> years;
  std::uint64_t events = 0;
};

struct RunOptions {
  std::uint64_t seed = 1;
  int replications = 1;
  int threads = 0;  // 0: all cores
};

// Calls progress(done, total) from worker threads as replications finish.
std::vector<ReplicationOutput> run_replications(const ModelParams& p, const CalibratedInputs& targets,
                                                const RunOptions& options,
                                                const std::function<void(int, int)>& progress = {});

}  // namespace renewsim::model
