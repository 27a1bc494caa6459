#include "io/search_file.hpp"

#include <algorithm>

#include "io/toml_reader.hpp"
#include "model/assessment.hpp"

namespace renewsim::io {
namespace {

using namespace toml_input;

void read_search(Reader& r, Errors& errors, SearchSettings& s) {
  r.integer("generations", s.generations, 1, 100000);
  r.integer("population", s.population, 0, 100000);
  if (s.population == 1)
    errors.add(r.node_source("population"), r.key_path("population"), "at least 2 (0: the default)");
  r.number("sigma", s.sigma, 1e-6, 1.0);
  r.number("tolerance", s.tolerance, 0.0, 1.0);
}

void require_fixed_replications(Errors& errors, const toml::table& root, const SweepSpec& s,
                                const std::string& command) {
  if (s.replications.adaptive())
    errors.add(root.get("replications") ? root.get("replications")->source() : root.source(), "replications",
               command +
                   " needs a fixed number of replications (sweep.replications): every candidate is "
                   "compared on the same replications");
}

}  // namespace

std::string search_command_of(const std::string& path) {
  try {
    const toml::table t = toml::parse_file(path);
    if (t.contains("calibrate")) return "calibrate";
    if (t.contains("optimise")) return "optimise";
  } catch (const std::exception&) {
  }
  return "";
}

CalibrationSpec load_calibration(const std::string& path) {
  CalibrationSpec c;
  SweepExtension ext{
      "calibrate", [&](Reader& top, Errors& errors, SweepSpec& s) {
        const toml::table* t = top.table("calibrate");
        if (!t) {
          errors.add(top.node_source("sweep"), "calibrate", "missing: a [calibrate] table with [[calibrate.moments]]");
          return;
        }
        Reader r(*t, "calibrate", errors);
        read_search(r, errors, c.search);
        r.number("step", c.step, 1e-6, 0.5);
        const toml::array* moments = r.array("moments");
        r.finish();
        if (!moments || moments->empty()) {
          errors.add(t->source(), "calibrate.moments",
                     "missing: at least one [[calibrate.moments]] with metric, year, observed and sd");
          return;
        }
        const std::vector<std::string> metrics = model::metric_names(s.base.params);
        const int first = s.base.params.warmup_start_year;
        std::size_t i = 0;
        for (const auto& node : *moments) {
          const std::string mp = "calibrate.moments[" + std::to_string(i++) + "]";
          const toml::table* mt = node.as_table();
          if (!mt) {
            errors.add(node.source(), mp, "expected a table ([[calibrate.moments]])");
            continue;
          }
          Reader m(*mt, mp, errors);
          Moment mo;
          for (const char* k : {"metric", "year", "observed", "sd"}) m.require(k);
          m.string("metric", mo.metric);
          m.integer("year", mo.year, 1900, 2100);
          m.number("observed", mo.observed);
          m.number("sd", mo.sd, 0, kInf);
          m.string("source", mo.source);
          m.finish();
          if (mt->contains("sd") && !(mo.sd > 0))
            errors.add(m.node_source("sd"), mp + ".sd", "must be above 0 (the observation's standard error)");
          if (mo.year > kLastCalibrationYear)
            errors.add(m.node_source("year"), mp + ".year",
                       std::to_string(mo.year) +
                           " is after 2023: calibration uses data up to 2023 only "
                           "(later outcomes are for validation)");
          else if (mt->contains("year") && mo.year < first)
            errors.add(m.node_source("year"), mp + ".year",
                       "before the simulation starts (scenario.warmup_start_year = " + std::to_string(first) + ")");
          check_known_name(errors, m.node_source("metric"), mp + ".metric", mo.metric, metrics, "metric",
                           "in this scenario's series", "(docs/outputs.md lists them)");
          for (const auto& other : c.moments)
            if (other.label() == mo.label())
              errors.add(mt->source(), mp, "the moment " + mo.label() + " is given twice");
          c.moments.push_back(std::move(mo));
        }
        require_fixed_replications(errors, top.own_table(), s, "calibrate");
      }};
  c.sweep = load_sweep(path, ext);
  return c;
}

OptimisationSpec load_optimisation(const std::string& path) {
  OptimisationSpec o;
  SweepExtension ext{
      "optimise", [&](Reader& top, Errors& errors, SweepSpec& s) {
        const toml::table* t = top.table("optimise");
        if (!t) {
          errors.add(top.node_source("sweep"), "optimise", "missing: an [optimise] table naming the target");
          return;
        }
        Reader r(*t, "optimise", errors);
        r.require("target");
        r.string("target", o.target);
        r.number("probability", o.probability, 0.0, 1.0);
        r.string("cost", o.cost);
        if (std::find(kCostColumns.begin(), kCostColumns.end(), o.cost) == kCostColumns.end()) {
          // Else a series metric summed over the assessment years, e.g. one lever's outlay.
          std::vector<std::string> known(kCostColumns.begin(), kCostColumns.end());
          for (const auto& name : model::metric_names(s.base.params)) known.push_back(name);
          check_known_name(errors, r.node_source("cost"), "optimise.cost", o.cost, known, "cost column or metric",
                           "(new_policy_outlay, fiscal_outlay, net_fiscal_cost, or a series metric such as "
                           "lever.NAME.outlay)");
        }
        read_search(r, errors, o.search);
        r.integer("reevaluate", o.reevaluate, 1, 1000);
        r.integer("reevaluation_replications", o.reevaluation_replications, 0, 1000000);
        r.finish();
        std::vector<std::string> modelled;
        for (const auto& tg : s.base.targets)
          if (tg.modelled) modelled.push_back(tg.name);
        check_known_name(errors, r.node_source("target"), "optimise.target", o.target, modelled, "modelled target",
                         "in " + s.scenario_path);
        if (o.cost == "net_fiscal_cost" && !s.counterfactual)
          errors.add(r.node_source("cost"), "optimise.cost", "net_fiscal_cost needs sweep.counterfactual = true");
        if (t->contains("probability") && !(o.probability > 0 && o.probability < 1))
          errors.add(r.node_source("probability"), "optimise.probability", "must be between 0 and 1 (exclusive)");
        require_fixed_replications(errors, top.own_table(), s, "optimise");
      }};
  o.sweep = load_sweep(path, ext);
  if (o.reevaluation_replications == 0) o.reevaluation_replications = 4 * o.sweep.replications.fixed;
  return o;
}

}  // namespace renewsim::io
