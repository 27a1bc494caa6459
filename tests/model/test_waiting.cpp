// Dixit-Pindyck: the value of waiting under a geometric-Brownian project value.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "kernel/simulator.hpp"
#include "model/decision.hpp"
#include "model/waiting.hpp"
#include "random/distributions.hpp"

using namespace renewsim;
using model::dp_beta;
using model::waiting_multiplier;

namespace {
constexpr double r = 0.08, delta = 0.04, sigma = 0.15;  // beta ~ 1.68, multiplier ~ 2.47
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

TEST_CASE("beta solves the fundamental quadratic", "[model][theory][waiting]") {
  const double b = dp_beta(r, delta, sigma);
  CHECK(b > 1.0);
  CHECK(0.5 * sigma * sigma * b * (b - 1) + (r - delta) * b - r == Approx(0.0).margin(1e-14));
  CHECK(waiting_multiplier(r, delta, 0.0) == 1.0);
  CHECK(waiting_multiplier(r, delta, 0.3) > waiting_multiplier(r, delta, 0.15));  // more uncertainty, more waiting
}

TEST_CASE("the threshold beta/(beta-1) I maximises the value of the option to invest", "[model][theory][waiting]") {
  // Investing when V first reaches H is worth (H - I) (V0/H)^beta; maximise over H.
  const double b = dp_beta(r, delta, sigma), I = 1.0, v0 = 0.5;
  auto value = [&](double h) { return (h - I) * std::pow(v0 / h, b); };
  double lo = I, hi = 20 * I;
  const double g = (std::sqrt(5.0) - 1) / 2;
  for (int i = 0; i < 200; ++i) {
    const double a = hi - g * (hi - lo), c = lo + g * (hi - lo);
    (value(a) > value(c) ? hi : lo) = value(a) > value(c) ? c : a;
  }
  CHECK(0.5 * (lo + hi) == Approx(waiting_multiplier(r, delta, sigma) * I).epsilon(1e-6));
}

TEST_CASE("simulated GBM paths give E[exp(-r tau_H)] = (V0/H)^beta", "[model][theory][waiting]") {
  // Weekly monitoring with the Broadie-Glasserman continuity correction.
  const double b = dp_beta(r, delta, sigma), v0 = 1.0, h = 1.5, dt = 1.0 / 52;
  const double h_eff = h * std::exp(0.5826 * sigma * std::sqrt(dt));
  rng::RandomSource src(1994, 0);
  const int paths = 4000;
  double sum = 0, sum2 = 0;
  for (int p = 0; p < paths; ++p) {
    rng::Stream s(src, static_cast<std::uint64_t>(p), 1);
    double lv = std::log(v0);
    double disc = 0;
    for (int k = 1; k <= 52 * 100; ++k) {
      lv += (r - delta - 0.5 * sigma * sigma) * dt + sigma * std::sqrt(dt) * rng::normal(s, 0, 1);
      if (lv >= std::log(h)) {
        disc = std::exp(-r * k * dt);
        break;
      }
    }
    sum += disc;
    sum2 += disc * disc;
  }
  const double mean = sum / paths, se = std::sqrt((sum2 / paths - mean * mean) / paths);
  INFO("MC " << mean << " +- " << se << ", analytic " << std::pow(v0 / h_eff, b));
  CHECK(std::fabs(mean - std::pow(v0 / h_eff, b)) < 4 * se + 0.003);
}

TEST_CASE("a firm reviewing daily invests when the project value reaches the threshold", "[model][theory][waiting]") {
  // Each firm is an entity on the kernel with a daily review; its project value
  // follows GBM; at each review it applies the model's decision rule (no payback
  // constraint, perpetual benefit V r, cost I) and invests once the rule passes.
  const double I = 1.0, v0 = 2.0, dt = 1.0 / 365;
  const double m = waiting_multiplier(r, delta, sigma);
  const model::FinanceTerms terms{r, kInf, m};
  const int firms = 300;
  rng::RandomSource src(2024, 0);
  std::vector<double> value(firms, v0), invested_at(firms, 0);
  std::vector<rng::Stream> streams;
  for (int i = 0; i < firms; ++i) streams.emplace_back(src, static_cast<std::uint64_t>(i), 2);
  kernel::Simulator sim;
  for (int i = 0; i < firms; ++i) sim.schedule_at(1, 0, static_cast<kernel::EntityId>(i), 1);
  sim.run_until(365 * 300, [&](const kernel::Event& e) {
    const auto i = e.key.entity;
    value[i] *= std::exp((r - delta - 0.5 * sigma * sigma) * dt + sigma * std::sqrt(dt) * rng::normal(streams[i], 0, 1));
    const model::Alternative project{I, value[i] * r, kInf};
    if (model::profitability(project, terms) >= 1.0) invested_at[i] = value[i];
    else sim.schedule_after(1, 0, i, 1);
  });
  double mean = 0;
  for (double v : invested_at) {
    REQUIRE(v >= m * I * (1 - 1e-12));  // never before the threshold
    mean += v / firms;
  }
  CHECK(mean == Approx(m * I).epsilon(0.02));
}
