// PRIM, the patient rule induction method (Friedman & Fisher 1999), for
// scenario discovery: given points x (e.g. a sweep's lever values) and which
// of them are of interest (e.g. the probability of meeting a target is at
// least p), find boxes - a range per dimension - where the points of interest
// are dense.
//
// Peeling: from the box holding every point, repeatedly cut off the alpha
// share of the box's points at the low or high end of one dimension,
// choosing the cut that leaves the highest density, until the box holds less
// than `min_mass` of the points. Each step is one box of the peeling
// trajectory (coverage falls, density rises). Pasting then widens the chosen
// box again, one alpha step at a time, while its density does not fall.
// Covering: the points of a found box are set aside and the next box is
// sought among the rest.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace renewsim::explore {

struct Box {
  std::vector<double> lo, hi;  // per dimension; -inf/+inf: not restricted
  double coverage = 0;  // share of all points of interest inside
  double density = 0;   // share of the points inside that are of interest
  double mass = 0;      // share of all points inside
  std::size_t points = 0;
  // Dimensions the box restricts (a limit inside the data's range).
  std::vector<std::size_t> restricted(const std::vector<double>& data_lo, const std::vector<double>& data_hi) const;
};

struct PrimOptions {
  double alpha = 0.05;     // share peeled (or pasted) per step
  double min_mass = 0.05;  // stop peeling below this share of the points
  double min_density = 0.8;  // a box is reported when its density reaches this
  int max_boxes = 3;
};

struct PrimResult {
  // Per box found: the peeling trajectory (first: all remaining points) and
  // the chosen box (the widest on the trajectory reaching min_density, then pasted).
  std::vector<std::vector<Box>> trajectories;
  std::vector<Box> boxes;
  std::vector<double> data_lo, data_hi;
};

// x[i] is point i's coordinates (all the same length), y[i] whether it is of interest.
PrimResult prim(const std::vector<std::vector<double>>& x, const std::vector<bool>& y, const PrimOptions& options = {});

}  // namespace renewsim::explore
