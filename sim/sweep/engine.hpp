// The sweep engine: runs a sweep's points, each for its replications, and
// hands every finished run and every finished point on as a Commit, the text
// it adds to the streamed outputs (docs/sweeps.md).
//
// Replication r of every point draws the same random numbers (the sweep's
// seed, replication r): common random numbers, so that differences between
// points are not noise. Points are taken a window at a time; the window's runs
// share the threads, and commits leave in (point, replication) order within a
// window, so the outputs of an uninterrupted single-process sweep are the same
// bytes at any thread count. Each rank of a distributed sweep runs the points
// p with p % ranks == rank.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "io/sweep_file.hpp"
#include "model/statistics.hpp"

namespace renewsim::sweep {

struct Commit {
  enum class Kind : std::uint8_t { Run = 0, Point = 1 };
  Kind kind = Kind::Run;
  std::uint64_t point = 0;
  std::int64_t replication = -1;  // Run
  bool failed = false;            // Point
  std::uint64_t events = 0;       // Run: events simulated
  std::string runs, summary, results;  // lines for runs.csv, summary.csv, results.csv
};

// What an interrupted sweep already has (read back by SweepStore::recover).
struct ResumeState {
  std::set<std::uint64_t> points_done;
  // Runs of points not yet done: point -> replication -> variant name -> rows.
  std::map<std::uint64_t, std::map<std::int64_t, std::map<std::string, std::vector<model::MetricRow>>>> runs;
  std::uint64_t runs_done = 0;   // all runs in the files, done points' included
  std::uint64_t points_failed = 0;
};

struct EngineOptions {
  int threads = 0;  // 0: all cores
  std::uint64_t rank = 0, ranks = 1;
};

// Headers of the streamed files.
std::string runs_header();
std::string summary_header();
std::string results_header(const io::SweepSpec& spec);

// Points a window holds at once (independent of the thread count, so that the
// order of the outputs is too).
std::size_t window_points(const io::SweepSpec& spec);

// Runs this rank's points not in `resume.points_done`, reusing the runs it
// holds; `commit` is called from one thread at a time.
void run_points(const io::SweepSpec& spec, const ResumeState& resume, const EngineOptions& options,
                const std::function<void(Commit&&)>& commit);

// 95 % confidence half-widths: of a proportion k/n (Wilson score interval),
// and of a mean (Student t; relative to |mean| when asked). Infinite for n < 2.
double proportion_half_width(std::int64_t met, std::int64_t n);
// The 95 % Wilson score interval of a proportion k/n.
std::pair<double, double> proportion_interval(std::int64_t met, std::int64_t n);
double mean_half_width(const std::vector<double>& xs, bool relative);

}  // namespace renewsim::sweep
