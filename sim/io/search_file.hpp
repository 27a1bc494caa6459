// Files of the commands that search over a sweep's parameters: `calibrate`
// (fit parameters to observed moments up to 2023) and `optimise` (the
// cheapest lever package that meets a target with a given probability). Each
// is a sweep file without a design (docs/analysis.md): [sweep] names the base
// scenario, seed and replications, [[parameters]] give the ranges searched,
// and a [calibrate] or [optimise] table says what is sought.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "io/sweep_file.hpp"

namespace renewsim::io {

// How the CMA-ES search is run (explore/cmaes.hpp), in the unit cube of the
// parameters' ranges.
struct SearchSettings {
  int generations = 30;      // at most this many generations
  int population = 0;        // candidates per generation; 0: 4 + floor(3 ln k)
  double sigma = 0.3;        // first step, as a share of each range
  double tolerance = 0.002;  // stop when the search's spread falls below this share of each range
};

// An observed moment: a series metric's mean in a year, with the standard
// error of the observation (its weight is 1 / sd^2).
struct Moment {
  std::string metric;
  int year = 0;
  double observed = 0;
  double sd = 0;
  std::string source;  // where the figure comes from (for the report)
  std::string label() const { return metric + "." + std::to_string(year); }
};

struct CalibrationSpec {
  SweepSpec sweep;
  std::vector<Moment> moments;
  SearchSettings search;
  double step = 0.05;  // finite-difference step for the standard errors, as a share of each range
};

struct OptimisationSpec {
  SweepSpec sweep;
  std::string target;                      // a modelled target of the base scenario
  double probability = 0.8;                // required probability of meeting it
  // Minimised: a results.csv column (kCostColumns), or a series metric summed
  // over the assessment years (e.g. "lever.NAME.outlay", one lever's outlay).
  std::string cost = "new_policy_outlay";
  SearchSettings search;
  int reevaluate = 5;                 // best feasible candidates evaluated again on fresh replications
  int reevaluation_replications = 0;  // 0: four times the search's
};

// Calibration moments are data up to 2023 only: later years are for validation.
inline constexpr int kLastCalibrationYear = 2023;
// results.csv columns `optimise` takes as its cost.
inline constexpr std::array<const char*, 3> kCostColumns = {"new_policy_outlay", "fiscal_outlay", "net_fiscal_cost"};

// "calibrate" or "optimise" when a sweep file has that table, else "" (for `validate`).
std::string search_command_of(const std::string& path);

CalibrationSpec load_calibration(const std::string& path);
OptimisationSpec load_optimisation(const std::string& path);

}  // namespace renewsim::io
