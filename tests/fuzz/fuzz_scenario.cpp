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

#include "io/errors.hpp"
#include "io/scenario.hpp"

namespace {

// "fuzz.toml:LINE:COLUMN: ..." with both numbers >= 1.
bool names_a_place(const std::string& line) {
  const std::string prefix = "fuzz.toml:";
  if (line.rfind(prefix, 0) != 0) return false;
  std::size_t i = prefix.size();
  for (int field = 0; field < 2; ++field) {
    const std::size_t start = i;
    while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
    if (i == start || i >= line.size() || line[i] != ':' || line.compare(start, i - start, "0") == 0) return false;
    ++i;
  }
  return line.compare(i, 1, " ") == 0;
}

void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_scenario: %s: %s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    renewsim::io::parse_scenario(text, "fuzz.toml");
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
