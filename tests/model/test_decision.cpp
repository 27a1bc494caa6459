#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>

#include "model/decision.hpp"
#include "model/waiting.hpp"
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

TEST_CASE("support that closes before the next review: invest now when that beats waiting at the full cost",
          "[model][decision][theory]") {
  // sigma 0.2, delta 0.08, r 0.1: beta from the Dixit-Pindyck quadratic.
  const double r = 0.1, m = 1.6;
  const FinanceTerms f{r, 100.0, m};  // payback rule slack: the hurdle binds
  const double life = 1e9;            // perpetuity: V = benefit / r
  const double full = 100, with_support = 70;
  const double beta = m / (m - 1), trigger = m * full;
  auto option = [&](double v) { return v >= trigger ? v - full : (trigger - full) * std::pow(v / trigger, beta); };
  for (double benefit : {5.0, 8.0, 12.0, 20.0}) {
    const double v = benefit / r;
    const Alternative a{with_support, benefit, life};
    const double closing = profitability_closing(a, full, f, 0.0);
    INFO("benefit " << benefit);
    CHECK(closing == Approx(std::max(v / (m * with_support), (v - option(v)) / with_support)).epsilon(1e-9));
    // >= 1 exactly when investing now with the support beats the option of waiting without it.
    CHECK((closing >= 1) == (v - with_support >= option(v)));
    // Waiting loses the support: investing now never looks worse than under the ordinary rule.
    CHECK(closing >= profitability(a, f) - 1e-12);
    // Support that outlasts the wait: the ordinary rule; halfway: the average.
    CHECK(profitability_closing(a, full, f, 1.0) == Approx(profitability(a, f)));
    CHECK(profitability_closing(a, full, f, 0.5) == Approx(0.5 * (closing + profitability(a, f))));
  }
  // Without support (cost = full cost) at the trigger the rule is indifferent, as the ordinary one.
  CHECK(profitability_closing({full, r * trigger, life}, full, f, 0.0) == Approx(1.0));
  CHECK(profitability({full, r * trigger, life}, f) == Approx(1.0));
}

TEST_CASE("hurdle_share bounds the exact ratio at every rate above the lowest", "[model][decision][bound]") {
  // The decision's second bound: b x benefit / cost x hurdle_share(r_lo) must
  // never fall below profitability() or profitability_closing() at any rate
  // r >= r_lo, with the multiplier M(r) the rate gives, or the "keep"
  // shortcut would change choices.
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  int cut = 0;
  for (int i = 0; i < 20000; ++i) {
    const double r_lo = 1e-3 + 0.3 * u(rng);
    const double r = r_lo + (u(rng) < 0.2 ? 0.0 : 0.3 * u(rng));
    const double life = 1 + 30 * u(rng);
    const double payback = 1 + 9 * u(rng);
    const double delta = 0.2 * u(rng), sigma = u(rng) < 0.1 ? 0.0 : 0.5 * u(rng);
    const Alternative a{1 + 100 * u(rng), 50 * u(rng), life};
    const FinanceTerms terms{r, payback, waiting_multiplier(r, delta, sigma)};
    const double payback_bound = payback * a.benefit / a.cost;
    const double open = hurdle_share(r_lo, life, payback, delta, sigma, false);
    const double closing = hurdle_share(r_lo, life, payback, delta, sigma, true);
    INFO("r_lo " << r_lo << " r " << r << " life " << life << " b " << payback << " delta " << delta << " sigma "
                 << sigma);
    CHECK(open <= 1.0);
    CHECK(closing >= open);
    CHECK(profitability(a, terms) <= payback_bound * open);
    const double full = a.cost * (1 + 2 * u(rng));
    CHECK(profitability_closing(a, full, terms, u(rng)) <= payback_bound * closing);
    if (open < 0.9) ++cut;
  }
  // Not vacuous: the hurdle binds first for many of them.
  CHECK(cut > 5000);
  // At a 10 % rate (delta 0.08, sigma 0.2: M = 1.81) over 12 years the hurdle
  // leaves A / M = 6.81 / 1.81 = 3.76 of a 4-year payback's bound (a little
  // more: the rate is rounded down to a grid of 0.25 pp).
  const double m = std::sqrt(5.0) / (std::sqrt(5.0) - 1.0);  // beta = sqrt(5) there
  const double exact = annuity_factor(0.1, 12) / m / 4;
  CHECK(hurdle_share(0.1, 12, 4, 0.08, 0.2, false) >= exact);
  CHECK(hurdle_share(0.1, 12, 4, 0.08, 0.2, false) <= exact * 1.015);
  CHECK(hurdle_share(0.101, 11.5, 4, 0.08, 0.2, false) == hurdle_share(0.1, 12, 4, 0.08, 0.2, false));
  CHECK(hurdle_share(0.1, 12, 4, 0.08, 0.2, true) == 1.0);  // A = 6.81 > 4: the payback rule binds
}

TEST_CASE("forced choice: the logit without keep, else the cheapest", "[model][decision]") {
  const double ratios[3] = {0.0, 1.0, 1.0};
  const double costs[3] = {1, 2, 3};
  int count[3] = {0, 0, 0};
  for (int i = 0; i < 1000; ++i) ++count[forced_choice(ratios, costs, 3, 0.1, (i + 0.5) / 1000)];
  CHECK(count[0] == 0);
  CHECK(count[1] == 500);
  CHECK(count[2] == 500);
  const double none[3] = {0, 0, 0};
  const double costs2[3] = {5, 2, 3};
  CHECK(forced_choice(none, costs2, 3, 0.1, 0.3) == 1);
  const double huge[2] = {1e300, 2e300};
  CHECK(forced_choice(huge, costs, 2, 0.1, 0.9) == 1);
}
