// Scenario files (TOML) into model parameters. Every error names the file,
// line, column and key path; all errors are collected and reported together.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/assessment.hpp"
#include "model/parameters.hpp"

namespace renewsim::io {

struct Scenario {
  model::ModelParams params;
  std::string path;
  std::string description;
  std::string content_hash;  // FNV-1a 64 of the file's bytes, its includes' and the overrides, hex
  std::uint64_t seed = 20240101;
  int replications = 20;
  // [[targets]] and [assessment]: what the run is assessed against.
  std::vector<model::TargetSpec> targets;
  model::AssessmentOptions assessment;  // its scale is population.scale
  bool counterfactual = true;  // simulate the no-new-policy counterfactual
  bool attribution = true;     // and the policy without each new lever
};

// Throws InputError listing every problem found.
//
// `include = ["national.toml", ...]` (paths relative to the including file)
// layers files: each included file first, in order, then the file itself on
// top. Tables merge key by key; [[sectors]] and [[levers]] entries merge by
// `name` (a later entry with the same name changes only the keys it sets; a
// new name is added). An include cycle is an error.
//
// `overrides` are "key.path=value" settings applied last (the command line's
// --set): the value is TOML ("0.12", "true", "\"2025-01-01\"", "[1, 2]"); an
// entry of [[sectors]] or [[levers]] is named by its `name`
// ("levers.city_subsidy.rate=0.12").
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});
// The same from text (`name` is used in messages and to resolve includes).
Scenario parse_scenario(const std::string& text, const std::string& name,
                        const std::vector<std::string>& overrides = {});

// TOML text that sets what the "key.path=value" settings set, for a scenario
// file that includes another (`include` layers it the way --set would):
// dotted keys first, then one [[sectors]]/[[levers]]/[[targets]] entry per
// name. `comments` (same length, or empty) end each value's line.
std::string settings_as_toml(const std::vector<std::string>& settings, const std::vector<std::string>& comments = {});

std::string fnv1a_hex(const std::string& bytes);

}  // namespace renewsim::io
