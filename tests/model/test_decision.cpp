#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "model/decision.hpp"
#include "random/stream.hpp"

using namespace renewsim::model;

TEST_CASE("annuity factor", "[model][decision]") {
  CHECK(annuity_factor(0.1, 1) == Approx(1 / 1.1));
  CHECK(annuity_factor(0.1, 10) == Approx((1 - std::pow(1.1, -10)) / 0.1));
  CHECK(annuity_factor(0.0, 7) == 7);
  CHECK(annuity_factor(0.05, std::numeric_limits<double>::infinity()) == Approx(20.0));
}

TEST_CASE("profitability is the binding of the payback rule and the hurdle with waiting", "[model][decision]") {
  // Payback: 4 years threshold, cost 100, benefit 20 a year -> 4 * 20 / 100 = 0.8.
  const FinanceTerms f{0.1, 4.0, 1.0};
  const Alternative a{100, 20, 30};
  const double hurdle = 20 * annuity_factor(0.1, 30) / 100;
  CHECK(profitability(a, f) == Approx(std::min(0.8, hurdle)));
  // A larger waiting multiplier lowers the hurdle ratio in proportion.
  const FinanceTerms patient{0.1, 100.0, 2.0};
  CHECK(profitability(a, patient) == Approx(hurdle / 2));
  CHECK(profitability({100, 0, 10}, f) == 0.0);
  CHECK(profitability({100, -5, 10}, f) == 0.0);
}

TEST_CASE("logit choice: frequencies follow the weights", "[model][decision]") {
  const double ratios[3] = {1.0, 0.5, 0.0};  // weights 1, 0.5^4, 0 at scale 0.25
  const double w1 = 1.0, w2 = std::pow(0.5, 4.0), total = 1.0 + w1 + w2;
  renewsim::rng::RandomSource src(3, 0);
  renewsim::rng::Stream s(src, 0, 0);
  int count[4] = {0, 0, 0, 0};
  const int n = 400000;
  for (int i = 0; i < n; ++i) ++count[logit_choice(ratios, 3, 0.25, s.uniform())];
  CHECK(count[0] / double(n) == Approx(1.0 / total).margin(0.004));
  CHECK(count[1] / double(n) == Approx(w1 / total).margin(0.004));
  CHECK(count[2] / double(n) == Approx(w2 / total).margin(0.004));
  CHECK(count[3] == 0);  // unavailable alternative never chosen
  // Whole-number 1/scale uses repeated squaring; it must agree with pow.
  const double r2[2] = {0.9, 1.3};
  for (double u : {0.0, 0.2, 0.3, 0.5, 0.7, 0.999}) {
    const double total10 = 1 + std::pow(0.9, 10) + std::pow(1.3, 10);
    const int expect = u < 1 / total10 ? 0 : (u < (1 + std::pow(0.9, 10)) / total10 ? 1 : 2);
    CHECK(logit_choice(r2, 2, 0.1, u) == expect);
  }
}

TEST_CASE("logit choice with overflowing weights takes the best alternative", "[model][decision]") {
  const double ratios[2] = {2000.0, 0.5};
  for (double u : {0.0, 0.5, 0.999999}) CHECK(logit_choice(ratios, 2, 0.01, u) == 1);
  const double reversed[2] = {0.5, 2000.0};
  CHECK(logit_choice(reversed, 2, 0.01, 0.3) == 2);
  CHECK(logit_keep_probability(ratios, 2, 0.01) == 0.0);
}
