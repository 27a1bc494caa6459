// The supply-chain network: generated statistics against their parameters,
// leaders' supplier trees, reproducibility.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "model/network/supply_network.hpp"

using namespace renewsim;
using namespace renewsim::model;

namespace {
std::vector<NetworkFirm> firms(std::uint32_t n, int sectors, int counties, double large_share = 0.02) {
  std::vector<NetworkFirm> out(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    out[i].sector = static_cast<std::uint8_t>(i % static_cast<std::uint32_t>(sectors));
    out[i].county = static_cast<std::uint16_t>((i / 7) % static_cast<std::uint32_t>(counties));
    out[i].size = (i % 1000) < large_share * 1000 ? SizeClass::Large : SizeClass::Small;
    out[i].key = (std::uint64_t{out[i].sector} << 40) | i;
  }
  return out;
}
}  // namespace

TEST_CASE("generated network: suppliers per firm, county share and heavy-tailed customers match the parameters",
          "[network]") {
  NetworkParams p;
  p.enabled = true;
  p.suppliers_per_firm = 5;
  p.same_county_share = 0.6;
  p.closure = 0.0;
  p.customer_tail = 2.5;
  const auto fs = firms(40000, 4, 10);
  const rng::RandomSource src(3, 0);
  const SupplyNetwork net = SupplyNetwork::build(p, fs, 4, src);
  CHECK(net.firms() == 40000);
  CHECK(static_cast<double>(net.edges()) / net.firms() == Approx(5.0).epsilon(0.03));
  // Ties within the county: the share drawn there (the rest falls there by chance, 1/10).
  std::uint64_t local = 0;
  for (std::uint32_t c = 0; c < net.firms(); ++c)
    net.for_each_supplier(c, [&](std::uint32_t s) { local += fs[s].county == fs[c].county ? 1 : 0; });
  CHECK(static_cast<double>(local) / net.edges() == Approx(0.6 + 0.4 * 0.1).margin(0.02));
  // Customers per firm: heavy tail. Hill estimator of the tail exponent over the top 1 %.
  std::vector<double> k;
  for (std::uint32_t v = 0; v < net.firms(); ++v) k.push_back(net.customers(v));
  std::sort(k.rbegin(), k.rend());
  const std::size_t top = k.size() / 100;
  double hill = 0;
  for (std::size_t i = 0; i < top; ++i) hill += std::log(k[i] / k[top]);
  const double alpha = static_cast<double>(top) / hill;  // ccdf exponent = tail exponent - 1
  CHECK(alpha + 1.0 == Approx(2.5).margin(0.35));
  CHECK(k.front() > 20 * 5.0);  // hubs
  // The same seed and replication give the same network; another replication another.
  const SupplyNetwork again = SupplyNetwork::build(p, fs, 4, src);
  CHECK(again.edges() == net.edges());
  bool same = true;
  for (std::uint32_t c = 0; c < 1000 && same; ++c) {
    std::vector<std::uint32_t> a, b;
    net.for_each_supplier(c, [&](std::uint32_t s) { a.push_back(s); });
    again.for_each_supplier(c, [&](std::uint32_t s) { b.push_back(s); });
    same = a == b;
  }
  CHECK(same);
  const SupplyNetwork other = SupplyNetwork::build(p, fs, 4, rng::RandomSource(3, 1));
  CHECK(other.edges() != net.edges());
}

TEST_CASE("generated network: closure raises clustering, input shares pick the suppliers' sectors", "[network]") {
  NetworkParams p;
  p.suppliers_per_firm = 6;
  p.same_county_share = 0.0;
  p.input_shares = {{0.0, 1.0, 0.0}, {0.0, 0.2, 0.8}, {1.0, 0.0, 0.0}};
  const auto fs = firms(20000, 3, 1);
  p.closure = 0.0;
  const SupplyNetwork open = SupplyNetwork::build(p, fs, 3, rng::RandomSource(5, 0));
  p.closure = 0.4;
  const SupplyNetwork closed = SupplyNetwork::build(p, fs, 3, rng::RandomSource(5, 0));
  CHECK(open.clustering() < 0.01);  // random ties: density-level clustering
  CHECK(closed.clustering() > 10 * open.clustering());
  CHECK(closed.clustering() > 0.05);
  // Sector 0 buys only from sector 1; sector 1 20 % from itself, 80 % from sector 2.
  std::uint64_t from[3][3] = {};
  for (std::uint32_t c = 0; c < open.firms(); ++c)
    open.for_each_supplier(c, [&](std::uint32_t s) { ++from[fs[c].sector][fs[s].sector]; });
  CHECK(from[0][0] + from[0][2] == 0);
  CHECK(static_cast<double>(from[1][2]) / (from[1][1] + from[1][2]) == Approx(0.8).margin(0.02));
  CHECK(from[2][1] + from[2][2] == 0);
}

