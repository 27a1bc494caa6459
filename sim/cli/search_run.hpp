// Evaluating the candidates of a search (`calibrate`, `optimise`) through the
// sweep engine. Each batch of candidates (a generation, a re-evaluation) is a
// sweep of its own in OUT/evaluations/NAME: streamed, resumable, distributed
// over MPI ranks. A search decides only from what those directories hold, so
// a resumed search replays its decisions and continues exactly where it
// stopped, running nothing twice.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "io/csv.hpp"
#include "io/search_file.hpp"
#include "io/sweep_file.hpp"

namespace renewsim::cli {

struct SearchArgs {
  std::string file;
  std::string out;
  int threads = 0;
  bool resume = false;
  bool force = false;
  bool quiet = false;
};

// One batch's outputs, read back from its directory.
class Batch {
 public:
  explicit Batch(const std::string& dir);
  const std::string& dir() const { return dir_; }
  std::size_t size() const { return results_.size(); }
  bool failed(std::size_t point) const;
  std::string error(std::size_t point) const;
  // A results.csv column of a point (NaN when empty or not a number).
  double result(std::size_t point, const std::string& column) const;
  // The policy variant's mean of a metric in a year over the point's
  // replications (summary.csv; NaN when absent).
  double mean(std::size_t point, const std::string& metric, int year) const;
  // Each replication's values of the policy variant's (metric, year) pairs
  // at a point (runs.csv): one row per replication, in replication order.
  std::vector<std::vector<double>> run_values(std::size_t point,
                                              const std::vector<std::pair<std::string, int>>& keys) const;

 private:
  std::string dir_;
  std::vector<std::string> header_;
  std::map<std::size_t, std::vector<std::string>> results_;
  std::map<std::string, double> means_;  // "point/metric/year"
};

class SearchRunner {
 public:
  // Opens OUT for the search (all ranks): a new search needs an empty or
  // absent directory (or --force); --resume needs the same
  // search's directory. InputError otherwise.
  // `outputs`: the command's own files in OUT, which --force removes with the
  // evaluations (a new search must not leave an old one's result beside it).
  SearchRunner(std::string command, const SearchArgs& args, const io::SweepSpec& spec,
               const std::vector<std::string>& outputs);
  const std::string& out() const { return out_; }
  bool writer() const;
  // Runs (or, resumed, completes) batch `name`: the rows are the parameters'
  // value texts, each row a point, each simulated for `replications`
  // replications from `seed` (common random numbers across the batch).
  Batch evaluate(const std::string& name, const std::vector<std::vector<std::string>>& rows, int replications,
                 std::uint64_t seed);
  // The command that continues this search after an interruption.
  std::string resume_command() const;
  // Writes OUT/NAME atomically (the writer only).
  void write(const std::string& name, const std::string& content) const;

 private:
  std::string command_;
  SearchArgs args_;
  const io::SweepSpec& spec_;
  std::string out_;
  std::string hash_;
};

// The parameters' value texts at unit coordinates (each clamped into the
// range: 0 is min, 1 is max).
std::vector<std::string> values_at(const std::vector<sweep::Parameter>& parameters, const std::vector<double>& units);
// How much a parameter's value moves per unit of its coordinate at u (the
// range's width; for a log range value * ln(max / min); dates in days).
double value_per_unit(const sweep::Parameter& parameter, double u);

// A scenario file for OUT that includes the search's base scenario and sets
// `settings` (the parameters' values): `run` and `sweep` take it as any
// scenario. `header` is a comment (lines without '#'); the sweep file's own
// settings are listed in the comment, not applied.
std::string including_scenario(const io::SweepSpec& spec, const std::string& out, const std::string& header,
                               const std::vector<std::string>& settings, const std::vector<std::string>& comments);

// One CMA-ES generation, evaluated.
struct Generation {
  std::size_t index = 0;
  std::vector<std::vector<double>> units;        // candidates in the unit cube
  std::vector<std::vector<std::string>> values;  // and as value texts
  const Batch* batch = nullptr;                  // their outputs (point i = candidate i)
};
struct SearchOutcome {
  std::size_t generations = 0;
  bool converged = false;    // the spread fell below the tolerance
  std::vector<double> mean;  // the search distribution's centre at the end, in the unit cube
};
// Runs the CMA-ES search (explore/cmaes.hpp) from the centre of the ranges:
// each generation is a batch "gNNN" of `replications` replications from the
// sweep's seed (the same replications for every candidate); `rank` orders a
// generation's candidates best first.
SearchOutcome run_search(SearchRunner& runner, const io::SweepSpec& spec, const io::SearchSettings& settings,
                         const std::function<std::vector<std::size_t>(const Generation&)>& rank);

}  // namespace renewsim::cli
