// The policy package of a run: the levers declared in the scenario, with
// their budgets (one package per replication). The decision asks it what a
// project would receive; a started project's grants are committed in event
// order; grants are paid out at acceptance and booked as fiscal outlay.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "model/levers/capital_subsidy.hpp"

namespace renewsim::model {

struct PolicyParams {
  std::vector<CapitalSubsidyParams> capital_subsidies;
  // Stacking: capital subsidies together give at most this share of a price.
  double max_subsidy_share = 1.0;

  bool any_enabled() const {
    for (const auto& c : capital_subsidies)
      if (c.enabled) return true;
    return false;
  }
};

// What a project has been granted, by lever: at most kMax levers a project
// (offer() and grant() both stop there).
struct Grants {
  static constexpr int kMax = 6;
  std::array<std::uint16_t, kMax> lever{};
  std::array<double, kMax> amount{};
  std::uint8_t count = 0;
  double total() const {
    double t = 0;
    for (int i = 0; i < count; ++i) t += amount[static_cast<std::size_t>(i)];
    return t;
  }
  bool has(std::uint16_t l) const {
    for (int i = 0; i < count; ++i)
      if (lever[static_cast<std::size_t>(i)] == l) return true;
    return false;
  }
};

class Policy {
 public:
  explicit Policy(const PolicyParams& p);

  // The support a project would receive if it started now: each enabled
  // lever's offer in declaration order, stacked up to the maximum share.
  double offer(const ProjectView& v, double score) const;
  // Commits grants for a project starting now (skipping levers it has drawn
  // already); appends the indices of levers that had to reject it.
  void grant(const ProjectView& v, double score, Grants& grants, std::vector<std::uint16_t>& rejected);

  // Enabled levers, in declaration order, for outputs.
  std::size_t size() const { return subsidies_.size(); }
  const CapitalSubsidyParams& lever(std::size_t i) const { return subsidies_[i].params(); }
  bool empty() const { return subsidies_.empty(); }

 private:
  std::vector<CapitalSubsidy> subsidies_;  // enabled ones only
  double max_share_;
};

}  // namespace renewsim::model
