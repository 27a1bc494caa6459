// The policy package of a run: the levers declared in the scenario, with
// their budgets (one package per replication). The decision asks it what a
// project would receive; a started project's support is committed in event
// order. Levers are numbered (outputs, awareness bits) by type in the order
// of PolicyParams, then in declaration order.
#pragma once

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/levers/advisory.hpp"
#include "model/levers/approval_lever.hpp"
#include "model/levers/award.hpp"
#include "model/levers/capital_subsidy.hpp"
#include "model/levers/credit_supply.hpp"
#include "model/levers/interest_subsidy.hpp"
#include "model/levers/loan_fund.hpp"
#include "model/levers/mandatory_standard.hpp"
#include "model/levers/price_levers.hpp"
#include "model/levers/tax_lever.hpp"

namespace renewsim::model {

struct PolicyParams {
  // In lever-number order.
  std::vector<CapitalSubsidyParams> capital_subsidies;
  std::vector<TaxLeverParams> tax_levers;
  std::vector<InterestSubsidyParams> interest_subsidies;
  std::vector<ApprovalLeverParams> approval_levers;
  std::vector<LoanFundParams> loan_funds;
  std::vector<CreditSupplyParams> credit_supplies;
  std::vector<LandLeverParams> land_levers;
  std::vector<GroupPurchaseParams> group_purchases;
  std::vector<FirstOfKindParams> first_of_kind;
  std::vector<MandatoryStandardParams> mandatory_standards;
  std::vector<AwardParams> awards;
  std::vector<AdvisoryParams> advisories;
  std::vector<ProgrammeParams> programmes;
  // Stacking: capital subsidies together give at most this share of a price.
  double max_subsidy_share = 1.0;

  // Calls f(params, type name) for every lever, in lever-number order (the
  // type names are those of scenario files).
  template <class F>
  void for_each_typed(F&& f) const { visit(*this, f); }
  template <class F>
  void for_each_typed(F&& f) { visit(*this, f); }
  // Calls f(params) for every lever, in lever-number order.
  template <class F>
  void for_each(F&& f) const {
    visit(*this, [&](const auto& x, const char*) { f(x); });
  }
  template <class Self, class F>
  static void visit(Self& p, F&& f) {
    for (auto& x : p.capital_subsidies) f(x, "capital_subsidy");
    for (auto& x : p.tax_levers) f(x, "tax");
    for (auto& x : p.interest_subsidies) f(x, "interest_subsidy");
    for (auto& x : p.approval_levers) f(x, "approval");
    for (auto& x : p.loan_funds) f(x, "loan_fund");
    for (auto& x : p.credit_supplies) f(x, "credit_supply");
    for (auto& x : p.land_levers) f(x, "land");
    for (auto& x : p.group_purchases) f(x, "group_purchase");
    for (auto& x : p.first_of_kind) f(x, "first_of_kind");
    for (auto& x : p.mandatory_standards) f(x, "mandatory_standard");
    for (auto& x : p.awards) f(x, "award");
    for (auto& x : p.advisories) f(x, "advisory");
    for (auto& x : p.programmes) f(x, "programme");
  }
  // Names of the enabled levers, numbered as outputs number them.
  std::vector<std::string> enabled_names() const {
    std::vector<std::string> out;
    for_each([&](const LeverBase& b) {
      if (b.enabled) out.push_back(b.name);
    });
    return out;
  }
};

// What outputs need of any lever.
struct LeverInfo {
  std::string name;
  FundingShares funding{};
  bool baseline = false;
};

// What a project has been granted, by lever, to be paid at acceptance: at
// most kMax levers a project (offer() and grant() both stop there).
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

// What a project would receive now, and the first day a lever giving it closes.
struct Offer {
  double amount = 0;   // all of it
  double capital = 0;  // of which capital subsidies (they lower the tax basis; the rest is cash)
  kernel::Day closes = INT32_MAX;
  void add(double a, kernel::Day end) {
    if (a <= 0) return;
    amount += a;
    closes = std::min(closes, end);
  }
};

// The most support any project of one firm could be offered on one day, as
// the firm counts on it (credibility applied): what lets the decision's cheap
// bounds stand in for candidates priced with every lever. A project of list
// price P pays at least price_factor x P; capital grants are at most
// capital_share of what it pays, other payments at most cash_share x P +
// cash_fixed. Loose by design: it must never be below a real offer.
struct SupportBound {
  double price_factor = 1;
  double capital_share = 0;
  double cash_share = 0;
  double cash_fixed = 0;
  // The first day a lever counted above closes (no earlier than any offer's `closes`).
  kernel::Day closes = INT32_MAX;
};

class Policy {
 public:
  explicit Policy(const PolicyParams& p);

