// The value of waiting (Dixit & Pindyck 1994, ch. 5): with project value V
// following geometric Brownian motion (drift r - delta, volatility sigma) and
// a sunk cost I, investing is optimal when V >= beta/(beta-1) * I with
//   beta = 1/2 - (r-delta)/sigma^2 + sqrt(((r-delta)/sigma^2 - 1/2)^2 + 2r/sigma^2).
#pragma once

#include <cmath>

namespace renewsim::model {

inline double dp_beta(double r, double delta, double sigma) {
  const double s2 = sigma * sigma;
  const double a = 0.5 - (r - delta) / s2;
  return a + std::sqrt(a * a + 2.0 * r / s2);
}

// The multiplier on the investment cost that the project value must reach (>= 1).
// Zero volatility gives 1: plain net present value.
inline double waiting_multiplier(double r, double delta, double sigma) {
  if (sigma <= 0 || r <= 0) return 1.0;
  const double b = dp_beta(r, delta, sigma);
  return b / (b - 1.0);
}

}  // namespace renewsim::model
