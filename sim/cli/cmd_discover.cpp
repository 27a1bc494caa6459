// `renewsim discover`: scenario discovery (PRIM) over a sweep's results: the
// ranges of its parameters in which a target is met with at least a given
// probability (docs/analysis.md).
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/python.hpp"
#include "explore/prim.hpp"
#include "io/csv.hpp"
#include "io/errors.hpp"
#include "io/output.hpp"
#include "kernel/calendar.hpp"

namespace renewsim::cli {
namespace {

struct DiscoverArgs {
  std::string dir;
  std::string target;
  double probability = 0.8;
  explore::PrimOptions prim;
  bool chart = false;
  bool quiet = false;
};

// A parameter's value as a number: a number, a date (as a day), or a
// one-element array such as "[0.1]". False when it is none of these.
bool numeric(std::string text, double& v, bool& date) {
  if (text.size() > 2 && text.front() == '[' && text.back() == ']' && text.find(',') == std::string::npos)
    text = text.substr(1, text.size() - 2);
  while (!text.empty() && text.front() == ' ') text.erase(text.begin());
  while (!text.empty() && text.back() == ' ') text.pop_back();
  kernel::Day d = 0;
  if (text.size() == 10 && kernel::parse_iso(text, d)) {
    v = d;
    date = true;
    return true;
  }
  char* end = nullptr;
  v = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size() && std::isfinite(v);
}

std::string value_text(double v, bool date) {
  return date ? kernel::to_iso(static_cast<kernel::Day>(std::llround(v))) : io::format_number(v);
}

int discover_command(const DiscoverArgs& a) {
  const std::string manifest_path = (std::filesystem::path(a.dir) / "sweep.json").string();
  std::ifstream mf(manifest_path);
  if (!mf) throw io::InputError(a.dir + ": not a sweep's output directory (no sweep.json)");
  nlohmann::json m;
  try {
    m = nlohmann::json::parse(mf);
  } catch (const nlohmann::json::exception&) {
    throw io::InputError(manifest_path + ": not a sweep manifest");
  }
  std::vector<std::string> keys;
  try {
    keys = m.at("design").at("keys").get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception&) {
    throw io::InputError(manifest_path + ": no design.keys (not written by renewsim sweep?)");
  }
  const io::CsvTable t = io::read_csv((std::filesystem::path(a.dir) / "results.csv").string());
  const std::size_t status = t.column("status");
  if (status == io::CsvTable::npos || t.column("point") == io::CsvTable::npos)
    throw io::InputError(a.dir + "/results.csv: no point and status columns (not a sweep's results)");
  const std::size_t prob = t.column(a.target + ".probability");
  if (prob == io::CsvTable::npos) {
    std::string targets;
    for (const auto& h : t.header)
      if (h.size() > 12 && h.compare(h.size() - 12, 12, ".probability") == 0)
        targets += (targets.empty() ? "" : ", ") + h.substr(0, h.size() - 12);
    throw io::InputError(a.dir + "/results.csv: no target \"" + a.target + "\" (targets: " + targets + ")");
  }
  // The numeric parameters: the dimensions of the boxes.
  std::vector<std::size_t> columns;
  std::vector<std::string> names;
  std::vector<bool> dates;
  for (const auto& k : keys) {
    const std::size_t c = t.column(k);
    if (c == io::CsvTable::npos) continue;
    bool all = true, date = false;
    double v;
    for (const auto& row : t.rows)
      if (row[status] == "ok" && !numeric(row[c], v, date)) all = false;
    if (!all) {
      if (!a.quiet) std::cerr << "renewsim: discover: " << k << " is not numeric; left out of the boxes\n";
      continue;
    }
    columns.push_back(c);
    names.push_back(k);
    dates.push_back(date);
  }
  if (columns.empty()) throw io::InputError(a.dir + ": no numeric parameter to find boxes in");
  std::vector<std::vector<double>> x;
  std::vector<bool> y;
  for (const auto& row : t.rows) {
    if (row[status] != "ok") continue;
    std::vector<double> p;
    for (std::size_t c : columns) {
      double v;
      bool date = false;
      numeric(row[c], v, date);
      p.push_back(v);
    }
    char* end = nullptr;
    const double pr = std::strtod(row[prob].c_str(), &end);
    x.push_back(p);
    y.push_back(std::isfinite(pr) && pr >= a.probability);
  }
  const explore::PrimResult r = explore::prim(x, y, a.prim);

  std::ostringstream traj, boxes;
  traj << "box,step,coverage,density,mass,points";
  boxes << "box,coverage,density,mass,points,restricts";
  for (const auto& n : names) {
    traj << ',' << io::field(n + ".lo") << ',' << io::field(n + ".hi");
    boxes << ',' << io::field(n + ".lo") << ',' << io::field(n + ".hi");
  }
  traj << '\n';
  boxes << '\n';
  auto limits = [&](std::ostringstream& s, const explore::Box& b) {
    for (std::size_t d = 0; d < names.size(); ++d) s << ',' << value_text(b.lo[d], dates[d]) << ',' << value_text(b.hi[d], dates[d]);
  };
  for (std::size_t k = 0; k < r.trajectories.size(); ++k)
    for (std::size_t i = 0; i < r.trajectories[k].size(); ++i) {
      const auto& b = r.trajectories[k][i];
      traj << k + 1 << ',' << i << ',' << io::format_number(b.coverage) << ',' << io::format_number(b.density) << ','
           << io::format_number(b.mass) << ',' << b.points;
      limits(traj, b);
      traj << '\n';
    }
  std::ostringstream table;
  std::size_t interesting = 0;
  for (bool b : y) interesting += b ? 1 : 0;
  table << "Points where P(" << a.target << ") >= " << a.probability << ": " << interesting << " of " << y.size()
        << "\n";
  for (std::size_t k = 0; k < r.boxes.size(); ++k) {
    const auto& b = r.boxes[k];
    std::string restricts;
    for (std::size_t d : b.restricted(r.data_lo, r.data_hi)) restricts += (restricts.empty() ? "" : " ") + names[d];
    boxes << k + 1 << ',' << io::format_number(b.coverage) << ',' << io::format_number(b.density) << ','
          << io::format_number(b.mass) << ',' << b.points << ',' << io::field(restricts);
    limits(boxes, b);
    boxes << '\n';
    char head[160];
    std::snprintf(head, sizeof head, "box %zu: coverage %.2f, density %.2f, mass %.2f (%zu points)\n", k + 1, b.coverage,
                  b.density, b.mass, b.points);
    table << head;
    for (std::size_t d : b.restricted(r.data_lo, r.data_hi))
      table << "  " << names[d] << " in [" << value_text(b.lo[d], dates[d]) << ", " << value_text(b.hi[d], dates[d])
            << "]\n";
  }
  if (interesting == 0)
    table << "no point reaches that probability: lower --probability\n";
  else if (r.boxes.empty())
    table << "no box reaches density " << a.prim.min_density << " (see the trajectory: lower --density, or --min-mass)\n";
  const std::string stem = "discover_" + a.target;
  io::write_files_atomically(a.dir, {{stem + "_trajectory.csv", traj.str()}, {stem + "_boxes.csv", boxes.str()}});
  std::cout << table.str() << std::flush;
  if (!a.quiet) std::cerr << "renewsim: wrote " << a.dir << "/" << stem << "_{trajectory,boxes}.csv\n";
  if (a.chart) return run_python("discover.py", {a.dir, a.target}, a.quiet) ? kExitOk : kExitFailure;
  return kExitOk;
}

}  // namespace

void register_discover(CLI::App& app, CommandRegistry& registry) {
  auto a = std::make_shared<DiscoverArgs>();
  CLI::App* sub = app.add_subcommand(
      "discover", "Scenario discovery (PRIM): parameter ranges of a sweep where a target is met with high probability");
  sub->add_option("sweep_out", a->dir, "A sweep's output directory")->required()->check(CLI::ExistingDirectory);
  sub->add_option("--target", a->target, "The target (as in results.csv)")->required();
  sub->add_option("-p,--probability", a->probability, "A point is of interest when P(target met) >= this (default 0.8)")
      ->check(CLI::Range(0.0, 1.0));
  sub->add_option("--density", a->prim.min_density, "The share of points of interest a box must reach (default 0.8)")
      ->check(CLI::Range(0.0, 1.0));
  sub->add_option("--min-mass", a->prim.min_mass, "Stop peeling below this share of the points (default 0.05)")
      ->check(CLI::Range(0.0, 1.0));
  sub->add_option("--alpha", a->prim.alpha, "Share peeled per step (default 0.05)")->check(CLI::Range(0.001, 0.49));
  sub->add_option("--boxes", a->prim.max_boxes, "At most this many boxes (default 3)")->check(CLI::Range(1, 100));
  sub->add_flag("--chart", a->chart, "Also draw the trajectory and the boxes (python3 analysis/discover.py)");
  sub->add_flag("-q,--quiet", a->quiet, "Only the table on stdout");
  sub->footer(
      "Example:\n  renewsim discover results/sweeps/liaocheng_award_rate_vs_budget --target equipment_investment_growth_2027 "
      "--probability 0.5 --chart\n"
      "Writes discover_<target>_trajectory.csv and discover_<target>_boxes.csv into the sweep's directory\n"
      "and prints each box's coverage, density and parameter ranges. Exit status 0, 1 (chart failed), 2 (bad input).");
  registry.add(sub, [a] { return discover_command(*a); });
}

}  // namespace renewsim::cli
