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

TEST_CASE("generated network: closure raises clustering; input shares pick the suppliers' sectors", "[network]") {
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
