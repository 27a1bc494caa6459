// CMA-ES, the covariance matrix adaptation evolution strategy, in the
// (mu/mu_w, lambda) form of Hansen's "The CMA Evolution Strategy: A Tutorial"
// (2016): positive recombination weights, cumulation paths p_sigma and p_c
// (with the h_sigma stall), rank-one plus rank-mu covariance update and
// cumulative step-size adaptation.
//
// The search space is the unit cube [0, 1]^k; callers map it to their ranges.
// Samples that leave the cube are mirrored back at 0 and 1 (repeatedly), and
// the mirrored points are the ones used in the update, so the mean stays in
// the cube and the distribution learns from the points that were evaluated.
//
// Ask/tell: ask() gives a generation's candidates, the caller evaluates them
// and tells their order (or their fitness). Only the order matters, so a
// caller can rank by feasibility first and cost second. The normal draws come
// from Philox keyed by (seed, generation), candidate by candidate, so a run is
// bit-reproducible and evaluating the candidates in parallel changes nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace renewsim::explore {

struct CmaesOptions {
  std::vector<double> start;   // initial mean, in the unit cube [0,1]^k (k = start.size() >= 1)
  double sigma = 0.3;          // initial step size, in unit-cube coordinates; in (0, 1]
  std::size_t lambda = 0;      // population size; 0 = 4 + floor(3 ln k); else at least 2
  std::uint64_t seed = 1;      // all randomness comes from this
};

class Cmaes {
 public:
  // Throws std::invalid_argument on an empty start, a start outside [0, 1], sigma outside (0, 1] or lambda == 1.
  explicit Cmaes(const CmaesOptions& options);

  // The next generation's lambda candidates, each inside [0,1]^k. Calling ask() twice without tell() returns the
  // same candidates.
  std::vector<std::vector<double>> ask();
  // The candidates of the last ask(), best first (a permutation of 0..lambda-1). Throws std::logic_error without a
  // preceding ask() and std::invalid_argument when `best_first` is not a permutation.
  void tell_order(const std::vector<std::size_t>& best_first);
  // Lower fitness is better; ties go to the lower index and NaN ranks last.
  void tell(const std::vector<double>& fitness);

  const std::vector<double>& mean() const { return mean_; }  // in [0,1]^k
  double sigma() const { return sigma_; }
  std::size_t generation() const { return generation_; }  // tell calls so far
  std::size_t lambda() const { return lambda_; }
  std::size_t mu() const { return weights_.size(); }  // candidates recombined per generation
  std::size_t dimension() const { return mean_.size(); }
  // Largest standard deviation along a coordinate, sigma * sqrt(max_i C_ii): a stopping criterion in unit-cube units.
  double coordinate_spread() const;
  std::vector<std::vector<double>> covariance() const;  // sigma^2 * C
  // Ratio of the largest to the smallest eigenvalue of C (how stretched the distribution is).
  double condition() const;

 private:
  void decompose();  // eigen_basis_, axis_scale_ from c_

  std::size_t lambda_;
  std::uint64_t seed_;
  std::vector<double> weights_;  // mu positive weights, summing to 1
  double mu_eff_, c_sigma_, d_sigma_, c_c_, c_1_, c_mu_, expected_norm_;

  std::vector<double> mean_;
  double sigma_;
  std::vector<std::vector<double>> c_;             // covariance shape C (symmetric)
  std::vector<std::vector<double>> eigen_basis_;   // B: column j is the j-th eigenvector of C
  std::vector<double> eigenvalues_;                // D^2
  std::vector<double> p_sigma_, p_c_;
  std::size_t generation_ = 0;

  std::vector<std::vector<double>> candidates_;  // of the current generation, once asked
  bool asked_ = false;
};

// Eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi rotations: `vectors` gets the eigenvectors as
// columns, in the order of `values`. Meant for small matrices (k up to a few dozen).
void symmetric_eigen(std::vector<std::vector<double>> a, std::vector<double>& values,
                     std::vector<std::vector<double>>& vectors);

}  // namespace renewsim::explore
