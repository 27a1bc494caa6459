#include "cli/python.hpp"

#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace renewsim::cli {
namespace {

std::string analysis_dir() {
  if (const char* env = std::getenv("RENEWSIM_ANALYSIS_DIR"); env && *env) return env;
  return RENEWSIM_SOURCE_DIR "/analysis";
}

std::string python() {
  if (const char* env = std::getenv("RENEWSIM_PYTHON"); env && *env) return env;
  std::error_code ec;
  return std::filesystem::exists("/usr/bin/python3", ec) ? "/usr/bin/python3" : "python3";
}

}  // namespace

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

bool run_python(const std::string& script, const std::vector<std::string>& args, bool quiet) {
  std::string cmd = shell_quote(python()) + " " + shell_quote(analysis_dir() + "/" + script);
  for (const auto& a : args) cmd += " " + shell_quote(a);
  if (quiet) cmd += " --quiet";
  if (std::system(cmd.c_str()) == 0) return true;
  std::cerr << "renewsim: " << script << " failed (" << cmd << ")\n";
  return false;
}

}  // namespace renewsim::cli