  // The package of `variant` (these levers, some switched off), each lever
  // it keeps carrying its state here (budgets used, designations, awards):
  // what a copied run continues with. `renumber[l]` becomes the new number
  // of lever l, -1 for one switched off. Only announced levers may be
  // switched off (the others' awareness bits would move).
  Policy continued_as(const PolicyParams& variant, std::vector<int>& renumber) const;

  // --- What the decision weighs --------------------------------------------
  // Price multiplier from group purchases (list price x this).
  double price_factor(const ProjectView& v) const;
  // Investment multiplier of first-of-kind equipment (1 if it is not).
  double counted_factor(const ProjectView& v) const;
  // Grants and payments a project would receive if it started now: capital
  // subsidies on price x counted factor, stacked up to the maximum share;
  // first-of-kind insurance; programme grants.
  // `covering`, if given, is subsidies_covering_firm() of a view with the
  // same firm and day: the firm's rules are then checked once for all its
  // projects, not at every offer.
  Offer offer(const ProjectView& v, double score, const std::uint64_t* covering = nullptr) const;
  // Bit i: capital subsidy i covers the firm in `firm` (firm fields and day
  // set) now, whatever the project (covers_firm). Subsidies past the 64th
  // have their bits set and are checked in full.
  std::uint64_t subsidies_covering_firm(const ProjectView& firm) const;
  // The bound of offer(), award_offer() and price_factor() over every project
  // of the firm in `firm` (firm fields and day set) with credibility
  // `credibility`; `status()` gives the firm's equipment (asked only when an
  // award might apply). It sets `covering`, if given, to
  // subsidies_covering_firm(firm), found on the way.
  template <class Status>
  SupportBound support_bound(const ProjectView& firm, double credibility, Status&& status,
                             std::uint64_t* covering = nullptr) const {
    SupportBound b;
    double rates = 0, counted = 1, insurance = 0, fixed = 0;
    std::uint64_t mask = ~std::uint64_t{0};
    for (std::size_t i = 0; i < subsidies_.size(); ++i) {
      const CapitalSubsidy& s = subsidies_[i];
      const bool covers = s.params().covers_firm(firm);
      if (!covers && i < 64) mask &= ~(std::uint64_t{1} << i);
      // A budget with nothing left offers nothing, to calls as to first come.
      if (!covers || !(s.remaining(firm.day) > 0)) continue;
      const auto& p = s.params();
      rates += std::max(0.0, p.tier_rates.empty() ? p.rate : *std::max_element(p.tier_rates.begin(), p.tier_rates.end()));
      b.closes = std::min(b.closes, p.window.end);
    }
    for (const auto& k : fok_)
      if (k.params().covers_firm(firm)) {
        counted = std::max(counted, k.params().investment_factor);
        insurance += std::max(0.0, k.params().insurance_subsidy);
        b.closes = std::min(b.closes, k.params().window.end);
      }
    for (const auto& g : group_)
      if (g.params().covers_firm(firm) && g.params().firm_draw(firm) < g.params().participation)
        b.price_factor *= 1.0 - g.params().discount;
    for (const auto& g : programmes_)
      if (g.params().grant > 0 && g.params().covers_firm(firm) && g.params().firm_draw(firm) < g.params().share) {
        fixed += g.params().grant;
        b.closes = std::min(b.closes, g.params().window.end);
      }
    bool status_known = false;
    FirmStatus now;
    for (const auto& a : awards_) {
      if (a.params().amount <= 0 || !a.params().covers_firm(firm) || a.awarded(firm.firm)) continue;
      if (!status_known) {
        now = status();
        status_known = true;
      }
      if (a.qualifies(now)) continue;  // a firm that qualifies already gets nothing more
      fixed += a.params().amount;
      b.closes = std::min(b.closes, a.params().window.end);
    }
    if (covering) *covering = mask;  // as subsidies_covering_firm(firm)
    b.capital_share = credibility * counted * std::min(max_share_, rates);
    b.cash_share = credibility * insurance;
    b.cash_fixed = credibility * fixed;
    return b;
  }
  // Share of an expansion's land cost waived (at most 1), and the evaluation-score bonus.
  double land_waiver(const ProjectView& v) const;
  double score_bonus(const ProjectView& v) const;
  // The average yearly rate on a loan of `loan` for the project: the market
  // rate, or a loan fund's for the part it would lend, less the interest
  // subsidies (averaged over `loan_years`) and credit-supply cuts; >= 0.
  double loan_rate(const ProjectView& v, double loan, double market_rate, double loan_years) const;
  // The lowest rate loan_rate() can give any loan of any firm on any day.
  double lowest_loan_rate(double market_rate) const;
  // Credit supply: whether a firm without access gets a loan, and the lift of its credit limit.
  bool credit_access(const ProjectView& v) const;
  double credit_limit_lift(const ProjectView& v) const;
  // Adds to `out` the awards a project lifting the firm from `before` to
  // `after` would bring (`v.day`: when it would be commissioned; `decided`:
  // when the firm decides).
  void award_offer(const ProjectView& v, const FirmStatus& before, const FirmStatus& after, Offer& out,
                   kernel::Day decided) const;

