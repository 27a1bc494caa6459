// `renewsim optimise`: the lever package (the parameters' values within their
// ranges) with the lowest public cost that meets a target with probability
// at least p. CMA-ES ranks each generation by feasibility, then cost
// (feasible candidates by cost; the others by their shortfall in
// probability): the evaluations are noisy, but every candidate runs the same
// replications (common random numbers). The best candidates are then
// evaluated again on fresh replications (another seed), which removes the
// winner's curse of a noisy search: the package reported, its cost and its
// probability with a 95 % interval come from that re-evaluation. Every
// candidate evaluated also feeds the trade-off curve of cost against
// probability. The runs stream through the sweep engine: resumable,
// distributed over MPI ranks.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/python.hpp"
#include "cli/search_run.hpp"
#include "io/errors.hpp"
#include "io/output.hpp"
#include "io/scenario.hpp"
#include "sweep/engine.hpp"
#include "version.hpp"

namespace renewsim::cli {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct OptimiseArgs {
  SearchArgs search;
  bool chart = false;
};

struct Candidate {
  std::string stage;  // "search" or "reevaluation"
  std::size_t generation = 0, index = 0;
  std::vector<double> units;
  std::vector<std::string> values;
  std::int64_t replications = 0, met = 0;
  double cost = kInf;
  std::string error;
  double probability() const { return replications ? static_cast<double>(met) / static_cast<double>(replications) : 0; }
  bool ok() const { return error.empty(); }
};

std::string num(double v) { return std::isfinite(v) ? io::format_number(v) : ""; }

Candidate read_candidate(const Batch& b, std::size_t point, const io::OptimisationSpec& spec) {
  Candidate c;
  if (b.failed(point)) {
    c.error = b.error(point);
    return c;
  }
  c.replications = static_cast<std::int64_t>(b.result(point, "replications"));
  const double p = b.result(point, spec.target + ".probability");
  if (std::find(io::kCostColumns.begin(), io::kCostColumns.end(), spec.cost) != io::kCostColumns.end()) {
    c.cost = b.result(point, spec.cost);
  } else {  // a series metric over the assessment years
    c.cost = 0;
    const auto& a = spec.sweep.base.assessment;
    const int last = std::min(a.last_year, spec.sweep.base.params.end_year);
    for (int y = a.first_year; y <= last; ++y) c.cost += b.mean(point, spec.cost, y);
  }
  if (!std::isfinite(p) || !std::isfinite(c.cost))
    c.error = "no probability or cost in results.csv";
  else
    c.met = std::llround(p * static_cast<double>(c.replications));  // probability = met / replications
  return c;
}

// Best first: feasible by cost, then the others by probability (higher
// first) and cost, failed last; ties keep the earlier.
bool better(const Candidate& a, const Candidate& b, double p) {
  if (a.ok() != b.ok()) return a.ok();
  if (!a.ok()) return false;
  const bool fa = a.probability() >= p, fb = b.probability() >= p;
  if (fa != fb) return fa;
  if (!fa && a.probability() != b.probability()) return a.probability() > b.probability();
  return a.cost < b.cost;
}

std::string candidates_csv(const io::OptimisationSpec& spec, const std::vector<Candidate>& all) {
  std::ostringstream s;
  s << "stage,generation,candidate,status";
  for (const auto& p : spec.sweep.parameters) s << ',' << io::field(p.key);
  s << ",replications,probability,probability_lo,probability_hi,cost,feasible,error\n";
  for (const auto& c : all) {
    s << c.stage << ',' << c.generation << ',' << c.index << ',' << (c.ok() ? "ok" : "failed");
    for (const auto& v : c.values) s << ',' << io::field(v);
    if (c.ok()) {
      const auto [lo, hi] = sweep::proportion_interval(c.met, c.replications);
      s << ',' << c.replications << ',' << num(c.probability()) << ',' << num(lo) << ',' << num(hi) << ','
        << num(c.cost) << ',' << (c.probability() >= spec.probability ? "true" : "false") << ",\n";
    } else {
      s << ",,,,,,," << io::field(c.error) << '\n';
    }
  }
  return s.str();
}

// The candidates no other beats on both cost and probability, by cost.
std::vector<const Candidate*> tradeoff(const std::vector<Candidate>& all, const std::string& stage) {
  std::vector<const Candidate*> ok;
  for (const auto& c : all)
    if (c.ok() && c.stage == stage) ok.push_back(&c);
  std::stable_sort(ok.begin(), ok.end(), [](const Candidate* a, const Candidate* b) {
    return a->cost != b->cost ? a->cost < b->cost : a->probability() > b->probability();
  });
  std::vector<const Candidate*> front;
  for (const Candidate* c : ok)
    if (front.empty() || c->probability() > front.back()->probability()) front.push_back(c);
  return front;
}

int optimise_command(const OptimiseArgs& a) {
  const io::OptimisationSpec spec = io::load_optimisation(a.search.file);
  const auto& params = spec.sweep.parameters;
  const double p = spec.probability;
  SearchRunner runner("optimise", a.search, spec.sweep,
                      {"candidates.csv", "tradeoff.csv", "best.toml", "optimisation.json", "optimise.png"});
  const bool talk = runner.writer() && !a.search.quiet;
  if (talk)
    std::cerr << "renewsim: optimise " << spec.sweep.name << ": the lowest " << spec.cost << " with P(" << spec.target
              << ") >= " << io::format_number(p) << " over " << io::count_of(params.size(), "parameter") << ", "
              << spec.sweep.replications.describe() << " per candidate (the same for all) of "
              << spec.sweep.scenario_path << "\n";

  std::vector<Candidate> all;
  const SearchOutcome outcome = run_search(runner, spec.sweep, spec.search, [&](const Generation& g) {
    const std::size_t first = all.size();
    for (std::size_t i = 0; i < g.units.size(); ++i) {
      Candidate c = read_candidate(*g.batch, i, spec);
      c.stage = "search";
      c.generation = g.index;
      c.index = i;
      c.units = g.units[i];
      c.values = g.values[i];
      all.push_back(std::move(c));
    }
    std::vector<std::size_t> order(g.units.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t x, std::size_t y) { return better(all[first + x], all[first + y], p); });
    runner.write("candidates.csv", candidates_csv(spec, all));
    if (talk) {
      const Candidate* best = nullptr;
      for (const auto& c : all)
        if (!best || better(c, *best, p)) best = &c;
      std::cerr << "  generation " << g.index + 1 << "/" << spec.search.generations << ": best so far " << spec.cost
                << " " << num(best->cost) << ", P " << num(best->probability())
                << (best->ok() && best->probability() >= p ? "" : " (below the required probability)") << '\n';
    }
    return order;
  });

