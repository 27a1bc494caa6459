// Shared by the firm-model benchmark programs: a scenario's sector mix scaled
// to N firms (one replication, no calibration: the initial mixes as stated),
// the calling thread's CPU time, and their command-line handling.
#pragma once

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include <time.h>

#include <cmath>
#include <cstdint>

#include "io/errors.hpp"
#include "model/parameters.hpp"

namespace renewsim::bench {

// A benchmark's main around `body`: -h or --help prints the usage; no
// argument prints it to stderr with exit code 2; bad input (a scenario that
// does not load, a malformed number) is reported as "NAME: what happened"
// with exit code 2, as renewsim does, rather than ending in an uncaught exception.
template <class Body>
int run_main(const char* name, const char* usage, int argc, char** argv, Body&& body) {
  for (int i = 1; i < argc; ++i)
    if (!std::strcmp(argv[i], "-h") || !std::strcmp(argv[i], "--help")) {
      std::printf("usage: %s %s\n", name, usage);
      return 0;
    }
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s %s\n", name, usage);
    return 2;
  }
  try {
    return body();
  } catch (const io::InputError& e) {
    std::fprintf(stderr, "%s: %s\n", name, e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", name, e.what());
    return 1;
  }
}

// A whole number from the command line, at least `least`; `what` names it in the error.
inline long long integer_arg(const char* text, const char* what, long long least) {
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(text, &end, 10);
  if (end == text || *end != '\0' || errno == ERANGE || v < least)
    throw io::InputError(std::string(what) + " must be a whole number of at least " + std::to_string(least) +
                         ", got '" + text + "'");
  return v;
}
// A real number from the command line.
inline double real_arg(const char* text, const char* what) {
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(text, &end);
  if (end == text || *end != '\0' || errno == ERANGE || !std::isfinite(v))
    throw io::InputError(std::string(what) + " must be a number, got '" + text + "'");
  return v;
}

// The scenario's parameters with every sector's firm count scaled so that the
// total is about `firms` (each count rounded).
inline model::ModelParams scaled_params(const model::ModelParams& base, long long firms) {
  model::ModelParams p = base;
  const double scale = static_cast<double>(firms) / static_cast<double>(base.total_firms());
  for (auto& s : p.sectors) s.firms = static_cast<std::int64_t>(std::llround(static_cast<double>(s.firms) * scale));
  return p;
}

inline double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// Simulated years of one replication, the warm-up included.
inline int simulated_years(const model::ModelParams& p) { return p.end_year - p.warmup_start_year + 1; }

// The population sizes named on the command line after the scenario (default 10 k, 100 k, 1 M).
inline std::vector<long long> sizes_from(int argc, char** argv) {
  std::vector<long long> sizes;
  for (int i = 2; i < argc; ++i) sizes.push_back(integer_arg(argv[i], "FIRMS", 1));
  if (sizes.empty()) sizes = {10'000, 100'000, 1'000'000};
  return sizes;
}

}  // namespace renewsim::bench
