// `renewsim sweep`: run a sweep file's points, streaming the results, resumable,
// distributed over MPI ranks when started by mpirun (docs/sweeps.md).
#include <sched.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "cli/python.hpp"
#include "cli/sweep_run.hpp"
#include "cli/sweep_transport.hpp"
#include "io/errors.hpp"
#include "io/sweep_file.hpp"
#include "sweep/store.hpp"
#include "version.hpp"

namespace renewsim::cli {
namespace {


std::string manifest(const io::SweepSpec& spec, const sweep::Design& design, int ranks, int threads,
                     const nlohmann::ordered_json& outcome) {
  nlohmann::ordered_json m;
  m["renewsim_version"] = version();
  m["git_revision"] = git_revision();
  m["sweep"] = {{"path", spec.path}, {"name", spec.name}, {"description", spec.description}};
  m[sweep::kSweepHashField] = spec.content_hash;
  m["scenario"] = {{"path", spec.scenario_path}, {"hash_fnv1a64", spec.base.content_hash}, {"settings", spec.settings}};
  m["seed"] = spec.seed;
  m["design"] = {{"kind", sweep::kDesignNames[static_cast<int>(spec.design_kind)]},
                 {"points", design.size()},
                 {"keys", design.keys()}};
  const auto& c = spec.replications;
  if (c.adaptive()) {
    nlohmann::ordered_json precision = nlohmann::ordered_json::array();
    for (const auto& p : c.precision) precision.push_back({{"column", p.label()}, {"half_width", p.half_width}, {"relative", p.relative}});
    m["replications"] = {{"adaptive", true}, {"min", c.min}, {"max", c.max}, {"batch", c.batch}, {"precision", precision}};
  } else {
    m["replications"] = {{"adaptive", false}, {"count", c.fixed}};
  }
  m["counterfactual"] = spec.counterfactual;
  m["attribution"] = spec.attribution;
  m["ranks"] = ranks;
  m["threads_per_rank"] = threads;  // the writer's (rank 0)
  for (const auto& [k, v] : outcome.items()) m[k] = v;
  return m.dump(2) + "\n";
}

// The cores this process may use (an MPI launcher may have bound it to
// fewer than the machine has), shared with the other ranks on the machine
// when it was not bound.
int default_threads(int local_ranks) {
  const int machine = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  int allowed = machine;
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) allowed = std::max(1, CPU_COUNT(&set));
  return allowed < machine ? allowed : std::max(1, allowed / std::max(1, local_ranks));
}


}  // namespace

