#include "explore/sensitivity.hpp"

#include <boost/random/sobol.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "random/stream.hpp"

namespace renewsim::explore {
namespace {
// Bootstrap and trajectory draws use their own keys, apart from any run's.
constexpr std::uint64_t kBootstrapReplication = 0xB0075ULL;
constexpr std::uint64_t kMorrisReplication = 0x3022150ULL;

double mean(const std::vector<double>& x) {
  return x.empty() ? 0.0 : std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

// S_i and ST_i over the rows `rows` (with repeats when bootstrapping).
void estimate(const std::vector<double>& f, std::size_t n, std::size_t k, const std::vector<std::size_t>& rows,
              std::vector<double>& first, std::vector<double>& total) {
  std::vector<double> ab;
  for (std::size_t j : rows) {
    ab.push_back(f[j]);
    ab.push_back(f[n + j]);
  }
  const double m = mean(ab);
  double v = 0;
  for (double y : ab) v += (y - m) * (y - m);
  v /= static_cast<double>(ab.size() - 1);
  first.assign(k, 0);
  total.assign(k, 0);
  for (std::size_t i = 0; i < k; ++i) {
    double s = 0, t = 0;
    for (std::size_t j : rows) {
      const double a = f[j], b = f[n + j], abi = f[(2 + i) * n + j];
      s += (b - m) * (abi - a);  // centred: the same expectation, far less noise when the mean is large
      t += (a - abi) * (a - abi);
    }
    const double rn = static_cast<double>(rows.size());
    first[i] = v > 0 ? s / rn / v : 0.0;
    total[i] = v > 0 ? t / (2 * rn) / v : 0.0;
  }
}

double quantile(std::vector<double> x, double q) {
  std::sort(x.begin(), x.end());
  const double h = (static_cast<double>(x.size()) - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const auto hi = std::min(lo + 1, x.size() - 1);
  return x[lo] + (h - static_cast<double>(lo)) * (x[hi] - x[lo]);
}
}  // namespace

std::vector<std::vector<double>> saltelli_points(std::size_t n, std::size_t k) {
  if (n == 0 || k == 0) throw std::invalid_argument("saltelli_points: N and k must be positive");
  boost::random::sobol engine(2 * k);
  const double scale = 1.0 / (static_cast<double>(boost::random::sobol::max()) + 1.0);
  std::vector<std::vector<double>> a(n, std::vector<double>(k)), b = a;
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t i = 0; i < k; ++i) a[j][i] = static_cast<double>(engine()) * scale;
    for (std::size_t i = 0; i < k; ++i) b[j][i] = static_cast<double>(engine()) * scale;
  }
  std::vector<std::vector<double>> out = a;
  out.insert(out.end(), b.begin(), b.end());
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      auto row = a[j];
      row[i] = b[j][i];
      out.push_back(std::move(row));
    }
  return out;
}

SobolIndices sobol_indices(const std::vector<double>& f, std::size_t n, std::size_t k, int bootstrap,
                           std::uint64_t seed) {
  if (f.size() != n * (k + 2)) throw std::invalid_argument("sobol_indices: expected N (k + 2) outputs");
  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), 0);
  std::vector<double> first, total;
  estimate(f, n, k, all, first, total);
  SobolIndices out;
  std::vector<double> ab(f.begin(), f.begin() + static_cast<std::ptrdiff_t>(2 * n));
  const double m = mean(ab);
  for (double y : ab) out.variance += (y - m) * (y - m);
  out.variance /= static_cast<double>(2 * n - 1);
  std::vector<std::vector<double>> boot_first(k), boot_total(k);
  const rng::RandomSource src(seed, kBootstrapReplication);
  std::vector<std::size_t> rows(n);
  for (int b = 0; b < bootstrap; ++b) {
    rng::Stream s(src, static_cast<std::uint64_t>(b), 1);
    for (auto& r : rows) r = std::min(n - 1, static_cast<std::size_t>(s.uniform() * static_cast<double>(n)));
    std::vector<double> bf, bt;
    estimate(f, n, k, rows, bf, bt);
    for (std::size_t i = 0; i < k; ++i) {
      boot_first[i].push_back(bf[i]);
      boot_total[i].push_back(bt[i]);
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    Estimate e1{first[i], first[i], first[i]}, et{total[i], total[i], total[i]};
    if (bootstrap > 1) {
      e1.lo = quantile(boot_first[i], 0.025);
      e1.hi = quantile(boot_first[i], 0.975);
      et.lo = quantile(boot_total[i], 0.025);
      et.hi = quantile(boot_total[i], 0.975);
    }
    out.first.push_back(e1);
    out.total.push_back(et);
  }
  return out;
}

std::vector<std::vector<double>> morris_points(std::size_t r, std::size_t k, int levels, std::uint64_t seed) {
  if (levels < 2 || levels % 2 != 0) throw std::invalid_argument("morris_points: levels must be even and >= 2");
  const double step = 1.0 / (levels - 1);
  const double delta = levels / (2.0 * (levels - 1));
  const int starts = levels / 2;  // base values 0 .. 1 - delta on the grid
  const rng::RandomSource src(seed, kMorrisReplication);
  std::vector<std::vector<double>> out;
  for (std::size_t t = 0; t < r; ++t) {
    rng::Stream s(src, t, 1);
    std::vector<double> x(k);
    for (auto& v : x) v = std::min(starts - 1, static_cast<int>(s.uniform() * starts)) * step;
    std::vector<std::size_t> order(k);
    std::iota(order.begin(), order.end(), 0);
    for (std::size_t i = k; i > 1; --i) std::swap(order[i - 1], order[std::min(i - 1, static_cast<std::size_t>(s.uniform() * i))]);
    // Each input goes up by delta or, from its upper half, down (a random direction).
    std::vector<bool> up(k);
    for (std::size_t i = 0; i < k; ++i) {
      if (s.uniform() < 0.5) {
        up[i] = true;
      } else {
        x[i] += delta;  // start high, move down
        up[i] = false;
      }
    }
    out.push_back(x);
    for (std::size_t i : order) {
      x[i] += up[i] ? delta : -delta;
      out.push_back(x);
    }
  }
  return out;
}

MorrisEffects morris_effects(const std::vector<std::vector<double>>& points, const std::vector<double>& f,
                             std::size_t r, std::size_t k) {
  if (points.size() != r * (k + 1) || f.size() != points.size())
    throw std::invalid_argument("morris_effects: expected r (k + 1) points and outputs");
  std::vector<std::vector<double>> effects(k);
  for (std::size_t t = 0; t < r; ++t)
    for (std::size_t s = 0; s < k; ++s) {
      const std::size_t a = t * (k + 1) + s, b = a + 1;
      std::size_t moved = k;
      for (std::size_t i = 0; i < k; ++i)
        if (points[a][i] != points[b][i]) moved = i;
      if (moved == k) continue;
      effects[moved].push_back((f[b] - f[a]) / (points[b][moved] - points[a][moved]));
    }
  MorrisEffects m;
  for (const auto& e : effects) {
    double sum = 0, abs_sum = 0;
    for (double x : e) {
      sum += x;
      abs_sum += std::fabs(x);
    }
    const double n = static_cast<double>(e.size());
    const double mu = e.empty() ? 0 : sum / n;
    double ss = 0;
    for (double x : e) ss += (x - mu) * (x - mu);
    m.mu.push_back(mu);
    m.mu_star.push_back(e.empty() ? 0 : abs_sum / n);
    m.sigma.push_back(e.size() > 1 ? std::sqrt(ss / (n - 1)) : 0);
  }
  return m;
}

}  // namespace renewsim::explore
