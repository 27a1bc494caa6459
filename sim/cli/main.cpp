// renewsim: the command line. It parses arguments, wires the library's parts
// together and maps failures to exit codes: 0 success, 1 run failure, 2 bad
// usage or bad input, 128 + signal for an interrupted run (cli/interrupt.hpp),
// each failure with a one-line message on stderr.
#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <string>

#include "cli/commands.hpp"
#include "version.hpp"

int main(int argc, char** argv) {
  using namespace renewsim;
  CLI::App app{"renewsim: discrete-event simulator of regional equipment-renewal investment"};
  app.name("renewsim");
  app.set_version_flag("--version", std::string("renewsim ") + version() + " (git " +
                                        git_revision() + ")");
  app.require_subcommand(0, 1);
  app.footer(
      "Examples:\n"
      "  renewsim run scenarios/default.toml --reps 20 --out results/default\n"
      "  renewsim validate scenarios/default.toml\n"
      "  renewsim SUBCOMMAND --help        help and an example for one subcommand\n"
      "Exit status: 0 success, 1 run failure (including outputs that cannot be written),\n"
      "2 bad usage or bad input, 130/143 run interrupted by SIGINT/SIGTERM.");

  cli::CommandRegistry commands;
  cli::register_all(app, commands);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return cli::kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    std::cout << app.help("", CLI::AppFormatMode::All);
    return cli::kExitOk;
  } catch (const CLI::CallForVersion&) {
    std::cout << app.version() << '\n';
    return cli::kExitOk;
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    std::cerr << "renewsim: error: " << what << " (see renewsim --help)\n";
    return cli::kExitUsage;
  }

  if (app.get_subcommands().empty()) {
    std::cout << app.help();
    return cli::kExitOk;
  }
  return commands.dispatch(app);
}
