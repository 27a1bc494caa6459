// `renewsim run`: simulate a scenario's replications and write the outputs.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <tbb/task_arena.h>

#include "cli/assessment_table.hpp"
#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "cli/python.hpp"
#include "io/output.hpp"
#include "io/scenario.hpp"
#include "model/runner.hpp"
#include "version.hpp"

namespace renewsim::cli {
namespace {

struct RunArgs {
  std::string scenario;
  int replications = 0;  // 0: the scenario's
  std::int64_t seed = -1;  // -1: the scenario's
  int threads = 0;
  std::string out;
  bool force = false;
  bool quiet = false;
  bool no_counterfactual = false;
  bool no_attribution = false;
  bool report = false;
  std::vector<std::string> overrides;  // --set KEY.PATH=VALUE
};

std::string model_table_header(const io::Scenario& sc) {
  return sc.params.name + ": targets and public cost\n";
}

int run_command(const RunArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  InterruptGuard interrupt;
  io::Scenario sc = io::load_scenario(a.scenario, a.overrides);
  const std::uint64_t seed = a.seed >= 0 ? static_cast<std::uint64_t>(a.seed) : sc.seed;
  const int reps = a.replications > 0 ? a.replications : sc.replications;
  const std::string out_dir = a.out.empty() ? "results/" + sc.params.name : a.out;
  const bool tty = isatty(STDERR_FILENO) && !a.quiet;
  std::error_code ec;
  interrupt.set_output_dir(out_dir, !std::filesystem::exists(out_dir, ec), tty);
  io::prepare_output_dir(out_dir, a.force);
  const bool counterfactual = sc.counterfactual && !a.no_counterfactual;
  const bool attribution = sc.attribution && !a.no_attribution;
  const auto variants = model::make_variants(sc.params, counterfactual, attribution).size();
  if (!a.quiet)
    std::cerr << "renewsim: " << sc.params.name << ": " << sc.params.total_firms() << " firms, "
              << sc.params.warmup_start_year << "-" << sc.params.end_year << ", " << reps << " replications x "
              << io::count_of(static_cast<std::size_t>(variants), "variant") << " (policy"
              << (counterfactual ? ", counterfactual" : "")
              << (attribution && variants > (counterfactual ? 2u : 1u) ? ", each new lever removed" : "") << ")\n";

  model::Calibration cal;
  tbb::task_arena(a.threads > 0 ? a.threads : tbb::task_arena::automatic).execute([&] {
    cal = model::calibrate(sc.params, seed);
  });
  std::mutex progress_mutex;
  auto progress = [&](int done, int total) {
    if (!tty) return;
    std::lock_guard<std::mutex> lock(progress_mutex);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double rate = done / std::max(secs, 1e-9);
    std::fprintf(stderr, "\r  runs %d/%d  %.2f/s  %.0f s left   ", done, total, rate,
                 (total - done) / std::max(rate, 1e-9));
    if (done == total) std::fputc('\n', stderr);
  };
  model::AssessedRunOptions opts;
  opts.run = {seed, reps, a.threads};
  opts.assessment = sc.assessment;
  opts.counterfactual = counterfactual;
  opts.attribution = attribution;
  model::AssessedRun run = model::run_assessed(sc.params, cal.targets, sc.targets, opts, progress);

  const io::SeriesTable table = io::take_series(run);
  const std::uint64_t events = run.events;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  nlohmann::ordered_json m;
  m["renewsim_version"] = version();
  m["git_revision"] = git_revision();
  m["scenario"] = {{"path", sc.path}, {"name", sc.params.name}, {"hash_fnv1a64", sc.content_hash}};
  m["seed"] = seed;
  m["replications"] = reps;
  m["threads"] = a.threads > 0 ? a.threads : -1;
  m["firms"] = sc.params.total_firms();
  m["years"] = {{"warmup_start", sc.params.warmup_start_year}, {"first_reported", 2023}, {"last", sc.params.end_year}};
  nlohmann::ordered_json variant_names = nlohmann::ordered_json::array();
  for (const auto& v : run.variants) variant_names.push_back(v.name);
  m["variants"] = variant_names;
  m["events"] = events;
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (const auto& s : cal.steps)
    steps.push_back({{"initial_cnc_rate", s.used.cnc_rate},
                     {"initial_digital_tool_rate", s.used.digital_tool_rate},
                     {"mean_demand_shift_2023", s.used.demand_shift_2023},
                     {"growth_per_shift_2023", s.used.growth_per_shift_2023},
                     {"cnc_rate_2023", s.cnc_rate},
                     {"digital_tool_rate_2023", s.digital_tool_rate},
                     {"investment_growth_2023", s.investment_growth}});
  m["calibration"] = {{"firms", cal.firms_used},
                      {"steps", steps},
                      {"replications_start",
                       {{"demand_shift_2023", cal.targets.demand_shift_2023},
                        {"growth_per_shift_2023", cal.targets.growth_per_shift_2023}}}};
  const auto& h = run.assessment.headline;
  auto spread = [](const model::Spread& s) {
    return nlohmann::ordered_json{{"mean", s.mean}, {"p05", s.p05}, {"p50", s.p50}, {"p95", s.p95}};
  };
  auto number = [](double v) { return std::isnan(v) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v); };
  m["assessment"] = {{"first_year", sc.assessment.first_year},
                     {"last_year", sc.assessment.last_year},
                     {"population_scale", sc.assessment.scale},
                     {"equipment_investment", spread(h.investment)},
                     {"fiscal_outlay", spread(h.fiscal_outlay)},
                     {"new_policy_outlay", spread(h.new_policy_outlay)},
                     {"net_fiscal_cost", spread(h.net_fiscal_cost)},
                     {"additional_investment", spread(h.induced_investment)},
                     {"leverage", number(h.leverage)},
                     {"supported_projects", spread(h.supported_projects)},
                     {"deadweight_projects", spread(h.deadweight_projects)},
                     {"deadweight_share", number(h.deadweight_share)}};
  m["wall_seconds"] = wall;

