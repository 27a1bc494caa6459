// Award: a lump sum when a firm reaches a status, e.g. digital workshop
// 0.3 m, smart factory 0.5 m, (provincial) future factory 2 m; green factory
// municipal 0.2 m, provincial 0.5 m, national 1.5 m (Jiaxing §11). Each tier
// is its own lever. A status is a set of thresholds on the firm's equipment
// (all that are set must hold):
// - `min_cnc_share` of its key-process capacity numerically controlled;
// - `min_efficient_share` of its energy-using capacity at energy-saving or
//   better, `min_benchmark_share` at benchmark;
// - `min_robot_share` of its capacity in robot lines;
// - `require_digital_tools`.
// A firm is awarded at most once per lever, when a project of its is
// commissioned in the window and it then qualifies, from a budget (per year
// or pooled, in event order; a claim the budget cannot cover is rejected and
// counted). The award is paid at once (fiscal outlay). In the decision it
// counts as support for a project that would lift the firm to the status.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/levers/lever_common.hpp"

namespace renewsim::model {

// A firm's equipment, summed over its active vintages.
struct FirmStatus {
  double capacity = 0;            // production capacity
  double key_capacity = 0;        // in categories counted for the CNC rate
  double cnc_capacity = 0;
  double energy_capacity = 0;     // in categories with energy classes
  double efficient_capacity = 0;  // energy-saving or benchmark
  double benchmark_capacity = 0;
  double robot_capacity = 0;
  bool digital_tools = false;
};

struct AwardParams : LeverBase {
  AwardParams() { funding = {0, 0, 1, 0}; }
  double amount = 5e5;  // RMB per award
  double min_cnc_share = 0;
  double min_efficient_share = 0;
  double min_benchmark_share = 0;
  double min_robot_share = 0;
  bool require_digital_tools = false;
  double budget = 0;  // RMB per year (or for the pool); 0 = unlimited
  bool pool = false;
};

class Award {
 public:
  explicit Award(AwardParams p) : p_(std::move(p)), budget_(p_.budget, p_.pool, "an award's budget") {}
  const AwardParams& params() const { return p_; }
  bool qualifies(const FirmStatus& s) const;
  bool awarded(std::uint32_t firm) const { return firm < awarded_.size() && awarded_[firm]; }
  // What a project lifting the firm from `before` to `after` would bring (0 if
  // nothing: not covered, already awarded or qualifying, budget short).
  // `v.day` is when it would be commissioned, `decided` when the firm decides
  // (the same day if not given): the award must cover both.
  double offer(const ProjectView& v, const FirmStatus& before, const FirmStatus& after,
               std::optional<kernel::Day> decided = std::nullopt) const;
  // A claim after a commissioning: the award if the firm now qualifies and has
  // not had it (0 for a recognition without money: still a designation);
  // kNone otherwise (a claim the budget cannot cover is counted).
  static constexpr double kNone = -1.0;
  double claim(const ProjectView& v, const FirmStatus& now);
  double remaining(kernel::Day d) const { return budget_.remaining(d); }
  std::int64_t rejected() const { return budget_.rejected(); }

 private:
  AwardParams p_;
  std::vector<bool> awarded_;  // by firm
  Budget budget_;
};

}  // namespace renewsim::model
