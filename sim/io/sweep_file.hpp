// Sweep files (TOML): a base scenario, the parameters to vary, a design and
// how many replications each point runs (docs/sweeps.md). Like scenarios,
// every error names the file, line, column and key path, all are reported
// together (InputError), and nothing runs on an invalid file.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/scenario.hpp"
#include "sweep/design.hpp"

namespace renewsim::io {

// A precision the adaptive replication control waits for: the 95 %
// confidence half-width of a target's probability of being met (Wilson score
// interval), of a target's value, or of a metric in a year (Student t).
struct Precision {
  enum class Of { Probability, Value };
  std::string target;  // a modelled target, or
  Of of = Of::Probability;
  std::string metric;  // a series metric of the policy variant in `year`
  int year = 0;
  double half_width = 0;
  bool relative = false;  // half_width relative to |mean| (value and metric)
  // Column name in results.csv: "half_width.<target>[.value]" or "half_width.<metric>.<year>".
  std::string label() const;
};

struct ReplicationControl {
  int fixed = 0;  // > 0: exactly this many; 0: adaptive
  int min = 4, max = 64, batch = 4;
  std::vector<Precision> precision;
  bool adaptive() const { return fixed == 0; }
  int most() const { return adaptive() ? max : fixed; }
  // "1 replication", "8 replications", "4-64 replications (adaptive)".
  std::string describe() const;
};

struct SweepSpec {
  std::string path;  // the sweep file
  std::string name, description;
  std::string scenario_path;            // resolved against the sweep file's directory
  std::vector<std::string> settings;    // [sweep] set: applied to the base scenario at every point
  Scenario base;                        // the base scenario with `settings`
  std::uint64_t seed = 0;               // default: the scenario's
  sweep::DesignKind design_kind = sweep::DesignKind::Grid;
  std::size_t points = 0;               // lhs, sobol
  std::string design_file;              // csv, resolved
  std::vector<sweep::Parameter> parameters;  // grid, lhs, sobol
  std::vector<std::string> table_keys;       // csv: its header
  std::vector<std::vector<std::string>> table_rows;
  ReplicationControl replications;
  bool counterfactual = false;  // also simulate the no-new-policy counterfactual at every point
  bool attribution = false;     // and the policy without each new lever
  std::size_t point_limit = 0;  // > 0: only the design's first point_limit points (--points)
  std::string content_hash;     // sweep file, design file, base scenario and settings

  sweep::Design design() const;
  // The `--set` settings that make point values into a scenario.
  std::vector<std::string> point_settings(const std::vector<std::string>& values) const;
};

namespace toml_input {
class Reader;
class Errors;
}  // namespace toml_input

// Commands that search over the parameters (calibrate, optimise) read a sweep
// file without a design: the search places the points. `read` takes the
// command's own tables from the file's top level.
struct SweepExtension {
  std::string command;  // "calibrate", "optimise": named in errors
  std::function<void(toml_input::Reader& top, toml_input::Errors& errors, SweepSpec& spec)> read;
};

// True when the TOML file has a [sweep] table (so `validate` can tell sweeps from scenarios).
bool is_sweep_file(const std::string& path);

SweepSpec load_sweep(const std::string& path);
// The same from text (`name` is used in messages and to resolve paths).
SweepSpec parse_sweep(const std::string& text, const std::string& name, const SweepExtension* extension = nullptr);
SweepSpec load_sweep(const std::string& path, const SweepExtension& extension);

}  // namespace renewsim::io
