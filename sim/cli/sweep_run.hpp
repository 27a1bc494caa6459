// Running a sweep file's points, shared by `sweep` and the commands built on
// sweeps (`sensitivity`): streamed, resumable, distributed over MPI ranks.
#pragma once

#include <cstdint>
#include <string>

#include "io/sweep_file.hpp"

namespace renewsim::cli {

struct SweepArgs {
  std::string file;
  std::string out;
  int threads = 0;
  int replications = 0;     // > 0: a fixed number instead of the file's
  std::int64_t points = 0;  // > 0: the first N points only
  bool resume = false;
  bool force = false;
  bool quiet = false;
  std::string resume_command;  // what an interrupted run's message suggests (default: the sweep's own)
};

// Runs (or resumes) the sweep into its output directory and returns the exit
// status (0 all points done, 1 some failed, 2 bad input); `writer` says
// whether this process wrote the outputs (rank 0 of an MPI job, or the only
// process). `spec` is adjusted by --reps and --points. Every rank returns
// once the outputs are complete, so each may then read them.
int run_sweep(const SweepArgs& args, io::SweepSpec& spec, bool& writer);

}  // namespace renewsim::cli
