// `renewsim calibrate`: fits parameters to observed moments (data up to
// 2023) by the method of simulated moments. CMA-ES searches the parameters'
// ranges; every candidate runs the same replications (common random
// numbers), so the distance it minimises is a smooth function of the
// parameters rather than of the noise. At the best candidate, central
// differences give the moments' derivatives and the sandwich formula the
// parameters' standard errors (explore/moments.hpp). The runs stream through
// the sweep engine: resumable, distributed over MPI ranks.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "cli/python.hpp"
#include "cli/search_run.hpp"
#include "explore/moments.hpp"
#include "io/errors.hpp"
#include "io/output.hpp"
#include "io/scenario.hpp"
#include "kernel/calendar.hpp"
#include "model/assessment.hpp"
#include "version.hpp"

namespace renewsim::cli {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct CalibrateArgs {
  SearchArgs search;
  bool chart = false;
};

struct Evaluated {
  std::size_t generation = 0, candidate = 0;
  std::vector<double> units;
  std::vector<std::string> values;
  std::vector<double> simulated;
  double distance = kInf;
  std::string error;
};

std::string num(double v) { return std::isfinite(v) ? io::format_number(v) : ""; }

// A value text as a number (dates: day numbers), NaN otherwise.
double numeric(const std::string& text) {
  if (kernel::Day day = 0; kernel::parse_iso(text, day)) return static_cast<double>(day);
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  return end && *end == '\0' && end != text.c_str() ? v : kNaN;
}

std::string evaluations_csv(const io::CalibrationSpec& spec, const std::vector<Evaluated>& all) {
  std::ostringstream s;
  s << "generation,candidate,status";
  for (const auto& p : spec.sweep.parameters) s << ',' << io::field(p.key);
  s << ",distance";
  for (const auto& m : spec.moments) s << ',' << io::field(m.label());
  s << ",error\n";
  for (const auto& e : all) {
    s << e.generation << ',' << e.candidate << ',' << (e.error.empty() ? "ok" : "failed");
    for (const auto& v : e.values) s << ',' << io::field(v);
    s << ',' << num(e.distance);
    for (std::size_t i = 0; i < spec.moments.size(); ++i)
      s << ',' << (i < e.simulated.size() ? num(e.simulated[i]) : "");
    s << ',' << io::field(e.error) << '\n';
  }
  return s.str();
}

int calibrate_command(const CalibrateArgs& a) {
  const io::CalibrationSpec spec = io::load_calibration(a.search.file);
  const auto& params = spec.sweep.parameters;
  const auto& moments = spec.moments;
  const std::size_t k = params.size(), m = moments.size();
  const int reps = spec.sweep.replications.fixed;
  SearchRunner runner("calibrate", a.search, spec.sweep,
                      {"fit.csv", "parameters.csv", "evaluations.csv", "fitted.toml", "calibration.json",
                       "calibration.png"});
  const bool talk = runner.writer() && !a.search.quiet;
  if (talk)
    std::cerr << "renewsim: calibrate " << spec.sweep.name << ": " << io::count_of(k, "parameter") << " to "
              << io::count_of(m, "moment") << ", " << spec.sweep.replications.describe()
              << " per candidate (the same for all) of " << spec.sweep.scenario_path << "\n";

  std::vector<double> observed, sd;
  for (const auto& mo : moments) {
    observed.push_back(mo.observed);
    sd.push_back(mo.sd);
  }
  // Observed figures are the whole region's: a scaled-down population's money
  // and counts are divided by its scale, as targets' are.
  std::vector<double> unscale;
  for (const auto& mo : moments)
    unscale.push_back(model::metric_is_extensive(mo.metric) ? 1.0 / spec.sweep.base.assessment.scale : 1.0);
  auto simulated_at = [&](const Batch& b, std::size_t point) {
    std::vector<double> sim;
    for (std::size_t i = 0; i < m; ++i) sim.push_back(b.mean(point, moments[i].metric, moments[i].year) * unscale[i]);
    return sim;
  };

  std::vector<Evaluated> all;
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::size_t best = kNone;  // lowest distance seen (for progress; the fit is the search's centre)
  const SearchOutcome outcome = run_search(runner, spec.sweep, spec.search, [&](const Generation& g) {
    std::vector<double> distance;
    for (std::size_t i = 0; i < g.units.size(); ++i) {
      Evaluated e;
      e.generation = g.index;
      e.candidate = i;
      e.units = g.units[i];
      e.values = g.values[i];
      if (g.batch->failed(i)) {
        e.error = g.batch->error(i);
      } else {
        e.simulated = simulated_at(*g.batch, i);
        const double d = explore::moment_distance(e.simulated, observed, sd);
        if (std::isfinite(d))
          e.distance = d;
        else
          e.error = "a moment's metric is missing from the run's series";
      }
      distance.push_back(e.distance);
      all.push_back(std::move(e));
      if (best == kNone || all.back().distance < all[best].distance) best = all.size() - 1;
    }
    std::vector<std::size_t> order(distance.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t x, std::size_t y) { return distance[x] < distance[y]; });
    runner.write("evaluations.csv", evaluations_csv(spec, all));
    if (talk)
      std::cerr << "  generation " << g.index + 1 << "/" << spec.search.generations << ": distance "
                << io::format_number(distance[order[0]]) << " at best, "
                << io::format_number(distance[order[order.size() / 2]]) << " at the median\n";
    return order;
  });
  if (best == kNone || !std::isfinite(all[best].distance)) {
    std::string first;
    for (const auto& e : all)
      if (!e.error.empty()) {
        first = e.error;
        break;
      }
    throw std::runtime_error("no candidate could be evaluated (first error: " + first + "); see " + runner.out() +
                             "/evaluations.csv");
  }

