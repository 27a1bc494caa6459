// `renewsim validate`: check scenario files and report every problem, running nothing.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "io/errors.hpp"
#include "io/output.hpp"
#include "io/scenario.hpp"
#include "io/search_file.hpp"
#include "io/sweep_file.hpp"

namespace renewsim::cli {
namespace {

int validate_command(const std::vector<std::string>& files, const std::vector<std::string>& overrides) {
  int status = kExitOk;
  for (const auto& file : files) {
    try {
      if (io::is_sweep_file(file)) {
        if (!overrides.empty())
          throw io::InputError(file + ": --set applies to scenarios; a sweep file sets scenario values with sweep.set");
        const std::string search = io::search_command_of(file);
        if (search == "calibrate") {
          const io::CalibrationSpec c = io::load_calibration(file);
          std::cout << file << ": ok (calibration of " << c.sweep.scenario_path << ": " << io::count_of(c.sweep.parameters.size(), "parameter")
                    << ", " << io::count_of(c.moments.size(), "moment") << ", " << c.sweep.replications.describe() << ")\n";
          continue;
        }
        if (search == "optimise") {
          const io::OptimisationSpec o = io::load_optimisation(file);
          std::cout << file << ": ok (optimisation of " << o.sweep.scenario_path << ": " << io::count_of(o.sweep.parameters.size(), "parameter")
                    << ", P(" << o.target << ") >= " << o.probability << ", "
                    << o.sweep.replications.describe() << ")\n";
          continue;
        }
        const io::SweepSpec sw = io::load_sweep(file);
        const auto& c = sw.replications;
        const std::size_t points = sw.design().size();
        std::cout << file << ": ok (sweep of " << sw.scenario_path << ": " << points << " points, "
                  << sweep::kDesignNames[static_cast<int>(sw.design_kind)] << " design, "
                  << c.describe()
                  << ")\n";
        continue;
      }
      const io::Scenario sc = io::load_scenario(file, overrides);
      std::cout << file << ": ok (" << sc.params.total_firms() << " firms, " << sc.params.sectors.size()
                << " sectors, " << sc.params.policy.enabled_names().size() << " levers enabled, "
                << sc.params.warmup_start_year << "-" << sc.params.end_year << ")\n";
    } catch (const io::InputError& e) {
      std::cerr << e.what() << '\n';
      status = kExitUsage;
    } catch (const std::exception& e) {
      std::cerr << file << ": " << e.what() << '\n';
      status = kExitUsage;
    }
  }
  return status;
}

}  // namespace

void register_validate(CLI::App& app, CommandRegistry& registry) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto overrides = std::make_shared<std::vector<std::string>>();
  CLI::App* sub = app.add_subcommand("validate", "Check scenario, sweep, calibrate or optimise files and report every error; runs nothing");
  sub->add_option("scenario", *files, "Scenario or sweep files (TOML; a sweep file has a [sweep] table, with [calibrate] or [optimise] for those commands)")->required();
  sub->add_option("--set", *overrides, "Override a value in every file, KEY.PATH=VALUE (as for run); repeatable");
  sub->footer("Example:\n  renewsim validate scenarios/default.toml\nExit status 0 when every file is valid, 2 otherwise.");
  registry.add(sub, [files, overrides] { return validate_command(*files, *overrides); });
}

}  // namespace renewsim::cli