  // --- Committed when a project starts -----------------------------------------
  // Capital subsidies (skipping levers the project has drawn already), to be
  // paid at acceptance; appends the levers that had to reject it. Subsidies
  // run as calls take an application instead: appended to `applications`
  // as (subsidy index, amount if accepted), decided at the call's deadline.
  void grant(const ProjectView& v, double score, Grants& grants, std::vector<std::uint16_t>& rejected,
             std::vector<std::pair<std::uint32_t, double>>* applications = nullptr);
  // Calls: the subsidies run as calls, their deadlines, and the decision.
  std::size_t subsidy_count() const { return subsidies_.size(); }
  const CapitalSubsidy& subsidy(std::size_t i) const { return subsidies_[i]; }
  std::size_t first_capital_lever() const { return first_.capital; }
  std::vector<bool> decide_call(std::size_t subsidy, std::vector<CallApplication>& apps, kernel::Day deadline) {
    return subsidies_[subsidy].decide(apps, deadline);
  }
  // Lends from the cheapest covering loan fund with room (funds_order); calls
  // book(lever, amount lent, outlay: the budget's share of the interest saved
  // against `market_rate`) and returns the amount and the fund's index (-1 if none).
  template <class Book>
  std::pair<double, int> lend(const ProjectView& v, double loan, double market_rate, double loan_years,
                              std::vector<std::uint16_t>& rejected, Book&& book) {
    FundOrder order;
    const std::size_t n = funds_order(v, market_rate, loan_years, order);
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = order[k];
      const std::int64_t before = funds_[i].rejected();
      const double got = funds_[i].lend(v, loan);
      const auto lever = static_cast<std::uint16_t>(first_.fund + i);
      if (got > 0) {
        book(lever, got, funds_[i].params().fiscal_share * funds_[i].interest_saved(got, market_rate, loan_years));
        return {got, static_cast<int>(i)};
      }
      if (funds_[i].rejected() > before) rejected.push_back(lever);
    }
    return {0.0, -1};
  }
  // The loan funds in the order a borrower tries them: cheapest first, by the
  // fund's rate less the interest subsidies backed by it that cover the
  // project (ties: declaration order). Returns how many (all funds).
  static constexpr std::size_t kMaxFunds = 32;
  static constexpr std::size_t kMaxStandards = 64;  // the decision keeps them in a 64-bit mask
  using FundOrder = std::array<std::uint8_t, kMaxFunds>;
  std::size_t funds_order(const ProjectView& v, double market_rate, double loan_years, FundOrder& order) const;
  // Commits the interest subsidies for a project starting now with this loan,
  // of which `fund_part` comes from loan fund `fund` (-1: none); calls
  // book(lever, committed interest) for each, and appends the rejections.
  template <class Book>
  void grant_interest(const ProjectView& v, double loan, double fund_part, int fund, double loan_years,
                      std::vector<std::uint16_t>& rejected, Book&& book) {
    if (v.non_compliant && excludes_non_compliant_) return;
    for (std::size_t i = 0; i < interest_.size(); ++i) {
      // -1: any loan; a fund's index: its part only; -2 (a disabled or missing fund): nothing.
      const int backing = interest_backing_[i];
      const double base = backing == -1 ? loan : (backing >= 0 && backing == fund ? fund_part : 0.0);
      const std::int64_t before = interest_[i].rejected();
      const double got = interest_[i].grant(v, base, loan_years);
      if (got > 0) book(static_cast<std::uint16_t>(first_.interest + i), got);
      else if (interest_[i].rejected() > before) rejected.push_back(static_cast<std::uint16_t>(first_.interest + i));
    }
  }
  // The credit each credit supply made possible for a project starting now
  // with `loan`: all of it for the first lever that gave a firm without
  // access its loan; else the part above the ordinary limit, split by the
  // levers' limit lifts. Calls f(lever, params, credit made possible) for
  // each covering lever that made credit possible or cut the rate.
  template <class F>
  void for_each_credit_supply(const ProjectView& v, bool had_access, double loan, double ordinary_credit,
                              F&& f) const {
    if (loan <= 0) return;
    bool access_given = false;
    const double lifts = credit_limit_lift(v);
    const double excess = std::max(0.0, loan - ordinary_credit);
    for (std::size_t i = 0; i < credit_.size(); ++i) {
      const CreditSupply& c = credit_[i];
      if (!c.covers(v)) continue;
      double made = 0;
      if (!had_access) {
        if (!access_given && c.gives_access(v)) {
          made = loan;
          access_given = true;
        }
      } else if (lifts > 0) {
        made = excess * c.limit_lift(v) / lifts;
      }
      if (made > 0 || c.rate_cut(v) > 0) f(static_cast<std::uint16_t>(first_.credit + i), c.params(), made);
    }
  }
  // One-off support when the project starts: calls pay(lever, amount,
  // to_firm) for first-of-kind insurance and programme grants (paid to the
  // firm) and land waivers (`land_cost`: the land price the project would
  // pay; revenue forgone); calls count(lever) for levers that support it
  // without a payment (group purchase, first-of-kind counting, programme
  // designation without a grant).
  // `list_price`: the price before group discounts (their eligibility
  // sees it); reject(lever) for programmes whose yearly number is taken.
  template <class Pay, class Count, class Reject>
  void support_at_start(const ProjectView& v, double list_price, double land_cost, Pay&& pay, Count&& count,
                        Reject&& reject) {
    const bool excluded = v.non_compliant && excludes_non_compliant_;
    double land_left = land_cost;  // waivers stack up to the whole land price
    for (std::size_t i = 0; i < land_.size() && land_left > 0; ++i)
      if (const double w = std::min(land_left, land_[i].waiver(v) * land_cost); w > 0) {
        pay(static_cast<std::uint16_t>(first_.land + i), w, false);
        land_left -= w;
      }
    ProjectView listed = v;
    listed.price = list_price;
    for (std::size_t i = 0; i < group_.size(); ++i)
      if (group_[i].discount(listed) > 0) count(static_cast<std::uint16_t>(first_.group + i));
    for (std::size_t i = 0; i < fok_.size(); ++i)
      if (fok_[i].applies(v)) {
        const double ins = excluded ? 0.0 : fok_[i].params().insurance_subsidy * v.price;
        if (ins > 0) pay(static_cast<std::uint16_t>(first_.fok + i), ins, true);
        else count(static_cast<std::uint16_t>(first_.fok + i));
      }
    for (std::size_t i = 0; i < programmes_.size(); ++i) {
      const std::int64_t before = programmes_[i].rejected();
      if (!programmes_[i].designate(v)) {
        if (programmes_[i].rejected() > before) reject(static_cast<std::uint16_t>(first_.programme + i));
        continue;
      }
      {
        const double g = excluded ? 0.0 : programmes_[i].params().grant;
        if (g > 0) pay(static_cast<std::uint16_t>(first_.programme + i), g, true);
        else count(static_cast<std::uint16_t>(first_.programme + i));
      }
    }
  }
  // Approval levers stack: the days they save a project starting now; calls
  // count(lever number) for each that applies.
  template <class Count>
  int approval_days_saved(const ProjectView& v, Count&& count) const {
    int days = 0;
    for (std::size_t i = 0; i < approval_.size(); ++i)
      if (const int d = approval_[i].days_saved(v); d > 0) {
        days += d;
        count(static_cast<std::uint16_t>(first_.approval + i));
      }
    return days;
  }
  // Awards claimed after a commissioning: calls pay(lever, amount) for each
  // award the firm now gets, reject(lever) for each claim a budget refused.
  template <class Pay, class Reject>
  void claim_awards(const ProjectView& v, const FirmStatus& now, Pay&& pay, Reject&& reject) {
    if (v.non_compliant && excludes_non_compliant_) return;
    for (std::size_t i = 0; i < awards_.size(); ++i) {
      const std::int64_t before = awards_[i].rejected();
      if (const double a = awards_[i].claim(v, now); a >= 0) pay(static_cast<std::uint16_t>(first_.award + i), a);
      else if (awards_[i].rejected() > before) reject(static_cast<std::uint16_t>(first_.award + i));
    }
  }

