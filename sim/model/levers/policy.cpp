#include "model/levers/policy.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace renewsim::model {

Policy::Policy(const PolicyParams& p) : max_share_(p.max_subsidy_share) {
  // Numbers in PolicyParams::for_each order; unannounced levers get an awareness bit each.
  int next_bit = 0;
  auto add = [&](auto params, auto& into) {
    if (!params.enabled) return;
    if (!params.announced) {
      if (next_bit == 64) throw std::invalid_argument("at most 64 unannounced levers");
      params.awareness_bit = next_bit++;
      ++unannounced_;
    }
    params.kept_salt = name_salt(params.name);
    info_.push_back({params.name, params.funding, params.baseline});
    bases_.push_back(static_cast<const LeverBase&>(params));
    into.emplace_back(std::move(params));
  };
  // Lever number of into[i]: first + i.
  auto type = [&](const auto& list, auto& into, std::size_t& first) {
    first = info_.size();
    for (const auto& x : list) add(x, into);
  };
  type(p.capital_subsidies, subsidies_, first_.capital);
  type(p.tax_levers, taxes_, first_.tax);
  type(p.interest_subsidies, interest_, first_.interest);
  type(p.approval_levers, approval_, first_.approval);
  type(p.loan_funds, funds_, first_.fund);
  if (funds_.size() > kMaxFunds) throw std::invalid_argument("at most 32 enabled loan funds");
  if (standards_.size() > kMaxStandards) throw std::invalid_argument("at most 64 enabled mandatory standards");
  type(p.credit_supplies, credit_, first_.credit);
  type(p.land_levers, land_, first_.land);
  type(p.group_purchases, group_, first_.group);
  type(p.first_of_kind, fok_, first_.fok);
  type(p.mandatory_standards, standards_, first_.standard);
  type(p.awards, awards_, first_.award);
  type(p.advisories, advisories_, first_.advisory);
  type(p.programmes, programmes_, first_.programme);

  for (const auto& t : taxes_) {
    max_tax_credit_ = std::max(max_tax_credit_, t.params().credit);
    max_deduction_multiplier_ = std::max(max_deduction_multiplier_, 1.0 + t.params().super_deduction);
    any_tax_holiday_ = any_tax_holiday_ || t.params().holiday_free_years > 0 || t.params().holiday_half_years > 0;
  }
  for (const auto& i : interest_) {
    int backing = -1;
    if (!i.params().backed_by.empty()) {
      for (std::size_t f = 0; f < funds_.size(); ++f)
        if (funds_[f].params().name == i.params().backed_by) backing = static_cast<int>(f);
      // A disabled or missing fund backs nothing: the subsidy then applies to no loan.
      if (backing < 0) backing = -2;
    }
    interest_backing_.push_back(backing);
  }
  for (const auto& s : standards_) excludes_non_compliant_ = excludes_non_compliant_ || s.params().exclude_from_subsidies;
  for (auto& a : advisories_) {
    a.informs_bits = 0;
    for (const auto& b : bases_) {
      if (b.awareness_bit < 0) continue;
      const auto& names = a.params().informs;
      if (names.empty() || std::find(names.begin(), names.end(), b.name) != names.end())
        a.informs_bits |= std::uint64_t{1} << b.awareness_bit;
    }
  }
}

Policy Policy::continued_as(const PolicyParams& variant, std::vector<int>& renumber) const {
  Policy out(variant);
  renumber.assign(size(), -1);
  // Per type, the variant's levers are ours in the same order, less some.
  auto carry = [&](auto& into, const auto& from, std::size_t first_into, std::size_t first_from) {
    std::size_t j = 0;
    for (std::size_t k = 0; k < into.size(); ++k, ++j) {
      for (; j < from.size() && from[j].params().name != into[k].params().name; ++j)
        if (!from[j].params().announced)
          throw std::invalid_argument("lever " + from[j].params().name + " is unannounced: it cannot be switched off");
      if (j == from.size())
        throw std::invalid_argument("lever " + into[k].params().name + " is not in the package continued");
      into[k] = from[j];
      renumber[first_from + j] = static_cast<int>(first_into + k);
    }
    for (; j < from.size(); ++j)
      if (!from[j].params().announced)
        throw std::invalid_argument("lever " + from[j].params().name + " is unannounced: it cannot be switched off");
  };
  carry(out.subsidies_, subsidies_, out.first_.capital, first_.capital);
  carry(out.taxes_, taxes_, out.first_.tax, first_.tax);
  carry(out.interest_, interest_, out.first_.interest, first_.interest);
  carry(out.approval_, approval_, out.first_.approval, first_.approval);
  carry(out.funds_, funds_, out.first_.fund, first_.fund);
  carry(out.credit_, credit_, out.first_.credit, first_.credit);
  carry(out.land_, land_, out.first_.land, first_.land);
  carry(out.group_, group_, out.first_.group, first_.group);
  carry(out.fok_, fok_, out.first_.fok, first_.fok);
  carry(out.standards_, standards_, out.first_.standard, first_.standard);
  carry(out.awards_, awards_, out.first_.award, first_.award);
  carry(out.advisories_, advisories_, out.first_.advisory, first_.advisory);
  carry(out.programmes_, programmes_, out.first_.programme, first_.programme);
  return out;
}

