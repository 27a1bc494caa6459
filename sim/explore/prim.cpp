#include "explore/prim.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace renewsim::explore {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

bool inside(const std::vector<double>& p, const Box& b) {
  for (std::size_t d = 0; d < p.size(); ++d)
    if (p[d] < b.lo[d] || p[d] > b.hi[d]) return false;
  return true;
}

// Fills the box's counts over the points still in play.
void measure(Box& b, const std::vector<std::vector<double>>& x, const std::vector<bool>& y,
             const std::vector<bool>& active, std::size_t total, std::size_t interesting) {
  std::size_t n = 0, k = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (active[i] && inside(x[i], b)) {
      ++n;
      k += y[i] ? 1 : 0;
    }
  b.points = n;
  b.mass = total ? static_cast<double>(n) / static_cast<double>(total) : 0;
  b.density = n ? static_cast<double>(k) / static_cast<double>(n) : 0;
  b.coverage = interesting ? static_cast<double>(k) / static_cast<double>(interesting) : 0;
}

// The values of dimension d of the points in play inside the box, sorted.
std::vector<double> values_in(const Box& b, std::size_t d, const std::vector<std::vector<double>>& x,
                              const std::vector<bool>& active) {
  std::vector<double> v;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (active[i] && inside(x[i], b)) v.push_back(x[i][d]);
  std::sort(v.begin(), v.end());
  return v;
}

// Candidate boxes one step away: each dimension's low or high end moved.
// Peeling moves inward past the alpha quantile of the points inside; pasting
// moves outward to take in about alpha of the box's points more.
std::vector<Box> peels(const Box& b, const std::vector<std::vector<double>>& x, const std::vector<bool>& active,
                       double alpha) {
  std::vector<Box> out;
  for (std::size_t d = 0; d < b.lo.size(); ++d) {
    const auto v = values_in(b, d, x, active);
    if (v.size() < 2 || v.front() == v.back()) continue;  // nothing to cut in this dimension
    const auto k = std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(alpha * static_cast<double>(v.size()))));
    // Low end: drop every point below the k-th smallest value. Tied values
    // go together: when the alpha share ends inside the group of the lowest
    // value (a grid's column), the whole group goes.
    double lo = v[k];
    if (lo == v.front()) lo = *std::upper_bound(v.begin(), v.end(), v.front());
    if (lo > v.front() && lo <= v.back()) {
      Box c = b;
      c.lo[d] = lo;
      out.push_back(c);
    }
    double hi = v[v.size() - 1 - k];
    if (hi == v.back()) {
      const auto it = std::lower_bound(v.begin(), v.end(), v.back());
      hi = it == v.begin() ? v.back() : *std::prev(it);
    }
    if (hi < v.back() && hi >= v.front()) {
      Box c = b;
      c.hi[d] = hi;
      out.push_back(c);
    }
  }
  return out;
}

std::vector<Box> pastes(const Box& b, const std::vector<std::vector<double>>& x, const std::vector<bool>& active,
                        double alpha) {
  std::vector<Box> out;
  const auto grow = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(alpha * static_cast<double>(b.points))));
  for (std::size_t d = 0; d < b.lo.size(); ++d) {
    // Points that the box holds in every other dimension, below or above it in d.
    std::vector<double> below, above;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!active[i]) continue;
      bool others = true;
      for (std::size_t e = 0; e < b.lo.size() && others; ++e)
        if (e != d && (x[i][e] < b.lo[e] || x[i][e] > b.hi[e])) others = false;
      if (!others) continue;
      if (x[i][d] < b.lo[d]) below.push_back(x[i][d]);
      if (x[i][d] > b.hi[d]) above.push_back(x[i][d]);
    }
    std::sort(below.begin(), below.end(), std::greater<>());
    std::sort(above.begin(), above.end());
    if (!below.empty()) {
      Box c = b;
      c.lo[d] = below[std::min(grow, below.size()) - 1];
      out.push_back(c);
    }
    if (!above.empty()) {
      Box c = b;
      c.hi[d] = above[std::min(grow, above.size()) - 1];
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::vector<std::size_t> Box::restricted(const std::vector<double>& data_lo, const std::vector<double>& data_hi) const {
  std::vector<std::size_t> out;
  for (std::size_t d = 0; d < lo.size(); ++d)
    if (lo[d] > data_lo[d] || hi[d] < data_hi[d]) out.push_back(d);
  return out;
}

PrimResult prim(const std::vector<std::vector<double>>& x, const std::vector<bool>& y, const PrimOptions& o) {
  if (x.size() != y.size()) throw std::invalid_argument("prim: as many outcomes as points are needed");
  if (!(o.alpha > 0 && o.alpha < 0.5)) throw std::invalid_argument("prim: alpha must be in (0, 0.5)");
  PrimResult r;
  if (x.empty()) return r;
  const std::size_t dims = x[0].size();
  r.data_lo.assign(dims, kInf);
  r.data_hi.assign(dims, -kInf);
  for (const auto& p : x) {
    if (p.size() != dims) throw std::invalid_argument("prim: every point needs the same dimensions");
    for (std::size_t d = 0; d < dims; ++d) {
      r.data_lo[d] = std::min(r.data_lo[d], p[d]);
      r.data_hi[d] = std::max(r.data_hi[d], p[d]);
    }
  }
  const std::size_t total = x.size();
  std::size_t interesting = 0;
  for (bool b : y) interesting += b ? 1 : 0;
  std::vector<bool> active(total, true);

  for (int found = 0; found < o.max_boxes; ++found) {
    Box b;
    b.lo = r.data_lo;
    b.hi = r.data_hi;
    measure(b, x, y, active, total, interesting);
    if (b.points == 0 || b.coverage == 0) break;
    std::vector<Box> trajectory{b};
    while (b.mass > o.min_mass) {
      auto candidates = peels(b, x, active, o.alpha);
      if (candidates.empty()) break;
      Box best;
      bool have = false;
      for (auto& c : candidates) {
        measure(c, x, y, active, total, interesting);
        if (c.points == 0) continue;
        if (!have || c.density > best.density || (c.density == best.density && c.mass > best.mass)) {
          best = c;
          have = true;
        }
      }
      if (!have || best.mass < o.min_mass) break;
      b = best;
      trajectory.push_back(b);
    }
    // The widest box reaching the density asked for.
    const Box* chosen = nullptr;
    for (const auto& t : trajectory)
      if (t.density >= o.min_density) {
        chosen = &t;
        break;
      }
    r.trajectories.push_back(trajectory);
    if (!chosen) break;
    Box pasted = *chosen;
    for (;;) {
      auto candidates = pastes(pasted, x, active, o.alpha);
      Box best;
      bool have = false;
      for (auto& c : candidates) {
        measure(c, x, y, active, total, interesting);
        if (c.density >= pasted.density && c.density >= o.min_density &&
            (!have || c.density > best.density || (c.density == best.density && c.mass > best.mass))) {
          best = c;
          have = true;
        }
      }
      if (!have || best.points <= pasted.points) break;
      pasted = best;
    }
    // Unrestricted limits read as open-ended.
    for (std::size_t d = 0; d < dims; ++d) {
      if (pasted.lo[d] <= r.data_lo[d]) pasted.lo[d] = r.data_lo[d];
      if (pasted.hi[d] >= r.data_hi[d]) pasted.hi[d] = r.data_hi[d];
    }
    r.boxes.push_back(pasted);
    for (std::size_t i = 0; i < total; ++i)
      if (active[i] && inside(x[i], pasted)) active[i] = false;
  }
  return r;
}

}  // namespace renewsim::explore