  // --- Tax ------------------------------------------------------------------------
  // Applies the enabled tax levers that cover the project, in declaration
  // order; appends the lever numbers of those that applied.
  void apply_tax(const ProjectView& v, TaxTreatment& t, std::vector<std::uint16_t>* applied = nullptr) const;
  // Bounds for the decision's cheap ratio bounds: the largest credit any tax
  // lever gives, whether any gives a tax holiday, the largest deduction multiplier.
  double max_tax_credit() const { return max_tax_credit_; }
  bool any_tax_holiday() const { return any_tax_holiday_; }
  double max_deduction_multiplier() const { return max_deduction_multiplier_; }
  const std::vector<TaxLever>& tax_levers() const { return taxes_; }
  std::size_t first_tax_lever() const { return first_.tax; }

  // --- Mandatory standards, advisers, extra reviews --------------------------
  const std::vector<MandatoryStandard>& standards() const { return standards_; }
  bool excludes_non_compliant() const { return excludes_non_compliant_; }
  const std::vector<Advisory>& advisories() const { return advisories_; }
  std::size_t first_advisory_lever() const { return first_.advisory; }
  std::size_t first_standard_lever() const { return first_.standard; }
  // The programme a lever number belongs to, if it is one.
  const Programme* programme(std::size_t lever) const {
    return lever >= first_.programme && lever < first_.programme + programmes_.size()
               ? &programmes_[lever - first_.programme]
               : nullptr;
  }
  // Every enabled lever's common parameters, by lever number.
  const LeverBase& base(std::size_t lever) const { return bases_[lever]; }
  bool any_unannounced() const { return unannounced_ > 0; }
  bool has_awards() const { return !awards_.empty(); }
  bool has_loan_terms() const { return !interest_.empty() || !funds_.empty() || !credit_.empty(); }
  bool has_credit_supply() const { return !credit_.empty(); }
  bool has_price_factor() const { return !group_.empty(); }
  bool has_first_of_kind() const { return !fok_.empty(); }
  bool has_land() const { return !land_.empty(); }

