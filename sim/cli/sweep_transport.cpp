#include "cli/sweep_transport.hpp"

#include <cstdlib>
#include <cstring>
#include <string>

#include "io/errors.hpp"

#ifdef RENEWSIM_MPI
#include <mpi.h>
#endif

namespace renewsim::cli {

void SweepTransport::abort(int status) { std::_Exit(status); }

namespace {
// Set by mpirun (Open MPI, MPICH, PMIx) or by srun.
bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(v)) return true;
  return false;
}
}  // namespace

#ifdef RENEWSIM_MPI
namespace {

constexpr int kTagCommit = 1, kTagDone = 2;

void put(std::string& b, std::uint64_t v) { b.append(reinterpret_cast<const char*>(&v), sizeof v); }
std::uint64_t take(const char*& p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  p += sizeof v;
  return v;
}

class MpiTransport final : public SweepTransport {
 public:
  MpiTransport() {
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks_);
    MPI_Comm local;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &local);
    MPI_Comm_size(local, &local_);
    MPI_Comm_free(&local);
  }
  ~MpiTransport() override { MPI_Finalize(); }
  int rank() const override { return rank_; }
  int ranks() const override { return ranks_; }
  int local_ranks() const override { return local_; }
  void barrier() override { MPI_Barrier(MPI_COMM_WORLD); }
  int broadcast(int v) override {
    MPI_Bcast(&v, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return v;
  }
  void send(const sweep::Commit& c) override {
    std::string b;
    put(b, static_cast<std::uint64_t>(c.kind));
    put(b, c.point);
    put(b, static_cast<std::uint64_t>(c.replication));
    put(b, c.failed ? 1 : 0);
    put(b, c.events);
    for (const std::string* s : {&c.runs, &c.summary, &c.results}) put(b, s->size());
    b += c.runs;
    b += c.summary;
    b += c.results;
    MPI_Send(b.data(), static_cast<int>(b.size()), MPI_CHAR, 0, kTagCommit, MPI_COMM_WORLD);
  }
  void send_done() override { MPI_Send(nullptr, 0, MPI_CHAR, 0, kTagDone, MPI_COMM_WORLD); }
  bool poll(sweep::Commit& c, bool& rank_done) override {
    rank_done = false;
    int flag = 0;
    MPI_Status st;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
    if (!flag) return false;
    int count = 0;
    MPI_Get_count(&st, MPI_CHAR, &count);
    std::string b(static_cast<std::size_t>(count), '\0');
    MPI_Recv(b.data(), count, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (st.MPI_TAG == kTagDone) {
      rank_done = true;
      return false;
    }
    const char* p = b.data();
    c.kind = static_cast<sweep::Commit::Kind>(take(p));
    c.point = take(p);
    c.replication = static_cast<std::int64_t>(take(p));
    c.failed = take(p) != 0;
    c.events = take(p);
    const std::uint64_t n1 = take(p), n2 = take(p), n3 = take(p);
    c.runs.assign(p, n1);
    c.summary.assign(p + n1, n2);
    c.results.assign(p + n1 + n2, n3);
    return true;
  }
  [[noreturn]] void abort(int status) override {
    MPI_Abort(MPI_COMM_WORLD, status);
    std::_Exit(status);
  }

 private:
  int rank_ = 0, ranks_ = 1, local_ = 1;
};


std::unique_ptr<SweepTransport> make_sweep_transport() {
  if (launched_by_mpi()) return std::make_unique<MpiTransport>();
  return std::make_unique<SweepTransport>();
}
}  // namespace
#else
namespace {
std::unique_ptr<SweepTransport> make_sweep_transport() {
  // K copies of a single-process sweep would each run every point into the same directory.
  if (launched_by_mpi())
    throw io::InputError("started by mpirun/srun, but this renewsim was built without MPI "
                         "(install libopenmpi-dev and rebuild; docs/sweeps.md)");
  return std::make_unique<SweepTransport>();
}
}  // namespace
#endif

SweepTransport& sweep_transport() {
  static const std::unique_ptr<SweepTransport> transport = make_sweep_transport();
  return *transport;
}

}  // namespace renewsim::cli
