// What every lever shares: the project it looks at, when it is open, which
// projects qualify, and who pays for it.
#pragma once

#include <algorithm>
#include <array>
#include <bitset>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "kernel/calendar.hpp"
#include "model/invariant.hpp"
#include "model/types.hpp"

namespace renewsim::model {

// A proposed project as a lever sees it.
struct ProjectView {
  std::uint32_t firm = 0;
  std::uint8_t sector = 0;
  SizeClass size = SizeClass::Small;
  Category category = Category::MachineTools;
  ProjectKind kind = ProjectKind::Replace;
  MenuOption option = MenuOption::Standard;
  EnergyClass energy_class = EnergyClass::Baseline;  // of the equipment after the project
  bool cnc = false;
  double price = 0;  // RMB, the whole project
  std::uint32_t units = 1;
  kernel::Day day = 0;
  std::uint16_t county = 0;
  double revenue = 0;          // the firm's yearly revenue (demand) now, RMB
  std::uint64_t firm_key = 0;  // random per firm and replication: draws that must stay fixed for a firm
  std::uint64_t project_key = 0;  // random per proposed project (firm, day, slot): the same at offer and grant
  std::uint64_t known = 0;     // awareness bits of the unannounced levers the firm has been told of
  double counted_factor = 1;   // first-of-kind equipment counts at this multiple of its price
  bool non_compliant = false;  // the firm keeps equipment a mandatory standard bans (besides what this replaces)
  std::uint8_t position = 0;   // in the supply-chain network: 0 others, 1 chain leader, 2 a leader's supplier tree
};

// A 64-bit key from a key and a salt (splitmix64 finaliser), and a uniform in
// [0, 1) from it: fixed draws per firm or per project that every lever can
// make without a stream.
inline std::uint64_t mix_key(std::uint64_t key, std::uint64_t salt) {
  std::uint64_t z = key ^ (salt * 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
inline double keyed_uniform(std::uint64_t key, std::uint64_t salt) {
  return static_cast<double>(mix_key(key, salt) >> 11) * 0x1.0p-53;
}
// A salt from a lever's name (FNV-1a), so its draws do not depend on declaration order.
inline std::uint64_t name_salt(const std::string& name) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ULL;
  return h;
}

// Open from `start` to `end`, both days included.
struct LeverWindow {
  kernel::Day start = kernel::day_of(2024, 1, 1);
  kernel::Day end = kernel::day_of(2027, 12, 31);
  bool open(kernel::Day d) const { return d >= start && d <= end; }
};

// Which projects qualify. Empty sets mean "all".
struct Eligibility {
  std::bitset<256> sectors;                      // by sector index; none set = all sectors
  std::bitset<kSizeClasses> sizes;
  std::bitset<kCategories> categories;
  std::bitset<kProjectKinds> kinds;
  EnergyClass min_energy_class = EnergyClass::BelowBaseline;  // of the equipment after the project
  bool require_cnc = false;
  double min_price = 0;  // minimum project size, RMB (inclusive)
  double min_revenue = 0;  // the firm's yearly revenue, RMB (inclusive)
  std::vector<bool> counties;  // by county index; empty = all counties
  std::bitset<3> positions;    // network positions (others, leaders, leader_suppliers); none set = all

  // The rules on the firm only: sector, size, county, revenue.
  // (Indexed without test()'s range check: a sector index is below 256, a
  // size and a position below 3.)
  bool matches_firm(const ProjectView& v) const {
    if (sectors.any() && !sectors[v.sector]) return false;
    if (sizes.any() && !sizes[static_cast<std::size_t>(idx(v.size))]) return false;
    if (!counties.empty() && (v.county >= counties.size() || !counties[v.county])) return false;
    if (positions.any() && (v.position >= positions.size() || !positions[v.position])) return false;
    return v.revenue >= min_revenue;
  }
  bool matches(const ProjectView& v) const { return matches_firm(v) && matches_project(v); }
  // The rules on the project only: category, kind, class, CNC, price.
  bool matches_project(const ProjectView& v) const {
    if (categories.any() && !categories.test(static_cast<std::size_t>(idx(v.category)))) return false;
    if (kinds.any() && !kinds.test(static_cast<std::size_t>(idx(v.kind)))) return false;
    if (v.energy_class < min_energy_class) return false;
    if (require_cnc && !v.cnc) return false;
    return v.price >= min_price;
  }
};

// Money a lever may commit: a limit per calendar year, or one pool for its
// whole window; 0 = unlimited. Used in event order; never exceeded (an
// invariant of the checked build). `what` names it in a violation.
class Budget {
 public:
  Budget(double limit, bool pool, const char* what) : limit_(limit), pool_(pool), what_(what) {}
  double used(kernel::Day d) const {
    const int k = key(d);
    // Few keys, the latest most asked for: scan from the back.
    for (auto it = used_.rbegin(); it != used_.rend() && it->first >= k; ++it)
      if (it->first == k) return it->second;
    return 0.0;
  }
  double remaining(kernel::Day d) const {
    if (limit_ <= 0) return std::numeric_limits<double>::infinity();
    return std::max(0.0, limit_ - used(d));
  }
  // Commits `amount` on day `d` if what remains covers it; otherwise
  // commits nothing, counts a rejection and returns false.
  bool take(kernel::Day d, double amount) {
    if (amount > remaining(d)) {
      ++rejected_;
      return false;
    }
    if (limit_ <= 0) return true;
    const int k = key(d);
    auto it = std::lower_bound(used_.begin(), used_.end(), k, [](const auto& e, int x) { return e.first < x; });
    if (it == used_.end() || it->first != k) it = used_.insert(it, {k, 0.0});
    double& u = it->second;
    u += amount;
    RENEWSIM_INVARIANT(u <= limit_ * (1 + 1e-12), std::string(what_) + " was exceeded");
    return true;
  }
  std::int64_t rejected() const { return rejected_; }

 private:
  int key(kernel::Day d) const { return pool_ ? 0 : kernel::year_of(d); }
  double limit_;
  bool pool_;
  const char* what_;
  std::vector<std::pair<int, double>> used_;  // by calendar year (or 0 for a pool), ascending
  std::int64_t rejected_ = 0;
};

// Shares of the cost borne by each level of government (sum 1).
using FundingShares = std::array<double, kFundingLevels>;

// The parameters every lever type has; each type's parameters extend it.
struct LeverBase {
  std::string name;
  bool enabled = true;
  LeverWindow window;
  Eligibility eligible;
  FundingShares funding = {1, 0, 0, 0};  // central unless a type says otherwise
  // Part of the policy in force before the plan: kept in the no-new-policy
  // counterfactual, not attributed, and its support does not make a project
  // count as supported.
  bool baseline = false;
  // Awareness: an announced lever is known to every firm; another one only to
  // firms told of it (an adviser, a neighbour: bit `awareness_bit` of
  // ProjectView::known) or that learn of it by themselves, at a yearly hazard
  // `awareness_rate` from its start (a fixed exponential time per firm).
  bool announced = true;
  double awareness_rate = 0;
  int awareness_bit = -1;  // set by the policy package for unannounced levers
  // name_salt(name), kept by the policy package when it takes the lever (0:
  // not kept, computed at each use): the draws below are made at every offer.
  std::uint64_t kept_salt = 0;
  std::uint64_t salt() const { return kept_salt != 0 ? kept_salt : name_salt(name); }
  // Extra reviews: shares of the firms it may cover that review within
  // `reaction_days` after it opens, and within `reaction_days` before it closes.
  double reviews_on_open = 0;
  double reviews_before_close = 0;
  int reaction_days = 90;

  // Whether the firm knows of the lever on the view's day.
  bool known(const ProjectView& v) const {
    if (announced) return true;
    if (awareness_bit >= 0 && ((v.known >> awareness_bit) & 1u)) return true;
    if (awareness_rate <= 0) return false;
    const double years = -std::log1p(-keyed_uniform(v.firm_key, salt() ^ 0xa3a3u)) / awareness_rate;
    if (years > 1000) return false;  // (keeps the day arithmetic in range)
    return v.day >= window.start + static_cast<kernel::Day>(years * 365.25);
  }
  // Whether the lever covers a project now: enabled, open, known and eligible.
  bool covers(const ProjectView& v) const {
    return enabled && window.open(v.day) && eligible.matches(v) && known(v);
  }
  // Whether it may cover some project of the firm now: covers() without the
  // rules on the project (category, kind, class, CNC, price).
  bool covers_firm(const ProjectView& v) const {
    return enabled && window.open(v.day) && eligible.matches_firm(v) && known(v);
  }
  // A fixed uniform per firm for this lever (whitelists, participation shares).
  double firm_draw(const ProjectView& v) const { return keyed_uniform(v.firm_key, salt()); }
};

}  // namespace renewsim::model
