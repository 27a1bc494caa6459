// Sweep designs: grid order and values, Latin hypercube strata, the Sobol
// sequence, tables; the half-widths of the adaptive replication control.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "sweep/design.hpp"
#include "sweep/engine.hpp"

using namespace renewsim;
using sweep::Design;
using sweep::Parameter;

namespace {
Parameter range(const std::string& key, double lo, double hi, int steps = 0) {
  Parameter p;
  p.key = key;
  p.kind = Parameter::Kind::Range;
  p.min = lo;
  p.max = hi;
  p.steps = steps;
  return p;
}
Parameter list(const std::string& key, std::vector<std::string> values) {
  Parameter p;
  p.key = key;
  p.kind = Parameter::Kind::List;
  p.values = std::move(values);
  return p;
}
}  // namespace

TEST_CASE("grid: every combination, the first parameter slowest, ends included", "[sweep]") {
  const Design d = Design::grid({list("a", {"1", "2"}), range("b", 0, 1, 3)});
  REQUIRE(d.size() == 6);
  CHECK(d.keys() == std::vector<std::string>{"a", "b"});
  CHECK(d.point(0) == std::vector<std::string>{"1", "0"});
  CHECK(d.point(1) == std::vector<std::string>{"1", "0.5"});
  CHECK(d.point(2) == std::vector<std::string>{"1", "1"});
  CHECK(d.point(3) == std::vector<std::string>{"2", "0"});
  CHECK(d.point(5) == std::vector<std::string>{"2", "1"});
}

TEST_CASE("grid: integer, log and date ranges", "[sweep]") {
  Parameter whole = range("n", 1, 10, 4);
  whole.integer = true;
  Parameter geometric = range("g", 1, 1000, 4);
  geometric.log = true;
  Parameter day = range("d", 0, 0, 2);
  day.kind = Parameter::Kind::DateRange;
  day.min = 19723;  // 2024-01-01 as days since 1970-01-01
  day.max = 19723 + 365;
  CHECK(whole.grid_value(0) == "1");
  CHECK(whole.grid_value(1) == "4");
  CHECK(whole.grid_value(2) == "7");
  CHECK(whole.grid_value(3) == "10");
  CHECK(std::stod(geometric.grid_value(1)) == Approx(10));
  CHECK(std::stod(geometric.grid_value(2)) == Approx(100));
  CHECK(geometric.grid_value(3) == "1000");
  CHECK(day.grid_value(0) == "2024-01-01");
  CHECK(day.grid_value(1) == "2024-12-31");
  // Sampled: every whole value or day between the ends inclusive, none outside.
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(whole.at(i / 1000.0));
  CHECK(seen.size() == 10);
  CHECK(day.at(0.0) == "2024-01-01");
  CHECK(day.at(0.99999) == "2024-12-31");
  CHECK(sweep::date_text(0) == "1970-01-01");
}

TEST_CASE("Latin hypercube: one point in every stratum of every dimension, fixed by the seed", "[sweep]") {
  const std::size_t n = 50;
  const Design d = Design::latin_hypercube({range("a", 0, 1), range("b", 10, 20), range("c", -1, 1)}, n, 7);
  REQUIRE(d.size() == n);
  for (std::size_t k = 0; k < 3; ++k) {
    std::set<std::size_t> strata;
    for (std::size_t i = 0; i < n; ++i) {
      const double u = d.unit_point(i)[k];
      REQUIRE(u >= 0.0);
      REQUIRE(u < 1.0);
      strata.insert(static_cast<std::size_t>(u * n));
    }
    CHECK(strata.size() == n);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const double b = std::stod(d.point(i)[1]);
    CHECK(b >= 10);
    CHECK(b <= 20);
  }
  const Design same = Design::latin_hypercube({range("a", 0, 1), range("b", 10, 20), range("c", -1, 1)}, n, 7);
  const Design other = Design::latin_hypercube({range("a", 0, 1), range("b", 10, 20), range("c", -1, 1)}, n, 8);
  CHECK(same.point(17) == d.point(17));
  CHECK(other.point(17) != d.point(17));
}

TEST_CASE("Sobol: the sequence after the origin, in any order of access", "[sweep]") {
  const Design d = Design::sobol({range("a", 0, 1), range("b", 0, 1)}, 64);
  // The first points of the two-dimensional Sobol sequence after (0, 0).
  CHECK(d.unit_point(0) == std::vector<double>{0.5, 0.5});
  CHECK(d.unit_point(1) == std::vector<double>{0.75, 0.25});
  CHECK(d.unit_point(2) == std::vector<double>{0.25, 0.75});
  CHECK(d.unit_point(30) == Design::sobol({range("a", 0, 1), range("b", 0, 1)}, 64).unit_point(30));
  // 63 points after the origin: every one of 8 x 8 cells but the origin's once.
  std::set<std::pair<int, int>> cells;
  for (std::size_t i = 0; i < 63; ++i) {
    const auto u = d.unit_point(i);
    cells.insert({static_cast<int>(u[0] * 8), static_cast<int>(u[1] * 8)});
  }
  CHECK(cells.size() == 63);
}

TEST_CASE("table: the rows as given", "[sweep]") {
  const Design d = Design::table({"x", "y"}, {{"1", "\"a\""}, {"2", "\"b\""}});
  REQUIRE(d.size() == 2);
  CHECK(d.point(1) == std::vector<std::string>{"2", "\"b\""});
}

TEST_CASE("half-widths: Wilson score interval and Student t", "[sweep]") {
  // p = 0.5, n = 10: 1.96 sqrt(0.025 + 1.96^2/400) / (1 + 1.96^2/10)
  CHECK(sweep::proportion_half_width(5, 10) == Approx(0.26340).epsilon(1e-4));
  CHECK(sweep::proportion_half_width(0, 20) > 0.0);  // never 0: an all-or-nothing sample is not certainty
  CHECK(std::isinf(sweep::proportion_half_width(1, 1)));
  // mean 2.5, s = 1.29099, t(3, 0.975) = 3.18245
  CHECK(sweep::mean_half_width({1, 2, 3, 4}, false) == Approx(2.05426).epsilon(1e-4));
  CHECK(sweep::mean_half_width({1, 2, 3, 4}, true) == Approx(2.05426 / 2.5).epsilon(1e-4));
  CHECK(std::isinf(sweep::mean_half_width({1}, false)));
}
