// Global sensitivity analysis: which inputs matter for an output.
//
//  * Morris elementary effects (screening): r trajectories through a grid of
//    `levels` values per input, each changing one input at a time by Delta =
//    levels / (2 (levels - 1)); per input, mu* (mean absolute effect), mu
//    and sigma (spread: interactions or non-linearity).
//  * Sobol indices: first-order S_i (the share of the output's variance due
//    to input i alone) and total ST_i (including every interaction), from
//    Saltelli's sampling: two base matrices A and B (N rows each, from a
//    2k-dimensional Sobol sequence) and, per input i, A with column i from
//    B; estimators of Saltelli et al. (2010) for S_i (f(B) centred on its
//    mean: the same expectation, less noise) and Jansen (1999) for
//    ST_i; 95 % intervals by bootstrap over the N rows.
// Inputs are unit coordinates in [0, 1); the caller maps them to ranges.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace renewsim::explore {

// N (k + 2) points: rows 0..N-1 are A, N..2N-1 are B, then N rows of AB_i for i = 0..k-1.
std::vector<std::vector<double>> saltelli_points(std::size_t n, std::size_t k);

struct Estimate {
  double value = 0, lo = 0, hi = 0;  // estimate and 95 % bootstrap interval
};
struct SobolIndices {
  std::vector<Estimate> first, total;
  double variance = 0;
};
// `f` holds the output at saltelli_points(n, k), in their order.
SobolIndices sobol_indices(const std::vector<double>& f, std::size_t n, std::size_t k, int bootstrap = 1000,
                           std::uint64_t seed = 1);

// r trajectories of k + 1 points each, trajectory after trajectory.
std::vector<std::vector<double>> morris_points(std::size_t r, std::size_t k, int levels = 4, std::uint64_t seed = 1);

struct MorrisEffects {
  std::vector<double> mu_star, mu, sigma;  // per input, effects per unit of the input's [0, 1) range
};
MorrisEffects morris_effects(const std::vector<std::vector<double>>& points, const std::vector<double>& f,
                             std::size_t r, std::size_t k);

}  // namespace renewsim::explore