  // Enabled levers, numbered as in PolicyParams::enabled_names().
  std::size_t size() const { return info_.size(); }
  const LeverInfo& info(std::size_t i) const { return info_[i]; }
  bool empty() const { return info_.empty(); }

 private:
  std::vector<CapitalSubsidy> subsidies_;  // enabled ones only, each type
  std::vector<TaxLever> taxes_;
  std::vector<InterestSubsidy> interest_;
  std::vector<int> interest_backing_;  // index into funds_, -1 for any loan
  std::vector<ApprovalLever> approval_;
  std::vector<LoanFund> funds_;
  std::vector<CreditSupply> credit_;
  std::vector<LandLever> land_;
  std::vector<GroupPurchase> group_;
  std::vector<FirstOfKind> fok_;
  std::vector<MandatoryStandard> standards_;
  std::vector<Award> awards_;
  std::vector<Advisory> advisories_;
  std::vector<Programme> programmes_;
  struct FirstNumbers {
    std::size_t capital = 0, tax = 0, interest = 0, approval = 0, fund = 0, credit = 0, land = 0, group = 0, fok = 0,
                standard = 0, award = 0, advisory = 0, programme = 0;
  } first_;
  std::vector<LeverBase> bases_;  // by lever number
  std::vector<LeverInfo> info_;
  double max_share_;
  double max_tax_credit_ = 0;
  double max_deduction_multiplier_ = 1;
  bool any_tax_holiday_ = false;
  bool excludes_non_compliant_ = false;
  int unannounced_ = 0;
};

}  // namespace renewsim::model
