// CMA-ES on problems with known optima: a sphere, Rosenbrock's valley, an
// optimum on the cube's bound, a constrained problem ranked by feasibility and
// a noisy sphere; plus bit-reproducibility and the refusal of bad options.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <stdexcept>

#include "explore/cmaes.hpp"
#include "random/distributions.hpp"
#include "random/stream.hpp"

using namespace renewsim;

namespace {
using Point = std::vector<double>;

double distance(const Point& a, const Point& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(s);
}

bool inside_unit_cube(const std::vector<Point>& points) {
  for (const auto& p : points)
    for (double x : p)
      if (!(x >= 0.0 && x <= 1.0)) return false;
  return true;
}

// Generations until `done` holds after a tell, at most `budget`; every candidate must lie in the cube.
std::size_t minimise(explore::Cmaes& es, const std::function<double(const Point&)>& f, std::size_t budget,
                     const std::function<bool(const explore::Cmaes&)>& done) {
  while (es.generation() < budget) {
    const auto candidates = es.ask();
    REQUIRE(inside_unit_cube(candidates));
    std::vector<double> fitness;
    for (const auto& x : candidates) fitness.push_back(f(x));
    es.tell(fitness);
    if (done(es)) break;
  }
  return es.generation();
}

double sphere(const Point& x, double centre) {
  double s = 0;
  for (double v : x) s += (v - centre) * (v - centre);
  return s;
}

// Rosenbrock on [-2, 2]^k mapped onto the unit cube: the optimum u = (1, ..., 1) is at x = 0.75.
double rosenbrock(const Point& x) {
  double s = 0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    const double u = 4 * x[i] - 2, v = 4 * x[i + 1] - 2;
    s += 100 * (v - u * u) * (v - u * u) + (1 - u) * (1 - u);
  }
  return s;
}
}  // namespace

TEST_CASE("CMA-ES converges on a sphere", "[explore]") {
  explore::CmaesOptions o;
  o.start = {0.7, 0.1, 0.9, 0.5};
  const Point optimum(4, 0.3);
  explore::Cmaes es(o);
  REQUIRE(es.lambda() == 8);  // 4 + floor(3 ln 4)
  REQUIRE(es.mu() == 4);
  const auto generations = minimise(es, [](const Point& x) { return sphere(x, 0.3); }, 150,
                                    [&](const explore::Cmaes& e) { return distance(e.mean(), optimum) < 1e-4; });
  INFO("sphere: " << generations << " generations, distance " << distance(es.mean(), optimum));
  CHECK(distance(es.mean(), optimum) < 1e-4);
  CHECK(generations < 150);
  // The sphere is isotropic: the learnt covariance stays round.
  CHECK(es.condition() < 10);
}

TEST_CASE("CMA-ES follows Rosenbrock's valley to its end", "[explore]") {
  // Budget: 250 generations of lambda = 6 (1500 evaluations); an isotropic search would need far more.
  explore::CmaesOptions o;
  o.start = {0.25, 0.25};  // u = (-1, -1), the far side of the valley
  o.sigma = 0.1;
  o.seed = 3;
  explore::Cmaes es(o);
  double stretch = 0;  // the covariance must follow the curved valley, so it is stretched on the way
  const auto generations = minimise(es, rosenbrock, 250, [&](const explore::Cmaes& e) {
    stretch = std::max(stretch, e.condition());
    return rosenbrock(e.mean()) < 1e-6;
  });
  INFO("Rosenbrock: " << generations << " generations, f " << rosenbrock(es.mean()) << ", largest condition "
                      << stretch);
  CHECK(rosenbrock(es.mean()) < 1e-6);
  CHECK(generations < 250);
  CHECK(stretch > 20);
  CHECK(distance(es.mean(), {0.75, 0.75}) < 1e-3);
}

