#include "explore/cmaes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "random/distributions.hpp"
#include "random/stream.hpp"

namespace renewsim::explore {
namespace {
// The candidates' normal draws have a purpose of their own, apart from any simulation's streams.
constexpr rng::Purpose kSamplePurpose = 0xC3AE5ULL;
// In the unit cube a step of 1 already spans it; a larger sigma would only mirror points around.
constexpr double kMaxSigma = 1.0;
// Keeps (x - m) / sigma finite once the search has collapsed onto a point.
constexpr double kMinSigma = 1e-200;
// Eigenvalues of C below this share of the largest are raised to it: sampling stays full-rank and C^{-1/2} finite.
constexpr double kMinEigenRatio = 1e-14;

// Mirror at 0 and 1 as often as needed: the reflection has period 2.
double reflect_into_unit(double x) {
  double v = std::fmod(std::fabs(x), 2.0);
  if (v > 1.0) v = 2.0 - v;
  return v;
}

using Matrix = std::vector<std::vector<double>>;

Matrix identity(std::size_t k) {
  Matrix m(k, std::vector<double>(k, 0.0));
  for (std::size_t i = 0; i < k; ++i) m[i][i] = 1.0;
  return m;
}
}  // namespace

void symmetric_eigen(Matrix a, std::vector<double>& values, Matrix& vectors) {
  const std::size_t k = a.size();
  vectors = identity(k);
  constexpr int kMaxSweeps = 60;  // Jacobi converges quadratically; a handful of sweeps is typical
  for (int sweep = 0; sweep < kMaxSweeps; ++sweep) {
    double off = 0, diag = 0;
    for (std::size_t p = 0; p < k; ++p) {
      diag += a[p][p] * a[p][p];
      for (std::size_t q = p + 1; q < k; ++q) off += a[p][q] * a[p][q];
    }
    if (off == 0.0 || off <= 1e-32 * diag) break;
    for (std::size_t p = 0; p < k; ++p) {
      for (std::size_t q = p + 1; q < k; ++q) {
        const double apq = a[p][q];
        if (apq == 0.0) continue;
        // The rotation angle that zeroes a[p][q]; the smaller root keeps the rotation stable.
        const double theta = (a[q][q] - a[p][p]) / (2.0 * apq);
        double t = std::fabs(theta) > 1e150 ? 1.0 / (2.0 * std::fabs(theta))
                                            : 1.0 / (std::fabs(theta) + std::sqrt(theta * theta + 1.0));
        if (theta < 0) t = -t;
        const double c = 1.0 / std::sqrt(t * t + 1.0), s = t * c, tau = s / (1.0 + c);
        a[p][p] -= t * apq;
        a[q][q] += t * apq;
        a[p][q] = a[q][p] = 0.0;
        for (std::size_t r = 0; r < k; ++r) {
          if (r != p && r != q) {
            const double g = a[r][p], h = a[r][q];
            a[r][p] = a[p][r] = g - s * (h + g * tau);
            a[r][q] = a[q][r] = h + s * (g - h * tau);
          }
          const double g = vectors[r][p], h = vectors[r][q];
          vectors[r][p] = g - s * (h + g * tau);
          vectors[r][q] = h + s * (g - h * tau);
        }
      }
    }
  }
  values.resize(k);
  for (std::size_t i = 0; i < k; ++i) values[i] = a[i][i];
}

Cmaes::Cmaes(const CmaesOptions& options) : seed_(options.seed), mean_(options.start), sigma_(options.sigma) {
  if (mean_.empty()) throw std::invalid_argument("CMA-ES: the start point is empty");
  for (double x : mean_)
    if (!(x >= 0.0 && x <= 1.0)) throw std::invalid_argument("CMA-ES: the start point is outside the unit cube");
  if (!(sigma_ > 0.0 && sigma_ <= kMaxSigma)) throw std::invalid_argument("CMA-ES: sigma must lie in (0, 1]");
  if (options.lambda == 1) throw std::invalid_argument("CMA-ES: the population needs at least 2 candidates");

  const std::size_t k = mean_.size();
  const double n = static_cast<double>(k);
  lambda_ = options.lambda != 0 ? options.lambda : 4 + static_cast<std::size_t>(std::floor(3.0 * std::log(n)));

  // Tutorial (2016), table 1, with positive weights only.
  const std::size_t mu = lambda_ / 2;
  weights_.resize(mu);
  for (std::size_t i = 0; i < mu; ++i)
    weights_[i] = std::log((static_cast<double>(lambda_) + 1.0) / 2.0) - std::log(static_cast<double>(i + 1));
  const double sum = std::accumulate(weights_.begin(), weights_.end(), 0.0);
  double sum_sq = 0;
  for (double& w : weights_) {
    w /= sum;
    sum_sq += w * w;
  }
  mu_eff_ = 1.0 / sum_sq;
  c_sigma_ = (mu_eff_ + 2.0) / (n + mu_eff_ + 5.0);
  d_sigma_ = 1.0 + 2.0 * std::max(0.0, std::sqrt((mu_eff_ - 1.0) / (n + 1.0)) - 1.0) + c_sigma_;
  c_c_ = (4.0 + mu_eff_ / n) / (n + 4.0 + 2.0 * mu_eff_ / n);
  c_1_ = 2.0 / ((n + 1.3) * (n + 1.3) + mu_eff_);
  c_mu_ = std::min(1.0 - c_1_, 2.0 * (mu_eff_ - 2.0 + 1.0 / mu_eff_) / ((n + 2.0) * (n + 2.0) + mu_eff_));
  expected_norm_ = std::sqrt(n) * (1.0 - 1.0 / (4.0 * n) + 1.0 / (21.0 * n * n));  // E||N(0, I)||

  c_ = identity(k);
  eigen_basis_ = identity(k);
  eigenvalues_.assign(k, 1.0);
  p_sigma_.assign(k, 0.0);
  p_c_.assign(k, 0.0);
}

std::vector<std::vector<double>> Cmaes::ask() {
  if (asked_) return candidates_;
  const std::size_t k = dimension();
  // Keyed by generation and drawn per candidate: the same numbers whatever order the candidates are made in.
  const rng::RandomSource source(seed_, generation_);
  std::vector<double> scaled(k);
  candidates_.assign(lambda_, std::vector<double>(k));
  for (std::size_t i = 0; i < lambda_; ++i) {
    rng::Stream stream(source, i, kSamplePurpose);
    for (std::size_t j = 0; j < k; ++j) scaled[j] = std::sqrt(eigenvalues_[j]) * rng::normal(stream, 0.0, 1.0);
    for (std::size_t r = 0; r < k; ++r) {
      double y = 0;  // (B D z)_r
      for (std::size_t j = 0; j < k; ++j) y += eigen_basis_[r][j] * scaled[j];
      candidates_[i][r] = reflect_into_unit(mean_[r] + sigma_ * y);
    }
  }
  asked_ = true;
  return candidates_;
}

void Cmaes::tell(const std::vector<double>& fitness) {
  if (fitness.size() != lambda_) throw std::invalid_argument("CMA-ES: one fitness per candidate is needed");
  std::vector<std::size_t> order(lambda_);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return !std::isnan(fitness[a]) && (std::isnan(fitness[b]) || fitness[a] < fitness[b]);
  });
  tell_order(order);
}

