// PRIM on synthetic data with a known box.
#include <catch2/catch.hpp>

#include "explore/prim.hpp"
#include "random/stream.hpp"

using namespace renewsim;

namespace {
// n uniform points in [0, 1]^3; of interest inside x0 in [0.2, 0.6], x1 >= 0.5
// (x2 plays no part), with `noise` of the labels flipped.
void synthetic(std::size_t n, double noise, std::vector<std::vector<double>>& x, std::vector<bool>& y) {
  const rng::RandomSource src(42, 0);
  rng::Stream s(src, 0, 1);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> p{s.uniform(), s.uniform(), s.uniform()};
    bool in = p[0] >= 0.2 && p[0] <= 0.6 && p[1] >= 0.5;
    if (s.uniform() < noise) in = !in;
    x.push_back(p);
    y.push_back(in);
  }
}
}  // namespace

TEST_CASE("PRIM finds a known box and leaves the irrelevant dimension alone", "[explore]") {
  std::vector<std::vector<double>> x;
  std::vector<bool> y;
  synthetic(4000, 0.0, x, y);
  explore::PrimOptions o;
  o.min_density = 0.95;
  o.max_boxes = 1;
  const auto r = explore::prim(x, y, o);
  REQUIRE(r.boxes.size() == 1);
  const auto& b = r.boxes[0];
  CHECK(b.density >= 0.95);
  CHECK(b.coverage >= 0.85);
  CHECK(b.lo[0] == Approx(0.2).margin(0.03));
  CHECK(b.hi[0] == Approx(0.6).margin(0.03));
  CHECK(b.lo[1] == Approx(0.5).margin(0.03));
  CHECK(b.hi[1] == r.data_hi[1]);
  CHECK(b.restricted(r.data_lo, r.data_hi) == std::vector<std::size_t>{0, 1});
  // The trajectory: coverage never rises, the first box holds everything.
  const auto& t = r.trajectories[0];
  REQUIRE(t.size() > 2);
  CHECK(t[0].mass == 1.0);
  CHECK(t[0].coverage == 1.0);
  for (std::size_t i = 1; i < t.size(); ++i) CHECK(t[i].coverage <= t[i - 1].coverage);
  CHECK(t.back().density > t.front().density);
}

TEST_CASE("PRIM with noisy labels still finds the box; none when nothing is of interest", "[explore]") {
  std::vector<std::vector<double>> x;
  std::vector<bool> y;
  synthetic(4000, 0.05, x, y);
  explore::PrimOptions o;
  o.min_density = 0.85;
  const auto r = explore::prim(x, y, o);
  REQUIRE_FALSE(r.boxes.empty());
  CHECK(r.boxes[0].lo[0] == Approx(0.2).margin(0.05));
  CHECK(r.boxes[0].hi[0] == Approx(0.6).margin(0.05));
  CHECK(r.boxes[0].lo[1] == Approx(0.5).margin(0.05));
  CHECK(r.boxes[0].coverage >= 0.7);

  std::vector<bool> none(x.size(), false);
  CHECK(explore::prim(x, none, o).boxes.empty());
}
