#include <catch2/catch.hpp>

#include <cmath>

#include "io/scenario.hpp"
#include "model/population.hpp"

using namespace renewsim;
using namespace renewsim::model;

namespace {
io::Scenario small() { return io::load_scenario(RENEWSIM_SOURCE_DIR "/tests/data/small.toml"); }
}  // namespace

TEST_CASE("the initial population shows the stated CNC, digital-tool and energy-class mixes", "[model][population]") {
  const io::Scenario sc = small();
  CalibratedInputs t = targets_from_baseline(sc.params);
  t.cnc_rate = 0.55;
  t.digital_tool_rate = 0.7;
  t.energy_class_shares = {0.2, 0.4, 0.3, 0.1};
  const Population pop = build_population(sc.params, t, rng::RandomSource(1, 0));
  double key = 0, cnc = 0, energy = 0;
  std::array<double, kEnergyClasses> cls{};
  for (const auto& v : pop.slots) {
    if (!v.has(Vintage::kActive) || v.category == Category::Software) continue;
    const auto& cat = sc.params.categories[idx(v.category)];
    if (cat.cnc_applicable) {
      key += v.capacity;
      if (v.has(Vintage::kCnc)) cnc += v.capacity;
    }
    if (cat.energy_applicable) {
      energy += v.capacity;
      cls[idx(v.energy_class)] += v.capacity;
    }
  }
  // Class bands are filled vintage by vintage: exact up to one vintage's share.
  CHECK(cnc / key == Approx(0.55).margin(0.01));
  for (int e = 0; e < kEnergyClasses; ++e) CHECK(cls[e] / energy == Approx(t.energy_class_shares[e]).margin(0.01));
  int digital = 0;
  for (const auto& f : pop.firms) digital += f.has(Firm::kDigitalTools);
  CHECK(digital / double(pop.firms.size()) == Approx(0.7).margin(0.001));
}

TEST_CASE("firms have the declared counts, size bands and compact records", "[model][population]") {
  const io::Scenario sc = small();
  const Population pop = build_population(sc.params, targets_from_baseline(sc.params), rng::RandomSource(1, 0));
  REQUIRE(pop.firms.size() == 1500);
  int per_sector[2] = {0, 0};
  std::array<int, kSizeClasses> sizes{};
  for (const auto& f : pop.firms) {
    ++per_sector[f.sector];
    ++sizes[f.size];
    CHECK(f.revenue0 >= sc.params.population.revenue_min[f.size] * (1 - 1e-6));
    CHECK(f.revenue0 <= sc.params.population.revenue_max[f.size] * (1 + 1e-6));
    CHECK(f.hurdle > 0);
    CHECK(f.payback > 0);
  }
  CHECK(per_sector[0] == 900);
  CHECK(per_sector[1] == 600);
  CHECK(sizes[0] / 1500.0 == Approx(0.86).margin(0.03));
  // Older vintages exist (installed before the warm-up) and none in the future.
  for (const auto& v : pop.slots)
    if (v.has(Vintage::kActive)) CHECK(v.installed <= kernel::first_day_of_year(2021));
  CHECK(pop.bytes() / double(pop.firms.size()) <= 1024.0);
}

TEST_CASE("adding firms to one sector leaves another sector's firms unchanged", "[model][population][random]") {
  io::Scenario a = small(), b = small();
  b.params.sectors[0].firms += 50;  // more machinery firms
  const auto t = targets_from_baseline(a.params);
  // Class shares are assigned by population-wide ranks, so compare the draws
  // that belong to each firm alone: revenue, size, finances, ages.
  const Population pa = build_population(a.params, t, rng::RandomSource(5, 0));
  const Population pb = build_population(b.params, t, rng::RandomSource(5, 0));
  const std::uint32_t first_a = pa.sector_first_firm[1], first_b = pb.sector_first_firm[1];
  for (std::uint32_t k = 0; k < 600; ++k) {
    const Firm& fa = pa.firms[first_a + k];
    const Firm& fb = pb.firms[first_b + k];
    REQUIRE(fa.revenue0 == fb.revenue0);
    REQUIRE(fa.size == fb.size);
    REQUIRE(fa.cash == fb.cash);
    REQUIRE(fa.hurdle == fb.hurdle);
    REQUIRE(pa.slots[fa.first_slot].installed == pb.slots[fb.first_slot].installed);
  }
}
