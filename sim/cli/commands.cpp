#include "cli/commands.hpp"

#include <iostream>
#include <new>

#include "io/errors.hpp"

namespace renewsim::cli {

int CommandRegistry::dispatch(const CLI::App&) const {
  for (const auto& [sub, action] : entries_) {
    if (!sub->parsed()) continue;
    try {
      return action();
    } catch (const io::InputError& e) {
      std::cerr << "renewsim: error: " << e.what() << '\n';
      return kExitUsage;
    } catch (const std::bad_alloc&) {
      std::cerr << "renewsim: run failed: out of memory (fewer firms, replications or threads may fit)\n";
      return kExitFailure;
    } catch (const std::exception& e) {
      std::cerr << "renewsim: run failed: " << e.what() << '\n';
      return kExitFailure;
    }
  }
  return kExitOk;
}

void register_all(CLI::App& app, CommandRegistry& registry) {
  register_run(app, registry);
  register_sweep(app, registry);
  register_sensitivity(app, registry);
  register_discover(app, registry);
  register_calibrate(app, registry);
  register_optimise(app, registry);
  register_validate(app, registry);
}

}  // namespace renewsim::cli
