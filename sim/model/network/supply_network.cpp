#include "model/network/supply_network.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "model/population.hpp"
#include "random/distributions.hpp"

namespace renewsim::model {
namespace {

// Vose's alias method: O(1) draws from a fixed discrete distribution.
class AliasTable {
 public:
  AliasTable() = default;
  explicit AliasTable(const std::vector<double>& weights) {
    const std::size_t n = weights.size();
    prob_.assign(n, 0.0);
    alias_.assign(n, 0);
    double total = 0;
    for (double w : weights) total += w;
    if (n == 0 || !(total > 0)) return;
    std::vector<double> scaled(n);
    std::vector<std::uint32_t> small, large;
    for (std::size_t i = 0; i < n; ++i) {
      scaled[i] = weights[i] * static_cast<double>(n) / total;
      (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
    }
    while (!small.empty() && !large.empty()) {
      const std::uint32_t s = small.back(), l = large.back();
      small.pop_back();
      prob_[s] = scaled[s];
      alias_[s] = l;
      scaled[l] -= 1.0 - scaled[s];
      if (scaled[l] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
    for (std::uint32_t i : large) prob_[i] = 1.0;
    for (std::uint32_t i : small) prob_[i] = 1.0;  // rounding leftovers
  }
  bool empty() const { return prob_.empty(); }
  std::uint32_t draw(double u1, double u2) const {
    const auto i = std::min(static_cast<std::uint32_t>(u1 * static_cast<double>(prob_.size())),
                            static_cast<std::uint32_t>(prob_.size() - 1));
    return u2 < prob_[i] ? i : alias_[i];
  }

 private:
  std::vector<double> prob_;
  std::vector<std::uint32_t> alias_;
};

// Firms grouped by a key (sector, or sector x county), each group with an
// alias table over the firms' attractiveness.
struct Pools {
  std::vector<std::uint32_t> first;  // by key: offset into members (size keys + 1)
  std::vector<std::uint32_t> members;
  std::vector<AliasTable> tables;

  template <class Key>
  Pools(std::size_t keys, const std::vector<NetworkFirm>& firms, const std::vector<double>& weight, Key key) {
    first.assign(keys + 1, 0);
    for (const auto& f : firms) ++first[key(f) + 1];
    for (std::size_t k = 0; k < keys; ++k) first[k + 1] += first[k];
    members.resize(firms.size());
    std::vector<std::uint32_t> at(first.begin(), first.end() - 1);
    for (std::uint32_t i = 0; i < firms.size(); ++i) members[at[key(firms[i])]++] = i;
    tables.resize(keys);
    std::vector<double> w;
    for (std::size_t k = 0; k < keys; ++k) {
      w.clear();
      for (std::uint32_t j = first[k]; j < first[k + 1]; ++j) w.push_back(weight[members[j]]);
      tables[k] = AliasTable(w);
    }
  }
  bool empty(std::size_t k) const { return first[k] == first[k + 1]; }
  std::uint32_t draw(std::size_t k, double u1, double u2) const { return members[first[k] + tables[k].draw(u1, u2)]; }
};

}  // namespace

SupplyNetwork SupplyNetwork::build(const NetworkParams& p, const std::vector<NetworkFirm>& firms, int sectors,
                                   const rng::RandomSource& source) {
  const auto n = static_cast<std::uint32_t>(firms.size());
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;  // (supplier, customer)
  std::vector<bool> leader(n, false);
  for (std::uint32_t i = 0; i < n; ++i) {
    const NetworkFirm& f = firms[i];
    if (f.size != SizeClass::Large) continue;
    if (std::find(p.key_chains.begin(), p.key_chains.end(), f.sector) == p.key_chains.end()) continue;
    rng::Stream draw(source, f.key, kPurposeNetwork, std::uint64_t{1} << 40);
    leader[i] = draw.uniform() < p.leader_share;
  }

  if (p.topology == NetworkParams::Topology::Complete) {
    edges.reserve(static_cast<std::size_t>(n) * (n > 0 ? n - 1 : 0) / 2);
    for (std::uint32_t c = 0; c < n; ++c)
      for (std::uint32_t s = 0; s < c; ++s) edges.emplace_back(s, c);
  } else if (p.topology == NetworkParams::Topology::EdgeList) {
    for (const auto& [s, c] : p.edge_list) {
      if (s >= n || c >= n) throw std::invalid_argument("network edge list: a firm index is out of range");
      if (s != c) edges.emplace_back(s, c);
    }
  } else {
    // Attractiveness as a supplier: Pareto with tail exponent customer_tail - 1,
    // so that the number of customers has tail exponent customer_tail.
    std::vector<double> weight(n);
    for (std::uint32_t i = 0; i < n; ++i) {
      rng::Stream draw(source, firms[i].key, kPurposeNetwork, 0);
      weight[i] = std::pow(draw.uniform_open(), -1.0 / (p.customer_tail - 1.0));
    }
    int counties = 1;
    for (const auto& f : firms) counties = std::max(counties, f.county + 1);
    const auto s_count = static_cast<std::size_t>(sectors);
    const Pools by_sector(s_count, firms, weight, [](const NetworkFirm& f) { return std::size_t{f.sector}; });
    const Pools by_county(s_count * static_cast<std::size_t>(counties), firms, weight, [&](const NetworkFirm& f) {
      return std::size_t{f.sector} * static_cast<std::size_t>(counties) + f.county;
    });
    std::vector<AliasTable> inputs(s_count);
    for (std::size_t s = 0; s < s_count; ++s) {
      std::vector<double> row(s_count, 0.0);
      if (s < p.input_shares.size() && !p.input_shares[s].empty()) {
        for (std::size_t t = 0; t < s_count && t < p.input_shares[s].size(); ++t) row[t] = p.input_shares[s][t];
      } else {
        for (std::size_t t = 0; t < s_count; ++t) row[t] = t == s ? 0.5 : (s_count > 1 ? 0.5 / (s_count - 1) : 0.0);
        if (s_count == 1) row[0] = 1.0;
      }
      // Sectors without firms cannot supply.
      for (std::size_t t = 0; t < s_count; ++t)
        if (by_sector.empty(t)) row[t] = 0;
      inputs[s] = AliasTable(row);
    }
    std::vector<std::uint32_t> first_supplier(n + 1, 0);  // the customer's block in `edges`
    edges.reserve(static_cast<std::size_t>(n * (p.suppliers_per_firm + 1)));
    for (std::uint32_t c = 0; c < n; ++c) {
      const NetworkFirm& f = firms[c];
      first_supplier[c] = static_cast<std::uint32_t>(edges.size());
      rng::Stream draw(source, f.key, kPurposeNetwork, 1);
      std::uint64_t want = 1 + rng::poisson(draw, std::max(0.0, p.suppliers_per_firm - 1.0));
      if (leader[c]) want += static_cast<std::uint64_t>(std::max(0, p.leader_suppliers));
      const auto block = edges.size();
      auto has = [&](std::uint32_t s) {
        for (std::size_t e = block; e < edges.size(); ++e)
          if (edges[e].first == s) return true;
        return false;
      };
      for (std::uint64_t k = 0, tries = 0; k < want && tries < 8 * want + 8; ++tries) {
        std::uint32_t s = c;
        const std::size_t mine = edges.size() - block;
        if (mine > 0 && draw.uniform() < p.closure) {
          // Triadic closure: a supplier of one of my suppliers (already built).
          const std::uint32_t via = edges[block + static_cast<std::size_t>(draw.uniform() * mine) % mine].first;
          if (via < c) {
            const std::uint32_t lo = first_supplier[via], hi = first_supplier[via + 1];
            if (hi > lo) s = edges[lo + static_cast<std::uint32_t>(draw.uniform() * (hi - lo)) % (hi - lo)].first;
          }
        }
        if (s == c) {
          if (inputs[f.sector].empty()) break;
          const std::uint32_t sector = inputs[f.sector].draw(draw.uniform(), draw.uniform());
          const std::size_t local = std::size_t{sector} * static_cast<std::size_t>(counties) + f.county;
          const bool same_county = draw.uniform() < p.same_county_share && !by_county.empty(local);
          const double u1 = draw.uniform(), u2 = draw.uniform();
          s = same_county ? by_county.draw(local, u1, u2) : by_sector.draw(sector, u1, u2);
        }
        if (s == c || has(s)) continue;
        edges.emplace_back(s, c);
        ++k;
      }
      first_supplier[c + 1] = static_cast<std::uint32_t>(edges.size());
    }
  }
  if (edges.size() >= 0xffffffffULL) throw std::invalid_argument("network: more than 4 billion edges");

  SupplyNetwork net;
  net.g_ = Graph(boost::edges_are_unsorted_multi_pass, edges.begin(), edges.end(), n);
  // Leaders and their supplier trees (breadth first over suppliers).
  net.position_.assign(n, NetworkPosition::Other);
  std::vector<std::uint32_t> depth_of(n, 0), frontier, next;
  std::vector<std::uint32_t> seen_stamp(n, 0);
  for (std::uint32_t i = 0; i < n; ++i) {
    if (!leader[i]) continue;
    net.leaders_.push_back(i);
    net.position_[i] = NetworkPosition::Leader;
  }
  for (std::size_t l = 0; l < net.leaders_.size(); ++l) {
    const std::uint32_t root = net.leaders_[l];
    const auto stamp = static_cast<std::uint32_t>(l + 1);
    std::vector<std::uint32_t> tree;
    frontier.assign(1, root);
    seen_stamp[root] = stamp;
    for (int d = 0; d < p.tree_depth && !frontier.empty(); ++d) {
      next.clear();
      for (std::uint32_t v : frontier)
        net.for_each_supplier(v, [&](std::uint32_t s) {
          if (seen_stamp[s] == stamp) return;
          seen_stamp[s] = stamp;
          tree.push_back(s);
          next.push_back(s);
        });
      frontier.swap(next);
    }
    std::sort(tree.begin(), tree.end());
    for (std::uint32_t s : tree)
      if (net.position_[s] == NetworkPosition::Other) net.position_[s] = NetworkPosition::LeaderSupplier;
    net.trees_.push_back(std::move(tree));
  }
  return net;
}

double SupplyNetwork::clustering() const {
  const std::uint32_t n = firms();
  std::vector<std::uint32_t> mark(n, 0), nb;
  double sum = 0;
  std::uint64_t counted = 0;
  for (std::uint32_t v = 0; v < n; ++v) {
    nb.clear();
    auto add = [&](std::uint32_t u) {
      if (u != v && mark[u] != v + 1) {
        mark[u] = v + 1;
        nb.push_back(u);
      }
    };
    for_each_supplier(v, add);
    for_each_customer(v, add);
    if (nb.size() < 2) continue;
    // Ties among v's neighbours, each counted once (u < w).
    std::uint64_t links = 0;
    for (std::uint32_t u : nb) {
      auto count = [&](std::uint32_t w) {
        if (w > u && mark[w] == v + 1) ++links;
      };
      for_each_supplier(u, count);
      for_each_customer(u, count);
    }
    const double k = static_cast<double>(nb.size());
    sum += static_cast<double>(links) / (k * (k - 1) / 2);
    ++counted;
  }
  return counted ? sum / static_cast<double>(counted) : 0.0;
}

std::size_t SupplyNetwork::bytes() const {
  // Forward: row starts and targets; backward: row starts, sources and edge indices.
  const std::size_t n = firms(), e = edges();
  std::size_t b = 2 * (n + 1) * sizeof(std::uint32_t) + e * 3 * sizeof(std::uint32_t);
  b += position_.size() * sizeof(NetworkPosition) + leaders_.size() * sizeof(std::uint32_t);
  for (const auto& t : trees_) b += t.size() * sizeof(std::uint32_t) + sizeof(t);
  return b;
}

}  // namespace renewsim::model
