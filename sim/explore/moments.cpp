#include "explore/moments.hpp"

#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>

namespace renewsim::explore {

double moment_distance(const std::vector<double>& simulated, const std::vector<double>& observed,
                       const std::vector<double>& sd) {
  double d = 0;
  for (std::size_t i = 0; i < observed.size(); ++i) {
    const double z = (simulated[i] - observed[i]) / sd[i];
    d += z * z;
  }
  return d;
}

std::optional<Matrix> spd_inverse(const Matrix& a) {
  const std::size_t n = a.size();
  double scale = 0;
  for (std::size_t i = 0; i < n; ++i) scale = std::max(scale, std::abs(a[i][i]));
  if (n == 0 || !(scale > 0) || !std::isfinite(scale)) return std::nullopt;
  // Cholesky a = L L'; a pivot below this share of the largest diagonal is taken as singular.
  Matrix l(n, std::vector<double>(n, 0.0));
  for (std::size_t j = 0; j < n; ++j) {
    double d = a[j][j];
    for (std::size_t k = 0; k < j; ++k) d -= l[j][k] * l[j][k];
    if (!(d > 1e-12 * scale)) return std::nullopt;
    l[j][j] = std::sqrt(d);
    for (std::size_t i = j + 1; i < n; ++i) {
      double s = a[i][j];
      for (std::size_t k = 0; k < j; ++k) s -= l[i][k] * l[j][k];
      l[i][j] = s / l[j][j];
    }
  }
  // Columns of a^-1: solve L L' x = e_c.
  Matrix inv(n, std::vector<double>(n, 0.0));
  for (std::size_t c = 0; c < n; ++c) {
    std::vector<double> y(n, 0.0), x(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      double s = i == c ? 1.0 : 0.0;
      for (std::size_t k = 0; k < i; ++k) s -= l[i][k] * y[k];
      y[i] = s / l[i][i];
    }
    for (std::size_t i = n; i-- > 0;) {
      double s = y[i];
      for (std::size_t k = i + 1; k < n; ++k) s -= l[k][i] * x[k];
      x[i] = s / l[i][i];
    }
    for (std::size_t r = 0; r < n; ++r) inv[r][c] = x[r];
  }
  return inv;
}

namespace {
Matrix product(const Matrix& a, const Matrix& b) {
  Matrix c(a.size(), std::vector<double>(b.empty() ? 0 : b[0].size(), 0.0));
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t k = 0; k < b.size(); ++k)
      for (std::size_t j = 0; j < c[i].size(); ++j) c[i][j] += a[i][k] * b[k][j];
  return c;
}
}  // namespace

std::optional<Matrix> msm_covariance(const Matrix& jacobian, const std::vector<double>& sd,
                                     const Matrix& simulation_cov) {
  const std::size_t m = jacobian.size(), k = m ? jacobian[0].size() : 0;
  // WJ (m x k) and A = J' W J.
  Matrix wj(m, std::vector<double>(k));
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < k; ++j) wj[i][j] = jacobian[i][j] / (sd[i] * sd[i]);
  Matrix a(k, std::vector<double>(k, 0.0)), b(k, std::vector<double>(k, 0.0));
  for (std::size_t p = 0; p < k; ++p)
    for (std::size_t q = 0; q < k; ++q)
      for (std::size_t i = 0; i < m; ++i) a[p][q] += jacobian[i][p] * wj[i][q];
  const auto a_inv = spd_inverse(a);
  if (!a_inv) return std::nullopt;
  // B = A + (WJ)' S (WJ).
  for (std::size_t p = 0; p < k; ++p)
    for (std::size_t q = 0; q < k; ++q) {
      double s = a[p][q];
      for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < m; ++j) s += wj[i][p] * simulation_cov[i][j] * wj[j][q];
      b[p][q] = s;
    }
  return product(product(*a_inv, b), *a_inv);
}

Matrix covariance_of_means(const Matrix& replications) {
  const std::size_t r = replications.size(), m = r ? replications[0].size() : 0;
  Matrix cov(m, std::vector<double>(m, 0.0));
  if (r < 2) return cov;
  std::vector<double> mean(m, 0.0);
  for (const auto& row : replications)
    for (std::size_t i = 0; i < m; ++i) mean[i] += row[i] / static_cast<double>(r);
  for (const auto& row : replications)
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = 0; j < m; ++j) cov[i][j] += (row[i] - mean[i]) * (row[j] - mean[j]);
  const double div = static_cast<double>(r - 1) * static_cast<double>(r);
  for (auto& row : cov)
    for (double& v : row) v /= div;
  return cov;
}

double chi_squared_upper(double x, int df) {
  if (!(x > 0)) return 1.0;
  if (!std::isfinite(x)) return 0.0;
  return boost::math::cdf(boost::math::complement(boost::math::chi_squared(df), x));
}

}  // namespace renewsim::explore