  // Fresh replications for the best distinct packages of the search.
  std::vector<const Candidate*> ranked;
  for (const auto& c : all)
    if (c.ok()) ranked.push_back(&c);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [&](const Candidate* x, const Candidate* y) { return better(*x, *y, p); });
  std::vector<const Candidate*> chosen;
  for (const Candidate* c : ranked) {
    if (static_cast<int>(chosen.size()) >= spec.reevaluate) break;
    if (std::none_of(chosen.begin(), chosen.end(), [&](const Candidate* d) { return d->values == c->values; }))
      chosen.push_back(c);
  }
  if (ranked.empty())
    throw std::runtime_error("no candidate could be evaluated; see " + runner.out() + "/candidates.csv for the errors");
  std::vector<Candidate> again;
  if (!chosen.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const Candidate* c : chosen) rows.push_back(c->values);
    const std::uint64_t fresh_seed = spec.sweep.seed + 1;
    const Batch b = runner.evaluate("reevaluation", rows, spec.reevaluation_replications, fresh_seed);
    for (std::size_t i = 0; i < chosen.size(); ++i) {
      Candidate c = read_candidate(b, i, spec);
      c.stage = "reevaluation";
      c.generation = chosen[i]->generation;
      c.index = chosen[i]->index;
      c.units = chosen[i]->units;
      c.values = chosen[i]->values;
      again.push_back(std::move(c));
    }
  }
  all.insert(all.end(), again.begin(), again.end());
  const Candidate* best = nullptr;  // cheapest package that meets p on the fresh replications
  for (const auto& c : again)
    if (c.ok() && c.probability() >= p && (!best || c.cost < best->cost)) best = &c;

  std::ostringstream table, front_csv;
  front_csv << "stage,cost,probability,probability_lo,probability_hi,replications";
  for (const auto& q : params) front_csv << ',' << io::field(q.key);
  front_csv << '\n';
  for (const char* stage : {"search", "reevaluation"})
    for (const Candidate* c : tradeoff(all, stage)) {
      const auto [lo, hi] = sweep::proportion_interval(c->met, c->replications);
      front_csv << stage << ',' << num(c->cost) << ',' << num(c->probability()) << ',' << num(lo) << ',' << num(hi)
                << ',' << c->replications;
      for (const auto& v : c->values) front_csv << ',' << io::field(v);
      front_csv << '\n';
    }
  table << "Re-evaluated on " << spec.reevaluation_replications << " fresh replications (seed " << spec.sweep.seed + 1
        << "), cheapest first:\n";
  std::vector<const Candidate*> shown;
  for (const auto& c : again) shown.push_back(&c);
  std::stable_sort(shown.begin(), shown.end(),
                   [](const Candidate* x, const Candidate* y) { return x->cost < y->cost; });
  for (const Candidate* c : shown) {
    std::string vals;
    for (std::size_t j = 0; j < params.size(); ++j) vals += (j ? ", " : "") + params[j].key + " = " + c->values[j];
    if (!c->ok()) {
      table << "  failed: " << c->error << "  (" << vals << ")\n";
      continue;
    }
    const auto [lo, hi] = sweep::proportion_interval(c->met, c->replications);
    char buf[160];
    std::snprintf(buf, sizeof buf, "  %s %-14.6g P %.3f [%.3f, %.3f]%s  ", spec.cost.c_str(), c->cost, c->probability(),
                  lo, hi, c == best ? "  <- best" : "");
    table << buf << vals << '\n';
  }
  nlohmann::ordered_json manifest;
  manifest["command"] = "optimise";
  manifest["file"] = a.search.file;
  manifest["renewsim_version"] = version();
  manifest["git_revision"] = git_revision();
  manifest["scenario"] = spec.sweep.scenario_path;
  manifest["target"] = spec.target;
  manifest["probability_required"] = p;
  manifest["cost"] = spec.cost;
  manifest["seed"] = spec.sweep.seed;
  manifest["replications"] = spec.sweep.replications.fixed;
  manifest["reevaluation_replications"] = spec.reevaluation_replications;
  manifest["generations"] = outcome.generations;
  manifest["converged"] = outcome.converged;
  manifest["candidates"] = all.size() - again.size();
  std::vector<io::OutputFile> files = {{"candidates.csv", candidates_csv(spec, all)},
                                       {"tradeoff.csv", front_csv.str()}};
  if (best) {
    const auto [lo, hi] = sweep::proportion_interval(best->met, best->replications);
    nlohmann::ordered_json b;
    for (std::size_t j = 0; j < params.size(); ++j) b["values"][params[j].key] = best->values[j];
    b["cost"] = best->cost;
    b["probability"] = best->probability();
    b["probability_lo"] = lo;
    b["probability_hi"] = hi;
    b["meets_with_95_percent_confidence"] = lo >= p;
    manifest["best"] = b;
    table << "Best: " << spec.cost << " " << io::format_number(best->cost) << ", P(" << spec.target << ") "
          << io::format_number(best->probability()) << " [" << io::format_number(lo) << ", " << io::format_number(hi)
          << "]"
          << (lo >= p ? "" : " (the interval reaches below the required probability: more replications would tell)")
          << '\n';
    std::vector<std::string> settings;
    for (std::size_t j = 0; j < params.size(); ++j) settings.push_back(params[j].key + "=" + best->values[j]);
    std::ostringstream header;
    header << "The cheapest package found by `renewsim optimise " << a.search.file << "` (renewsim " << version()
           << ", git " << git_revision() << "):\n"
           << spec.cost << " " << io::format_number(best->cost) << ", P(" << spec.target << ") "
           << io::format_number(best->probability()) << " on " << best->replications
           << " fresh replications.\nA scenario like any other: renewsim run this file, or name it as a sweep file's "
              "scenario.";
    files.push_back({"best.toml", including_scenario(spec.sweep, runner.out(), header.str(), settings, {})});
  } else {
    manifest["best"] = nullptr;
    table << "No package evaluated meets P(" << spec.target << ") >= " << io::format_number(p)
          << " on the fresh replications: widen the ranges, or see tradeoff.csv for what each cost buys\n";
  }
  table << outcome.generations << " generations, " << all.size() - again.size() << " candidates, "
        << (outcome.converged ? "converged" : "stopped at the generation limit (not converged)") << '\n';
  files.push_back({"optimisation.json", manifest.dump(2) + "\n"});
  if (runner.writer()) {
    io::write_files_atomically(runner.out(), files);
    std::cout << table.str() << std::flush;
    if (talk)
      std::cerr << "renewsim: wrote " << runner.out() << "/{candidates,tradeoff}.csv" << (best ? " and best.toml" : "")
                << '\n';
    if (a.chart && !run_python("optimise.py", {runner.out()}, a.search.quiet)) return kExitFailure;
  }
  return best ? kExitOk : kExitFailure;
}

}  // namespace