int run_sweep(const SweepArgs& a, io::SweepSpec& spec, bool& writer_out) {
  const auto t0 = std::chrono::steady_clock::now();
  if (a.replications > 0) spec.replications = {a.replications, 0, 0, 0, {}};
  const bool tty = isatty(STDERR_FILENO) && !a.quiet;
  const std::string out = a.out.empty() ? "results/sweeps/" + spec.name : a.out;

  SweepTransport& net = sweep_transport();
  const bool writer = net.writer();
  writer_out = writer;
  if (a.points > 0) {
    // The first N points in the design's own order: a trial is a prefix of the full sweep.
    spec.point_limit = static_cast<std::size_t>(a.points);
    spec.content_hash = io::fnv1a_hex(spec.content_hash + "/points=" + std::to_string(a.points));
  }
  const sweep::Design design = spec.design();
  if (a.replications > 0) spec.content_hash = io::fnv1a_hex(spec.content_hash + "/reps=" + std::to_string(a.replications));
  // Rows of two builds of the model must not mix in one directory.
  spec.content_hash = io::fnv1a_hex(spec.content_hash + "/renewsim=" + version() + "/" + git_revision());

  InterruptGuard interrupt;
  std::string resume_cmd = a.resume_command;
  if (resume_cmd.empty()) {
    resume_cmd = "renewsim sweep " + shell_quote(a.file) + " --out " + shell_quote(out) + " --resume";
    if (a.points > 0) resume_cmd += " --points " + std::to_string(a.points);
    if (a.replications > 0) resume_cmd += " --reps " + std::to_string(a.replications);
  }
  interrupt.set_sweep_output(out, resume_cmd, tty);

  const int threads = a.threads > 0 ? a.threads : default_threads(net.local_ranks());
  // The writer opens (or reopens) the directory; every rank learns how that went.
  std::optional<sweep::SweepStore> store;
  sweep::ResumeState state;
  std::string open_error;
  int open_status = kExitOk;
  if (writer) {
    try {
      std::error_code ec;
      const bool started = std::filesystem::exists(std::filesystem::path(out) / "sweep.json", ec);
      const bool journal = std::filesystem::exists(std::filesystem::path(out) / ".journal", ec);
      if (a.resume && !started)
        throw io::InputError(out + ": no sweep to resume here (no sweep.json); run without --resume to start it");
      if (a.resume && journal) {
        store.emplace(sweep::SweepStore::resume(out, spec, state));
      } else if (a.resume) {  // interrupted while the directory was being made: nothing ran yet
        store.emplace(sweep::SweepStore::create(out, spec, true,
                                                manifest(spec, design, net.ranks(), threads, {{"status", "running"}})));
      } else {
        store.emplace(sweep::SweepStore::create(out, spec, a.force,
                                                manifest(spec, design, net.ranks(), threads, {{"status", "running"}})));
      }
    } catch (const io::InputError& e) {
      open_error = e.what();
      open_status = kExitUsage;
    } catch (const std::exception& e) {
      open_error = e.what();
      open_status = kExitFailure;
    }
  }
  open_status = net.broadcast(open_status);
  if (open_status != kExitOk) {
    if (writer) std::cerr << "renewsim: error: " << open_error << '\n';
    return open_status;
  }
  if (!writer && a.resume) {  // after the writer cut the files back
    try {
      state = sweep::SweepStore::read_state(out);
    } catch (const std::exception& e) {
      std::cerr << "renewsim: rank " << net.rank() << ": " << e.what()
                << " (with --resume every rank reads the output directory: it must be on a file system all ranks see)\n";
      net.abort(kExitUsage);
    }
  }
  net.barrier();  // and before the writer appends again

  const std::size_t total = design.size();
  const std::size_t already = state.points_done.size();
  if (writer && !a.quiet) {
    std::cerr << "renewsim: sweep " << spec.name << ": " << total << " points (" << sweep::kDesignNames[static_cast<int>(spec.design_kind)]
              << ") x ";
    std::cerr << spec.replications.describe();
    std::cerr << " of " << spec.scenario_path;
    if (net.ranks() > 1) std::cerr << ", " << net.ranks() << " ranks";
    if (a.resume) std::cerr << "; resuming: " << already << " points and " << state.runs_done << " runs already done";
    std::cerr << '\n';
  }

  // The simulation runs on its own thread; this one writes (or sends) what it commits.
  std::mutex m;
  std::condition_variable cv;
  std::deque<sweep::Commit> queue;
  bool computed = false;
  std::exception_ptr failure;
  sweep::EngineOptions eo;
  eo.threads = threads;
  eo.rank = static_cast<std::uint64_t>(net.rank());
  eo.ranks = static_cast<std::uint64_t>(net.ranks());
  std::thread compute([&] {
    try {
      sweep::run_points(spec, state, eo, [&](sweep::Commit&& c) {
        std::lock_guard<std::mutex> lock(m);
        queue.push_back(std::move(c));
        cv.notify_one();
      });
    } catch (...) {
      std::lock_guard<std::mutex> lock(m);
      failure = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(m);
    computed = true;
    cv.notify_one();
  });

  std::size_t points_done = already, failed = state.points_failed, runs = state.runs_done, session_points = 0;
  std::uint64_t events = 0;
  int ranks_running = net.ranks() - 1;
  auto progress = [&] {
    if (!tty) return;
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    char left[32] = "? s left";  // until a point is done
    if (session_points)
      std::snprintf(left, sizeof left, "%.0f s left",
                    secs / static_cast<double>(session_points) * static_cast<double>(total - points_done));
    std::fprintf(stderr, "\r  points %zu/%zu (%zu failed)  runs %zu  %.2f runs/s  %s   ", points_done, total, failed,
                 runs, static_cast<double>(runs - state.runs_done) / std::max(secs, 1e-9), left);
  };
  auto take = [&](const sweep::Commit& c) {
    store->append(c);
    if (c.kind == sweep::Commit::Kind::Run) {
      ++runs;
      events += c.events;
    } else {
      ++points_done;
      ++session_points;
      if (c.failed) ++failed;
    }
    progress();
  };
  try {
    for (;;) {
      std::deque<sweep::Commit> batch;
      bool local_done = false;
      {
        std::unique_lock<std::mutex> lock(m);
        cv.wait_for(lock, std::chrono::milliseconds(net.ranks() > 1 ? 2 : 200),
                    [&] { return !queue.empty() || computed; });
        batch.swap(queue);
        local_done = computed;
      }
      for (const auto& c : batch) {
        if (writer) take(c);
        else net.send(c);
      }
      bool received = false;
      if (writer) {
        sweep::Commit c;
        bool rank_done = false;
        while (true) {
          const bool got = net.poll(c, rank_done);
          if (rank_done) --ranks_running;
          if (!got && !rank_done) break;
          if (got) take(c);
          received = true;
        }
      }
      if (local_done) {
        std::lock_guard<std::mutex> lock(m);
        if (!queue.empty()) continue;
        if (failure) std::rethrow_exception(failure);
        if (!writer) {
          net.send_done();
          break;
        }
        if (ranks_running == 0) break;
        // Own points done, others' still coming: wait without taking a core from them.
        if (!received) std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    }
  } catch (const std::exception& e) {
    std::cerr << (tty ? "\n" : "") << "renewsim: sweep failed: " << e.what() << "; every finished run is kept in " << out
              << "; continue with: " << resume_cmd << '\n';
    net.abort(kExitFailure);  // the simulation thread cannot be stopped cleanly
  }
  compute.join();
  if (!writer) {
    net.barrier();  // the writer has written everything: every rank may read the outputs
    return kExitOk;
  }

  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  nlohmann::ordered_json outcome = {{"status", "complete"},
                                    {"points", total},
                                    {"points_failed", failed},
                                    {"runs", runs},
                                    {"events_this_session", events},
                                    {"wall_seconds_this_session", wall}};
  store->write_manifest(manifest(spec, design, net.ranks(), threads, outcome));
  if (tty) std::fputc('\n', stderr);
  if (!a.quiet || failed > 0)
    std::cerr << "renewsim: sweep done: " << points_done << " points, " << failed << " failed, " << runs << " runs; "
              << out << "/{results,summary,runs}.csv in " << wall << " s\n";
  net.barrier();
  return failed > 0 ? kExitFailure : kExitOk;
}

namespace {
int sweep_command(const SweepArgs& a) {
  io::SweepSpec spec = io::load_sweep(a.file);
  bool writer = true;
  return run_sweep(a, spec, writer);
}
}  // namespace

void register_sweep(CLI::App& app, CommandRegistry& registry) {
  auto args = std::make_shared<SweepArgs>();
  CLI::App* sub = app.add_subcommand("sweep", "Run a sweep: a scenario over a design of parameter values, streamed and resumable");
  sub->add_option("sweep", args->file, "Sweep file (TOML; docs/sweeps.md)")->required()->check(CLI::ExistingFile);
  sub->add_option("-o,--out", args->out, "Output directory (default: results/sweeps/<sweep name>)");
  sub->add_option("-t,--threads", args->threads, "Worker threads per process (default: the cores, shared by the ranks on a machine)")
      ->check(CLI::Range(1, 4096));
  sub->add_option("-r,--reps", args->replications, "A fixed number of replications per point instead of the file's")
      ->check(CLI::Range(1, 1000000));
  sub->add_option("--points", args->points, "Only the design's first N points (a trial of a long sweep)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100000000}));
  sub->add_flag("--resume", args->resume, "Continue the interrupted sweep in the output directory (same arguments)");
  sub->add_flag("-f,--force", args->force, "Start afresh in a non-empty output directory (its files are overwritten)");
  sub->add_flag("-q,--quiet", args->quiet, "No progress or summary on stderr");
  sub->footer(
      "Examples:\n"
      "  renewsim sweep scenarios/sweeps/sichuan_subsidy_vs_lead_time.toml --out results/sweep1\n"
      "  renewsim sweep scenarios/sweeps/sichuan_subsidy_vs_lead_time.toml --out results/sweep1 --resume\n"
      "  mpirun -n 4 renewsim sweep SWEEP.toml --out results/sweep1      (when built with MPI)\n"
      "Outputs (appended as runs finish): results.csv (one row per point), summary.csv, runs.csv, sweep.json.\n"
      "Replication r uses the same random numbers at every point. A point that fails is recorded in\n"
      "results.csv with its error and the sweep goes on. An interrupted sweep (even killed) keeps every\n"
      "finished run; --resume continues it without redoing any.\n"
      "Exit status 0 all points done, 1 some point failed or the run failed, 2 bad usage or sweep file,\n"
      "130/143 interrupted by SIGINT/SIGTERM.");
  registry.add(sub, [args] { return sweep_command(*args); });
}

}  // namespace renewsim::cli
