#include "io/sweep_file.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "io/errors.hpp"
#include "io/csv.hpp"
#include "io/output.hpp"
#include "io/toml_reader.hpp"
#include "kernel/calendar.hpp"

namespace renewsim::io {
namespace {

using namespace toml_input;

std::string read_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the " + what);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A value as TOML text, the way --set takes it (numbers in their shortest
// exact form, so that the value read back is the value given).
std::string toml_text(const toml::node& n) {
  if (const auto* f = n.as_floating_point()) return format_number(f->get());
  if (const auto* i = n.as_integer()) return std::to_string(i->get());
  if (const auto* a = n.as_array()) {
    std::string out = "[";
    for (const auto& item : *a) out += (out.size() > 1 ? ", " : "") + toml_text(item);
    return out + "]";
  }
  std::ostringstream s;
  n.visit([&](const auto& v) { s << toml::toml_formatter{v}; });
  return s.str();
}

bool is_toml_value(const std::string& text) {
  try {
    // One value, not text that adds keys of its own ("1\nrate = 2").
    return toml::parse("v = " + text).size() == 1;
  } catch (const toml::parse_error&) {
    return false;
  }
}

// The scenario as a point would make it: an error there is the parameter's.
std::string check_setting(const SweepSpec& s, const std::string& setting) {
  try {
    std::vector<std::string> all = s.settings;
    all.push_back(setting);
    (void)load_scenario(s.scenario_path, all);
    return {};
  } catch (const InputError& e) {
    // "--set KEY...: levers[0].rat: what" -> "what": the caller names the key.
    std::string m = e.what();
    if (m.rfind("--set ", 0) == 0 && m.find('\n') == std::string::npos) {
      const auto colon = m.find(": ");
      if (colon != std::string::npos) m = m.substr(colon + 2);
      const auto next = m.find(": ");
      if (next != std::string::npos && m.find(' ') > next && m.find_first_of("(\"") > next) m = m.substr(next + 2);
    }
    return m;
  }
}

void read_parameter(Reader& r, const toml::table& t, const std::string& path, Errors& errors, SweepSpec& s,
                    sweep::Parameter& p) {
  r.require("key");
  r.string("key", p.key);
  const bool has_values = t.contains("values");
  const bool has_range = t.contains("min") || t.contains("max");
  if (has_values && has_range) errors.add(t.source(), path, "give either values or min and max, not both");
  if (!has_values && !has_range) errors.add(t.source(), path, "missing values (a list) or min and max (a range)");
  if (has_values) {
    p.kind = sweep::Parameter::Kind::List;
    if (const toml::array* a = r.array("values")) {
      if (a->empty()) errors.add(a->source(), path + ".values", "empty (give at least one value)");
      for (const auto& v : *a) {
        p.values.push_back(toml_text(v));
      }
    }
    for (const char* k : {"steps", "integer", "log", "min", "max"})
      if (t.contains(k)) {
        r.mark_read(k);
        if (!has_range) errors.add(r.node_source(k), path + "." + k, "applies to ranges (min and max), not to values");
      }
  }
  if (has_range && !has_values) {
    const toml::node* lo = t.get("min");
    const toml::node* hi = t.get("max");
    r.mark_read("min");
    r.mark_read("max");
    if (!lo || !hi) {
      errors.add(t.source(), path + (lo ? ".max" : ".min"), "missing (a range needs min and max)");
    } else if (lo->is_date() || hi->is_date()) {
      p.kind = sweep::Parameter::Kind::DateRange;
      kernel::Day a = 0, b = 0;
      r.date("min", a);
      r.date("max", b);
      p.min = static_cast<double>(a) + static_cast<double>(kernel::detail::kEpochUnix);
      p.max = static_cast<double>(b) + static_cast<double>(kernel::detail::kEpochUnix);
    } else {
      r.number("min", p.min);
      r.number("max", p.max);
    }
    if (lo && hi && p.max < p.min) errors.add(r.node_source("max"), path + ".max", "below min");
    r.boolean("integer", p.integer);
    r.boolean("log", p.log);
    if (p.integer && (p.min != std::floor(p.min) || p.max != std::floor(p.max)))
      errors.add(r.node_source("integer"), path + ".integer", "min and max must be whole numbers");
    if (p.log && !(p.min > 0)) errors.add(r.node_source("log"), path + ".log", "a log range needs min > 0");
    if (p.kind == sweep::Parameter::Kind::DateRange && (p.integer || p.log))
      errors.add(r.node_source(p.log ? "log" : "integer"), path, "a date range takes neither integer nor log");
    if (s.design_kind == sweep::DesignKind::Grid) {
      r.require("steps");
      r.integer("steps", p.steps, 2, 1000000);
    } else if (t.contains("steps")) {
      r.mark_read("steps");
      errors.add(r.node_source("steps"), path + ".steps", "used only by the grid design (the others place `points` points)");
    }
  }
  r.finish();
}

void read_replications(Reader& top, const toml::table& sweep_table, Errors& errors, SweepSpec& s) {
  const toml::table* rt = top.table("replications");
  const bool fixed = sweep_table.contains("replications");
  if (rt && fixed)
    errors.add(rt->source(), "replications", "give either sweep.replications (a fixed number) or [replications] (adaptive), not both");
  if (!rt) {
    if (!fixed) s.replications.fixed = s.base.replications;
    return;
  }
  ReplicationControl& c = s.replications;
  c.fixed = 0;
  Reader r(*rt, "replications", errors);
  r.integer("min", c.min, 2, 1000000);
  r.integer("max", c.max, 2, 1000000);
  c.batch = c.min;
  r.integer("batch", c.batch, 1, 1000000);
  if (c.max < c.min) errors.add(r.node_source("max"), "replications.max", "below replications.min");
  const toml::array* arr = r.array("precision");
  r.finish();
  if (!arr || arr->empty()) {
    errors.add(rt->source(), "replications.precision",
               "missing: adaptive replications need at least one [[replications.precision]]");
    return;
  }
  std::vector<std::string> modelled;
  for (const auto& t : s.base.targets)
    if (t.modelled) modelled.push_back(t.name);
  std::vector<std::string> metrics;  // filled on first use
  std::size_t i = 0;
  for (const auto& node : *arr) {
    const std::string path = "replications.precision[" + std::to_string(i++) + "]";
    const toml::table* pt = node.as_table();
    if (!pt) {
      errors.add(node.source(), path, "expected a table ([[replications.precision]])");
      continue;
    }
    Reader pr(*pt, path, errors);
    Precision p;
    pr.string("target", p.target);
    pr.string("metric", p.metric);
    if (p.target.empty() == p.metric.empty())
      errors.add(pt->source(), path, "name either a target or a metric");
    p.of = static_cast<Precision::Of>(pr.choice("of", 0, std::array<const char*, 2>{"probability", "value"}));
    pr.integer("year", p.year, 2023, 2100);
    pr.require("half_width");
    pr.number("half_width", p.half_width, 0, kInf);
    pr.boolean("relative", p.relative);
    pr.finish();
    if (pt->contains("half_width") && !(p.half_width > 0))
      errors.add(pr.node_source("half_width"), path + ".half_width", "must be above 0");
    if (!p.target.empty()) {
      check_known_name(errors, pr.node_source("target"), path + ".target", p.target, modelled, "modelled target",
                       "in " + s.scenario_path);
      if (pt->contains("year")) errors.add(pr.node_source("year"), path + ".year", "a target has its own year");
      if (p.relative && p.of == Precision::Of::Probability)
        errors.add(pr.node_source("relative"), path + ".relative", "applies to a value, not to a probability");
    } else if (!p.metric.empty()) {
      if (pt->contains("of")) errors.add(pr.node_source("of"), path + ".of", "applies to targets");
      p.of = Precision::Of::Value;
      if (!pt->contains("year")) errors.add(pt->source(), path + ".year", "missing (the metric's year)");
      if (metrics.empty()) metrics = model::metric_names(s.base.params);
      check_known_name(errors, pr.node_source("metric"), path + ".metric", p.metric, metrics, "metric",
                       "in this scenario's series", "(docs/outputs.md lists them)");
      if (p.year > s.base.params.end_year)
        errors.add(pr.node_source("year"), path + ".year",
                   "after scenario.end_year (" + std::to_string(s.base.params.end_year) + ")");
    }
    c.precision.push_back(std::move(p));
  }
}

void read_design_file(SweepSpec& s, const toml::source_region& where, Errors& errors) {
  std::string text;
  try {
    text = read_file(s.design_file, "design file");
  } catch (const InputError& e) {
    errors.add(where, "sweep.design_file", e.what());
    return;
  }
  std::size_t pos = 0;
  bool ok = true;
  std::vector<std::string> header = csv_record(text, pos, ok);
  // A leading unnamed column is a row index (pandas writes one): dropped.
  const bool index_column = !header.empty() && header[0].empty() && header.size() > 1;
  if (index_column) header.erase(header.begin());
  const std::string file = s.design_file;
  auto bad = [&](std::size_t line, const std::string& what) {
    errors.add(where, "sweep.design_file", file + ":" + std::to_string(line) + ": " + what);
  };
  if (!ok || header.empty() || (header.size() == 1 && header[0].empty())) {
    bad(1, "the first line must name the keys, e.g. levers.city_subsidy.rate,levers.city_subsidy.cap");
    return;
  }
  std::set<std::string> seen;
  for (const auto& k : header) {
    if (k.empty() || !seen.insert(k).second) bad(1, k.empty() ? "an empty column name" : "column \"" + k + "\" twice");
    if (k == "scenario.seed" || k == "scenario.replications")
      bad(1, "column \"" + k + "\": the sweep sets this itself (sweep.seed, sweep.replications or [replications])");
  }
  s.table_keys = header;
  std::size_t line = 1;
  while (pos < text.size()) {
    ++line;
    std::vector<std::string> row = csv_record(text, pos, ok);
    if (row.size() == 1 && row[0].empty()) continue;  // blank line
    if (!ok) {
      bad(line, "a quoted field is not closed");
      break;
    }
    if (index_column && !row.empty()) row.erase(row.begin());
    if (row.size() != header.size()) {
      bad(line, std::to_string(row.size()) + " fields where the header has " + std::to_string(header.size()));
      continue;
    }
    for (auto& cell : row) {
      if (cell.empty()) bad(line, "an empty value");
      else if (!is_toml_value(cell)) cell = toml_text(toml::value<std::string>(cell));  // plain text: a string
    }
    s.table_rows.push_back(std::move(row));
    if (errors.count() > 50) break;
  }
  if (s.table_rows.empty() && errors.empty()) bad(line, "no rows (one row per point)");
}

}  // namespace

std::string ReplicationControl::describe() const {
  if (adaptive()) return std::to_string(min) + "-" + std::to_string(max) + " replications (adaptive)";
  return std::to_string(fixed) + (fixed == 1 ? " replication" : " replications");
}

std::string Precision::label() const {
  if (!target.empty()) return "half_width." + target + (of == Of::Value ? ".value" : "");
  return "half_width." + metric + "." + std::to_string(year);
}

sweep::Design SweepSpec::design() const {
  sweep::Design d = [&] {
    switch (design_kind) {
      case sweep::DesignKind::LatinHypercube: return sweep::Design::latin_hypercube(parameters, points, seed);
      case sweep::DesignKind::Sobol: return sweep::Design::sobol(parameters, points);
      case sweep::DesignKind::Table: return sweep::Design::table(table_keys, table_rows);
      case sweep::DesignKind::Morris: return sweep::Design::morris(parameters, points, seed);
      case sweep::DesignKind::Saltelli: return sweep::Design::saltelli(parameters, points);
      case sweep::DesignKind::Grid: break;
    }
    return sweep::Design::grid(parameters);
  }();
  if (point_limit > 0) d.limit(point_limit);
  return d;
}

std::vector<std::string> SweepSpec::point_settings(const std::vector<std::string>& values) const {
  std::vector<std::string> out = settings;
  const auto& keys = design_kind == sweep::DesignKind::Table ? table_keys : [&] {
    std::vector<std::string> k;
    for (const auto& p : parameters) k.push_back(p.key);
    return k;
  }();
  for (std::size_t i = 0; i < keys.size() && i < values.size(); ++i) out.push_back(keys[i] + "=" + values[i]);
  return out;
}

bool is_sweep_file(const std::string& path) {
  try {
    const toml::table t = toml::parse_file(path);
    return t.contains("sweep");
  } catch (const std::exception&) {
    return false;
  }
}

SweepSpec parse_sweep(const std::string& text, const std::string& name, const SweepExtension* extension) {
  const toml::table root = parse_toml(text, name);
  Errors errors(name);
  SweepSpec s;
  s.path = name;
  Reader top(root, "", errors);
  const toml::table* st = top.table("sweep");
  if (!st) {
    errors.add(root.source(), "sweep", "missing (a sweep file has a [sweep] table naming its scenario)");
    throw InputError(errors.joined());
  }
  Reader r(*st, "sweep", errors);
  r.require("scenario");
  r.identifier("name", s.name);
  r.string("description", s.description);
  std::string scenario;
  r.string("scenario", scenario);
  if (!scenario.empty())
    s.scenario_path = std::filesystem::path(scenario.front() == '/' ? scenario : directory_of(name) + scenario)
                          .lexically_normal()
                          .string();
  if (const toml::array* set = r.array("set"))
    for (const auto& v : *set) {
      if (const auto* str = v.as_string()) s.settings.push_back(str->get());
      else errors.add(v.source(), "sweep.set", "expected a setting \"KEY.PATH=VALUE\" (string)");
    }
  std::int64_t seed = -1;
  r.integer("seed", seed, 0, std::numeric_limits<std::int64_t>::max());
  s.design_kind = static_cast<sweep::DesignKind>(r.choice("design", 0, sweep::kDesignNames));
  if (extension) {
    // No design: the search places its points in the parameters' ranges.
    for (const char* k : {"design", "points", "design_file"})
      if (st->contains(k)) {
        r.mark_read(k);
        errors.add(r.node_source(k), std::string("sweep.") + k,
                   "a " + extension->command + " file has no design: the search chooses the points");
      }
    s.design_kind = sweep::DesignKind::LatinHypercube;
  }
  const bool sampled = s.design_kind != sweep::DesignKind::Grid && s.design_kind != sweep::DesignKind::Table;
  if (sampled && !extension) r.require("points");
  std::int64_t points = 0;
  r.integer("points", points, 1, static_cast<std::int64_t>(sweep::kMaxPoints));
  s.points = static_cast<std::size_t>(points);
  if (!sampled && st->contains("points"))
    errors.add(r.node_source("points"), "sweep.points", "used only by the lhs, sobol, morris and saltelli designs");
  std::string design_file;
  r.string("design_file", design_file);
  if (s.design_kind == sweep::DesignKind::Table) r.require("design_file");
  else if (st->contains("design_file"))
    errors.add(r.node_source("design_file"), "sweep.design_file", "used only by the csv design");
  if (!design_file.empty())
    s.design_file = std::filesystem::path(design_file.front() == '/' ? design_file : directory_of(name) + design_file)
                        .lexically_normal()
                        .string();
  r.integer("replications", s.replications.fixed, 1, 1000000);
  r.boolean("counterfactual", s.counterfactual);
  r.boolean("attribution", s.attribution);
  if (s.attribution && !s.counterfactual)
    errors.add(r.node_source("attribution"), "sweep.attribution", "needs counterfactual = true");
  r.finish();

  // The base scenario: its own errors are reported as they are, with its file.
  std::string scenario_errors;
  if (!s.scenario_path.empty()) {
    try {
      s.base = load_scenario(s.scenario_path, s.settings);
    } catch (const InputError& e) {
      errors.add(r.node_source("scenario"), "sweep.scenario", "the scenario " + s.scenario_path + " is not valid (below)");
      scenario_errors = e.what();
    }
  }
  auto fail = [&] {
    throw InputError(errors.joined() + (scenario_errors.empty() ? "" : "\n" + scenario_errors));
  };
  const bool base_ok = !s.base.path.empty();
  s.seed = seed >= 0 ? static_cast<std::uint64_t>(seed) : s.base.seed;
  if (base_ok) read_replications(top, *st, errors, s);
  else top.known("replications");

  const toml::array* params = top.array("parameters");
  if (s.design_kind == sweep::DesignKind::Table) {
    if (params) errors.add(params->source(), "parameters", "the csv design takes its keys from the design file's header");
    if (!s.design_file.empty()) read_design_file(s, r.node_source("design_file"), errors);
  } else if (!params || params->empty()) {
    errors.add(root.source(), "parameters", "missing: at least one [[parameters]] with a key and values or min/max");
  } else {
    std::set<std::string> keys;
    std::size_t i = 0;
    for (const auto& node : *params) {
      const std::string path = "parameters[" + std::to_string(i++) + "]";
      const toml::table* pt = node.as_table();
      if (!pt) {
        errors.add(node.source(), path, "expected a table ([[parameters]])");
        continue;
      }
      Reader pr(*pt, path, errors);
      sweep::Parameter p;
      read_parameter(pr, *pt, path, errors, s, p);
      if (extension && p.kind == sweep::Parameter::Kind::List)
        errors.add(pt->source(), path, "the " + extension->command + " search needs a range (min and max), not values");
      if (p.key == "scenario.seed" || p.key == "scenario.replications")
        errors.add(pr.node_source("key"), path + ".key",
                   "the sweep sets this itself (sweep.seed, sweep.replications or [replications])");
      if (!p.key.empty() && !keys.insert(p.key).second)
        errors.add(pr.node_source("key"), path + ".key", "\"" + p.key + "\" is varied twice");
      s.parameters.push_back(std::move(p));
    }
  }
  if (extension && base_ok) extension->read(top, errors, s);
  else if (extension) top.known(extension->command);
  top.finish();
  // The number of points, before anything is made of them.
  if (errors.empty() && !extension && s.design_kind != sweep::DesignKind::Table) {
    const std::size_t k = s.parameters.size();
    double n = static_cast<double>(s.points);
    if (s.design_kind == sweep::DesignKind::Grid) {
      n = 1;
      for (const auto& p : s.parameters) n *= static_cast<double>(p.grid_size());
    } else if (s.design_kind == sweep::DesignKind::Morris) {
      n *= static_cast<double>(k + 1);
    } else if (s.design_kind == sweep::DesignKind::Saltelli) {
      n *= static_cast<double>(k + 2);
    }
    if (n > static_cast<double>(sweep::kMaxPoints))
      errors.add(s.design_kind == sweep::DesignKind::Grid ? root.source() : r.node_source("points"),
                 s.design_kind == sweep::DesignKind::Grid ? "parameters" : "sweep.points",
                 "the design would have " + format_number(n) + " points (at most 1e+08)");
  }
  if (!errors.empty()) fail();

  // Each key must be a scenario key, and its extreme values valid there: tried
  // one parameter at a time on the base scenario (a combination that fails is
  // a failed point, recorded when the sweep runs).
  auto check = [&](const toml::source_region& where, const std::string& path, const std::string& key,
                   const std::string& value) {
    const std::string e = check_setting(s, key + "=" + value);
    if (!e.empty()) errors.add(where, path, key + " = " + value + ": " + e);
    return e.empty();
  };
  if (s.design_kind == sweep::DesignKind::Table) {
    for (std::size_t k = 0; k < s.table_keys.size(); ++k)
      check(r.node_source("design_file"), "sweep.design_file", s.table_keys[k], s.table_rows[0][k]);
  } else {
    for (std::size_t i = 0; i < s.parameters.size(); ++i) {
      const auto& p = s.parameters[i];
      const toml::node* key_node = (*params)[i].as_table()->get("key");
      const auto& where = key_node ? key_node->source() : (*params)[i].as_table()->source();
      const std::string path = "parameters[" + std::to_string(i) + "].key";
      if (p.kind == sweep::Parameter::Kind::List) {
        for (const auto& v : p.values)
          if (!check(where, path, p.key, v)) break;
      } else if (check(where, path, p.key, p.at(0.0))) {
        check(where, path, p.key, p.grid_size() > 1 ? p.grid_value(p.grid_size() - 1) : p.at(0.999999999));
      }
    }
  }
  if (!errors.empty()) fail();

  std::string bytes = text + '\n' + s.base.content_hash;
  for (const auto& row : s.table_rows)
    for (const auto& c : row) bytes += ',' + c;
  s.content_hash = fnv1a_hex(bytes);
  if (s.name.empty()) {
    const auto slash = name.find_last_of('/');
    std::string stem = name.substr(slash == std::string::npos ? 0 : slash + 1);
    if (const auto dot = stem.rfind('.'); dot != std::string::npos) stem.resize(dot);
    s.name = stem;
  }
  return s;
}

SweepSpec load_sweep(const std::string& path) { return parse_sweep(read_file(path, "sweep file"), path); }

SweepSpec load_sweep(const std::string& path, const SweepExtension& extension) {
  return parse_sweep(read_file(path, extension.command + " file"), path, &extension);
}

}  // namespace renewsim::io
