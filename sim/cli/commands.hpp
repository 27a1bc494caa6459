// Subcommands of renewsim. Each registers its options on the CLI11 app and a
// function to run when it is chosen; exceptions map to the exit codes below.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace renewsim::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

class CommandRegistry {
 public:
  void add(CLI::App* sub, std::function<int()> action) {
    entries_.emplace_back(sub, std::move(action));
  }
  // Runs the chosen subcommand, turning exceptions into one-line messages.
  int dispatch(const CLI::App& app) const;

 private:
  std::vector<std::pair<CLI::App*, std::function<int()>>> entries_;
};

void register_all(CLI::App& app, CommandRegistry& registry);
void register_run(CLI::App& app, CommandRegistry& registry);
void register_validate(CLI::App& app, CommandRegistry& registry);
void register_sweep(CLI::App& app, CommandRegistry& registry);
void register_discover(CLI::App& app, CommandRegistry& registry);
void register_sensitivity(CLI::App& app, CommandRegistry& registry);
void register_calibrate(CLI::App& app, CommandRegistry& registry);
void register_optimise(CLI::App& app, CommandRegistry& registry);

}  // namespace renewsim::cli
