// Sensitivity estimators against analytic answers: the Ishigami function
// (a = 7, b = 0.1) for Sobol indices, linear and ignored inputs for Morris.
#include <catch2/catch.hpp>

#include <cmath>

#include "explore/sensitivity.hpp"

using namespace renewsim;

namespace {
constexpr double kPi = 3.14159265358979323846;
double ishigami(const std::vector<double>& u) {
  const double a = 7, b = 0.1;
  const double x1 = -kPi + 2 * kPi * u[0], x2 = -kPi + 2 * kPi * u[1], x3 = -kPi + 2 * kPi * u[2];
  return std::sin(x1) + a * std::sin(x2) * std::sin(x2) + b * std::pow(x3, 4) * std::sin(x1);
}
}  // namespace

TEST_CASE("Sobol indices of the Ishigami function match the analytic ones", "[explore]") {
  const double a = 7, b = 0.1, pi4 = std::pow(kPi, 4), pi8 = std::pow(kPi, 8);
  const double v1 = 0.5 * std::pow(1 + b * pi4 / 5, 2), v2 = a * a / 8, v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
  const double v = v1 + v2 + v13;
  const std::vector<double> s = {v1 / v, v2 / v, 0.0};
  const std::vector<double> st = {(v1 + v13) / v, v2 / v, v13 / v};
  CHECK(s[0] == Approx(0.3139).margin(1e-4));  // the published values
  CHECK(st[2] == Approx(0.2437).margin(1e-4));

  const std::size_t n = 4096, k = 3;
  const auto pts = explore::saltelli_points(n, k);
  REQUIRE(pts.size() == n * (k + 2));
  std::vector<double> f;
  for (const auto& p : pts) f.push_back(ishigami(p));
  const auto idx = explore::sobol_indices(f, n, k, 500, 3);
  CHECK(idx.variance == Approx(v).epsilon(0.02));
  for (std::size_t i = 0; i < k; ++i) {
    INFO("input " << i + 1 << ": S " << idx.first[i].value << " [" << idx.first[i].lo << ", " << idx.first[i].hi
                  << "], ST " << idx.total[i].value << " [" << idx.total[i].lo << ", " << idx.total[i].hi << "]");
    // The analytic index lies in the bootstrap interval (slightly widened for
    // the bias of the bootstrap's percentiles), and the interval is narrow.
    CHECK(s[i] >= idx.first[i].lo - 0.01);
    CHECK(s[i] <= idx.first[i].hi + 0.01);
    CHECK(st[i] >= idx.total[i].lo - 0.01);
    CHECK(st[i] <= idx.total[i].hi + 0.01);
    CHECK(idx.first[i].hi - idx.first[i].lo < 0.1);
    CHECK(idx.total[i].hi - idx.total[i].lo < 0.1);
  }
}

TEST_CASE("Morris: effects of a linear input, an ignored input and an interaction", "[explore]") {
  const std::size_t r = 20, k = 3;
  const auto pts = explore::morris_points(r, k, 4, 9);
  REQUIRE(pts.size() == r * (k + 1));
  for (const auto& p : pts)
    for (double x : p) {
      REQUIRE(x >= 0.0);
      REQUIRE(x <= 1.0);
    }
  // f = 3 x0 - (x2 ignored) + 2 x0 x1: x0's effect varies with x1.
  std::vector<double> f;
  for (const auto& p : pts) f.push_back(3 * p[0] + 2 * p[0] * p[1]);
  const auto m = explore::morris_effects(pts, f, r, k);
  CHECK(m.mu_star[2] == 0.0);  // ignored: exactly no effect
  CHECK(m.sigma[2] == 0.0);
  CHECK(m.mu_star[0] > m.mu_star[1]);
  CHECK(m.mu_star[0] >= 3.0);
  CHECK(m.mu_star[0] <= 5.0);
  CHECK(m.sigma[0] > 0.0);  // the interaction shows as spread
  std::vector<double> g;
  for (const auto& p : pts) g.push_back(2 * p[1]);
  const auto lin = explore::morris_effects(pts, g, r, k);
  CHECK(lin.mu[1] == Approx(2.0));
  CHECK(lin.sigma[1] == Approx(0.0).margin(1e-12));
}
