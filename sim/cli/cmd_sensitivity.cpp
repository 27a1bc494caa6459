// `renewsim sensitivity`: which parameters matter for the outputs of a
// sweep whose design is `morris` (elementary effects, for screening) or
// `saltelli` (Sobol first-order and total indices with bootstrap intervals).
// The runs go through the sweep engine: streamed, resumable, distributed.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/python.hpp"
#include "cli/sweep_run.hpp"
#include "explore/sensitivity.hpp"
#include "io/csv.hpp"
#include "io/errors.hpp"
#include "io/output.hpp"
#include "sweep/engine.hpp"

namespace renewsim::cli {
namespace {

struct SensitivityArgs {
  SweepArgs sweep;
  std::vector<std::string> outputs;  // results.csv columns; default: every probability and median, and the cost
  int bootstrap = 1000;
  bool chart = false;
};

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

int sensitivity_command(const SensitivityArgs& a) {
  io::SweepSpec spec = io::load_sweep(a.sweep.file);
  if (spec.design_kind != sweep::DesignKind::Morris && spec.design_kind != sweep::DesignKind::Saltelli)
    throw io::InputError(a.sweep.file + ": sweep.design must be \"morris\" (screening) or \"saltelli\" (Sobol indices) for sensitivity");
  // Outputs are results.csv columns: checked before anything runs.
  std::vector<std::string> columns;
  {
    io::SweepSpec as_run = spec;  // --reps replaces adaptive replications (and their half_width columns)
    if (a.sweep.replications > 0) as_run.replications = {a.sweep.replications, 0, 0, 0, {}};
    std::string header = sweep::results_header(as_run);
    std::size_t pos = 0;
    bool ok = true;
    columns = io::csv_record(header, pos, ok);
  }
  for (const auto& o : a.outputs)
    if (std::find(columns.begin(), columns.end(), o) == columns.end())
      throw io::InputError("--outputs: no column \"" + o + "\" in results.csv (docs/sweeps.md lists them)");
  bool writer = true;
  const int rc = run_sweep(a.sweep, spec, writer);
  if (!writer || rc == kExitUsage) return rc;
  const std::string dir = a.sweep.out.empty() ? "results/sweeps/" + spec.name : a.sweep.out;
  if (rc != kExitOk)
    throw std::runtime_error("some points failed (" + dir + "/results.csv): the indices need every point");

  const sweep::Design design = spec.design();
  const io::CsvTable t = io::read_csv((std::filesystem::path(dir) / "results.csv").string());
  std::vector<std::string> outputs = a.outputs;
  if (outputs.empty())
    for (const auto& h : t.header)
      if (ends_with(h, ".probability") || ends_with(h, ".median") || h == "equipment_investment" ||
          h == "fiscal_outlay" || h == "new_policy_outlay" || h == "net_fiscal_cost" || h == "additional_investment")
        outputs.push_back(h);
  const std::size_t point_col = t.column("point");
  std::map<std::size_t, const std::vector<std::string>*> by_point;
  for (const auto& row : t.rows) by_point[std::stoul(row[point_col])] = &row;
  if (by_point.size() != design.size())
    throw std::runtime_error(dir + "/results.csv: " + std::to_string(by_point.size()) + " points where the design has " +
                             std::to_string(design.size()));

  const std::size_t k = design.keys().size();
  const bool morris = spec.design_kind == sweep::DesignKind::Morris;
  std::ostringstream csv, table;
  csv << "output,parameter,mu_star,mu,sigma,first,first_lo,first_hi,total,total_lo,total_hi\n";
  std::vector<std::vector<double>> units;
  for (std::size_t i = 0; i < design.size(); ++i) units.push_back(design.unit_point(i));
  for (const auto& out : outputs) {
    const std::size_t c = t.column(out);
    if (c == io::CsvTable::npos) throw io::InputError("--outputs: no column \"" + out + "\" in " + dir + "/results.csv");
    std::vector<double> f;
    bool finite = true;
    for (std::size_t i = 0; i < design.size(); ++i) {
      const double v = std::strtod((*by_point.at(i))[c].c_str(), nullptr);
      finite = finite && std::isfinite(v);
      f.push_back(v);
    }
    if (!finite) {
      std::cerr << "renewsim: sensitivity: " << out << " is not a number at every point; left out\n";
      continue;
    }
    table << out << '\n';
    std::vector<std::pair<double, std::string>> lines;
    if (morris) {
      const auto m = explore::morris_effects(units, f, design.base_points(), k);
      for (std::size_t i = 0; i < k; ++i) {
        csv << io::field(out) << ',' << io::field(design.keys()[i]) << ',' << io::format_number(m.mu_star[i]) << ','
            << io::format_number(m.mu[i]) << ',' << io::format_number(m.sigma[i]) << ",,,,,,\n";
        char buf[200];
        std::snprintf(buf, sizeof buf, "  %-48s mu* %-12.4g mu %-12.4g sigma %.4g\n", design.keys()[i].c_str(),
                      m.mu_star[i], m.mu[i], m.sigma[i]);
        lines.emplace_back(-m.mu_star[i], buf);
      }
    } else {
      const auto s = explore::sobol_indices(f, design.base_points(), k, a.bootstrap, spec.seed);
      for (std::size_t i = 0; i < k; ++i) {
        const auto& s1 = s.first[i];
        const auto& st = s.total[i];
        csv << io::field(out) << ',' << io::field(design.keys()[i]) << ",,,," << io::format_number(s1.value) << ','
            << io::format_number(s1.lo) << ',' << io::format_number(s1.hi) << ',' << io::format_number(st.value) << ','
            << io::format_number(st.lo) << ',' << io::format_number(st.hi) << '\n';
        char buf[240];
        std::snprintf(buf, sizeof buf, "  %-48s S %6.3f [%6.3f, %6.3f]   ST %6.3f [%6.3f, %6.3f]\n",
                      design.keys()[i].c_str(), s1.value, s1.lo, s1.hi, st.value, st.lo, st.hi);
        lines.emplace_back(-st.value, buf);
      }
    }
    std::stable_sort(lines.begin(), lines.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    for (const auto& l : lines) table << l.second;
  }
  io::write_file_atomically(dir, "indices.csv", csv.str());
  std::cout << (morris ? "Morris elementary effects (per unit of each parameter's range), most influential first\n"
                       : "Sobol indices, first-order S and total ST, 95 % bootstrap intervals, largest ST first\n")
            << table.str() << std::flush;
  if (!a.sweep.quiet) std::cerr << "renewsim: wrote " << dir << "/indices.csv\n";
  if (a.chart && !run_python("sensitivity.py", {dir}, a.sweep.quiet)) return kExitFailure;
  return kExitOk;
}

}  // namespace

void register_sensitivity(CLI::App& app, CommandRegistry& registry) {
  auto a = std::make_shared<SensitivityArgs>();
  CLI::App* sub = app.add_subcommand(
      "sensitivity", "Which parameters matter: Morris screening or Sobol indices over a sweep (design morris or saltelli)");
  sub->add_option("sweep", a->sweep.file, "Sweep file with design = \"morris\" or \"saltelli\" (docs/analysis.md)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("-o,--out", a->sweep.out, "Output directory (default: results/sweeps/<sweep name>)");
  sub->add_option("-t,--threads", a->sweep.threads, "Worker threads per process")->check(CLI::Range(1, 4096));
  sub->add_option("-r,--reps", a->sweep.replications, "A fixed number of replications per point instead of the file's")
      ->check(CLI::Range(1, 1000000));
  sub->add_option("--outputs", a->outputs,
                  "results.csv columns to analyse (default: every target's probability and median, investment and outlays)")
      ->delimiter(',');
  sub->add_option("--bootstrap", a->bootstrap, "Bootstrap resamples for the Sobol intervals (default 1000)")
      ->check(CLI::Range(0, 100000));
  sub->add_flag("--resume", a->sweep.resume, "Continue an interrupted sensitivity sweep in the output directory");
  sub->add_flag("-f,--force", a->sweep.force, "Start afresh in a non-empty output directory");
  sub->add_flag("--chart", a->chart, "Also draw the indices (python3 analysis/sensitivity.py)");
  sub->add_flag("-q,--quiet", a->sweep.quiet, "Only the table on stdout");
  sub->footer(
      "Example:\n  renewsim sensitivity scenarios/sweeps/liaocheng_morris.toml --out results/morris --chart\n"
      "Runs the sweep (as `renewsim sweep` does, resumable), then writes indices.csv into its directory\n"
      "and prints the parameters in order of influence. Exit status 0, 1 (a point or the chart failed),\n"
      "2 (bad input).");
  registry.add(sub, [a] { return sensitivity_command(*a); });
}

}  // namespace renewsim::cli
