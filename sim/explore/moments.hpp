// The method of simulated moments: the weighted distance between simulated
// and observed moments, and the parameters' covariance at the fit.
//
// With observed moments of standard errors sd (weights W = diag(1 / sd^2)),
// derivatives J of the simulated moments with respect to the parameters
// (m x k) and the covariance S of the simulated moments' means (simulation
// noise: the replications' covariance over their number), the sandwich
//   V = A^-1 B A^-1,  A = J' W J,  B = J' W (diag(sd^2) + S) W J
// is the parameters' covariance (Gourieroux & Monfort 1996; McFadden 1989).
#pragma once

#include <optional>
#include <vector>

namespace renewsim::explore {

using Matrix = std::vector<std::vector<double>>;

// sum ((simulated - observed) / sd)^2.
double moment_distance(const std::vector<double>& simulated, const std::vector<double>& observed,
                       const std::vector<double>& sd);

// Inverse of a symmetric positive-definite matrix (Cholesky); nothing when it
// is not positive definite to working precision (a parameter the moments do
// not identify).
std::optional<Matrix> spd_inverse(const Matrix& a);

// The sandwich covariance V above; nothing when J' W J is singular.
std::optional<Matrix> msm_covariance(const Matrix& jacobian, const std::vector<double>& sd,
                                     const Matrix& simulation_cov);

// Sample covariance of the means of replicated vectors: rows are
// replications, columns moments; the covariance over the replications,
// divided by their number.
Matrix covariance_of_means(const Matrix& replications);

// P(X >= x) for X chi-squared with `df` degrees of freedom (df >= 1).
double chi_squared_upper(double x, int df);

}  // namespace renewsim::explore