double Policy::price_factor(const ProjectView& v) const {
  double f = 1.0;
  for (const auto& g : group_) f *= 1.0 - g.discount(v);
  return f;
}

double Policy::counted_factor(const ProjectView& v) const {
  double f = 1.0;
  for (const auto& k : fok_)
    if (k.applies(v)) f = std::max(f, k.params().investment_factor);
  return f;
}

std::uint64_t Policy::subsidies_covering_firm(const ProjectView& firm) const {
  std::uint64_t covering = ~std::uint64_t{0};
  for (std::size_t i = 0; i < subsidies_.size() && i < 64; ++i)
    if (!subsidies_[i].params().covers_firm(firm)) covering &= ~(std::uint64_t{1} << i);
  return covering;
}

Offer Policy::offer(const ProjectView& v, double score, const std::uint64_t* covering) const {
  Offer out;
  if (v.non_compliant && excludes_non_compliant_) return out;
  // Capital subsidies: the same order and stacking as grant(), without committing.
  const double base = v.price * v.counted_factor;
  ProjectView counted = v;
  counted.price = base;
  double room = max_share_ * base;
  int levers = 0;
  auto take = [&](const CapitalSubsidy& s, double entitled) {
    entitled = std::min(entitled, room);
    const double got = s.expected(entitled, counted.day, score);
    // A call takes its stacking room whether or not the firm expects to win it (as grant() does).
    const double reserved = s.call() ? entitled : got;
    if (got > 0) {
      out.add(got, s.params().window.end);
      out.capital += got;
    }
    if (reserved <= 0) return;
    room -= reserved;
    ++levers;
  };
  auto open = [&] { return room > 0 && levers < Grants::kMax; };
  std::size_t unmasked = 0;  // the first subsidy the mask does not cover
  if (covering) {
    // Only the subsidies that cover the firm, in the stacking order (ascending).
    const std::size_t n = std::min<std::size_t>(subsidies_.size(), 64);
    const std::uint64_t in_range = n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
    for (std::uint64_t m = *covering & in_range; m != 0 && open(); m &= m - 1) {
      const auto i = static_cast<std::size_t>(std::countr_zero(m));
      take(subsidies_[i], subsidies_[i].entitlement_covering_firm(counted, score));
    }
    unmasked = n;
  }
  for (std::size_t i = unmasked; i < subsidies_.size() && open(); ++i)
    take(subsidies_[i], subsidies_[i].entitlement(counted, score));
  for (const auto& k : fok_)
    if (k.applies(v)) out.add(k.params().insurance_subsidy * v.price, k.params().window.end);
  for (const auto& g : programmes_) out.add(g.offer(v), g.params().window.end);
  return out;
}

double Policy::land_waiver(const ProjectView& v) const {
  double w = 0;
  for (const auto& l : land_) w += l.waiver(v);
  return std::min(1.0, w);
}

double Policy::score_bonus(const ProjectView& v) const {
  double b = 0;
  for (const auto& l : land_) b += l.score_bonus(v);
  return b;
}

