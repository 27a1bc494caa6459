#include <catch2/catch.hpp>

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <functional>

#include "random/distributions.hpp"

using namespace renewsim::rng;

namespace {
struct Moments {
  double mean = 0, var = 0;
};
// Two-pass-free running moments (Welford) over n draws.
Moments moments(long n, const std::function<double()>& draw) {
  double mean = 0, m2 = 0;
  for (long i = 1; i <= n; ++i) {
    const double x = draw();
    const double d = x - mean;
    mean += d / static_cast<double>(i);
    m2 += d * (x - mean);
  }
  return {mean, m2 / static_cast<double>(n - 1)};
}
constexpr long kDraws = 1'000'000;

// Mean within 5 standard errors; variance within a relative tolerance.
void check_moments(const Moments& m, double mean, double var, double var_tol = 0.01) {
  INFO("mean " << m.mean << " vs " << mean << ", var " << m.var << " vs " << var);
  CHECK(std::fabs(m.mean - mean) < 5.0 * std::sqrt(var / kDraws));
  CHECK(m.var == Approx(var).epsilon(var_tol));
}
}  // namespace

TEST_CASE("normal quantile agrees with Boost.Math to 1e-14", "[random]") {
  const boost::math::normal_distribution<double> n01;
  for (double p : {1e-300, 1e-20, 1e-10, 1e-5, 0.001, 0.02425, 0.07, 0.3, 0.5, 0.5000001, 0.7,
                   0.93, 0.999, 1 - 1e-10}) {
    const double ref = boost::math::quantile(n01, p);
    INFO("p = " << p);
    CHECK(normal_quantile(p) == Approx(ref).epsilon(1e-14).margin(1e-15));
  }
  CHECK(normal_quantile(0.5) == 0.0);
  CHECK(std::isinf(normal_quantile(0.0)));
  CHECK_THROWS(normal_quantile(1.5));
}

TEST_CASE("moments of each distribution over 10^6 draws", "[random]") {
  RandomSource src(314159, 0);
  SECTION("uniform") {
    Stream s(src, 1, 1);
    check_moments(moments(kDraws, [&] { return uniform(s, -2.0, 4.0); }), 1.0, 36.0 / 12.0);
  }
  SECTION("normal") {
    Stream s(src, 1, 2);
    check_moments(moments(kDraws, [&] { return normal(s, 3.0, 2.0); }), 3.0, 4.0);
  }
  SECTION("lognormal") {
    Stream s(src, 1, 3);
    const double mu = 0.5, sg = 0.4;
    const double mean = std::exp(mu + sg * sg / 2);
    const double var = (std::exp(sg * sg) - 1) * std::exp(2 * mu + sg * sg);
    check_moments(moments(kDraws, [&] { return lognormal(s, mu, sg); }), mean, var, 0.02);
  }
  SECTION("exponential") {
    Stream s(src, 1, 4);
    check_moments(moments(kDraws, [&] { return exponential(s, 0.25); }), 4.0, 16.0, 0.02);
  }
  SECTION("weibull") {
    Stream s(src, 1, 5);
    const double k = 2.5, lam = 12.0;
    const double g1 = std::tgamma(1 + 1 / k), g2 = std::tgamma(1 + 2 / k);
    check_moments(moments(kDraws, [&] { return weibull(s, k, lam); }), lam * g1,
                  lam * lam * (g2 - g1 * g1));
  }
  SECTION("bernoulli") {
    Stream s(src, 1, 6);
    check_moments(moments(kDraws, [&] { return bernoulli(s, 0.3) ? 1.0 : 0.0; }), 0.3, 0.21);
  }
  SECTION("poisson, small mean (inversion)") {
    Stream s(src, 1, 7);
    check_moments(moments(kDraws, [&] { return static_cast<double>(poisson(s, 3.5)); }), 3.5, 3.5);
  }
  SECTION("poisson, large mean (PTRS)") {
    Stream s(src, 1, 8);
    check_moments(moments(kDraws, [&] { return static_cast<double>(poisson(s, 42.0)); }), 42.0, 42.0);
  }
}

TEST_CASE("poisson edge cases", "[random]") {
  RandomSource src(1, 1);
  Stream s(src, 0, 0);
  CHECK(poisson(s, 0.0) == 0);
  CHECK_THROWS(poisson(s, -1.0));
}