  // The fit is the search distribution's centre, not the best candidate
  // seen: with noisy moments the best one is partly luck (the winner's
  // curse), while the centre averages over the generations' selections. One
  // batch holds the fit and, around it, the central differences that give
  // the moments' derivatives (the same replications, so the differences are
  // not noise across runs); the fit's own replications give the simulation
  // noise.
  Evaluated fit;
  fit.units = outcome.mean;
  fit.values = values_at(params, fit.units);
  std::vector<std::vector<std::string>> rows{fit.values};
  for (std::size_t j = 0; j < k; ++j) {
    const sweep::Parameter& p = params[j];
    double h = spec.step;
    if (p.integer) h = std::max(h, 1.0 / (p.max - p.min + 1));  // at least one whole step
    for (const double sign : {1.0, -1.0}) {
      std::vector<double> u = fit.units;
      u[j] = std::clamp(u[j] + sign * h, 0.0, 1.0);
      rows.push_back(values_at(params, u));
    }
  }
  const Batch fitted = runner.evaluate("fit", rows, reps, spec.sweep.seed);
  if (fitted.failed(0))
    throw std::runtime_error("the fit (the search's centre) failed: " + fitted.error(0) + "; see " + fitted.dir() +
                             "/results.csv");
  fit.simulated = simulated_at(fitted, 0);
  fit.distance = explore::moment_distance(fit.simulated, observed, sd);
  explore::Matrix jacobian(m, std::vector<double>(k, kNaN));
  std::vector<bool> moved(k, true);
  for (std::size_t j = 0; j < k; ++j) {
    const std::size_t up = 1 + 2 * j, down = 2 + 2 * j;
    double dv = numeric(rows[up][j]) - numeric(rows[down][j]);
    if (!std::isfinite(dv)) dv = value_per_unit(params[j], fit.units[j]) * spec.step * 2;
    moved[j] = dv != 0 && !fitted.failed(up) && !fitted.failed(down);
    const auto hi = simulated_at(fitted, up), lo = simulated_at(fitted, down);
    for (std::size_t i = 0; i < m; ++i) jacobian[i][j] = moved[j] ? (hi[i] - lo[i]) / dv : kNaN;
  }
  std::vector<std::pair<std::string, int>> keys;
  for (const auto& mo : moments) keys.emplace_back(mo.metric, mo.year);
  std::vector<std::vector<double>> replicated = fitted.run_values(0, keys);
  for (auto& row : replicated)
    for (std::size_t i = 0; i < m; ++i) row[i] *= unscale[i];
  const explore::Matrix sim_cov = explore::covariance_of_means(replicated);
  bool all_moved = std::all_of(moved.begin(), moved.end(), [](bool b) { return b; });
  std::optional<explore::Matrix> cov;
  if (all_moved) cov = explore::msm_covariance(jacobian, sd, sim_cov);