  // The files are one unit: all complete and renamed together, or none.
  const std::vector<io::OutputFile> files = {{"series.csv", "", [&](io::TextSink& out) { io::write_series_csv(table, out); }},
                                             {"summary.csv", io::summary_csv(table)},
                                             {"targets.csv", io::targets_csv(run.assessment)},
                                             {"levers.csv", io::levers_csv(run.assessment)},
                                             {"manifest.json", m.dump(2) + "\n"}};
  interrupt.begin_writing();
  io::write_files_atomically(out_dir, files);
  if (const int sig = interrupt.end_writing()) {
    std::cerr << "renewsim: interrupted by " << (sig == SIGINT ? "SIGINT" : "SIGTERM") << " while writing; "
              << out_dir << " holds the complete outputs\n";
    return 128 + sig;
  }
  if (!a.quiet) {
    std::cout << model_table_header(sc) << assessment_table(run.assessment) << std::flush;
    std::cerr << "renewsim: wrote " << out_dir << "/{series,summary,targets,levers}.csv and manifest.json in " << wall
              << " s\n";
  }
  if (a.report && !run_python("report.py", {out_dir}, a.quiet)) {
    std::cerr << "renewsim: the outputs in " << out_dir << " are complete\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

void register_run(CLI::App& app, CommandRegistry& registry) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* sub = app.add_subcommand(
      "run", "Simulate a scenario (policy, counterfactual, attribution) and assess its targets");
  sub->add_option("scenario", args->scenario, "Scenario file (TOML)")->required()->check(CLI::ExistingFile);
  sub->add_option("-r,--reps", args->replications, "Replications (default: the scenario's)")->check(CLI::Range(1, 1000000));
  sub->add_option("-s,--seed", args->seed, "Master seed (default: the scenario's)")->check(CLI::NonNegativeNumber);
  sub->add_option("-t,--threads", args->threads, "Worker threads (default: all cores)")->check(CLI::Range(1, 4096));
  sub->add_option("-o,--out", args->out, "Output directory (default: results/<scenario name>)");
  sub->add_flag("-f,--force", args->force, "Overwrite files in a non-empty output directory");
  sub->add_flag("-q,--quiet", args->quiet, "No progress or summary on stderr");
  sub->add_flag("--no-counterfactual", args->no_counterfactual,
                "Skip the no-new-policy counterfactual (and so additionality and deadweight; the runs for "
                "attribution still run unless --no-attribution)");
  sub->add_flag("--no-attribution", args->no_attribution, "Skip the runs without each new lever (levers.csv empty)");
  sub->add_flag("--report", args->report,
                "Then write the charts and report.html into the output directory (python3 analysis/report.py)");
  sub->add_option("--set", args->overrides,
                  "Override a scenario value, KEY.PATH=VALUE (TOML value; [[levers]]/[[sectors]] by name); repeatable");
  sub->footer(
      "Example:\n  renewsim run scenarios/default.toml --reps 20 --seed 7 --threads 2 --out results/default\n"
      "  renewsim run scenarios/examples/all_levers.toml --set levers.renewal_subsidy.cap=1e7 --set scenario.end_year=2030\n"
      "Each replication also runs as the no-new-policy counterfactual (levers marked baseline only)\n"
      "and without each new lever in turn, with the same random numbers; the targets table goes to stdout.\n"
      "The output files are written together: all complete, or none (also when interrupted).\n"
      "Exit status 0 done, 1 run failure or outputs not writable, 2 bad usage or scenario,\n"
      "130/143 interrupted by SIGINT/SIGTERM.");
  registry.add(sub, [args] { return run_command(*args); });
}

}  // namespace renewsim::cli
