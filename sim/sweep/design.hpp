// Sweep designs: which parameter values each point of a sweep takes.
//
// A parameter is a scenario key (as `--set` names it) with either a list of
// values or a range. A design turns the parameters into points, each a TOML
// value text per parameter, so that a point is the base scenario with one
// `--set KEY=VALUE` per parameter:
//   * grid: every combination of the lists and of each range's `steps` values
//     (the first parameter varies slowest);
//   * Latin hypercube: n points, each range cut into n equal strata, one
//     point per stratum in every dimension (strata paired by random
//     permutations drawn from the sweep's seed);
//   * Sobol: the first n points of the Sobol sequence (Joe-Kuo direction
//     numbers, Boost.Random), skipping the origin;
//   * table: rows given by the user (a CSV file, e.g. from SALib or EMA
//     Workbench), one column per key;
//   * Morris: `points` trajectories of one-at-a-time steps (k + 1 points
//     each) on a 4-level grid, for elementary effects;
//   * Saltelli: matrices A, B and A with each column from B (N (k + 2)
//     points, N = `points`), for Sobol indices (explore/sensitivity.hpp).
// Points are made on demand: a design of a million points holds no table.
#pragma once

#include <cstddef>
#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace renewsim::sweep {

struct Parameter {
  enum class Kind { List, Range, DateRange };
  std::string key;  // scenario key path, e.g. "levers.city_subsidy.rate"
  Kind kind = Kind::Range;
  std::vector<std::string> values;  // List: TOML value texts
  double min = 0, max = 0;          // Range: numbers; DateRange: day numbers (days since 1970-01-01)
  int steps = 0;                    // grid points along a range (>= 2)
  bool integer = false;             // Range: whole numbers only
  bool log = false;                 // Range: spread evenly in log(value) (min > 0)

  // The value at a coordinate u in [0, 1): a list takes entry floor(u n), a
  // range min + u (max - min) (integer and date ranges: each whole value
  // between min and max inclusive equally likely).
  std::string at(double u) const;
  // The grid's values: the list, or `steps` values from min to max inclusive.
  std::size_t grid_size() const;
  std::string grid_value(std::size_t i) const;
};

enum class DesignKind { Grid, LatinHypercube, Sobol, Table, Morris, Saltelli };
inline constexpr std::array<const char*, 6> kDesignNames = {"grid", "lhs", "sobol", "csv", "morris", "saltelli"};

class Design {
 public:
  static Design grid(std::vector<Parameter> parameters);
  static Design latin_hypercube(std::vector<Parameter> parameters, std::size_t points, std::uint64_t seed);
  static Design sobol(std::vector<Parameter> parameters, std::size_t points);
  // `trajectories` x (k + 1) points; N (k + 2) points.
  static Design morris(std::vector<Parameter> parameters, std::size_t trajectories, std::uint64_t seed);
  static Design saltelli(std::vector<Parameter> parameters, std::size_t base_points);
  // Morris trajectories or Saltelli's N: the `points` the design was asked for.
  std::size_t base_points() const { return base_points_; }
  // `rows[i]` holds point i's value texts, one per key.
  static Design table(std::vector<std::string> keys, std::vector<std::vector<std::string>> rows);

  // Only the first n points (a trial of a long sweep: a prefix of the full one).
  void limit(std::size_t n) { size_ = std::min(size_, n); }
  DesignKind kind() const { return kind_; }
  std::size_t size() const { return size_; }
  const std::vector<std::string>& keys() const { return keys_; }
  // Point i's value texts, one per key (not thread-safe: Sobol keeps a cursor).
  std::vector<std::string> point(std::size_t i) const;
  // Unit coordinates of point i (grid, LHS and Sobol; used by tests and analyses).
  std::vector<double> unit_point(std::size_t i) const;

 private:
  DesignKind kind_ = DesignKind::Grid;
  std::size_t size_ = 0;
  std::vector<std::string> keys_;
  std::vector<Parameter> parameters_;
  std::vector<std::vector<std::uint32_t>> strata_;  // LHS: stratum of point i in dimension d
  std::uint64_t seed_ = 0;
  std::vector<std::vector<std::string>> rows_;  // table
  std::vector<std::vector<double>> units_;      // Morris, Saltelli: every point's unit coordinates
  std::size_t base_points_ = 0;
  struct SobolCursor;
  std::shared_ptr<SobolCursor> sobol_;
};

// The largest grid a sweep may ask for (a guard against a typo in `steps`).
inline constexpr std::size_t kMaxPoints = 100'000'000;

// "2025-03-01" for a day number (days since 1970-01-01); and back (false when not a date).
std::string date_text(std::int64_t days);

}  // namespace renewsim::sweep