TEST_CASE("chain leaders: large firms of key chains, with extra suppliers and their supplier trees", "[network]") {
  NetworkParams p;
  p.suppliers_per_firm = 3;
  p.key_chains = {1};
  p.leader_suppliers = 15;
  p.tree_depth = 1;
  const auto fs = firms(10000, 3, 5, 0.05);
  const SupplyNetwork net = SupplyNetwork::build(p, fs, 3, rng::RandomSource(9, 0));
  REQUIRE(!net.leaders().empty());
  for (std::size_t l = 0; l < net.leaders().size(); ++l) {
    const std::uint32_t v = net.leaders()[l];
    CHECK(fs[v].sector == 1);
    CHECK(fs[v].size == SizeClass::Large);
    CHECK(net.position(v) == NetworkPosition::Leader);
    CHECK(net.suppliers(v) >= 15);
    // Depth 1: the tree is exactly the leader's suppliers.
    std::vector<std::uint32_t> direct;
    net.for_each_supplier(v, [&](std::uint32_t s) { direct.push_back(s); });
    std::sort(direct.begin(), direct.end());
    CHECK(net.tree(l) == direct);
  }
  p.tree_depth = 2;
  const SupplyNetwork deep = SupplyNetwork::build(p, fs, 3, rng::RandomSource(9, 0));
  CHECK(deep.tree(0).size() > net.tree(0).size());
}

TEST_CASE("complete and given networks", "[network]") {
  NetworkParams p;
  p.topology = NetworkParams::Topology::Complete;
  const auto fs = firms(50, 2, 1);
  const SupplyNetwork all = SupplyNetwork::build(p, fs, 2, rng::RandomSource(1, 0));
  CHECK(all.edges() == 50 * 49 / 2);
  for (std::uint32_t v = 0; v < 50; ++v) CHECK(all.neighbours(v) == 49);
  CHECK(all.clustering() == Approx(1.0));
  p.topology = NetworkParams::Topology::EdgeList;
  p.edge_list = {{0, 1}, {2, 1}, {1, 3}};
  const SupplyNetwork given = SupplyNetwork::build(p, fs, 2, rng::RandomSource(1, 0));
  CHECK(given.edges() == 3);
  CHECK(given.suppliers(1) == 2);
  CHECK(given.customers(1) == 1);
  p.edge_list = {{0, 50}};
  CHECK_THROWS_AS(SupplyNetwork::build(p, fs, 2, rng::RandomSource(1, 0)), std::invalid_argument);
}

#include <map>
#include <set>

#include "io/output.hpp"
#include "io/scenario.hpp"
#include "model/region_simulation.hpp"
#include "model/runner.hpp"

namespace {
io::Scenario small_network() {
  io::Scenario sc = io::load_scenario(RENEWSIM_SOURCE_DIR "/tests/data/small.toml");
  sc.params.network.enabled = true;
  sc.params.network.key_chains = {0};
  sc.params.network.leader_suppliers = 10;
  return sc;
}
}  // namespace

TEST_CASE("Bass: on a complete network with no policy, awareness follows the Bass curve", "[network][theory]") {
  io::Scenario sc = small_network();
  auto& np = sc.params.network;
  np.topology = NetworkParams::Topology::Complete;
  np.peers_count_when_aware = true;
  np.bass_p = 0.03;
  np.bass_q = 0.38;
  np.demonstration_q = 0.0;
  np.start = kernel::day_of(2021, 1, 1);
  sc.params.end_year = 2032;
  const int reps = 3;
  std::map<int, double> share;
  for (int rep = 0; rep < reps; ++rep) {
    RegionSimulation sim(sc.params, targets_from_baseline(sc.params), 151, static_cast<std::uint64_t>(rep));
    for (const auto& y : sim.run()) share[y.year] += y.network_aware[0] / reps;  // no leaders: all are "others"
  }
  const double p = 0.03, q = 0.38;
  for (const auto& [year, f] : share) {
    const double t = year - 2021 + 1;  // year ends since the start
    const double e = std::exp(-(p + q) * t);
    const double bass = (1 - e) / (1 + (q / p) * e);
    INFO("year " << year << ": simulated " << f << ", Bass " << bass);
    CHECK(f == Approx(bass).margin(0.03));
  }
}

TEST_CASE("a chain leader's upgrade reaches exactly its direct suppliers", "[network]") {
  io::Scenario sc = small_network();
  sc.params.population.size_shares = {0.7, 0.2, 0.1};
  sc.params.network.leader_review_share = 1.0;
  sc.params.network.imitation = 0.0;
  RegionSimulation sim(sc.params, targets_from_baseline(sc.params), 161, 0);
  const SupplyNetwork& net = *sim.network();
  REQUIRE(!net.leaders().empty());
  std::map<std::pair<std::uint32_t, kernel::Day>, std::set<std::uint32_t>> reached;  // (leader, day) -> firms
  sim.set_review_hook([&](std::uint32_t firm, kernel::Day day, int cause, std::uint32_t source) {
    CHECK(cause == 2);
    reached[{source, day}].insert(firm);
  });
  std::int64_t upgrades = 0;
  sim.set_commission_hook([&](RegionSimulation& s, const Commissioned& c) {
    if (s.network()->position(c.firm) == NetworkPosition::Leader) ++upgrades;
  });
  const auto& ys = sim.run();
  REQUIRE(upgrades > 0);
  std::int64_t reported = 0, triggered = 0;
  for (const auto& y : ys) {
    reported += y.leader_upgrades;
    triggered += y.leader_triggered_reviews;
  }
  CHECK(reported == upgrades);
  std::size_t reviews = 0;
  for (const auto& [key, firms] : reached) {
    std::set<std::uint32_t> suppliers;
    net.for_each_supplier(key.first, [&](std::uint32_t s) { suppliers.insert(s); });
    CHECK(net.position(key.first) == NetworkPosition::Leader);
    CHECK(firms == suppliers);
    reviews += firms.size();
  }
  CHECK(static_cast<std::int64_t>(reviews) <= triggered);  // reviews past the end are not scheduled
}

