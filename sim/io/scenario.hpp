// Scenario files (TOML) into model parameters. Every error names the file,
// line, column and key path; all errors are collected and reported together.
#pragma once

#include <cstdint>
#include <string>

#include "model/parameters.hpp"

namespace renewsim::io {

struct Scenario {
  model::ModelParams params;
  std::string path;
  std::string description;
  std::string content_hash;  // FNV-1a 64 of the file's bytes, hex
  std::uint64_t seed = 20240101;
  int replications = 20;
};

// Throws InputError listing every problem found.
Scenario load_scenario(const std::string& path);
// The same from text (`name` is used in messages).
Scenario parse_scenario(const std::string& text, const std::string& name);

std::string fnv1a_hex(const std::string& bytes);

}  // namespace renewsim::io
