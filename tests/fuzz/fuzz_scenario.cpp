// libFuzzer target: the scenario reader on arbitrary bytes. The reader must
// either accept the text or throw InputError whose every line names the file,
// a line and a column; anything else (a sanitizer report, another exception,
// a hang) is a bug. Built with RENEWSIM_FUZZ=ON (clang, preset `fuzz`); in
// other builds a small main replays files given on the command line, which is
// how crash inputs saved under tests/fuzz/regressions/ stay tests.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "io/errors.hpp"
#include "io/scenario.hpp"

namespace {

// "FILE:LINE:COLUMN: ..." with both numbers >= 1 (FILE: fuzz.toml, a file it
// includes, or an override "--set KEY"), or an override's own message.
bool names_a_place(const std::string& line) {
  if (line.rfind("--set ", 0) == 0) return true;
  for (std::size_t colon = line.find(':'); colon != std::string::npos; colon = line.find(':', colon + 1)) {
    std::size_t i = colon + 1;
    bool ok = true;
    for (int field = 0; field < 2 && ok; ++field) {
      const std::size_t start = i;
      while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
      ok = i > start && i < line.size() && line[i] == ':' && line.compare(start, i - start, "0") != 0;
      ++i;
    }
    if (ok && colon > 0 && line.compare(i, 1, " ") == 0) return true;
  }
  return false;
}

void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_scenario: %s: %s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Lines after a "#--set" line are overrides (KEY.PATH=VALUE), so the
  // override parser is fuzzed with the reader.
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto split = input.find("\n#--set\n");
  const std::string text = input.substr(0, split);
  std::vector<std::string> overrides;
  if (split != std::string::npos) {
    std::istringstream rest(input.substr(split + 8));
    for (std::string line; std::getline(rest, line);) overrides.push_back(line);
  }
  try {
    renewsim::io::parse_scenario(text, "fuzz.toml", overrides);
  } catch (const renewsim::io::InputError& e) {
    std::istringstream lines(e.what());
    std::string line;
    int count = 0;
    while (std::getline(lines, line)) {
      ++count;
      if (!names_a_place(line)) fail("an error line without file:line:column", line);
    }
    if (count == 0) fail("an empty error", "");
  }
  // Any other exception escapes and libFuzzer reports it as a crash.
  return 0;
}

#ifndef RENEWSIM_FUZZ
// Replays files: fuzz_scenario FILE... (exit 0 when none crashes).
int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "%s: cannot open\n", argv[i]);
      return 2;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string bytes = ss.str();
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    std::printf("ok: %s\n", argv[i]);
  }
  return 0;
}
#endif
