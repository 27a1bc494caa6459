// The analysis scripts (analysis/*.py) that draw charts and reports, run
// with the Python that has Debian's pandas and matplotlib.
#pragma once

#include <string>
#include <vector>

namespace renewsim::cli {

// Runs analysis/SCRIPT with ARGS (and --quiet); false, with a message on
// stderr naming the command, when it fails. The scripts are found in
// $RENEWSIM_ANALYSIS_DIR, else the source tree's analysis/; the Python is
// $RENEWSIM_PYTHON, else /usr/bin/python3 (another python3 earlier in PATH
// may lack pandas and matplotlib).
bool run_python(const std::string& script, const std::vector<std::string>& args, bool quiet);

// A word for a POSIX shell: in single quotes, any quote in it escaped.
std::string shell_quote(const std::string& s);

}  // namespace renewsim::cli