TEST_CASE("CMA-ES reaches an optimum on the cube's bound and never samples outside", "[explore]") {
  explore::CmaesOptions o;
  o.start = {0.6, 0.5, 0.9};
  o.sigma = 0.5;  // wide, so that many samples leave the cube and are mirrored
  explore::Cmaes es(o);
  // Samples outside are mirrored, not clamped: none sits on a face.
  std::size_t on_face = 0;
  for (const auto& x : es.ask())
    for (double v : x) on_face += v == 0.0 || v == 1.0;
  CHECK(on_face == 0);
  const auto f = [](const Point& x) { return sphere(x, -0.2); };  // optimum at -0.2, outside: the cube's corner 0
  const auto at_corner = [](const explore::Cmaes& e) {
    return *std::max_element(e.mean().begin(), e.mean().end()) < 1e-3;
  };
  const auto generations = minimise(es, f, 100, at_corner);
  INFO("bound: " << generations << " generations, mean " << es.mean()[0] << ", " << es.mean()[1] << ", "
                 << es.mean()[2]);
  CHECK(at_corner(es));
  CHECK(generations < 100);
  for (double m : es.mean()) CHECK(m >= 0.0);
}

TEST_CASE("CMA-ES draws are reproducible and depend only on the seed", "[explore]") {
  explore::CmaesOptions o;
  o.start = {0.2, 0.4, 0.6};
  o.seed = 17;
  explore::Cmaes a(o), b(o);
  o.seed = 18;
  explore::Cmaes other(o);
  CHECK(a.ask() != other.ask());
  for (int g = 0; g < 25; ++g) {
    const auto first = a.ask();
    CHECK(a.ask() == first);  // asking again before telling changes nothing
    REQUIRE(b.ask() == first);
    std::vector<double> fitness;
    for (const auto& x : first) fitness.push_back(rosenbrock(x));
    a.tell(fitness);
    b.tell(fitness);
    REQUIRE(a.mean() == b.mean());
    REQUIRE(a.sigma() == b.sigma());
    REQUIRE(a.covariance() == b.covariance());
  }
  CHECK(a.generation() == 25);
}

TEST_CASE("CMA-ES ranked by feasibility then cost finds a constrained optimum", "[explore]") {
  // Minimise x0 + x1 subject to x0 x1 >= 0.25: the optimum is (0.5, 0.5) with cost 1.
  const auto cost = [](const Point& x) { return x[0] + x[1]; };
  const auto shortfall = [](const Point& x) { return std::max(0.0, 0.25 - x[0] * x[1]); };
  explore::CmaesOptions o;
  o.start = {0.9, 0.8};
  o.sigma = 0.2;
  o.seed = 5;
  explore::Cmaes es(o);
  double best_feasible = HUGE_VAL;
  while (es.generation() < 300 && es.coordinate_spread() > 1e-4) {
    const auto candidates = es.ask();
    std::vector<std::size_t> order(candidates.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
      const double si = shortfall(candidates[i]), sj = shortfall(candidates[j]);
      if ((si == 0) != (sj == 0)) return si == 0;  // feasible first
      return si == 0 ? cost(candidates[i]) < cost(candidates[j]) : si < sj;
    });
    if (shortfall(candidates[order[0]]) == 0) best_feasible = std::min(best_feasible, cost(candidates[order[0]]));
    es.tell_order(order);
  }
  INFO("constrained: " << es.generation() << " generations, best feasible cost " << best_feasible << ", mean "
                       << es.mean()[0] << ", " << es.mean()[1]);
  CHECK(best_feasible >= 1.0);
  CHECK(best_feasible < 1.01);
  CHECK(cost(es.mean()) == Approx(1.0).margin(0.01));
  CHECK(distance(es.mean(), {0.5, 0.5}) < 0.1);  // cost is flat along the bound: 1.0066 at x0 = 0.45
  CHECK(es.generation() < 300);
}

