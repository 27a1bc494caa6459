#include <catch2/catch.hpp>

#include <tbb/task_arena.h>

#include <cmath>

#include "io/scenario.hpp"
#include "model/population.hpp"
#include "model/region_simulation.hpp"

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

namespace {
// Every field of every firm and slot, compared one by one (not the padding).
void require_same(const Population& a, const Population& b) {
  REQUIRE(a.firms.size() == b.firms.size());
  REQUIRE(a.slots.size() == b.slots.size());
  REQUIRE(a.sector_first_firm == b.sector_first_firm);
  for (std::size_t i = 0; i < a.firms.size(); ++i) {
    const Firm &x = a.firms[i], &y = b.firms[i];
    INFO("firm " << i);
    REQUIRE(x.cash == y.cash);
    REQUIRE(x.debt == y.debt);
    REQUIRE(x.revenue0 == y.revenue0);
    REQUIRE(x.growth == y.growth);
    REQUIRE(x.hurdle == y.hurdle);
    REQUIRE(x.payback == y.payback);
    REQUIRE(x.capacity == y.capacity);
    REQUIRE(x.software_benefit == y.software_benefit);
    REQUIRE(x.evaluation_score == y.evaluation_score);
    REQUIRE(x.first_slot == y.first_slot);
    REQUIRE(x.county == y.county);
    REQUIRE(x.sector == y.sector);
    REQUIRE(x.size == y.size);
    REQUIRE(x.slots == y.slots);
    REQUIRE(x.flags == y.flags);
  }
  for (std::size_t i = 0; i < a.slots.size(); ++i) {
    const Vintage &x = a.slots[i], &y = b.slots[i];
    INFO("slot " << i);
    REQUIRE(x.capacity == y.capacity);
    REQUIRE(x.labour == y.labour);
    REQUIRE(x.energy == y.energy);
    REQUIRE(x.maintenance == y.maintenance);
    REQUIRE(x.installed == y.installed);
    REQUIRE(x.fails == y.fails);
    REQUIRE(x.units == y.units);
    REQUIRE(x.category == y.category);
    REQUIRE(x.energy_class == y.energy_class);
    REQUIRE(x.flags == y.flags);
  }
}
}  // namespace

// Firms are made and their initial ages settled in parallel, each from its
// own draws and into a place fixed by its sector's counts. Jiaxing: several
// sectors and counties, levers open from the start and a standard that
// excludes firms keeping banned equipment (its cache of banned slots is per
// firm while settling).
TEST_CASE("the population is built and settled alike on 1, 2 and 4 threads", "[model][population][parallel]") {
  const io::Scenario sc =
      io::load_scenario(RENEWSIM_SOURCE_DIR "/scenarios/jiaxing.toml", {"population.scale=0.5"});
  REQUIRE(sc.params.total_firms() > 3000);  // several blocks of firms per sector
  const CalibratedInputs t = targets_from_baseline(sc.params);
  auto built = [&](int threads) {
    return tbb::task_arena(threads).execute([&] { return build_population(sc.params, t, rng::RandomSource(3, 1)); });
  };
  auto settled = [&](int threads) {
    return tbb::task_arena(threads).execute([&] { return RegionSimulation(sc.params, t, 3, 1).population(); });
  };
  const Population one = built(1);
  require_same(one, built(2));
  require_same(one, built(4));
  const Population settled_one = settled(1);
  std::int64_t moved = 0;  // settling changed some ages, so it is compared too
  for (std::size_t i = 0; i < one.slots.size(); ++i) moved += one.slots[i].installed != settled_one.slots[i].installed;
  CHECK(moved > 0);
  require_same(settled_one, settled(2));
  require_same(settled_one, settled(4));
}