void Cmaes::tell_order(const std::vector<std::size_t>& best_first) {
  if (!asked_) throw std::logic_error("CMA-ES: tell before ask");
  if (best_first.size() != lambda_) throw std::invalid_argument("CMA-ES: the order must rank every candidate");
  std::vector<bool> seen(lambda_, false);
  for (std::size_t i : best_first) {
    if (i >= lambda_ || seen[i]) throw std::invalid_argument("CMA-ES: the order is not a permutation");
    seen[i] = true;
  }

  const std::size_t k = dimension(), mu = weights_.size();
  const double n = static_cast<double>(k);

  // Steps of the selected (mirrored) candidates, in units of sigma.
  Matrix steps(mu, std::vector<double>(k));
  std::vector<double> mean_step(k, 0.0);  // y_w
  for (std::size_t i = 0; i < mu; ++i) {
    const auto& x = candidates_[best_first[i]];
    for (std::size_t j = 0; j < k; ++j) {
      steps[i][j] = (x[j] - mean_[j]) / sigma_;
      mean_step[j] += weights_[i] * steps[i][j];
    }
  }
  // The new mean is a weighted average of points in the cube; the clamp only absorbs rounding.
  for (std::size_t j = 0; j < k; ++j) mean_[j] = std::clamp(mean_[j] + sigma_ * mean_step[j], 0.0, 1.0);

  // C^{-1/2} y_w = B D^{-1} B^T y_w.
  std::vector<double> projected(k, 0.0), whitened(k, 0.0);
  for (std::size_t j = 0; j < k; ++j) {
    for (std::size_t r = 0; r < k; ++r) projected[j] += eigen_basis_[r][j] * mean_step[r];
    projected[j] /= std::sqrt(eigenvalues_[j]);
  }
  for (std::size_t r = 0; r < k; ++r)
    for (std::size_t j = 0; j < k; ++j) whitened[r] += eigen_basis_[r][j] * projected[j];

  const double sigma_gain = std::sqrt(c_sigma_ * (2.0 - c_sigma_) * mu_eff_);
  double p_sigma_norm = 0;
  for (std::size_t j = 0; j < k; ++j) {
    p_sigma_[j] = (1.0 - c_sigma_) * p_sigma_[j] + sigma_gain * whitened[j];
    p_sigma_norm += p_sigma_[j] * p_sigma_[j];
  }
  p_sigma_norm = std::sqrt(p_sigma_norm);

  // h_sigma stalls p_c while p_sigma is long, so C does not grow too fast right after sigma has grown.
  const double unbiased =
      p_sigma_norm / std::sqrt(1.0 - std::pow(1.0 - c_sigma_, 2.0 * static_cast<double>(generation_ + 1)));
  const bool h_sigma = unbiased < (1.4 + 2.0 / (n + 1.0)) * expected_norm_;
  const double c_gain = std::sqrt(c_c_ * (2.0 - c_c_) * mu_eff_);
  for (std::size_t j = 0; j < k; ++j) p_c_[j] = (1.0 - c_c_) * p_c_[j] + (h_sigma ? c_gain * mean_step[j] : 0.0);

  // Rank-one plus rank-mu update; the weights sum to 1. Only the upper triangle is computed, so C stays symmetric.
  const double delta = h_sigma ? 0.0 : c_c_ * (2.0 - c_c_);
  const double keep = 1.0 + c_1_ * delta - c_1_ - c_mu_;
  for (std::size_t r = 0; r < k; ++r) {
    for (std::size_t s = r; s < k; ++s) {
      double rank_mu = 0;
      for (std::size_t i = 0; i < mu; ++i) rank_mu += weights_[i] * steps[i][r] * steps[i][s];
      c_[r][s] = c_[s][r] = keep * c_[r][s] + c_1_ * p_c_[r] * p_c_[s] + c_mu_ * rank_mu;
    }
  }

  sigma_ *= std::exp((c_sigma_ / d_sigma_) * (p_sigma_norm / expected_norm_ - 1.0));
  sigma_ = std::clamp(sigma_, kMinSigma, kMaxSigma);

  decompose();
  ++generation_;
  asked_ = false;
  candidates_.clear();
}

void Cmaes::decompose() {
  symmetric_eigen(c_, eigenvalues_, eigen_basis_);
  const double largest = *std::max_element(eigenvalues_.begin(), eigenvalues_.end());
  const double floor = std::max(largest * kMinEigenRatio, std::numeric_limits<double>::min());
  for (double& v : eigenvalues_) v = std::max(v, floor);
}

double Cmaes::coordinate_spread() const {
  double largest = 0;
  for (std::size_t i = 0; i < dimension(); ++i) largest = std::max(largest, c_[i][i]);
  return sigma_ * std::sqrt(largest);
}

std::vector<std::vector<double>> Cmaes::covariance() const {
  Matrix out = c_;
  for (auto& row : out)
    for (double& v : row) v *= sigma_ * sigma_;
  return out;
}

double Cmaes::condition() const {
  const auto [lo, hi] = std::minmax_element(eigenvalues_.begin(), eigenvalues_.end());
  return *hi / *lo;
}

}  // namespace renewsim::explore