  // Outputs.
  std::ostringstream fit_csv, par_csv, table;
  fit_csv << "moment,metric,year,observed,sd,simulated,simulation_se,error,z,source\n";
  table << "Moments (observed, simulated at the fit; z = error / sd):\n";
  for (std::size_t i = 0; i < m; ++i) {
    const double sim = fit.simulated[i], sim_se = std::sqrt(sim_cov.empty() ? kNaN : sim_cov[i][i]);
    const double err = sim - observed[i], z = err / sd[i];
    fit_csv << io::field(moments[i].label()) << ',' << io::field(moments[i].metric) << ',' << moments[i].year << ','
            << num(observed[i]) << ',' << num(sd[i]) << ',' << num(sim) << ',' << num(sim_se) << ',' << num(err) << ','
            << num(z) << ',' << io::field(moments[i].source) << '\n';
    char buf[256];
    std::snprintf(buf, sizeof buf, "  %-44s observed %-12.6g simulated %-12.6g z %+.2f\n", moments[i].label().c_str(),
                  observed[i], sim, z);
    table << buf;
  }
  par_csv << "parameter,value,std_error,ci95_lo,ci95_hi,min,max\n";
  table << "Parameters (95 % intervals from the standard errors):\n";
  std::vector<std::string> settings, comments;
  for (std::size_t j = 0; j < k; ++j) {
    const sweep::Parameter& p = params[j];
    const double se = cov ? std::sqrt((*cov)[j][j]) : kInf;
    const double v = numeric(fit.values[j]);
    const bool dates = p.kind == sweep::Parameter::Kind::DateRange;
    // Dates: the interval in days either side, as the standard error is.
    const double lo = dates ? -1.96 * se : v - 1.96 * se, hi = dates ? 1.96 * se : v + 1.96 * se;
    const double pmin = dates ? p.min - static_cast<double>(kernel::detail::kEpochUnix) : p.min;
    const double pmax = dates ? p.max - static_cast<double>(kernel::detail::kEpochUnix) : p.max;
    par_csv << io::field(p.key) << ',' << io::field(fit.values[j]) << ',' << num(se) << ',' << num(lo) << ',' << num(hi)
            << ',' << num(pmin) << ',' << num(pmax) << '\n';
    char buf[320];
    if (std::isfinite(se))
      std::snprintf(buf, sizeof buf, "  %-44s %-14s se %-12.4g [%.6g, %.6g]%s\n", p.key.c_str(), fit.values[j].c_str(),
                    se, lo, hi, dates ? " days" : "");
    else
      std::snprintf(buf, sizeof buf, "  %-44s %-14s not identified by these moments%s\n", p.key.c_str(),
                    fit.values[j].c_str(), moved[j] ? "" : " (the step around the fit failed or did not move it)");
    table << buf;
    settings.push_back(p.key + "=" + fit.values[j]);
    comments.push_back(std::isfinite(se) ? "standard error " + io::format_number(se) + (dates ? " days" : "")
                                         : "not identified");
  }
  const double distance = fit.distance;
  const int df = static_cast<int>(m) - static_cast<int>(k);
  const double p_value = df > 0 ? explore::chi_squared_upper(distance, df) : kNaN;
  table << "Distance " << io::format_number(distance) << " over " << io::count_of(m, "moment");
  if (df > 0) table << " (chi-squared, " << df << " degrees of freedom: p = " << io::format_number(p_value) << ")";
  table << "; " << outcome.generations << " generations, " << all.size() << " candidates, "
        << (outcome.converged ? "converged" : "stopped at the generation limit (not converged)") << '\n';

