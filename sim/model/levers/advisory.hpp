// Advisory diagnosis: advisers visit the covered firms once, at days spread
// evenly over the window (a fixed draw per firm), so that `coverage` of them
// are visited by its end (Sichuan §6: full-coverage diagnosis of above-scale
// firms with one-to-one advisers). A visit tells the firm of the unannounced
// levers named in `informs` (all of them when empty) and triggers a review.
// Each visit costs `cost_per_visit`, fiscal outlay on the day.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/levers/lever_common.hpp"

namespace renewsim::model {

struct AdvisoryParams : LeverBase {
  AdvisoryParams() { funding = {0, 1, 0, 0}; }
  double coverage = 1.0;
  double cost_per_visit = 0;
  std::vector<std::string> informs;  // lever names; empty = every unannounced lever
};

class Advisory {
 public:
  explicit Advisory(AdvisoryParams p) : p_(std::move(p)) {}
  const AdvisoryParams& params() const { return p_; }
  // The day an adviser visits the firm (`firm`: its sector, size, county,
  // revenue and key; the day is ignored), if it is visited at all.
  std::optional<kernel::Day> visit_day(ProjectView firm) const {
    firm.day = p_.window.start;
    if (!p_.enabled || !p_.eligible.matches_firm(firm) || !p_.known(firm)) return std::nullopt;
    if (p_.firm_draw(firm) >= p_.coverage) return std::nullopt;
    const double span = static_cast<double>(p_.window.end - p_.window.start + 1);
    const double u = keyed_uniform(firm.firm_key, p_.salt() ^ 0x5157u);
    return p_.window.start + std::min(static_cast<kernel::Day>(u * span), p_.window.end - p_.window.start);
  }
  // The awareness bits a visit sets (filled in by the policy package).
  std::uint64_t informs_bits = 0;

 private:
  AdvisoryParams p_;
};

// Demonstration and chain-leader programmes: designate member firms (by the
// eligibility rules and a share, a fixed draw per firm) whose projects in the
// window are demonstration or chain-collaboration projects: counted, given
// `grant` each (fiscal outlay when the project starts, at most
// `max_projects` a year; 0 = no limit), and reported to the supply-chain model
// through the simulation's commissioning hook (docs/levers.md). The effect on
// the members' neighbours lives there.
struct ProgrammeParams : LeverBase {
  ProgrammeParams() { funding = {0, 1, 0, 0}; }
  enum class Role : std::uint8_t { Demonstration, ChainLeader };
  Role role = Role::Demonstration;
  double share = 1.0;
  double grant = 0;
  std::int64_t max_projects = 0;
};

class Programme {
 public:
  explicit Programme(ProgrammeParams p) : p_(std::move(p)) {}
  const ProgrammeParams& params() const { return p_; }
  // Whether the firm is a member (the lever's rules on the firm, on any day).
  bool member(ProjectView firm) const {
    firm.day = p_.window.start;
    return p_.enabled && p_.eligible.matches_firm(firm) && p_.firm_draw(firm) < p_.share;
  }
  // Designates a project starting now; returns whether it counts (the yearly
  // number may be used up: then it is rejected and counted).
  bool designate(const ProjectView& v) {
    if (!p_.covers(v) || p_.firm_draw(v) >= p_.share) return false;
    if (p_.max_projects > 0) {
      std::int64_t& n = designated_[kernel::year_of(v.day)];
      if (n >= p_.max_projects) {
        ++rejected_;
        return false;
      }
      ++n;
    }
    return true;
  }
  // What a member project would receive now (for the decision).
  double offer(const ProjectView& v) const {
    if (p_.grant <= 0 || !p_.covers(v) || p_.firm_draw(v) >= p_.share) return 0.0;
    if (p_.max_projects > 0) {
      const auto it = designated_.find(kernel::year_of(v.day));
      if (it != designated_.end() && it->second >= p_.max_projects) return 0.0;
    }
    return p_.grant;
  }
  std::int64_t rejected() const { return rejected_; }

 private:
  ProgrammeParams p_;
  std::map<int, std::int64_t> designated_;
  std::int64_t rejected_ = 0;
};

}  // namespace renewsim::model
