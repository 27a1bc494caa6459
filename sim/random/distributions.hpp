// Distributions derived from the raw Philox output by our own algorithms, so
// the numbers are the same with any C++ standard library (never std::
// distributions, whose algorithms differ between implementations).
// All but Poisson use exactly one uniform per draw (inverse transform), which
// keeps stream positions predictable.
#pragma once

#include <cstdint>

#include "random/stream.hpp"

namespace renewsim::rng {

// Standard normal quantile, Wichura's AS 241 (PPND16), relative error ~1e-16.
double normal_quantile(double p);

double uniform(Stream& s, double lo, double hi);
double normal(Stream& s, double mean, double sd);
// exp(N(mu, sigma)): mu and sigma are the parameters of the underlying normal.
double lognormal(Stream& s, double mu, double sigma);
double exponential(Stream& s, double rate);
// Weibull with shape k and scale lambda: F(x) = 1 - exp(-(x/lambda)^k).
double weibull(Stream& s, double shape, double scale);
bool bernoulli(Stream& s, double p);
// Inversion for mean < 10; Hormann's PTRS transformed rejection above.
std::uint64_t poisson(Stream& s, double mean);

}  // namespace renewsim::rng