  // The fitted parameters as a scenario that includes the base.
  std::ostringstream header;
  header << "Calibrated by `renewsim calibrate " << a.search.file << "` (renewsim " << version() << ", git "
         << git_revision() << "):\ndistance " << io::format_number(fit.distance) << " over "
         << io::count_of(m, "moment") << " up to " << io::kLastCalibrationYear << ", " << reps
         << " replications per candidate (seed " << spec.sweep.seed
         << ").\nA scenario like any other: renewsim run this file, or name it as a sweep file's scenario.";
  const std::string toml = including_scenario(spec.sweep, runner.out(), header.str(), settings, comments);

  nlohmann::ordered_json manifest;
  manifest["command"] = "calibrate";
  manifest["file"] = a.search.file;
  manifest["renewsim_version"] = version();
  manifest["git_revision"] = git_revision();
  manifest["scenario"] = spec.sweep.scenario_path;
  manifest["seed"] = spec.sweep.seed;
  manifest["replications"] = reps;
  manifest["generations"] = outcome.generations;
  manifest["converged"] = outcome.converged;
  manifest["candidates"] = all.size();
  manifest["distance"] = distance;
  manifest["degrees_of_freedom"] = df;
  if (df > 0) manifest["p_value"] = p_value;
  manifest["identified"] = cov.has_value();
  if (runner.writer()) {
    io::write_files_atomically(runner.out(), {{"fit.csv", fit_csv.str()},
                                              {"parameters.csv", par_csv.str()},
                                              {"fitted.toml", toml},
                                              {"calibration.json", manifest.dump(2) + "\n"}});
    // The file must read back as a scenario, with the fitted values.
    (void)io::load_scenario((std::filesystem::path(runner.out()) / "fitted.toml").string());
    std::cout << table.str() << std::flush;
    if (talk) std::cerr << "renewsim: wrote " << runner.out() << "/{fit,parameters,evaluations}.csv and fitted.toml\n";
    if (a.chart && !run_python("calibration.py", {runner.out()}, a.search.quiet)) return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

void register_calibrate(CLI::App& app, CommandRegistry& registry) {
  auto a = std::make_shared<CalibrateArgs>();
  CLI::App* sub = app.add_subcommand(
      "calibrate", "Fit parameters to observed moments up to 2023 (simulated moments, CMA-ES, standard errors)");
  sub->add_option("file", a->search.file, "Calibration file: a sweep file with [calibrate] moments (docs/analysis.md)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("-o,--out", a->search.out, "Output directory (default: results/calibrate/<name>)");
  sub->add_option("-t,--threads", a->search.threads, "Worker threads per process")->check(CLI::Range(1, 4096));
  sub->add_flag("--resume", a->search.resume, "Continue an interrupted calibration in the output directory");
  sub->add_flag("-f,--force", a->search.force, "Start afresh in a non-empty output directory");
  sub->add_flag("--chart", a->chart, "Also draw the fit (python3 analysis/calibration.py)");
  sub->add_flag("-q,--quiet", a->search.quiet, "Only the report on stdout");
  sub->footer(
      "Example:\n  renewsim calibrate scenarios/calibration/national_2023.toml --out results/calibrate --chart\n"
      "Writes fit.csv (each moment: observed, simulated, error), parameters.csv (values, standard errors,\n"
      "95 % intervals), evaluations.csv (every candidate) and fitted.toml, a scenario that includes the\n"
      "base with the fitted values (renewsim run OUT/fitted.toml). Moments are data up to 2023 only.\n"
      "Exit status 0, 1 (no candidate could be evaluated, or the chart failed), 2 (bad input).");
  registry.add(sub, [a] { return calibrate_command(*a); });
}

}  // namespace renewsim::cli
