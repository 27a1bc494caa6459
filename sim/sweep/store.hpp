// A sweep's output directory, streamed and resumable.
//
//   runs.csv      point, variant, replication, year, metric, value (every run)
//   summary.csv   point, variant, year, metric, replications, mean, p05, p50, p95
//   results.csv   one row per point: status, replications, the point's values,
//                 each target's median, 90 % range and probability, public cost
//   sweep.json    what made the sweep and, at the end, how it went
//   .journal      one line per commit: what it added and the files' sizes after
//
// A commit appends its lines to the data files and then a journal line with
// their new sizes. After a kill, even SIGKILL in the middle of a write, the
// last complete journal line says how far every file is complete: resume
// cuts the files back to it and carries on from the runs and points it lists.
#pragma once

#include <cstdint>
#include <string>

#include "sweep/engine.hpp"

namespace renewsim::sweep {

class SweepStore {
 public:
  // Starts the files of a new sweep in DIR (created if needed; a non-empty
  // DIR only with `force`); `manifest` is sweep.json's text.
  static SweepStore create(const std::string& dir, const io::SweepSpec& spec, bool force, const std::string& manifest);
  // Reopens an interrupted sweep's DIR: checks that the same sweep made it
  // (InputError otherwise), cuts the files back to the last commit and reads
  // what is done into `state`.
  static SweepStore resume(const std::string& dir, const io::SweepSpec& spec, ResumeState& state);
  // Reads what is done without changing anything (ranks of a distributed
  // sweep other than the writer, after it has resumed).
  static ResumeState read_state(const std::string& dir);

  SweepStore(SweepStore&&) noexcept;
  SweepStore& operator=(SweepStore&&) noexcept;
  ~SweepStore();

  void append(const Commit& c);
  // Rewrites sweep.json (atomically), e.g. with the final counts.
  void write_manifest(const std::string& manifest);
  const std::string& dir() const { return dir_; }

 private:
  SweepStore() = default;
  void open_files();
  std::string dir_;
  int runs_ = -1, summary_ = -1, results_ = -1, journal_ = -1;
  std::uint64_t runs_size_ = 0, summary_size_ = 0, results_size_ = 0;
};

// The manifest's field that ties a directory to its sweep.
inline constexpr const char* kSweepHashField = "sweep_hash_fnv1a64";

}  // namespace renewsim::sweep
