#include "model/levers/policy.hpp"

#include <algorithm>

namespace renewsim::model {

Policy::Policy(const PolicyParams& p) : max_share_(p.max_subsidy_share) {
  for (const auto& c : p.capital_subsidies)
    if (c.enabled) {
      subsidies_.emplace_back(c);
      info_.push_back({c.name, c.funding});
    }
  for (const auto& t : p.tax_levers)
    if (t.enabled) {
      taxes_.emplace_back(t);
      info_.push_back({t.name, t.funding});
      max_tax_credit_ = std::max(max_tax_credit_, t.credit);
      any_tax_holiday_ = any_tax_holiday_ || t.holiday_free_years > 0 || t.holiday_half_years > 0;
    }
  for (const auto& i : p.interest_subsidies)
    if (i.enabled) {
      interest_.emplace_back(i);
      info_.push_back({i.name, i.funding});
    }
  for (const auto& a : p.approval_levers)
    if (a.enabled) {
      approval_.emplace_back(a);
      info_.push_back({a.name, a.funding});
    }
}

double Policy::loan_rate_cut(const ProjectView& v, double loan_years) const {
  double cut = 0;
  for (const auto& i : interest_) cut += i.rate_cut(v, loan_years);
  return cut;
}

void Policy::apply_tax(const ProjectView& v, TaxTreatment& t, std::vector<std::uint16_t>* applied) const {
  for (std::size_t i = 0; i < taxes_.size(); ++i)
    if (taxes_[i].apply(v, t) && applied) applied->push_back(static_cast<std::uint16_t>(subsidies_.size() + i));
}

double Policy::offer(const ProjectView& v, double score) const {
  // The same order and stacking as grant(), without committing.
  double room = max_share_ * v.price, total = 0;
  int levers = 0;
  for (const auto& s : subsidies_) {
    if (room <= 0 || levers == Grants::kMax) break;
    const double got = s.offer(v, score, room);
    if (got <= 0) continue;
    total += got;
    room -= got;
    ++levers;
  }
  return total;
}

void Policy::grant(const ProjectView& v, double score, Grants& grants, std::vector<std::uint16_t>& rejected) {
  double room = max_share_ * v.price - grants.total();
  for (std::size_t i = 0; i < subsidies_.size() && grants.count < Grants::kMax; ++i) {
    const auto id = static_cast<std::uint16_t>(i);
    if (room <= 0) break;
    if (grants.has(id)) continue;  // a project draws a lever once
    CapitalSubsidy& s = subsidies_[i];
    const std::int64_t rejected_before = s.rejected();
    const double got = s.grant(v, score, room);
    if (got <= 0) {
      if (s.rejected() > rejected_before) rejected.push_back(id);
      continue;
    }
    grants.lever[grants.count] = id;
    grants.amount[grants.count] = got;
    ++grants.count;
    room -= got;
  }
}

}  // namespace renewsim::model