void register_optimise(CLI::App& app, CommandRegistry& registry) {
  auto a = std::make_shared<OptimiseArgs>();
  CLI::App* sub = app.add_subcommand(
      "optimise", "The cheapest lever package that meets a target with probability p (CMA-ES, noisy evaluation)");
  sub->alias("optimize");
  sub->add_option("file", a->search.file, "Optimisation file: a sweep file with an [optimise] table (docs/analysis.md)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("-o,--out", a->search.out, "Output directory (default: results/optimise/<name>)");
  sub->add_option("-t,--threads", a->search.threads, "Worker threads per process")->check(CLI::Range(1, 4096));
  sub->add_flag("--resume", a->search.resume, "Continue an interrupted optimisation in the output directory");
  sub->add_flag("-f,--force", a->search.force, "Start afresh in a non-empty output directory");
  sub->add_flag("--chart", a->chart, "Also draw cost against probability (python3 analysis/optimise.py)");
  sub->add_flag("-q,--quiet", a->search.quiet, "Only the report on stdout");
  sub->footer(
      "Example:\n  renewsim optimise scenarios/optimise/jiaxing_future_factories.toml --out results/optimise --chart\n"
      "Writes candidates.csv (every candidate, search and re-evaluation), tradeoff.csv (the candidates no\n"
      "other beats on both cost and probability), optimisation.json and best.toml, a scenario that includes\n"
      "the base with the best package (renewsim run OUT/best.toml).\n"
      "Exit status 0, 1 (no package met the target on re-evaluation, or a run or the chart failed), 2 (bad input).");
  registry.add(sub, [a] { return optimise_command(*a); });
}

}  // namespace renewsim::cli