TEST_CASE("imitation: a commissioning sends reviews to neighbours, outputs by network position", "[network]") {
  io::Scenario sc = small_network();
  sc.params.network.imitation = 1.0;
  RegionSimulation sim(sc.params, targets_from_baseline(sc.params), 171, 0);
  std::int64_t hooked = 0;
  sim.set_review_hook([&](std::uint32_t, kernel::Day, int cause, std::uint32_t) { hooked += cause == 1; });
  std::int64_t expected = 0;
  sim.set_commission_hook([&](RegionSimulation& s, const Commissioned& c) {
    if (s.now() + 30 <= kernel::day_of(2026, 12, 31)) expected += s.network()->neighbours(c.firm);
  });
  const auto& ys = sim.run();
  std::int64_t imitation = 0;
  for (const auto& y : ys) {
    imitation += y.imitation_reviews;
    CHECK(y.network);
    for (double s : y.network_renewed) CHECK((s >= 0 && s <= 1));
  }
  CHECK(hooked == expected);
  CHECK(imitation >= hooked);
  CHECK(ys.back().network_renewed[0] > 0.3);  // most firms renew something within three years
}

TEST_CASE("with a network, outputs are byte-identical at 1 and 2 threads", "[network][determinism]") {
  io::Scenario sc = small_network();
  sc.params.network.imitation = 0.3;
  auto csv = [&](int threads) {
    const auto cal = calibrate(sc.params, 7, 20000, 2);
    return io::series_csv(io::make_series(run_replications(sc.params, cal.targets, {7, 3, threads}), sc.params, 2023));
  };
  const std::string one = csv(1);
  CHECK(one == csv(2));
  CHECK(one.find("network.renewed_share.leaders") != std::string::npos);
}

TEST_CASE("cascades: renewals in a leader's cascade include its first step and what imitation adds", "[network]") {
  io::Scenario sc = small_network();
  sc.params.population.size_shares = {0.7, 0.2, 0.1};
  sc.params.network.imitation = 0.5;
  std::int64_t first_step = 0, cascade = 0, upgrades = 0;
  for (std::uint64_t rep = 0; rep < 2; ++rep) {
    RegionSimulation sim(sc.params, targets_from_baseline(sc.params), 181, rep);
    for (const auto& y : sim.run()) {
      first_step += y.leader_triggered_renewals;
      cascade += y.cascade_renewals;
      upgrades += y.leader_upgrades;
    }
  }
  CHECK(upgrades > 0);
  CHECK(first_step > 0);
  CHECK(cascade > first_step);  // imitation carries cascades beyond the leader's suppliers
}

TEST_CASE("levers can be limited to network positions (a leader's service platform)", "[network][levers]") {
  Eligibility e;
  e.positions.set(static_cast<std::size_t>(NetworkPosition::LeaderSupplier));
  ProjectView v;
  v.revenue = 1e8;
  v.position = static_cast<std::uint8_t>(NetworkPosition::Other);
  CHECK_FALSE(e.matches_firm(v));
  v.position = static_cast<std::uint8_t>(NetworkPosition::LeaderSupplier);
  CHECK(e.matches_firm(v));
  // In a run: a platform discount reaches only firms in leaders' supplier trees.
  io::Scenario sc = small_network();
  sc.params.population.size_shares = {0.7, 0.2, 0.1};
  GroupPurchaseParams platform;
  platform.name = "leader_platform";
  platform.discount = 0.05;
  platform.eligible.positions.set(static_cast<std::size_t>(NetworkPosition::LeaderSupplier));
  sc.params.policy.group_purchases.push_back(platform);
  RegionSimulation sim(sc.params, targets_from_baseline(sc.params), 191, 0);
  std::int64_t supported = 0;
  for (const auto& y : sim.run()) supported += y.levers[0].supported_projects;
  CHECK(supported > 0);
  std::int64_t suppliers = 0;
  for (std::uint32_t i = 0; i < sim.network()->firms(); ++i)
    suppliers += sim.network()->position(i) == NetworkPosition::LeaderSupplier;
  CHECK(suppliers > 0);
  CHECK(suppliers < sim.network()->firms());
  // The same discount for every firm supports more projects.
  sc.params.policy.group_purchases[0].eligible.positions.reset();
  RegionSimulation everyone(sc.params, targets_from_baseline(sc.params), 191, 0);
  std::int64_t all = 0;
  for (const auto& y : everyone.run()) all += y.levers[0].supported_projects;
  CHECK(all > supported);
}