double Policy::loan_rate(const ProjectView& v, double loan, double market_rate, double loan_years) const {
  if (loan <= 0) return market_rate;
  // The cheapest covering fund with room lends its part at its rate.
  double fund_part = 0, fund_rate = market_rate;
  int fund = -1;
  FundOrder order;
  const std::size_t n = funds_.empty() ? 0 : funds_order(v, market_rate, loan_years, order);
  for (std::size_t k = 0; k < n && fund < 0; ++k) {
    const std::size_t i = order[k];
    if (const double a = funds_[i].available(v, loan); a > 0) {
      fund_part = a;
      fund_rate = std::min(market_rate, funds_[i].params().rate);
      fund = static_cast<int>(i);
    }
  }
  const double rate =
      fund_part > 0 ? (fund_part * fund_rate + (loan - fund_part) * market_rate) / loan : market_rate;
  double cut = 0;
  if (!(v.non_compliant && excludes_non_compliant_))
    for (std::size_t i = 0; i < interest_.size(); ++i) {
      const int backing = interest_backing_[i];
      const double share = backing == -1 ? 1.0 : (backing == fund ? fund_part / loan : 0.0);
      if (share > 0) cut += share * interest_[i].rate_cut(v, loan_years);
    }
  for (const auto& c : credit_) cut += c.rate_cut(v);
  return std::max(0.0, rate - cut);
}

double Policy::lowest_loan_rate(double market_rate) const {
  // The cheapest fund lending all of it, every interest subsidy's full points
  // and every credit-supply cut at once.
  double rate = market_rate;
  for (const auto& f : funds_) rate = std::min(rate, f.params().rate);
  for (const auto& i : interest_) rate -= std::max(0.0, i.params().points);
  for (const auto& c : credit_) rate -= std::max(0.0, c.params().rate_cut);
  return std::max(0.0, rate);
}

std::size_t Policy::funds_order(const ProjectView& v, double market_rate, double loan_years, FundOrder& order) const {
  const std::size_t n = funds_.size();
  std::array<double, kMaxFunds> cost;  // the first n are set below
  for (std::size_t i = 0; i < n; ++i) {
    order[i] = static_cast<std::uint8_t>(i);
    cost[i] = std::min(market_rate, funds_[i].params().rate);
    if (n > 1 && !(v.non_compliant && excludes_non_compliant_))
      for (std::size_t s = 0; s < interest_.size(); ++s)
        if (interest_backing_[s] == static_cast<int>(i)) cost[i] -= interest_[s].rate_cut(v, loan_years);
  }
  // A stable insertion sort: a handful of funds, asked at every loan priced
  // (std::stable_sort allocates a buffer each time).
  for (std::size_t i = 1; i < n; ++i)
    for (std::size_t j = i; j > 0 && cost[order[j]] < cost[order[j - 1]]; --j) std::swap(order[j], order[j - 1]);
  return n;
}

bool Policy::credit_access(const ProjectView& v) const {
  for (const auto& c : credit_)
    if (c.gives_access(v)) return true;
  return false;
}

double Policy::credit_limit_lift(const ProjectView& v) const {
  double lift = 0;
  for (const auto& c : credit_) lift += c.limit_lift(v);
  return lift;
}

void Policy::award_offer(const ProjectView& v, const FirmStatus& before, const FirmStatus& after, Offer& out,
                         kernel::Day decided) const {
  if (v.non_compliant && excludes_non_compliant_) return;
  for (const auto& a : awards_) out.add(a.offer(v, before, after, decided), a.params().window.end);
}

void Policy::apply_tax(const ProjectView& v, TaxTreatment& t, std::vector<std::uint16_t>* applied) const {
  for (std::size_t i = 0; i < taxes_.size(); ++i)
    if (taxes_[i].apply(v, t) && applied) applied->push_back(static_cast<std::uint16_t>(first_.tax + i));
}

void Policy::grant(const ProjectView& v, double score, Grants& grants, std::vector<std::uint16_t>& rejected,
                   std::vector<std::pair<std::uint32_t, double>>* applications) {
  if (v.non_compliant && excludes_non_compliant_) return;
  ProjectView counted = v;
  counted.price = v.price * v.counted_factor;
  double room = max_share_ * counted.price - grants.total();
  std::size_t asked = 0;  // applications count towards the levers a project may draw
  for (std::size_t i = 0; i < subsidies_.size() && grants.count + asked < Grants::kMax; ++i) {
    const auto id = static_cast<std::uint16_t>(first_.capital + i);
    if (room <= 0) break;
    if (grants.has(id)) continue;  // a project draws a lever once
    CapitalSubsidy& s = subsidies_[i];
    if (s.call()) {
      // Stacking counts the application as if it were granted.
      const double amount = applications ? s.apply(counted, score, room) : 0.0;
      if (amount > 0) {
        applications->emplace_back(static_cast<std::uint32_t>(i), amount);
        room -= amount;
        ++asked;
      }
      continue;
    }
    const std::int64_t rejected_before = s.rejected();
    const double got = s.grant(counted, score, room);
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
