// How the ranks of a sweep reach the one that writes the outputs. A single
// process is its own writer; under MPI (`mpirun -n K renewsim sweep ...`,
// when built with MPI) rank 0 writes and the other ranks send it their
// commits. Only the main thread calls MPI (MPI_THREAD_FUNNELED).
#pragma once

#include <memory>

#include "sweep/engine.hpp"

namespace renewsim::cli {

class SweepTransport {
 public:
  virtual ~SweepTransport() = default;
  virtual int rank() const { return 0; }
  virtual int ranks() const { return 1; }
  bool writer() const { return rank() == 0; }
  // Processes of this job on this machine (to share its cores).
  virtual int local_ranks() const { return 1; }
  virtual void barrier() {}
  // The writer's value of `v` on every rank.
  virtual int broadcast(int v) { return v; }
  // A rank other than the writer: hands on a commit, then says it is done.
  virtual void send(const sweep::Commit&) {}
  virtual void send_done() {}
  // The writer: takes a waiting commit if there is one (non-blocking);
  // `rank_done` is set when the message was a rank's last.
  virtual bool poll(sweep::Commit&, bool& rank_done) {
    rank_done = false;
    return false;
  }
  // Ends every rank at once (a failure on one rank ends the job).
  [[noreturn]] virtual void abort(int status);
};

// The process's transport, made on first use and kept until exit (MPI can be
// initialised once per process, and commands built on sweeps run several):
// MPI when the process was started by mpirun/srun (renewsim built with MPI),
// otherwise the single process; InputError when started by mpirun but built
// without MPI.
SweepTransport& sweep_transport();

}  // namespace renewsim::cli