TEST_CASE("CMA-ES settles near the optimum of a noisy sphere", "[explore]") {
  // Noise N(0, 1e-4) in rng::normal's terms (standard deviation 1e-4), from its own Philox stream per generation
  // and candidate: near the optimum it swamps the differences between candidates, so sigma stops shrinking there.
  const rng::RandomSource noise_source(99, 0);
  explore::CmaesOptions o;
  o.start = {0.9, 0.1, 0.8};
  explore::Cmaes es(o);
  const Point optimum(3, 0.4);
  while (es.generation() < 200) {
    const auto candidates = es.ask();
    REQUIRE(inside_unit_cube(candidates));
    std::vector<double> fitness;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      rng::Stream noise(noise_source, es.generation() * candidates.size() + i, 1);
      fitness.push_back(sphere(candidates[i], 0.4) + rng::normal(noise, 0.0, 1e-4));
    }
    es.tell(fitness);
  }
  INFO("noisy: distance " << distance(es.mean(), optimum) << " after 200 generations, sigma " << es.sigma());
  CHECK(distance(es.mean(), optimum) < 0.02);
}

TEST_CASE("CMA-ES refuses bad options and bad orders", "[explore]") {
  explore::CmaesOptions o;
  CHECK_THROWS_AS(explore::Cmaes(o), std::invalid_argument);  // empty start
  o.start = {0.5, 1.2};
  CHECK_THROWS_AS(explore::Cmaes(o), std::invalid_argument);
  o.start = {-0.1};
  CHECK_THROWS_AS(explore::Cmaes(o), std::invalid_argument);
  o.start = {0.5, NAN};
  CHECK_THROWS_AS(explore::Cmaes(o), std::invalid_argument);
  o.start = {0.0, 1.0};  // the cube is closed
  CHECK_NOTHROW(explore::Cmaes(o));
  o.sigma = 0;
  CHECK_THROWS_AS(explore::Cmaes(o), std::invalid_argument);
  o.sigma = -0.1;
  CHECK_THROWS_AS(explore::Cmaes(o), std::invalid_argument);
  o.sigma = 0.3;
  o.lambda = 1;
  CHECK_THROWS_AS(explore::Cmaes(o), std::invalid_argument);

  o.lambda = 4;
  explore::Cmaes es(o);
  CHECK_THROWS_AS(es.tell_order({0, 1, 2, 3}), std::logic_error);  // nothing asked yet
  es.ask();
  CHECK_THROWS_AS(es.tell_order({0, 1, 2}), std::invalid_argument);
  CHECK_THROWS_AS(es.tell_order({0, 1, 1, 3}), std::invalid_argument);
  CHECK_THROWS_AS(es.tell_order({0, 1, 2, 4}), std::invalid_argument);
  CHECK_THROWS_AS(es.tell({1.0, 2.0}), std::invalid_argument);
  CHECK(es.generation() == 0);
}

TEST_CASE("Ties and NaN in the fitness rank predictably", "[explore]") {
  explore::CmaesOptions o;
  o.start = {0.5, 0.5};
  o.lambda = 4;
  explore::Cmaes by_fitness(o), by_order(o);
  by_fitness.ask();
  by_order.ask();
  by_fitness.tell({NAN, 2.0, 1.0, 2.0});  // ties go to the lower index, NaN last
  by_order.tell_order({2, 1, 3, 0});
  CHECK(by_fitness.mean() == by_order.mean());
  CHECK(by_fitness.covariance() == by_order.covariance());
}

TEST_CASE("Jacobi eigendecomposition of a symmetric matrix", "[explore]") {
  const std::vector<std::vector<double>> a = {{4, 1, -2, 0.5}, {1, 3, 0, 1}, {-2, 0, 5, -1}, {0.5, 1, -1, 2}};
  std::vector<double> values;
  std::vector<std::vector<double>> vectors;
  explore::symmetric_eigen(a, values, vectors);
  REQUIRE(values.size() == 4);
  CHECK(std::accumulate(values.begin(), values.end(), 0.0) == Approx(14.0));  // the trace
  for (std::size_t i = 0; i < 4; ++i) {
    for (std::size_t j = 0; j < 4; ++j) {
      double reconstructed = 0, dot = 0;  // B diag(values) B^T and B^T B
      for (std::size_t m = 0; m < 4; ++m) {
        reconstructed += vectors[i][m] * values[m] * vectors[j][m];
        dot += vectors[m][i] * vectors[m][j];
      }
      CHECK(reconstructed == Approx(a[i][j]).margin(1e-12));
      CHECK(dot == Approx(i == j ? 1.0 : 0.0).margin(1e-12));
    }
  }
}
