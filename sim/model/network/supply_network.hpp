// The region's supply-chain network: firms as vertices, supplier -> customer
// edges, stored as a Boost compressed sparse row graph with both directions
// (a firm's customers are its out-edges, its suppliers its in-edges).
//
// Generated (docs/network.md): each firm draws its suppliers (mean
// `suppliers_per_firm`), each supplier's sector from its own sector's row of
// the input shares, within its county with probability `same_county_share`,
// weighted by a Pareto attractiveness so that customers per firm are
// heavy-tailed (tail exponent `customer_tail`); with probability `closure` a
// tie goes instead to a supplier of one of the firm's suppliers (triadic
// closure: clustering). Chain leaders are large firms of the key chains;
// each draws `leader_suppliers` extra suppliers, and its supplier tree is the
// firms within `tree_depth` supplier steps. Or: a complete network (tests,
// the Bass benchmark), or an edge list given by the caller.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <boost/graph/compressed_sparse_row_graph.hpp>

#include "kernel/calendar.hpp"
#include "model/types.hpp"
#include "random/stream.hpp"

namespace renewsim::model {

struct NetworkParams {
  enum class Topology : std::uint8_t { Generated, Complete, EdgeList };
  bool enabled = false;
  Topology topology = Topology::Generated;
  double suppliers_per_firm = 4;
  double same_county_share = 0.5;
  double closure = 0.2;
  double customer_tail = 2.5;  // > 1
  // input_shares[s][t]: share of sector s's inputs bought from sector t (rows
  // sum to 1); empty: half from the own sector, the rest evenly.
  std::vector<std::vector<double>> input_shares;
  std::vector<std::uint8_t> key_chains;  // sector indices whose large firms may lead chains
  double leader_share = 1.0;             // of those large firms
  int leader_suppliers = 20;
  int tree_depth = 2;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edge_list;  // (supplier, customer), for Topology::EdgeList

  // What travels along it.
  double bass_p = 0.03;  // yearly hazard of learning of the levers by oneself ...
  double bass_q = 0.38;  // ... plus q x the share of neighbours that have renewed (or are aware)
  bool peers_count_when_aware = false;  // F_local counts aware neighbours instead of renewed ones
  double imitation = 0.0;               // a neighbour reviews after a firm's commissioning, with this probability
  int imitation_lag_days = 30;
  double leader_review_share = 1.0;     // of a leader's direct suppliers that review after its upgrade
  int leader_lag_days = 30;
  double demonstration_q = 0.2;         // added to q of the neighbours of a demonstration project
  kernel::Day start = kernel::day_of(2024, 1, 1);  // diffusion and "renewed" counting begin
};

// Where a firm sits (outputs by network position).
enum class NetworkPosition : std::uint8_t { Other, Leader, LeaderSupplier };
inline constexpr int kNetworkPositions = 3;
inline constexpr std::array<std::string_view, kNetworkPositions> kNetworkPositionNames = {"others", "leaders",
                                                                                         "leader_suppliers"};

// A firm as the generator sees it.
struct NetworkFirm {
  std::uint8_t sector = 0;
  SizeClass size = SizeClass::Small;
  std::uint16_t county = 0;
  std::uint64_t key = 0;  // random per firm (stream entity)
};

class SupplyNetwork {
 public:
  using Graph = boost::compressed_sparse_row_graph<boost::bidirectionalS, boost::no_property, boost::no_property,
                                                   boost::no_property, std::uint32_t, std::uint32_t>;

  // Builds the network for these firms; `source` and the firms' keys make it
  // reproducible (the same seed and replication give the same network).
  static SupplyNetwork build(const NetworkParams& p, const std::vector<NetworkFirm>& firms, int sectors,
                             const rng::RandomSource& source);

  std::uint32_t firms() const { return static_cast<std::uint32_t>(boost::num_vertices(g_)); }
  std::uint64_t edges() const { return boost::num_edges(g_); }
  const Graph& graph() const { return g_; }
  template <class F>
  void for_each_supplier(std::uint32_t firm, F&& f) const {
    for (auto [it, end] = boost::in_edges(firm, g_); it != end; ++it) f(static_cast<std::uint32_t>(boost::source(*it, g_)));
  }
  template <class F>
  void for_each_customer(std::uint32_t firm, F&& f) const {
    for (auto [it, end] = boost::out_edges(firm, g_); it != end; ++it) f(static_cast<std::uint32_t>(boost::target(*it, g_)));
  }
  std::uint32_t suppliers(std::uint32_t firm) const { return static_cast<std::uint32_t>(boost::in_degree(firm, g_)); }
  std::uint32_t customers(std::uint32_t firm) const { return static_cast<std::uint32_t>(boost::out_degree(firm, g_)); }
  std::uint32_t neighbours(std::uint32_t firm) const { return suppliers(firm) + customers(firm); }

  const std::vector<std::uint32_t>& leaders() const { return leaders_; }
  NetworkPosition position(std::uint32_t firm) const { return position_[firm]; }
  // Members of a leader's supplier tree (the leader excluded), by leader index.
  const std::vector<std::uint32_t>& tree(std::size_t leader) const { return trees_[leader]; }

  // Average local clustering coefficient of the undirected view (ties in
  // either direction), over firms with at least two neighbours.
  double clustering() const;
  // Bytes held (graph, positions, trees).
  std::size_t bytes() const;

 private:
  Graph g_;
  std::vector<std::uint32_t> leaders_;
  std::vector<NetworkPosition> position_;
  std::vector<std::vector<std::uint32_t>> trees_;
};

}  // namespace renewsim::model
