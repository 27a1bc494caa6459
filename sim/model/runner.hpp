// Runs replications of a region in parallel (oneTBB) and calibrates them.
// Each replication is sequential and keyed by its index, so the results are
// identical at any thread count.
//
// Calibration has two parts:
//  * initial mixes (CNC, digital tools, energy classes): population-level
//    secant steps so that the end of 2023 shows the scenario's 2023 values;
//  * 2023 equipment investment growth: each replication is conditioned on it.
//    It runs to the end of 2022, and secant trials on copies find the
//    replication's own unanticipated 2023 demand shift that reproduces the
//    observed growth; the run then continues with that shift.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "model/parameters.hpp"
#include "model/population.hpp"
#include "model/statistics.hpp"

namespace renewsim::model {

struct CalibrationStep {
  CalibratedInputs used;      // initial mixes tried
  double cnc_rate = 0;        // what 2023's year end showed (mean over calibration replications)
  double digital_tool_rate = 0;
  std::array<double, kEnergyClasses> energy_class_shares{};
  double investment_growth = 0;
};

struct Calibration {
  CalibratedInputs targets;  // what the replications start from
  std::vector<CalibrationStep> steps;
  std::int64_t firms_used = 0;  // size of the calibration population
};

// Calibrates the initial mixes on a population of at most `max_firms`
// (sectors scaled in proportion) over replications distinct from the run's.
// A step's replications run in parallel in the calling oneTBB arena; the
// result does not depend on the number of threads.
Calibration calibrate(const ModelParams& p, std::uint64_t seed, std::int64_t max_firms = 20000, int steps = 4);

// A lever the calibration leaves out: disabled, or opening after 2023, the
// last year it simulates (so it cannot act there). Packages that differ only
// in such levers share one calibration.
bool calibration_ignores(const LeverBase& lever);

// One trial of the search for a replication's 2023 demand shift.
struct GrowthTrial {
  double shift = 0;
  double growth = 0;  // the 2023 equipment investment growth it gave
};

struct ReplicationOutput {
  std::vector<YearStats> years;
  std::uint64_t events = 0;
  double demand_shift_2023 = 0;  // the shift that conditioned this replication on 2023 growth
  std::vector<GrowthTrial> growth_trials_2023;  // that search's trials in order (none when shared or not conditioned)
  std::vector<StartedProject> started;  // projects started from log_from_year on (when asked for)
  bool continued = false;  // went on from a run shared with other variants (simulate_replication_variants)
  kernel::Day continued_from = 0;  // the day it went on from, when it did
};

class RegionSimulation;

// How closely the search for a 2023 demand shift must reproduce the observed
// growth, and how many trials it may take after the first.
struct GrowthSearch {
  double tolerance = 5e-4;  // 0.05 pp: every replication of a run
  int steps = 8;
};
// Calibration only averages its searches (the replications' start and the
// 2023 mixes, which 0.2 pp of investment growth hardly moves), so they stop
// sooner: jagged small populations otherwise spend most trials on the last
// tenths of a point.
inline constexpr GrowthSearch kCalibrationGrowthSearch{2e-3, 4};

// Conditions a replication on the observed 2023 growth (when the scenario
// calibrates and `last` >= 2023): runs `sim` to the end of 2022, then finds
// its own 2023 demand shift by secant trials, each running 2023 on a copy.
// `sim` then stands at the end of 2022 with that shift set, or at the end of
// 2023 when the last trial had it (that trial's run is kept). Returns the
// trials in order.
std::vector<GrowthTrial> condition_on_2023(RegionSimulation& sim, const ModelParams& p, const CalibratedInputs& inputs,
                                           int last, const GrowthSearch& search = {});

// One replication, conditioned on 2023 growth when the scenario calibrates.
// `log_from_year` > 0 records the projects started from 1 January of that year.
ReplicationOutput simulate_replication(const ModelParams& p, const CalibratedInputs& inputs, std::uint64_t seed,
                                       std::uint64_t replication, int last_year = 0, int log_from_year = 0,
                                       const GrowthSearch& search = {});

// Replication `replication` of several variants of one scenario: each of
// variants[1..] differs from variants[0] only in levers switched off (as
// make_variants makes them). A variant whose levers switched off are all
// announced and open after 2023 continues a copy of variants[0]'s run,
// conditioning included, instead of simulating those years again: from the
// first of the month in which the first of those levers can act, while the
// copies kept for such months fit a memory budget (small populations), else
// from the end of 2023. The others run from the start. Either way its output
// is that of simulate_replication (tested). `log_from_year[v]` as there (variants that
// share must log from the same year, if at all). `parallel`: the variants
// run in parallel in the calling oneTBB arena. Calls variant_done(v) as each
// finishes.
std::vector<ReplicationOutput> simulate_replication_variants(const std::vector<const ModelParams*>& variants,
                                                             const CalibratedInputs& inputs, std::uint64_t seed,
                                                             std::uint64_t replication,
                                                             const std::vector<int>& log_from_year, bool parallel,
                                                             const std::function<void(std::size_t)>& variant_done = {});

struct RunOptions {
  std::uint64_t seed = 1;
  int replications = 1;
  int threads = 0;  // 0: all cores
  int log_from_year = 0;  // > 0: record started projects from then on
};

// Replications of several parameter sets (variants of one scenario) with the
// same seeds: replication r of every variant draws the same random numbers.
// Replications run in parallel, and the variants of each (see
// simulate_replication_variants) in parallel within it; returns out[v][r].
// Variant v records its started projects when log_started[v] (from
// options.log_from_year). Calls progress(done, total) as runs finish, and
// replication_done(r, out) as soon as every variant of replication r has
// finished (from the worker that finished the last), so that the caller can
// reduce out[.][r] and free it: memory then stays flat in replications.
using ReplicationDone = std::function<void(int, std::vector<std::vector<ReplicationOutput>>&)>;
std::vector<std::vector<ReplicationOutput>> run_variants(const std::vector<const ModelParams*>& variants,
                                                         const CalibratedInputs& inputs, const RunOptions& options,
                                                         const std::vector<bool>& log_started,
                                                         const std::function<void(int, int)>& progress = {},
                                                         const ReplicationDone& replication_done = {});

// Calls progress(done, total) from worker threads as replications finish.
std::vector<ReplicationOutput> run_replications(const ModelParams& p, const CalibratedInputs& inputs,
                                                const RunOptions& options,
                                                const std::function<void(int, int)>& progress = {});

}  // namespace renewsim::model
