// The method of simulated moments' algebra against hand-computed cases.
#include <catch2/catch.hpp>

#include "explore/moments.hpp"

using namespace renewsim;

TEST_CASE("moment distance weighs each error by its standard error", "[explore]") {
  CHECK(explore::moment_distance({1.0, 5.0}, {0.0, 1.0}, {0.5, 2.0}) == Approx(4.0 + 4.0));
}

TEST_CASE("spd_inverse inverts a positive-definite matrix and refuses a singular one", "[explore]") {
  const explore::Matrix a = {{4, 1, 0.5}, {1, 3, 0.2}, {0.5, 0.2, 2}};
  const auto inv = explore::spd_inverse(a);
  REQUIRE(inv);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 3; ++j) {
      double s = 0;
      for (std::size_t k = 0; k < 3; ++k) s += a[i][k] * (*inv)[k][j];
      CHECK(s == Approx(i == j ? 1.0 : 0.0).margin(1e-12));
    }
  CHECK_FALSE(explore::spd_inverse({{1, 2}, {2, 4}}));   // rank 1: a parameter not identified
  CHECK_FALSE(explore::spd_inverse({{1, 0}, {0, -1}}));  // not positive definite
  CHECK_FALSE(explore::spd_inverse({}));
}

TEST_CASE("the sandwich covariance: observation noise alone, then with simulation noise", "[explore]") {
  // Moments m1 = t1, m2 = 2 t2, m3 = t1 + t2 with sd 0.5, 1, 1.
  const explore::Matrix j = {{1, 0}, {0, 2}, {1, 1}};
  const std::vector<double> sd = {0.5, 1, 1};
  const explore::Matrix none(3, std::vector<double>(3, 0.0));
  // A = J' W J = [[4 + 1, 1], [1, 4 + 1]] = [[5, 1], [1, 5]]; V = A^-1 = [[5, -1], [-1, 5]] / 24.
  const auto v = explore::msm_covariance(j, sd, none);
  REQUIRE(v);
  CHECK((*v)[0][0] == Approx(5.0 / 24));
  CHECK((*v)[0][1] == Approx(-1.0 / 24));
  CHECK((*v)[1][1] == Approx(5.0 / 24));
  // Simulation noise equal to the observations' doubles B = A + J'W S W J = 2A: V = 2 A^-1.
  explore::Matrix s(3, std::vector<double>(3, 0.0));
  for (std::size_t i = 0; i < 3; ++i) s[i][i] = sd[i] * sd[i];
  const auto v2 = explore::msm_covariance(j, sd, s);
  REQUIRE(v2);
  CHECK((*v2)[0][0] == Approx(10.0 / 24));
  CHECK((*v2)[1][0] == Approx(-2.0 / 24));
  // A parameter no moment depends on is not identified.
  CHECK_FALSE(explore::msm_covariance({{1, 0}, {2, 0}}, {1, 1}, {{0, 0}, {0, 0}}));
}

TEST_CASE("covariance of means over replications", "[explore]") {
  const auto c = explore::covariance_of_means({{1, 2}, {3, 6}});
  CHECK(c[0][0] == Approx(1.0));  // sample variance 2, over 2 replications
  CHECK(c[0][1] == Approx(2.0));
  CHECK(c[1][1] == Approx(4.0));
  CHECK(explore::covariance_of_means({{1, 2}})[0][0] == 0.0);
}

TEST_CASE("chi-squared upper tail", "[explore]") {
  CHECK(explore::chi_squared_upper(7.814727903, 3) == Approx(0.05).margin(1e-8));
  CHECK(explore::chi_squared_upper(0, 3) == 1.0);
}
