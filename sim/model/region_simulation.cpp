#include "model/region_simulation.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string_view>
#include <type_traits>

#include "model/decision.hpp"
#include "model/invariant.hpp"
#include "model/waiting.hpp"
#include "random/distributions.hpp"

namespace renewsim::model {
namespace {
constexpr kernel::Priority kPriorityPipeline = 10;
constexpr kernel::Priority kPriorityBreakdown = 20;
constexpr kernel::Priority kPriorityReview = 30;
constexpr kernel::Priority kPriorityYearEnd = std::numeric_limits<kernel::Priority>::max();
constexpr double kDaysPerYear = 365.25;
constexpr std::uint64_t kRoutineCode = 31;  // decision-stream code of a routine review
constexpr std::uint64_t kExtraCode = 30;    // ... and of an extra review
constexpr int kMaxSlots = 31;

// std::round without the library call (not inlined for plain x86-64), for
// counts: the same value as std::round for every x.
inline double round_half_away(double x) {
  if (!(x >= 0 && x < 0x1p52)) return std::round(x);  // negative, already whole, or NaN
  const double t = static_cast<double>(static_cast<std::int64_t>(x));  // truncated, exact
  return x - t >= 0.5 ? t + 1.0 : t;                                   // x - t is exact
}

}  // namespace

thread_local RegionSimulation::FirmEventCache* RegionSimulation::task_firm_cache_ = nullptr;

RegionSimulation::RegionSimulation(const ModelParams& params, const CalibratedInputs& targets,
                                   std::uint64_t seed, std::uint64_t replication, bool track_firms)
    : p_(&params),
      demand_shift_2023_(targets.demand_shift_2023),
      negligible_ratio_(std::pow(1e-9, params.behaviour.logit_scale)),
      logit_(params.behaviour.logit_scale),
      source_(seed, replication),
      pop_(build_population(params, targets, source_)),
      sim_(kernel::first_day_of_year(params.warmup_start_year)),
      start_(kernel::first_day_of_year(params.warmup_start_year)),
      first_year_(params.warmup_start_year),
      policy_(params.policy),
      track_firms_(track_firms) {
  if (params.end_year < params.warmup_start_year || params.end_year < 2023)
    throw std::invalid_argument("end year must be 2023 or later and not before the warm-up year");
  for (int y = first_year_; y <= params.end_year; ++y) {
    YearStats s;
    s.year = y;
    s.investment_by_sector.assign(params.sectors.size(), 0.0);
    s.levers.assign(policy_.size(), LeverYear{});
    years_.push_back(std::move(s));
  }
  menu_costs_.resize(params.sectors.size() * kCategories);
  windows_ = params.behaviour.decision_window != BehaviourParams::DecisionWindow::None;
  window_month_ = params.behaviour.decision_window == BehaviourParams::DecisionWindow::Month;
  next_window_ = start_;  // 1 January: a month's first day
  prefetch_ = pop_.bytes() > (std::size_t{8} << 20);
  derive_from_levers();
  // Firm keys first: settling may already weigh open levers.
  const auto n = static_cast<std::uint32_t>(pop_.firms.size());
  {
    rng::Stream keys(source_, 0, kPurposeLever, 0);
    key_salt_ = keys.next_u64();
  }
  if (policy_.any_unannounced()) learned_.assign(n, 0);
  if (p_->network.enabled) {
    std::vector<NetworkFirm> nf(n);
    for (std::uint32_t i = 0; i < n; ++i)
      nf[i] = {pop_.firms[i].sector, static_cast<SizeClass>(pop_.firms[i].size), pop_.firms[i].county,
               pop_.stream_entity(i)};
    network_ = std::make_shared<const SupplyNetwork>(
        SupplyNetwork::build(p_->network, nf, static_cast<int>(p_->sectors.size()), source_));
    net_state_.assign(n, 0);
    peers_.assign(n, 0);
    q_boost_.assign(n, 0.0f);
    diffusion_draws_.assign(n, 0);
    for (std::uint32_t i = 0; i < n; ++i) ++position_size_[static_cast<std::size_t>(network_->position(i))];
  }
  settle_initial_ages();
  if (track_firms_) {
    ledger_.firm_installed.assign(n, 0);
    ledger_.firm_scrapped.assign(n, 0);
    ledger_.firm_initial.assign(n, 0);
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    const Firm& f = pop_.firms[i];
    if (f.slots > kMaxSlots) throw std::invalid_argument("too many vintage slots per firm");
    ++firms_by_size_[f.size];
    if (f.has(Firm::kDigitalTools)) {
      ++digital_firms_;
      ++digital_by_size_[f.size];
    }
    for (std::uint32_t s = f.first_slot; s < f.first_slot + f.slots; ++s) {
      const Vintage& v = pop_.slots[s];
      if (!v.has(Vintage::kActive)) continue;
      account(v, +1);
      ledger_.initial_units += v.units;
      if (track_firms_) ledger_.firm_initial[i] += v.units;
    }
    // First routine review: spread uniformly over the first review interval.
    rng::Stream timing(source_, pop_.stream_entity(i), kPurposeReviewTiming, 0);
    const auto offset = static_cast<kernel::Day>(timing.uniform() * p_->behaviour.review_interval_days);
    sim_.schedule_at(start_ + offset, kPriorityReview, i, kReview);
  }
  sim_.schedule_at(kernel::day_of(first_year_, 12, 31), kPriorityYearEnd, n, kYearEnd);
  if (!policy_.empty()) schedule_lever_events();
  if (network_ && p_->network.bass_p + p_->network.bass_q > 0)
    for (std::uint32_t i = 0; i < n; ++i) schedule_diffusion(i, 0);
}

void RegionSimulation::schedule_diffusion(std::uint32_t firm, std::uint64_t draw) {
  // Candidate moments at the rate bound; the real hazard accepts a share of them.
  const NetworkParams& np = p_->network;
  const double bound = np.bass_p + np.bass_q + np.demonstration_q;
  rng::Stream s(source_, pop_.stream_entity(firm), kPurposeDiffusion, 2 * draw);
  const double years = -std::log(s.uniform_open()) / bound;
  const kernel::Day from = std::max(sim_.now(), np.start);
  const double days = std::ceil(years * kDaysPerYear);
  const kernel::Day last = kernel::day_of(p_->end_year, 12, 31);
  if (days > static_cast<double>(last - from)) return;  // beyond the run
  sim_.schedule_at(from + std::max<kernel::Day>(1, static_cast<kernel::Day>(days)), kPriorityReview - 1, firm,
                   kDiffusion);
}

void RegionSimulation::on_diffusion(std::uint32_t firm) {
  if (net_state_[firm] & kNetAware) return;
  const NetworkParams& np = p_->network;
  const std::uint64_t draw = diffusion_draws_[firm]++;
  rng::Stream s(source_, pop_.stream_entity(firm), kPurposeDiffusion, 2 * draw + 1);
  const std::uint32_t degree = network_->neighbours(firm);
  const double local = degree ? static_cast<double>(peers_[firm]) / degree : 0.0;
  const double hazard = np.bass_p + (np.bass_q + q_boost_[firm]) * local;
  const double bound = np.bass_p + np.bass_q + np.demonstration_q;
  if (s.uniform() * bound < hazard) become_aware(firm);
  else schedule_diffusion(firm, draw + 1);
}

void RegionSimulation::become_aware(std::uint32_t firm) {
  if (net_state_[firm] & kNetAware) return;
  net_state_[firm] |= kNetAware;
  ++aware_count_[static_cast<std::size_t>(network_->position(firm))];
  if (p_->network.peers_count_when_aware) count_as_peer(firm);
  if (!learned_.empty()) {
    // The network carries word of every unannounced lever; the firm weighs them at once.
    for (std::size_t l = 0; l < policy_.size(); ++l)
      if (policy_.base(l).awareness_bit >= 0) learned_[firm] |= std::uint64_t{1} << policy_.base(l).awareness_bit;
    forget_firm_cache();
    sim_.schedule_at(sim_.now(), kPriorityReview, firm, kExtraReview);
  }
}

void RegionSimulation::count_as_peer(std::uint32_t firm) {
  network_->for_each_supplier(firm, [&](std::uint32_t v) { ++peers_[v]; });
  network_->for_each_customer(firm, [&](std::uint32_t v) { ++peers_[v]; });
}

void RegionSimulation::network_after_commission(const Project& p) {
  const NetworkParams& np = p_->network;
  const std::uint32_t firm = p.firm;
  const kernel::Day now = sim_.now();
  YearStats& y = stats_now();
  const NetworkPosition pos = network_->position(firm);
  if (now >= np.start && !(net_state_[firm] & kNetRenewed)) {
    net_state_[firm] |= kNetRenewed;
    ++renewed_count_[static_cast<std::size_t>(pos)];
    if (!np.peers_count_when_aware) count_as_peer(firm);
  }
  const std::uint64_t key = firm_key(firm);
  // A leader's upgrade seeds a cascade; reviews it causes, and those that
  // renewals in it cause in turn, carry it.
  const std::uint32_t seed = pos == NetworkPosition::Leader ? firm + 1 : p.cascade;
  auto trigger = [&](std::uint32_t v, int cause, int lag) {
    const kernel::Day day = now + std::max(0, lag);
    if (day > kernel::day_of(p_->end_year, 12, 31)) return;
    sim_.schedule_at(day, kPriorityReview, v, kTriggeredReview,
                     static_cast<std::uint64_t>(cause) | (std::uint64_t{seed} << 8));
    if (review_hook_) review_hook_(v, day, cause, firm);
  };
  if (np.imitation > 0) {
    auto imitate = [&](std::uint32_t v) {
      if (keyed_uniform(mix_key(key, v), static_cast<std::uint64_t>(now) + 0x1417) < np.imitation) {
        ++y.imitation_reviews;
        trigger(v, kCauseImitation, np.imitation_lag_days);
      }
    };
    network_->for_each_supplier(firm, imitate);
    network_->for_each_customer(firm, imitate);
  }
  if (pos == NetworkPosition::Leader) {
    // A leader's upgrade reaches its direct suppliers.
    ++y.leader_upgrades;
    network_->for_each_supplier(firm, [&](std::uint32_t v) {
      if (np.leader_review_share >= 1.0 ||
          keyed_uniform(mix_key(key, v), static_cast<std::uint64_t>(now) + 0x1ead) < np.leader_review_share) {
        ++y.leader_triggered_reviews;
        trigger(v, kCauseLeader, np.leader_lag_days);
      }
    });
  }
  if (p.demonstration && np.demonstration_q > 0) {
    auto boost = [&](std::uint32_t v) { q_boost_[v] = static_cast<float>(np.demonstration_q); };
    network_->for_each_supplier(firm, boost);
    network_->for_each_customer(firm, boost);
  }
}

std::uint64_t RegionSimulation::firm_key(std::uint32_t firm) const {
  return mix_key(key_salt_, pop_.stream_entity(firm));
}

ProjectView RegionSimulation::firm_view(std::uint32_t firm) const {
  const Firm& f = pop_.firms[firm];
  ProjectView v;
  v.firm = firm;
  v.sector = f.sector;
  v.size = static_cast<SizeClass>(f.size);
  v.county = f.county;
  v.revenue = f.revenue0;
  v.firm_key = firm_key(firm);
  v.known = learned_.empty() ? 0 : learned_[firm];
  v.day = sim_.now();
  if (network_) v.position = static_cast<std::uint8_t>(network_->position(firm));
  return v;
}

SupportBound RegionSimulation::support_bound(std::uint32_t firm) const {
  if (policy_.empty()) return {};
  FirmEventCache& cache = firm_cache(firm);
  // The bound goes through the same covering tests: it keeps their mask.
  const SupportBound b = policy_.support_bound(cached_firm_view(firm), p_->behaviour.credibility,
                                               [&] { return firm_status(pop_.firms[firm]); },
                                               cache.has_covering ? nullptr : &cache.covering);
  cache.has_covering = true;
  return b;
}

RegionSimulation::FirmEventCache& RegionSimulation::firm_cache(std::uint32_t firm) const {
  FirmEventCache& cache = task_firm_cache_ ? *task_firm_cache_ : firm_cache_;
  // (The day too: a view asked for between events must not outlive its day.)
  if (cache.firm != firm || cache.event != event_serial_ || cache.day != sim_.now()) {
    cache.firm = firm;
    cache.event = event_serial_;
    cache.day = sim_.now();
    cache.has_view = cache.has_covering = cache.has_banned = false;
  }
  return cache;
}

const ProjectView& RegionSimulation::cached_firm_view(std::uint32_t firm) const {
  FirmEventCache& cache = firm_cache(firm);
  if (!cache.has_view) {
    cache.view = firm_view(firm);
    cache.has_view = true;
  }
  return cache.view;
}

std::uint64_t RegionSimulation::covering_subsidies(std::uint32_t firm) const {
  FirmEventCache& cache = firm_cache(firm);
  if (!cache.has_covering) {
    cache.covering = policy_.subsidies_covering_firm(cached_firm_view(firm));
    cache.has_covering = true;
  }
  return cache.covering;
}

void RegionSimulation::schedule_lever_events() {
  const auto n = static_cast<std::uint32_t>(pop_.firms.size());
  const kernel::Day last = kernel::day_of(p_->end_year, 12, 31);
  auto in_run = [&](kernel::Day d) { return d >= sim_.now() && d <= last; };
  // Adviser visits: one event per visited firm.
  const auto& advisories = policy_.advisories();
  for (std::uint32_t k = 0; k < advisories.size(); ++k)
    for (std::uint32_t i = 0; i < n; ++i)
      if (const auto d = advisories[k].visit_day(firm_view(i)); d && in_run(*d))
        sim_.schedule_at(*d, kPriorityReview, i, kAdviserVisit, 0, k);
  // Deadlines of mandatory standards: after the day's reviews, before the year's end.
  const auto& standards = policy_.standards();
  for (std::uint32_t k = 0; k < standards.size(); ++k)
    if (standards[k].params().exit_at_deadline && in_run(standards[k].deadline()))
      sim_.schedule_at(standards[k].deadline(), kPriorityYearEnd - 1, n, kStandardDeadline, 0, k);
  // Calls for subsidies: decided at each deadline, before the mandatory
  // standards' exits and the year's end.
  call_applications_.assign(policy_.subsidy_count(), {});
  for (std::uint32_t k = 0; k < policy_.subsidy_count(); ++k)
    if (policy_.subsidy(k).call())
      for (const kernel::Day d : policy_.subsidy(k).call_deadlines())
        if (in_run(d)) sim_.schedule_at(d, kPriorityYearEnd - 2, n, kCallDeadline, 0, k);
  // Extra reviews when a lever opens and before it closes, by firms it may
  // cover that know of it then (a fixed draw per firm decides who and when).
  for (std::size_t l = 0; l < policy_.size(); ++l) {
    const LeverBase& b = policy_.base(l);
    const std::uint64_t salt = name_salt(b.name);
    auto reviews = [&](double share, kernel::Day from, std::uint64_t code) {
      if (share <= 0) return;
      for (std::uint32_t i = 0; i < n; ++i) {
        ProjectView v = firm_view(i);
        v.day = from;
        if (!b.eligible.matches_firm(v) || !b.known(v)) continue;
        if (keyed_uniform(v.firm_key, salt ^ code) >= share) continue;
        const double u = keyed_uniform(v.firm_key, salt ^ (code + 1));
        const kernel::Day d = from + static_cast<kernel::Day>(u * b.reaction_days);
        // arg: the lever (+ 1), so that a run continued without it can drop the review.
        if (in_run(d)) sim_.schedule_at(d, kPriorityReview, i, kExtraReview, 0, static_cast<std::uint32_t>(l + 1));
      }
    };
    reviews(b.reviews_on_open, b.window.start, 0x0a11);
    reviews(b.reviews_before_close, std::max(b.window.start, b.window.end - b.reaction_days), 0x0c11);
  }
}

void RegionSimulation::derive_from_levers() {
  lean_min_tax_[0] = min_tax_factor(false);
  lean_min_tax_[1] = min_tax_factor(true);
  const double market_rate = p_->macro.loan_rate + p_->macro.loan_spread;
  lowest_loan_rate_ = policy_.has_loan_terms() ? policy_.lowest_loan_rate(market_rate) : market_rate;
  new_levers_.clear();
  for (std::size_t l = 0; l < policy_.size(); ++l)
    if (!policy_.info(l).baseline) new_levers_.push_back(static_cast<std::uint16_t>(l));
}

namespace {
struct LeverAct {
  const LeverBase* base;
  const char* type;
  kernel::Day first_act;  // the first day it can act
};

std::vector<LeverAct> lever_acts(const ModelParams& p) {
  std::vector<LeverAct> out;
  p.policy.for_each_typed([&](const auto& x, const char* type) {
    kernel::Day first = x.window.start;
    if constexpr (std::is_same_v<std::decay_t<decltype(x)>, MandatoryStandardParams>)
      if (x.exit_at_deadline) first = std::min(first, x.deadline);
    out.push_back({&x, type, first});
  });
  return out;
}
}  // namespace

bool RegionSimulation::can_continue_as(const ModelParams& from, const ModelParams& variant, kernel::Day day) {
  const auto a = lever_acts(from), b = lever_acts(variant);
  if (a.size() != b.size() || from.policy.max_subsidy_share != variant.policy.max_subsidy_share) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const LeverBase& x = *a[i].base;
    const LeverBase& y = *b[i].base;
    if (x.name != y.name || std::string_view(a[i].type) != b[i].type || x.baseline != y.baseline) return false;
    if (x.enabled == y.enabled) continue;
    // Only switching off, of a lever that cannot have acted before `day`.
    if (!x.enabled || !x.announced || a[i].first_act < day) return false;
  }
  return true;
}

kernel::Day RegionSimulation::first_act_switched_off(const ModelParams& from, const ModelParams& variant) {
  const auto a = lever_acts(from), b = lever_acts(variant);
  kernel::Day first = kernel::EventQueue::kNever;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
    if (a[i].base->enabled && !b[i].base->enabled) first = std::min(first, a[i].first_act);
  return first;
}

bool RegionSimulation::continue_as(const ModelParams& variant, bool log_started) {
  std::vector<int> renumber;
  Policy next = policy_.continued_as(variant.policy, renumber);
  // What was done so far must not involve a lever switched off (it opens
  // later), nor may the variant log what this run did not.
  for (const YearStats& y : years_)
    for (std::size_t l = 0; l < renumber.size(); ++l) {
      const LeverYear& s = y.levers[l];
      if (renumber[l] < 0 && (s.granted != 0 || s.outlay != 0 || s.supported_projects != 0 ||
                              s.rejected_applications != 0 || s.lent != 0))
        return false;
    }
  for (const Project& p : projects_)
    for (int i = 0; i < p.grants.count; ++i)
      if (renumber[p.grants.lever[static_cast<std::size_t>(i)]] < 0) return false;
  for (std::size_t k = 0; k < call_applications_.size(); ++k)
    if (renumber[policy_.first_capital_lever() + k] < 0 && !call_applications_[k].empty()) return false;
  if (log_started && !log_started_) return false;

  // Pending events of levers switched off go; the others take the new numbers.
  auto renumbered = [&](std::size_t first_old, std::size_t first_new, std::uint32_t k) -> std::int64_t {
    const int n = renumber[first_old + k];
    return n < 0 ? -1 : n - static_cast<std::int64_t>(first_new);
  };
  sim_.rewrite_pending([&](kernel::Event& e) {
    std::int64_t k = e.arg;
    switch (e.kind) {
      case kAdviserVisit: k = renumbered(policy_.first_advisory_lever(), next.first_advisory_lever(), e.arg); break;
      case kStandardDeadline:
        k = renumbered(policy_.first_standard_lever(), next.first_standard_lever(), e.arg);
        break;
      case kCallDeadline: k = renumbered(policy_.first_capital_lever(), next.first_capital_lever(), e.arg); break;
      case kExtraReview:
        if (e.arg > 0) k = renumber[e.arg - 1] < 0 ? -1 : renumber[e.arg - 1] + 1;
        break;
      default: break;
    }
    if (k < 0) return false;
    e.arg = static_cast<std::uint32_t>(k);
    return true;
  });
  for (YearStats& y : years_) {
    std::vector<LeverYear> levers(next.size());
    for (std::size_t l = 0; l < renumber.size(); ++l)
      if (renumber[l] >= 0) levers[static_cast<std::size_t>(renumber[l])] = y.levers[l];
    y.levers = std::move(levers);
  }
  for (Project& p : projects_)
    for (int i = 0; i < p.grants.count; ++i) {
      auto& lever = p.grants.lever[static_cast<std::size_t>(i)];
      lever = static_cast<std::uint16_t>(renumber[lever]);
    }
  std::vector<std::vector<CallApplication>> applications(next.subsidy_count());
  for (std::size_t k = 0; k < call_applications_.size(); ++k)
    if (const int n = renumber[policy_.first_capital_lever() + k]; n >= 0)
      applications[static_cast<std::size_t>(n) - next.first_capital_lever()] = std::move(call_applications_[k]);
  call_applications_ = std::move(applications);

  p_ = &variant;
  policy_ = std::move(next);
  derive_from_levers();
  // Caches filled with the old package.
  for (MenuCosts& m : menu_costs_) m.day = INT32_MIN;
  day_.day = INT32_MIN;
  firm_cache_ = {};
  if (!log_started) {
    log_started_ = false;
    started_log_.clear();
    for (Project& p : projects_) p.log_index = kNotLogged;
  }
  return true;
}

void RegionSimulation::settle_initial_ages() {
  // Each firm is settled from its own state, its own draws and what is fixed
  // at the start, so firms are settled in parallel with the same result. The
  // day's prices and menu costs are filled first (they are filled lazily
  // otherwise), and each firm gets a cache of banned slots of its own, as it
  // has one to itself when firms are settled one after another.
  fill_day_for_parallel();
  const auto n = static_cast<std::uint32_t>(pop_.firms.size());
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, n, 256), [&](const tbb::blocked_range<std::uint32_t>& r) {
    for (std::uint32_t i = r.begin(); i != r.end(); ++i) {
      FirmEventCache own;
      task_firm_cache_ = &own;
      settle_firm(i);
      task_firm_cache_ = nullptr;
    }
  });
}

void RegionSimulation::fill_day_for_parallel() {
  today();
  for (std::size_t sector = 0; sector < p_->sectors.size(); ++sector) {
    Firm any;
    any.sector = static_cast<std::uint8_t>(sector);
    for (int c = 0; c < kCategories; ++c) menu_costs(any, c);
  }
}

void RegionSimulation::settle_firm(std::uint32_t i) {
  constexpr int kTries = 12;
  constexpr std::uint64_t kSettleDraws = std::uint64_t{1} << 32;  // far from the builder's draws
  {
    const Firm& f = pop_.firms[i];
    const SupportBound support = support_bound(i);
    rng::Stream draws(source_, pop_.stream_entity(i), kPurposeVintageInit, kSettleDraws);
    for (std::uint32_t s = f.first_slot; s < f.first_slot + f.slots; ++s) {
      Vintage& v = pop_.slots[s];
      if (!v.has(Vintage::kActive) || v.category == Category::Software) continue;
      // The lean bounds (replacements first, then the retrofit) settle most
      // slots without pricing them exactly.
      double bounds[kMenuOptions + 1];
      LeanTerms terms;
      auto settle_bounds = [&] {
        const int n = lean_bounds(f, s, f.revenue0, 0.0, 0.0, support, bounds, terms);
        tighten_lean(f, terms, support, bounds, n);
        return n;
      };
      auto replace_bound = [&] {
        settle_bounds();
        return *std::max_element(bounds, bounds + kMenuOptions);
      };
      for (int t = 0; t < kTries; ++t) {
        double best = 0;
        if (replace_bound() >= p_->population.settle_ratio) {
          Candidate alts[kMenuOptions + 1];
          ProjectView views[kMenuOptions + 1];
          const int n = alternatives_for_slot(f, s, f.revenue0, 0.0, 0.0, alts, views);
          price_exactly(f, alts, views, n);
          for (int k = 0; k < n; ++k)
            if (alts[k].kind == kReplace) best = std::max(best, alts[k].ratio);
        }
        const double u = draws.uniform();
        if (best < p_->population.settle_ratio) break;
        const double age = (start_ - v.installed) * (0.2 + 0.7 * u);
        v.installed = start_ - static_cast<kernel::Day>(age);
        set_running_costs(v, p_->categories[idx(v.category)], p_->sectors[f.sector]);
      }
      // A retrofit that would clear the ratio has been done already.
      if (settle_bounds() <= kMenuOptions ||
          bounds[kMenuOptions] < p_->population.settle_ratio)
        continue;
      Candidate alts[kMenuOptions + 1];
      ProjectView views[kMenuOptions + 1];
      const int n = alternatives_for_slot(f, s, f.revenue0, 0.0, 0.0, alts, views);
      price_exactly(f, alts, views, n);
      for (int k = 0; k < n; ++k)
        if (alts[k].kind == kRetrofit && alts[k].ratio >= p_->population.settle_ratio) v = alts[k].next;
    }
  }
}

const std::vector<YearStats>& RegionSimulation::run(int last_year) {
  if (last_year == 0) last_year = p_->end_year;
  last_year = std::min(last_year, p_->end_year);
  run_through(kernel::day_of(last_year, 12, 31));
  return years_;
}

void RegionSimulation::run_through(kernel::Day end) {
  auto handler = [this](const kernel::Event& e) { handle(e); };
  // Decision windows: each day or month is planned on its first day, before
  // any of its events run. `end` is a month's end, so windows never straddle runs.
  while (windows_ && next_window_ <= end) {
    sim_.run_until(next_window_ - 1, handler);
    sim_.advance_to(next_window_);
    next_window_ = window_month_ ? kernel::first_day_of_next_month(next_window_) : next_window_ + 1;
    plan_window(next_window_);
  }
  sim_.run_until(end, handler);
}

std::int64_t RegionSimulation::units_in_service() const { return units_; }

void RegionSimulation::handle(const kernel::Event& e) {
  ++event_serial_;
  // Firms are visited in random order: prefetch what the events a few ahead
  // will touch. Four ahead: the firm record (and a pipeline event's project);
  // two ahead, once those lines have arrived: the slots the event reads (all
  // of them for a review, one for a breakdown or a commissioning). Small
  // populations stay in cache and skip it.
  const auto n = prefetch_ ? static_cast<kernel::EntityId>(pop_.firms.size()) : 0;
  auto prefetch = [](const void* p, std::size_t bytes) {
    const char* first = static_cast<const char*>(p);
    for (const char* line = first; line < first + bytes; line += 64) __builtin_prefetch(line);
    __builtin_prefetch(first + bytes - 1);  // the last line when the object straddles one more
  };
  auto is_pipeline = [](kernel::EventKind k) { return k == kOrder || k == kCommission || k == kFinalPayment; };
  if (const kernel::Event* ahead = sim_.lookahead(4); ahead && ahead->key.entity < n) {
    prefetch(&pop_.firms[ahead->key.entity], sizeof(Firm));
    if (is_pipeline(ahead->kind) && ahead->payload < projects_.size())
      prefetch(&projects_[static_cast<std::size_t>(ahead->payload)], sizeof(Project));
  }
  if (const kernel::Event* ahead = sim_.lookahead(2); ahead && ahead->key.entity < n) {
    if (ahead->kind == kReview || ahead->kind == kExtraReview) {
      const Firm& f = pop_.firms[ahead->key.entity];
      prefetch(&pop_.slots[f.first_slot], f.slots * sizeof(Vintage));
    } else if (ahead->kind == kBreakdown && ahead->arg < pop_.slots.size()) {
      __builtin_prefetch(&pop_.slots[ahead->arg]);
    } else if (ahead->kind == kCommission && ahead->payload < projects_.size()) {
      __builtin_prefetch(&pop_.slots[projects_[static_cast<std::size_t>(ahead->payload)].slot]);
    }
  }
  switch (e.kind) {
    case kReview: on_review(e.key.entity, true, 0, 0, &e.key); break;
    case kExtraReview: on_review(e.key.entity, false, 0, 0, nullptr); break;
    case kTriggeredReview:
      on_review(e.key.entity, false, static_cast<int>(e.payload & 0xff), static_cast<std::uint32_t>(e.payload >> 8),
                nullptr);
      break;
    case kDiffusion: on_diffusion(e.key.entity); break;
    case kBreakdown:
      on_breakdown(e.key.entity, e.arg, static_cast<kernel::Day>(static_cast<std::int64_t>(e.payload)));
      break;
    case kOrder: on_order(static_cast<std::uint32_t>(e.payload)); break;
    case kCommission: on_commission(static_cast<std::uint32_t>(e.payload)); break;
    case kFinalPayment: on_final_payment(static_cast<std::uint32_t>(e.payload)); break;
    case kYearEnd: on_year_end(); break;
    case kAdviserVisit: on_adviser_visit(e.key.entity, e.arg); break;
    case kStandardDeadline: on_standard_deadline(e.arg); break;
    case kCallDeadline: on_call_deadline(e.arg); break;
    default: throw std::logic_error("unknown event kind");
  }
}

YearStats& RegionSimulation::stats_now() {
  return years_[static_cast<std::size_t>(kernel::year_of(sim_.now()) - first_year_)];
}

double RegionSimulation::years_since_start() const { return (sim_.now() - start_) / kDaysPerYear; }
double RegionSimulation::calendar_year() const { return kernel::kEpochYear + sim_.now() / kDaysPerYear; }

void RegionSimulation::set_demand_shift_2023(double shift) {
  if (sim_.now() >= 0 && shift != demand_shift_2023_)
    throw std::logic_error("the 2023 demand shift must be set before 2023 is simulated");
  demand_shift_2023_ = shift;
}

double RegionSimulation::demand(const Firm& f, double years_ahead) const {
  // The 2023 shift is unanticipated: from 2023 on it applies over the part of
  // 2023 (days 0 to 365) reached by the date in question.
  const double in_2023 = sim_.now() < 0 ? 0.0 : std::clamp(sim_.now() / kDaysPerYear + years_ahead, 0.0, 1.0);
  return f.revenue0 * std::exp(f.growth * (years_since_start() + years_ahead) + demand_shift_2023_ * in_2023);
}

void RegionSimulation::accrue(Firm& f, double demand_now) {
  const double dt = (sim_.now() - f.last_accrual) / kDaysPerYear;
  if (dt <= 0) return;
  f.last_accrual = sim_.now();
  const double revenue = std::min(demand_now, static_cast<double>(f.capacity));
  const double margin = p_->sectors[f.sector].profit_margin;
  const double rate = p_->macro.loan_rate + p_->macro.loan_spread;
  const double repay = f.debt * std::min(1.0, dt / p_->macro.loan_years);
  f.cash += (revenue * margin - f.debt * rate) * dt - repay;
  f.debt -= repay;
}

const RegionSimulation::DayContext& RegionSimulation::refresh_day() {
  day_.day = sim_.now();
  day_.year = calendar_year();
  const double t = day_.year - kernel::kEpochYear;
  day_.wage = std::pow(1.0 + p_->macro.wage_growth, t);
  day_.energy_price = std::pow(1.0 + p_->macro.energy_price_growth, t);
  static const SectorParams kNeutralSector{};  // price factor and energy intensity 1
  for (int c = 0; c < kCategories; ++c) {
    const CategoryParams& cat = p_->categories[static_cast<std::size_t>(c)];
    const auto i = static_cast<std::size_t>(c);
    day_.price[i] = price_per_capacity(cat, kNeutralSector, p_->macro, day_.year);
    day_.labour[i] = labour_need(cat, day_.year);
    day_.energy[i] = energy_need(cat, kNeutralSector, day_.year);
    day_.cnc_share[i] = std::min(1.0, cat.new_cnc_share + cat.new_cnc_share_growth * t);
  }
  return day_;
}

void RegionSimulation::account(const Vintage& v, double sign) {
  if (!v.has(Vintage::kActive)) return;
  const CategoryParams& cat = p_->categories[idx(v.category)];
  units_ += static_cast<std::int64_t>(sign) * v.units;
  if (v.category == Category::Software) return;
  total_capacity_ += sign * v.capacity;
  if (cat.cnc_applicable) {
    key_capacity_ += sign * v.capacity;
    if (v.has(Vintage::kCnc)) cnc_capacity_ += sign * v.capacity;
  }
  if (cat.energy_applicable) {
    energy_capacity_ += sign * v.capacity;
    class_capacity_[idx(v.energy_class)] += sign * v.capacity;
  }
}

FinanceTerms RegionSimulation::finance_terms(const Firm& f, double price, const ProjectView* view) const {
  const double reserve = p_->behaviour.cash_reserve_share * f.revenue0;
  const double cash = std::max(0.0, f.cash - f.committed - reserve);
  double loan_share = 0;
  bool access = f.has(Firm::kCreditAccess);
  if (!access && view && policy_.has_credit_supply()) access = policy_.credit_access(*view);
  if (access && price > 0) loan_share = std::clamp((price - cash) / price, 0.0, 1.0);
  double loan_rate = p_->macro.loan_rate + p_->macro.loan_spread;
  if (view && loan_share > 0 && policy_.has_loan_terms())
    loan_rate = policy_.loan_rate(*view, loan_share * price, loan_rate, p_->macro.loan_years);
  // Kept positive: the bounds and the annuity assume a positive discount rate.
  const double r = std::max(1e-3, (1.0 - loan_share) * f.hurdle + loan_share * loan_rate);
  return {r, f.payback, waiting_multiplier(r, p_->behaviour.dividend_yield, p_->behaviour.volatility)};
}

double RegionSimulation::min_tax_factor(bool credit) const {
  // Z is at most the highest rate (everything deducted at once), U at least
  // the lowest (0 under a tax holiday), k at most the largest credit.
  const double u = p_->tax.income_tax_rate;
  const double k = std::max(credit ? p_->tax.special_equipment_credit : 0.0, policy_.max_tax_credit());
  const double u_min = policy_.any_tax_holiday() ? 0.0 : u;
  // T = (1 - k - Z)/(1 - U) with Z <= u x multiplier and U in [u_min, u]: a
  // negative numerator is smallest over the smallest denominator.
  const double numerator = 1.0 - k - u * policy_.max_deduction_multiplier();
  return numerator >= 0 ? numerator / (1.0 - u_min) : numerator / (1.0 - u);
}

TaxTreatment RegionSimulation::tax_treatment(const Vintage& next, double price, bool energy_saving,
                                             const ProjectView* view) const {
  TaxTreatment t;
  t.schedule = TaxSchedule::flat(p_->tax.income_tax_rate);
  t.depreciation_years = p_->tax.depreciation_years;
  const double unit_price = price / std::max<std::uint32_t>(1, next.units);
  t.expensed_share = unit_price <= p_->tax.expensing_unit_limit ? 1.0 : 0.0;
  t.credit = energy_saving ? p_->tax.special_equipment_credit : 0.0;
  if (view && !policy_.tax_levers().empty()) {
    ProjectView basis = *view;
    basis.price = price;  // tax levers see the tax basis (net of grants)
    policy_.apply_tax(basis, t);
  }
  return t;
}

void RegionSimulation::book_lever(YearStats& y, std::uint16_t lever, double amount, bool outlay_now) {
  LeverYear& l = y.levers[lever];
  ++l.supported_projects;
  l.granted += amount;
  if (!outlay_now) return;  // grants are paid at acceptance
  l.outlay += amount;
  y.fiscal_outlay += amount;
  const auto& funding = policy_.info(lever).funding;
  for (int lv = 0; lv < kFundingLevels; ++lv)
    y.fiscal_outlay_by_level[static_cast<std::size_t>(lv)] += amount * funding[static_cast<std::size_t>(lv)];
}

void RegionSimulation::book_tax_levers(const Firm& f, const Candidate& c, double net_price, YearStats& y) {
  const auto& levers = policy_.tax_levers();
  if (levers.empty()) return;
  ProjectView basis = view_of(f, c);
  basis.price = net_price;
  basis.known = ~std::uint64_t{0};  // tax law applies whether or not the firm knew of the lever
  const double r = finance_terms(f, c.price).discount_rate;
  const double delta = 1.0 / p_->categories[idx(c.next.category)].economic_life;
  TaxTreatment t = tax_treatment(c.next, net_price, c.credit, nullptr);
  double before = tax_factor(t, r, delta);
  const std::size_t first = policy_.first_tax_lever();
  for (std::size_t i = 0; i < levers.size(); ++i) {
    if (!levers[i].apply(basis, t)) continue;
    const double after = tax_factor(t, r, delta);
    const double expenditure = std::max(0.0, net_price * (before - after));  // each lever's margin, in order
    before = after;
    book_lever(y, static_cast<std::uint16_t>(first + i), expenditure, true);
  }
}

double RegionSimulation::effective_cost(const Vintage& next, double price, bool qualifies_credit, double r,
                                        const ProjectView* view) const {
  const double delta = 1.0 / p_->categories[idx(next.category)].economic_life;
  return price * tax_factor(tax_treatment(next, price, qualifies_credit, view), r, delta);
}

Vintage RegionSimulation::new_vintage(const Firm& f, Category category, MenuOption option, bool cnc_if_standard,
                                      double capacity) {
  const CategoryParams& cat = p_->categories[idx(category)];
  const MenuOptionParams& opt = p_->menu[idx(option)];
  const DayContext& d = today();
  Vintage v;
  v.category = category;
  v.capacity = static_cast<float>(capacity);
  v.units = static_cast<std::uint32_t>(std::clamp(round_half_away(capacity / cat.output_per_unit), 1.0, 4e9));
  v.flags = Vintage::kActive;
  const bool cnc = cat.cnc_applicable && (opt.always_cnc || cnc_if_standard);
  v.set(Vintage::kCnc, cnc);
  v.energy_class = cat.energy_applicable ? opt.energy_class : EnergyClass::Baseline;
  v.labour = static_cast<float>(d.labour[idx(category)] * (cnc ? 1.0 - cat.cnc_labour_saving : 1.0) *
                                (1.0 - opt.extra_labour_saving));
  v.energy = static_cast<float>(d.energy[idx(category)] * p_->sectors[f.sector].energy_intensity *
                                energy_class_factor(v.energy_class));
  v.maintenance = static_cast<float>(cat.maintenance_cost);
  return v;
}

namespace {
// The years a retrofit of a vintage of age `age` is weighed over.
double retrofit_life(const CategoryParams& cat, double age) { return std::max(3.0, 1.5 * cat.survival_half_life - age); }

double running_cost(const Vintage& v, const CategoryParams& cat, double wage, double energy_price, double age) {
  return v.labour * wage + v.energy * energy_price + v.maintenance * (1.0 + cat.maintenance_age_slope * age);
}

// The lean bounds are widened by this factor so that rounding can never put
// them below the exact ratio.
constexpr double kLeanWiden = 1.0 + 1e-9;

// An upper bound of the ratio scale x benefit / cost of an alternative of list
// price `price`, whatever support within `b` it gets: the cost after tax at
// the lowest tax factor `min_tax`, less the repair it avoids and the most
// cash support. With no support it is the plain payback bound.
double bounded_ratio(double scale, double benefit, double price, double min_tax, double avoided,
                     const SupportBound& b) {
  const double paid_low = b.price_factor * price;
  // The price less capital grants lies between paid_low x (1 - capital_share)
  // and the list price; times min_tax it is lowest at one end or the other.
  const double kept = 1.0 - b.capital_share;
  const double taxed = min_tax >= 0 ? (kept >= 0 ? paid_low * kept : price * kept) * min_tax : price * min_tax;
  const double cost = taxed - avoided - (b.cash_share * price + b.cash_fixed);
  // Divided whatever the sign, so that the choice needs no branch.
  const double ratio = scale * benefit / std::max(1e-9 * paid_low, cost);
  return benefit > 0 ? ratio : 0.0;
}
}  // namespace

void RegionSimulation::fill_menu_costs(MenuCosts& m, const Firm& f, int category) {
  const DayContext& d = today();
  // The arithmetic of new_vintage and running_cost at age 0, rounded alike.
  m.day = d.day;
  const CategoryParams& cat = p_->categories[static_cast<std::size_t>(category)];
  const SectorParams& sec = p_->sectors[f.sector];
  for (int std_cnc = 0; std_cnc < 2; ++std_cnc) {
    for (int o = 0; o < kMenuOptions; ++o) {
      const MenuOptionParams& opt = p_->menu[static_cast<std::size_t>(o)];
      const bool cnc = cat.cnc_applicable && (opt.always_cnc || std_cnc == 1);
      const EnergyClass cls = cat.energy_applicable ? opt.energy_class : EnergyClass::Baseline;
      const float labour = static_cast<float>(d.labour[static_cast<std::size_t>(category)] *
                                              (cnc ? 1.0 - cat.cnc_labour_saving : 1.0) *
                                              (1.0 - opt.extra_labour_saving));
      const float energy = static_cast<float>(d.energy[static_cast<std::size_t>(category)] * sec.energy_intensity *
                                              energy_class_factor(cls));
      const float maintenance = static_cast<float>(cat.maintenance_cost);
      m.new_cost[std_cnc][o] = labour * d.wage + energy * d.energy_price + maintenance * 1.0;
      m.min_tax[o] = lean_min_tax_[cat.energy_applicable && cls >= EnergyClass::EnergySaving ? 1 : 0];
    }
  }
}

int RegionSimulation::lean_bounds(const Firm& f, std::uint32_t slot, double demand_now, double repair,
                                  double cnc_draw, const SupportBound& support, double* ratios, LeanTerms& terms) {
  // The same arithmetic as alternatives_for_slot's, kept to what the payback
  // bound needs (widened: kLeanWiden).
  const Vintage& v = pop_.slots[slot];
  const CategoryParams& cat = p_->categories[idx(v.category)];
  const SectorParams& sec = p_->sectors[f.sector];
  const DayContext& d = today();
  const int c = idx(v.category);
  const MenuCosts& menu = menu_costs(f, c);
  const double age = (sim_.now() - v.installed) / kDaysPerYear;
  const double output = v.capacity * (f.capacity > 0 ? std::min(1.0, demand_now / f.capacity) : 0.0);
  const double old_cost = running_cost(v, cat, d.wage, d.energy_price, age);
  const double std_price = d.price[c] * sec.price_factor * v.capacity;
  const double* new_cost = menu.new_cost[cnc_draw < d.cnc_share[c] ? 1 : 0];
  const double scale = kLeanWiden * f.payback;
  auto bound = [&](double benefit, double price, double min_tax, double avoided) {
    return bounded_ratio(scale, benefit, price, min_tax, avoided, support);
  };
  int n = 0;
  double top_price = 0;
  for (int o = 0; o < kMenuOptions; ++o) {
    const double price = std_price * p_->menu[static_cast<std::size_t>(o)].price_factor;
    top_price = std::max(top_price, price);
    ratios[n++] = bound((old_cost - new_cost[o] + cat.productivity_gain) * output, price, menu.min_tax[o], repair);
  }
  const bool can_cnc = cat.cnc_applicable && !v.has(Vintage::kCnc);
  const bool can_class = cat.energy_applicable && v.energy_class < EnergyClass::EnergySaving;
  terms.life = cat.economic_life;
  terms.retrofit = !v.has(Vintage::kRetrofitted) && (can_cnc || can_class);
  if (terms.retrofit) {
    terms.retrofit_life = retrofit_life(cat, age);
    top_price = std::max(top_price, cat.retrofit_cost_share * std_price);
    Vintage next = v;
    if (can_cnc) next.labour = static_cast<float>(v.labour * (1.0 - cat.retrofit_labour_saving));
    EnergyClass cls = v.energy_class;
    if (can_class) {
      cls = static_cast<EnergyClass>(idx(v.energy_class) + 1);
      next.energy = static_cast<float>(v.energy * energy_class_factor(cls) / energy_class_factor(v.energy_class));
    }
    const bool credit = cls >= EnergyClass::EnergySaving && can_class;
    ratios[n++] = bound((old_cost - running_cost(next, cat, d.wage, d.energy_price, age)) * output,
                        cat.retrofit_cost_share * std_price, lean_min_tax_[credit ? 1 : 0], 0.0);
  }
  terms.price = top_price;
  return n;
}

int RegionSimulation::lean_software_bound(const Firm& f, std::uint32_t slot, double demand_now, double repair,
                                          const SupportBound& support, double* ratios, LeanTerms& terms) {
  // The bound of alternatives_for_slot's software candidate.
  const Vintage& v = pop_.slots[slot];
  const CategoryParams& cat = p_->categories[idx(Category::Software)];
  const double price = today().price[idx(Category::Software)] * p_->sectors[f.sector].price_factor * demand_now;
  double benefit, avoided;
  if (!f.has(Firm::kDigitalTools)) {
    benefit = (f.software_benefit - cat.maintenance_cost) * demand_now;
    avoided = 0.0;
  } else {
    const double age = (sim_.now() - v.installed) / kDaysPerYear;
    const double old_cost = v.maintenance * (1.0 + cat.maintenance_age_slope * age);
    benefit = (old_cost - cat.maintenance_cost) * demand_now;
    avoided = repair;
  }
  ratios[0] = bounded_ratio(kLeanWiden * f.payback, benefit, price, lean_min_tax_[0], avoided, support);
  terms.price = price;
  terms.life = cat.economic_life;
  terms.retrofit = false;
  return 1;
}

bool RegionSimulation::expansion_slot(const Firm& f, std::uint32_t& slot, bool& merges) const {
  bool found = false;
  merges = false;
  kernel::Day oldest = std::numeric_limits<kernel::Day>::max();
  for (std::uint32_t s = f.first_slot; s < f.first_slot + f.slots; ++s) {
    const Vintage& v = pop_.slots[s];
    if (!v.has(Vintage::kExpansion) || v.has(Vintage::kInProject)) continue;
    if (!v.has(Vintage::kActive)) {
      slot = s;
      merges = false;
      return true;
    }
    if (v.installed < oldest) {
      oldest = v.installed;
      slot = s;
      found = merges = true;
    }
  }
  return found;
}

int RegionSimulation::lean_expansion_bounds(const Firm& f, double demand_ahead, double cnc_draw,
                                            const SupportBound& support, double* ratios, LeanTerms& terms) {
  // The bounds of expansion_alternatives' candidates (the land cost, never
  // negative, left out).
  const double target_use = p_->population.utilisation;
  if (f.capacity <= 0 || demand_ahead / f.capacity <= target_use * (1.0 + p_->behaviour.expansion_slack)) return 0;
  std::uint32_t slot = 0;
  bool merges = false;
  if (!expansion_slot(f, slot, merges)) return 0;
  const Vintage& old = pop_.slots[slot];
  const int c = idx(old.category);
  const CategoryParams& cat = p_->categories[static_cast<std::size_t>(c)];
  const SectorParams& sec = p_->sectors[f.sector];
  const DayContext& d = today();
  const MenuCosts& menu = menu_costs(f, c);
  const double added = demand_ahead / target_use - f.capacity;
  const double capacity = added + (merges ? old.capacity : 0.0);
  const double* new_cost = menu.new_cost[cnc_draw < d.cnc_share[static_cast<std::size_t>(c)] ? 1 : 0];
  const double old_running =
      merges ? running_cost(old, cat, d.wage, d.energy_price, (sim_.now() - old.installed) / kDaysPerYear) *
                   old.capacity * target_use
             : 0.0;
  for (int o = 0; o < kMenuOptions; ++o) {
    const double price = d.price[static_cast<std::size_t>(c)] * sec.price_factor *
                         p_->menu[static_cast<std::size_t>(o)].price_factor * capacity;
    const double new_running = new_cost[o] * (merges ? old.capacity : 0.0) * target_use;
    const double benefit = sec.contribution_margin * added * target_use + old_running - new_running;
    ratios[o] = bounded_ratio(kLeanWiden * f.payback, benefit, price, menu.min_tax[o], 0.0, support);
    terms.price = std::max(terms.price, price);
  }
  terms.life = cat.economic_life;
  terms.retrofit = false;
  return kMenuOptions;
}

double RegionSimulation::firm_hurdle_share(const Firm& f, double price, double life, bool may_close) const {
  // The lowest rate finance_terms() can blend: the firm's hurdle on its own
  // cash, the lowest loan rate on the rest of the dearest alternative.
  double r = f.hurdle;
  if (lowest_loan_rate_ < f.hurdle && (f.has(Firm::kCreditAccess) || policy_.has_credit_supply())) {
    const double cash = std::max(0.0, f.cash - f.committed - p_->behaviour.cash_reserve_share * f.revenue0);
    if (price > cash) {
      const double loan_share = (price - cash) / price;
      r = (1.0 - loan_share) * f.hurdle + loan_share * lowest_loan_rate_;
    }
  }
  return hurdle_share(std::max(1e-3, r), life, f.payback, p_->behaviour.dividend_yield, p_->behaviour.volatility,
                      may_close);
}

void RegionSimulation::tighten_lean(const Firm& f, const LeanTerms& terms, const SupportBound& support,
                                    double* ratios, int n) const {
  // Any lever counted in the bound sets its closing day.
  const bool may_close = may_close_before_review(support.closes);
  const double share = firm_hurdle_share(f, terms.price, terms.life, may_close);
  const int last = terms.retrofit ? n - 1 : n;
  for (int i = 0; i < last; ++i) ratios[i] *= share;
  if (terms.retrofit) ratios[n - 1] *= firm_hurdle_share(f, terms.price, terms.retrofit_life, may_close);
}

int RegionSimulation::choose(const Firm& f, std::uint32_t slot, double demand, double repair, double u_choice,
                             double u_cnc, const SupportBound& support, Candidate* alts) {
  double ratios[kMenuOptions + 1];
  const bool expansion = slot == kExpansionChoice;
  const bool software = !expansion && pop_.slots[slot].category == Category::Software;
  if (expansion || software || pop_.slots[slot].has(Vintage::kActive)) {
    // The bound pass without candidates, at the most support the firm could
    // get; most choices end here with "keep".
    LeanTerms terms;
    const int n = expansion  ? lean_expansion_bounds(f, demand, u_cnc, support, ratios, terms)
                  : software ? lean_software_bound(f, slot, demand, repair, support, ratios, terms)
                             : lean_bounds(f, slot, demand, repair, u_cnc, support, ratios, terms);
    if (n == 0) return 0;
    if (u_choice < logit_.keep_probability(ratios, n)) return 0;  // keep, whatever the exact ratios
    tighten_lean(f, terms, support, ratios, n);
    if (u_choice < logit_.keep_probability(ratios, n)) return 0;
  }
  // Scratch per thread (firms are weighed in parallel in decision windows):
  // a local array would be initialised at every call.
  static thread_local ProjectView views[kMenuOptions + 1];
  const int n = expansion ? expansion_alternatives(f, demand, u_cnc, alts, views)
                          : alternatives_for_slot(f, slot, demand, repair, u_cnc, alts, views);
  if (n == 0) return 0;
  if (!policy_.empty()) {
    // The bounds with each candidate's own support (without levers they are
    // the lean ones), cut to the hurdle at its own price and closing day.
    // (One rate for all: the lowest, at the dearest alternative's price.)
    double top_price = 0;
    bool may_close = false;
    for (int i = 0; i < n; ++i) {
      top_price = std::max(top_price, alts[i].price);
      may_close = may_close || (alts[i].support > 0 && may_close_before_review(alts[i].closes));
    }
    double life = -1, share = 1;
    for (int i = 0; i < n; ++i) {
      const Candidate& c = alts[i];
      if (c.life != life) {
        life = c.life;
        share = firm_hurdle_share(f, top_price, life, may_close);
      }
      ratios[i] = c.ratio > 0 ? c.ratio * share : c.ratio;
    }
    if (u_choice < logit_.keep_probability(ratios, n)) return 0;  // keep, whatever the exact ratios
  }
  price_exactly(f, alts, views, n);
  for (int i = 0; i < n; ++i) ratios[i] = alts[i].ratio;
  return logit_.choice(ratios, n, u_choice);
}

void RegionSimulation::price_exactly(const Firm& f, Candidate* alts, const ProjectView* views, int n) {
  for (int i = 0; i < n; ++i) {
    Candidate& c = alts[i];
    // A replacement, retrofit or adoption whose bound cannot reach the cutoff
    // is not priced in full: its logit weight would be below 1e-9 of keeping's.
    if (c.kind != kExpand && (c.benefit <= 0 || c.ratio < negligible_ratio_)) {
      c.ratio = 0;
      continue;
    }
    const ProjectView* levers = policy_.empty() ? nullptr : &views[i];
    const FinanceTerms terms = finance_terms(f, c.price, levers);
    const double cost =
        std::max(1e-9 * c.price, effective_cost(c.next, c.net, c.credit, terms.discount_rate, levers) - c.avoided +
                                     c.land_net - c.cash_support);
    c.ratio = ratio_with_support(c, {cost, c.benefit, c.life}, terms, c.closes, c.credit, c.avoided, levers);
  }
}

int RegionSimulation::alternatives_for_slot(const Firm& f, std::uint32_t slot, double demand_now, double repair,
                                            double cnc_draw, Candidate* out, ProjectView* views) {
  const Vintage& v = pop_.slots[slot];
  const CategoryParams& cat = p_->categories[idx(v.category)];
  const SectorParams& sec = p_->sectors[f.sector];
  const DayContext& d = today();
  const double age = (sim_.now() - v.installed) / kDaysPerYear;
  int n = 0;
  SlotLevers levers;

  // The bound of an alternative: the payback rule at the lowest possible tax
  // factor, on the cost less the repair it avoids and the support.
  auto evaluate = [&](Candidate& c, double benefit, double life, bool credit, double avoided) {
    c.ratio = 0;
    c.credit = credit;
    c.benefit = benefit;
    c.life = life;
    c.avoided = avoided;
    if (benefit <= 0) return;
    // Grants lower the price the firm bears (and its depreciable base).
    c.net = policy_.empty() ? c.price : lever_support(f, levers, c, views[n], c.closes);
    const double cost_floor = std::max(1e-9 * c.price, c.net * min_tax_factor(credit) - avoided - c.cash_support);
    c.ratio = f.payback * benefit / cost_floor;
  };

  if (v.category == Category::Software) {
    Candidate c;
    c.slot = slot;
    c.price = d.price[idx(v.category)] * sec.price_factor * demand_now;
    c.next = v;
    c.next.flags = Vintage::kActive;
    c.next.capacity = static_cast<float>(demand_now);
    c.next.units = 1;
    c.next.maintenance = static_cast<float>(cat.maintenance_cost);
    if (!f.has(Firm::kDigitalTools)) {
      c.kind = kAdoptSoftware;
      evaluate(c, (f.software_benefit - cat.maintenance_cost) * demand_now, cat.economic_life, false, 0.0);
    } else {
      c.kind = kReplace;
      const double old_cost = v.maintenance * (1.0 + cat.maintenance_age_slope * age);
      evaluate(c, (old_cost - cat.maintenance_cost) * demand_now, cat.economic_life, false, repair);
    }
    out[n++] = c;
    return n;
  }

  const double utilisation = f.capacity > 0 ? std::min(1.0, demand_now / f.capacity) : 0.0;
  const double output = v.capacity * utilisation;
  const double old_cost = running_cost(v, cat, d.wage, d.energy_price, age);
  const double std_price = d.price[idx(v.category)] * sec.price_factor * v.capacity;
  const bool std_cnc = cnc_draw < d.cnc_share[idx(v.category)];

  for (int o = 0; o < kMenuOptions; ++o) {
    Candidate c;
    c.kind = kReplace;
    c.slot = slot;
    c.price = std_price * p_->menu[static_cast<std::size_t>(o)].price_factor;
    c.option = static_cast<MenuOption>(o);
    c.next = new_vintage(f, v.category, c.option, std_cnc, v.capacity);
    c.next.units = v.units;  // a like-for-like replacement keeps the number of machines
    c.next.set(Vintage::kExpansion, v.has(Vintage::kExpansion));  // the slot stays an expansion slot
    const double benefit =
        (old_cost - running_cost(c.next, cat, d.wage, d.energy_price, 0.0) + cat.productivity_gain) * output;
    const bool credit = cat.energy_applicable && c.next.energy_class >= EnergyClass::EnergySaving;
    evaluate(c, benefit, cat.economic_life, credit, repair);
    out[n++] = c;
  }

  const bool can_cnc = cat.cnc_applicable && !v.has(Vintage::kCnc);
  const bool can_class = cat.energy_applicable && v.energy_class < EnergyClass::EnergySaving;
  if (!v.has(Vintage::kRetrofitted) && (can_cnc || can_class)) {
    Candidate c;
    c.kind = kRetrofit;
    c.slot = slot;
    c.price = cat.retrofit_cost_share * std_price;
    c.next = v;
    c.next.set(Vintage::kRetrofitted, true);
    if (can_cnc) {
      c.next.set(Vintage::kCnc, true);
      c.next.labour = static_cast<float>(v.labour * (1.0 - cat.retrofit_labour_saving));
    }
    if (can_class) {
      const auto better = static_cast<EnergyClass>(idx(v.energy_class) + 1);
      c.next.energy = static_cast<float>(v.energy * energy_class_factor(better) / energy_class_factor(v.energy_class));
      c.next.energy_class = better;
    }
    // A retrofit does not spare the repair of a broken machine: no avoided cost.
    const double life = retrofit_life(cat, age);
    const bool credit = c.next.energy_class >= EnergyClass::EnergySaving && can_class;
    evaluate(c, (old_cost - running_cost(c.next, cat, d.wage, d.energy_price, age)) * output, life, credit, 0.0);
    out[n++] = c;
  }
  return n;
}

int RegionSimulation::expansion_alternatives(const Firm& f, double demand_ahead, double cnc_draw, Candidate* out,
                                             ProjectView* views) {
  const double target_use = p_->population.utilisation;
  if (f.capacity <= 0 || demand_ahead / f.capacity <= target_use * (1.0 + p_->behaviour.expansion_slack)) return 0;
  // A free expansion slot, or else the oldest expansion vintage, replaced by a larger one.
  std::uint32_t slot = 0;
  bool merges = false;
  if (!expansion_slot(f, slot, merges)) return 0;
  const Vintage& old = pop_.slots[slot];
  const CategoryParams& cat = p_->categories[idx(old.category)];
  const SectorParams& sec = p_->sectors[f.sector];
  const DayContext& d = today();
  const double added = demand_ahead / target_use - f.capacity;
  const double capacity = added + (merges ? old.capacity : 0.0);
  const bool std_cnc = cnc_draw < d.cnc_share[idx(old.category)];
  SlotLevers levers;
  const double old_running =
      merges ? running_cost(old, cat, d.wage, d.energy_price, (sim_.now() - old.installed) / kDaysPerYear) *
                   old.capacity * target_use
             : 0.0;
  int n = 0;
  for (int o = 0; o < kMenuOptions; ++o) {
    Candidate c;
    c.kind = kExpand;
    c.slot = slot;
    c.merges = merges;
    c.option = static_cast<MenuOption>(o);
    c.next = new_vintage(f, old.category, c.option, std_cnc, capacity);
    c.next.set(Vintage::kExpansion, true);
    c.price = d.price[idx(old.category)] * sec.price_factor * p_->menu[static_cast<std::size_t>(o)].price_factor * capacity;
    const double new_running =
        running_cost(c.next, cat, d.wage, d.energy_price, 0.0) * (merges ? old.capacity : 0.0) * target_use;
    const double benefit = sec.contribution_margin * added * target_use + old_running - new_running;
    const bool credit = cat.energy_applicable && c.next.energy_class >= EnergyClass::EnergySaving;
    c.credit = credit;
    c.land_cost = c.land_net = sec.expansion_land_cost * c.price;  // land is not equipment: no tax terms
    c.benefit = benefit;
    c.life = cat.economic_life;
    if (!(benefit > 0)) views[n] = ProjectView{};  // priced without the levers' support (views are scratch)
    c.net = std::max(1e-9 * c.price,
                     benefit > 0 && !policy_.empty() ? lever_support(f, levers, c, views[n], c.closes) : c.price);
    c.ratio = benefit > 0 ? f.payback * benefit /
                                std::max(1e-9 * c.price, c.net * min_tax_factor(credit) + c.land_net - c.cash_support)
                          : 0.0;
    out[n++] = c;
  }
  return n;
}

ProjectView RegionSimulation::view_of(const Project& p) const {
  Candidate c;
  c.next = p.next;
  c.kind = p.kind;
  c.price = p.price;
  c.slot = p.slot;
  return view_of(pop_.firms[p.firm], c);
}

double RegionSimulation::lever_support(const Firm& f, SlotLevers& slot, Candidate& c, ProjectView& view,
                                       kernel::Day& closes) {
  if (!slot.ready) {
    slot.view = slot_view(f, c.slot);
    slot.subsidies = covering_subsidies(slot.view.firm);
    if (policy_.has_awards()) slot.before = firm_status(f);
    slot.ready = true;
  }
  view = slot.view;
  set_project(view, c);
  c.list_price = c.price;
  if (policy_.has_price_factor()) {
    c.price *= policy_.price_factor(view);
    view.price = c.price;
  }
  double score = f.evaluation_score;
  if (policy_.has_land()) {
    score = std::min(score + policy_.score_bonus(view), std::nextafter(1.0, 0.0));
    c.land_net = c.land_cost * (1.0 - policy_.land_waiver(view));
  }
  if (policy_.has_first_of_kind()) view.counted_factor = policy_.counted_factor(view);  // on the price paid
  Offer offer = policy_.offer(view, score, &slot.subsidies);
  if (policy_.has_awards()) {
    // An award is earned at commissioning: the lever must still be open then.
    const CategoryParams& cat = p_->categories[idx(c.next.category)];
    ProjectView at_commissioning = view;
    at_commissioning.day = view.day + cat.approval_days + cat.delivery_days;
    policy_.award_offer(at_commissioning, slot.before, firm_status(f, c.slot, &c.next), offer, view.day);
  }
  closes = offer.closes;
  // Firms count on announced support as far as they believe it will be paid.
  // Capital grants lower the tax basis; the rest (awards, insurance,
  // programme grants) is cash on top.
  const double credibility = p_->behaviour.credibility;
  c.support = credibility * offer.amount;
  c.cash_support = credibility * (offer.amount - offer.capital);
  return c.price - credibility * offer.capital;
}

double RegionSimulation::ratio_with_support(const Candidate& c, const Alternative& a, const FinanceTerms& terms,
                                            kernel::Day closes, bool credit, double avoided,
                                            const ProjectView* levers) const {
  const double interval = p_->behaviour.review_interval_days;
  const double left = static_cast<double>(closes) - sim_.now();
  if (c.support <= 0 || left >= interval) return profitability(a, terms);
  const double full = std::max(
      1e-9 * c.price, effective_cost(c.next, c.price, credit, terms.discount_rate, levers) - avoided + c.land_net);
  return profitability_closing(a, full, terms, left / interval);
}

FirmStatus RegionSimulation::firm_status(const Firm& f, std::uint32_t slot, const Vintage* next) const {
  FirmStatus s;
  s.digital_tools = f.has(Firm::kDigitalTools);
  for (std::uint32_t i = f.first_slot; i < f.first_slot + f.slots; ++i) {
    const Vintage& v = i == slot && next ? *next : pop_.slots[i];
    if (!v.has(Vintage::kActive)) continue;
    if (v.category == Category::Software) {
      s.digital_tools = true;
      continue;
    }
    const CategoryParams& cat = p_->categories[idx(v.category)];
    s.capacity += v.capacity;
    if (v.category == Category::RobotLines) s.robot_capacity += v.capacity;
    if (cat.cnc_applicable) {
      s.key_capacity += v.capacity;
      if (v.has(Vintage::kCnc)) s.cnc_capacity += v.capacity;
    }
    if (cat.energy_applicable) {
      s.energy_capacity += v.capacity;
      if (v.energy_class >= EnergyClass::EnergySaving) s.efficient_capacity += v.capacity;
      if (v.energy_class == EnergyClass::Benchmark) s.benchmark_capacity += v.capacity;
    }
  }
  return s;
}

EquipmentView RegionSimulation::equipment_view(const Vintage& v, double age_years) const {
  const CategoryParams& cat = p_->categories[idx(v.category)];
  EquipmentView e;
  e.category = v.category;
  e.age_years = age_years;
  e.energy_class = v.energy_class;
  e.cnc = v.has(Vintage::kCnc);
  e.cnc_applicable = cat.cnc_applicable;
  e.energy_applicable = cat.energy_applicable;
  return e;
}

bool RegionSimulation::banned(const ProjectView& firm, std::uint32_t slot) const {
  const Vintage& v = pop_.slots[slot];
  if (!v.has(Vintage::kActive)) return false;
  const EquipmentView e = equipment_view(v, (sim_.now() - v.installed) / kDaysPerYear);
  for (const auto& s : policy_.standards())
    if (s.bans(firm, e)) return true;
  return false;
}

int RegionSimulation::compelling_standard(std::uint64_t compelling, std::uint32_t slot) const {
  const Vintage& v = pop_.slots[slot];
  if (!v.has(Vintage::kActive)) return -1;
  const EquipmentView e = equipment_view(v, (sim_.now() - v.installed) / kDaysPerYear);
  const auto& standards = policy_.standards();
  // A compelling standard applies to the firm (MandatoryStandard::compels).
  for (std::size_t k = 0; k < standards.size(); ++k)
    if (((compelling >> k) & 1u) && standards[k].bans_equipment(e)) return static_cast<int>(k);
  return -1;
}

bool RegionSimulation::keeps_banned(const Firm& f, std::uint32_t except_slot) const {
  // Only standards that exclude from subsidies, and that the firm knows of.
  // Nothing a review does changes which of the firm's active slots are banned
  // (a project marks its slot but leaves it active), so the banned slots are
  // found once per firm and event and reused for every candidate.
  const auto firm = static_cast<std::uint32_t>(&f - pop_.firms.data());
  FirmEventCache& cache = firm_cache(firm);
  if (!cache.has_banned) {
    cache.has_banned = true;
    cache.banned = 0;
    const ProjectView& fv = cached_firm_view(firm);
    // The standards that count, then each active slot's equipment once against them.
    const MandatoryStandard* counting[Policy::kMaxStandards];
    int n = 0;
    for (const auto& st : policy_.standards())
      if (st.params().exclude_from_subsidies && st.applies_to(fv) && st.params().known(fv)) counting[n++] = &st;
    if (n > 0)
      for (std::uint32_t s = f.first_slot; s < f.first_slot + f.slots; ++s) {
        const Vintage& v = pop_.slots[s];
        if (!v.has(Vintage::kActive)) continue;
        const EquipmentView e = equipment_view(v, (sim_.now() - v.installed) / kDaysPerYear);
        for (int k = 0; k < n; ++k)
          if (counting[k]->bans_equipment(e)) {
            cache.banned |= std::uint64_t{1} << (s - f.first_slot);
            break;
          }
      }
  }
  const std::uint64_t except =
      except_slot >= f.first_slot && except_slot < f.first_slot + f.slots ? std::uint64_t{1} << (except_slot - f.first_slot) : 0;
  return (cache.banned & ~except) != 0;
}

int RegionSimulation::choose_compliant(const Firm& f, std::uint32_t slot, double demand, double u_choice,
                                       double u_cnc, Candidate* alts) {
  ProjectView views[kMenuOptions + 1];
  const int n = alternatives_for_slot(f, slot, demand, 0.0, u_cnc, alts, views);
  price_exactly(f, alts, views, n);
  const ProjectView& fv = cached_firm_view(static_cast<std::uint32_t>(&f - pop_.firms.data()));
  const Vintage& old = pop_.slots[slot];
  int index[kMenuOptions + 1];
  double ratios[kMenuOptions + 1], costs[kMenuOptions + 1];
  int m = 0;
  for (int i = 0; i < n; ++i) {
    const Candidate& c = alts[i];
    // A retrofit keeps the vintage's age; a replacement is new.
    const double age = c.kind == kRetrofit ? (sim_.now() - old.installed) / kDaysPerYear : 0.0;
    const EquipmentView e = equipment_view(c.next, age);
    bool ok = true;
    for (const auto& s : policy_.standards()) ok = ok && !s.bans(fv, e);
    if (!ok) continue;
    index[m] = i;
    ratios[m] = c.ratio;
    costs[m] = c.price - c.support;
    ++m;
  }
  if (m == 0) return 0;  // nothing complies: kept until the deadline
  return index[forced_choice(ratios, costs, m, p_->behaviour.logit_scale, u_choice)] + 1;
}

void RegionSimulation::on_adviser_visit(std::uint32_t firm, std::uint32_t advisory) {
  const Advisory& a = policy_.advisories()[advisory];
  if (!learned_.empty()) {
    learned_[firm] |= a.informs_bits;
    forget_firm_cache();
  }
  if (network_ && !(net_state_[firm] & kNetAware)) {
    // A visited firm counts as aware for the diffusion too (without a second review).
    net_state_[firm] |= kNetAware;
    ++aware_count_[static_cast<std::size_t>(network_->position(firm))];
    if (p_->network.peers_count_when_aware) count_as_peer(firm);
  }
  YearStats& y = stats_now();
  const auto lever = static_cast<std::uint16_t>(policy_.first_advisory_lever() + advisory);
  if (a.params().cost_per_visit > 0) {
    book_lever(y, lever, a.params().cost_per_visit, true);
  } else {
    ++y.levers[lever].supported_projects;
  }
  on_review(firm, false, 0, 0, nullptr);  // weighed now: a visit is never planned
}

void RegionSimulation::on_standard_deadline(std::uint32_t standard) {
  // Banned capacity still in service exits (equipment already in a project is left to it).
  const MandatoryStandard& st = policy_.standards()[standard];
  YearStats& y = stats_now();
  const auto n = static_cast<std::uint32_t>(pop_.firms.size());
  for (std::uint32_t i = 0; i < n; ++i) {
    Firm& f = pop_.firms[i];
    const ProjectView fv = firm_view(i);
    if (!st.applies_to(fv)) continue;
    for (std::uint32_t s = f.first_slot; s < f.first_slot + f.slots; ++s) {
      Vintage& v = pop_.slots[s];
      if (!v.has(Vintage::kActive) || v.has(Vintage::kInProject) || v.category == Category::Software) continue;
      if (st.bans(fv, equipment_view(v, (sim_.now() - v.installed) / kDaysPerYear))) exit_vintage(i, s, y);
    }
  }
}

void RegionSimulation::exit_vintage(std::uint32_t firm, std::uint32_t slot, YearStats& y) {
  Vintage& v = pop_.slots[slot];
  account(v, -1);
  pop_.firms[firm].capacity -= v.capacity;
  y.capacity_exited += v.capacity;
  y.units_exited += v.units;
  y.units_scrapped += v.units;
  ledger_.scrapped_units += v.units;
  if (track_firms_) ledger_.firm_scrapped[firm] += v.units;
  v.set(Vintage::kActive, false);
  ++pop_.firms[firm].equipment_changes;
  forget_firm_cache();
}

ProjectView RegionSimulation::view_of(const Firm& f, const Candidate& c) const {
  ProjectView v = slot_view(f, c.slot);
  set_project(v, c);
  return v;
}

ProjectView RegionSimulation::slot_view(const Firm& f, std::uint32_t slot) const {
  ProjectView v = cached_firm_view(static_cast<std::uint32_t>(&f - pop_.firms.data()));
  if (policy_.excludes_non_compliant()) v.non_compliant = keeps_banned(f, slot);
  return v;
}

void RegionSimulation::set_project(ProjectView& v, const Candidate& c) const {
  v.category = c.next.category;
  v.kind = c.kind;
  v.option = c.option;
  v.energy_class = c.next.energy_class;
  v.cnc = c.next.has(Vintage::kCnc);
  v.price = c.price;
  v.units = c.next.units;
  v.project_key = mix_key(v.firm_key, (static_cast<std::uint64_t>(static_cast<std::uint32_t>(v.day)) << 32) ^
                                          (static_cast<std::uint64_t>(c.slot) << 3) ^ static_cast<std::uint64_t>(idx(c.kind)));
  if (policy_.has_first_of_kind()) v.counted_factor = policy_.counted_factor(v);
}

bool RegionSimulation::start_project(Firm& f, std::uint32_t firm, const Candidate& c, double demand_now) {
  // One project per slot: a review may pick the same expansion slot twice
  // (its replacement and a merging expansion); the better one, first, wins.
  if (pop_.slots[c.slot].has(Vintage::kInProject)) return false;
  const bool levers = !policy_.empty();
  ProjectView view;
  if (levers) view = view_of(f, c);
  const double revenue = demand_now;
  const double reserve = p_->behaviour.cash_reserve_share * f.revenue0;
  double cash = std::max(0.0, f.cash - f.committed - reserve);
  // Land (expansions) is paid from cash when the project starts.
  const double land_waived = levers && c.land_cost > 0 ? c.land_cost * policy_.land_waiver(view) : 0.0;
  const double land_pay = c.land_cost - land_waived;
  if (cash < land_pay) {
    ++stats_now().credit_rationed;
    return false;
  }
  cash -= land_pay;
  // Credit: the ordinary limit, or what credit-supply levers open or lift.
  const double limit = p_->population.credit_multiplier * p_->population.equity_to_revenue * revenue;
  const double ordinary_credit = f.has(Firm::kCreditAccess) ? std::max(0.0, limit - f.debt - f.committed_loan) : 0.0;
  double credit = ordinary_credit;
  if (levers && policy_.has_credit_supply() && (f.has(Firm::kCreditAccess) || policy_.credit_access(view)))
    credit = std::max(0.0, limit * (1.0 + policy_.credit_limit_lift(view)) - f.debt - f.committed_loan);
  if (cash + credit < c.price) {
    ++stats_now().credit_rationed;
    return false;
  }
  f.cash -= land_pay;
  const double cash_part = std::min(c.price, cash);
  f.committed += cash_part;
  f.committed_loan += c.price - cash_part;

  std::uint32_t id;
  if (!free_projects_.empty()) {
    id = free_projects_.back();
    free_projects_.pop_back();
  } else {
    id = static_cast<std::uint32_t>(projects_.size());
    projects_.emplace_back();
  }
  Project& p = projects_[id];
  const std::uint32_t generation = p.generation + 1;
  p = Project{};
  p.generation = generation;
  p.price = c.price;
  p.cash_share = c.price > 0 ? cash_part / c.price : 1.0;
  p.next = c.next;
  p.firm = firm;
  p.slot = c.slot;
  p.kind = c.kind;
  p.merges = c.merges;
  p.counted_factor = levers ? view.counted_factor : 1.0;
  p.cascade = c.cascade;
  pop_.slots[c.slot].set(Vintage::kInProject, true);
  ++f.equipment_changes;

  YearStats& y = stats_now();
  y.land_paid += land_pay;
  const std::int64_t supports_before = levers ? new_lever_supports(y) : 0;
  if (levers) {
    // Applications are served in event order; a budget may be gone by now.
    rejected_scratch_.clear();
    double score = f.evaluation_score;
    if (policy_.has_land()) score = std::min(score + policy_.score_bonus(view), std::nextafter(1.0, 0.0));
    applications_scratch_.clear();
    policy_.grant(view, score, p.grants, rejected_scratch_, &applications_scratch_);
    for (const auto& [subsidy, amount] : applications_scratch_) {
      call_applications_[subsidy].push_back({score, amount, call_order_++, id, p.generation});
      ++p.pending_calls;
    }
    for (int i = 0; i < p.grants.count; ++i)
      book_lever(y, p.grants.lever[static_cast<std::size_t>(i)], p.grants.amount[static_cast<std::size_t>(i)], false);
    book_tax_levers(f, c, c.price - p.grants.total(), y);
    const double loan = c.price - cash_part;
    const double market_rate = p_->macro.loan_rate + p_->macro.loan_spread;
    const auto [fund_part, fund] = policy_.lend(
        view, loan, market_rate, p_->macro.loan_years, rejected_scratch_,
        [&](std::uint16_t lever, double lent, double outlay) {
          y.levers[lever].lent += lent;
          if (outlay > 0) book_lever(y, lever, outlay, true);
          else ++y.levers[lever].supported_projects;
        });
    policy_.grant_interest(view, loan, fund_part, fund, p_->macro.loan_years, rejected_scratch_,
                           [&](std::uint16_t lever, double interest) { book_lever(y, lever, interest, true); });
    policy_.for_each_credit_supply(
        view, f.has(Firm::kCreditAccess), loan, ordinary_credit,
        [&](std::uint16_t lever, const CreditSupplyParams& cs, double made_possible) {
          if (cs.expected_loss * made_possible > 0) book_lever(y, lever, cs.expected_loss * made_possible, true);
          else ++y.levers[lever].supported_projects;
        });
    auto designate = [&](std::uint16_t lever) {
      if (const Programme* g = policy_.programme(lever)) {
        const bool leader = g->params().role == ProgrammeParams::Role::ChainLeader;
        (leader ? p.chain_leader : p.demonstration) = true;
      }
    };
    policy_.support_at_start(
        view, c.list_price > 0 ? c.list_price : c.price, c.land_cost,
        [&](std::uint16_t lever, double amount, bool to_firm) {
          // Insurance compensation and programme grants are paid to the firm;
          // a waived land price is revenue forgone.
          book_lever(y, lever, amount, !to_firm);
          if (to_firm) pay_grant(firm, lever, amount);
          designate(lever);
        },
        [&](std::uint16_t lever) {
          ++y.levers[lever].supported_projects;
          designate(lever);
        },
        [&](std::uint16_t lever) { ++y.levers[lever].rejected_applications; });
    for (std::uint16_t lever : rejected_scratch_) ++y.levers[lever].rejected_applications;
  }
  ++y.projects_started;
  switch (c.kind) {
    case kReplace: ++y.replacements; break;
    case kRetrofit: ++y.retrofits; break;
    case kExpand: ++y.expansions; break;
    case kAdoptSoftware: ++y.software_adoptions; break;
  }
  for (std::size_t b = 0; b < kProjectBands; ++b)
    if (c.price >= kProjectBandMin[b]) {
      ++y.projects_at_least[b];
      y.project_value_at_least[b] += c.price;
    }
  if ((c.kind == kReplace || c.kind == kRetrofit) && pop_.slots[c.slot].has(Vintage::kActive) &&
      idx(c.next.energy_class) > idx(pop_.slots[c.slot].energy_class))
    ++y.energy_saving_projects;
  const CategoryParams& cat = p_->categories[idx(c.next.category)];
  int approval = cat.approval_days;
  if (levers)
    approval -= policy_.approval_days_saved(view, [&](std::uint16_t lever) { ++y.levers[lever].supported_projects; });
  if (log_started_ && sim_.now() >= log_from_) {
    p.log_index = static_cast<std::uint32_t>(started_log_.size());
    started_log_.push_back({firm, static_cast<std::int16_t>(y.year), static_cast<std::uint8_t>(idx(c.next.category)),
                            static_cast<std::uint8_t>(c.kind), false});
  }
  if (levers && new_lever_supports(y) > supports_before) mark_supported(p, y);
  sim_.schedule_after(std::max(0, approval), kPriorityPipeline, firm, kOrder, id);
  return true;
}

void RegionSimulation::pay(Project& p, double amount) {
  Firm& f = pop_.firms[p.firm];
  accrue(f, demand(f, 0));
  const double from_cash = amount * p.cash_share;
  const double from_loan = amount - from_cash;
  f.cash -= from_cash;
  f.committed = std::max(0.0, f.committed - from_cash);
  f.debt += from_loan;
  f.committed_loan = std::max(0.0, f.committed_loan - from_loan);
  p.paid += amount;
  ledger_.paid += amount;
  RENEWSIM_INVARIANT(f.debt >= 0 && f.committed >= 0 && f.committed_loan >= 0, "negative debt or commitments");
  RENEWSIM_INVARIANT(p.paid <= p.price * (1 + 1e-12), "a project paid more than its price");
  YearStats& y = stats_now();
  y.loans_drawn += from_loan;
  y.investment += amount;
  y.investment_counted += amount * p.counted_factor;
  y.investment_by_category[idx(p.next.category)] += amount;
  y.investment_by_sector[f.sector] += amount;
}

void RegionSimulation::schedule_breakdowns(std::uint32_t firm, kernel::Day until) {
  const Firm& f = pop_.firms[firm];
  const kernel::Day now = sim_.now();
  const std::uint64_t base = static_cast<std::uint64_t>(now - start_) * 32;
  rng::Stream draw(source_, pop_.stream_entity(firm), kPurposeBreakdown, base);
  for (std::uint32_t s = f.first_slot; s < f.first_slot + f.slots; ++s) {
    Vintage& v = pop_.slots[s];
    if (!v.has(Vintage::kActive) || v.has(Vintage::kInProject)) continue;
    if (v.fails <= now) {
      // Not drawn, or passed while the slot was in a project or just broke
      // down: the failure age given survival to the current age,
      // S(fail) = u * S(age). A draw still ahead stays valid: given survival
      // to now it has exactly that distribution.
      const CategoryParams& cat = p_->categories[idx(v.category)];
      draw.seek(base + (s - f.first_slot));
      const double age = (now - v.installed) / kDaysPerYear;
      const double target = draw.uniform_open() * survival(cat, age);
      const double fail_age = cat.survival_half_life + std::log(1.0 / target - 1.0) / cat.survival_steepness;
      const double days = std::clamp(std::ceil((fail_age - age) * kDaysPerYear), 1.0, 1e9);
      v.fails = now + static_cast<kernel::Day>(days);
    }
    if (v.fails < until)
      sim_.schedule_at(v.fails, kPriorityBreakdown, firm, kBreakdown,
                       static_cast<std::uint64_t>(static_cast<std::int64_t>(v.installed)), s);
  }
}

bool RegionSimulation::inform(std::uint32_t firm, const std::string& lever) {
  if (firm >= pop_.firms.size()) throw std::out_of_range("inform: no firm " + std::to_string(firm));
  for (std::size_t l = 0; l < policy_.size(); ++l) {
    const LeverBase& b = policy_.base(l);
    if (b.name != lever || b.awareness_bit < 0) continue;
    learned_[firm] |= std::uint64_t{1} << b.awareness_bit;
    forget_firm_cache();
    return true;
  }
  return false;
}

void RegionSimulation::request_review(std::uint32_t firm, kernel::Day day) {
  if (firm >= pop_.firms.size()) throw std::out_of_range("request_review: no firm " + std::to_string(firm));
  sim_.schedule_at(day, kPriorityReview, firm, kExtraReview);
}

void RegionSimulation::weigh_review(std::uint32_t firm, kernel::Day day, bool routine, int cause,
                                    std::uint32_t cascade, double demand_now, std::vector<Candidate>& out) {
  const Firm& f = pop_.firms[firm];
  const std::uint64_t first_draw =
      (static_cast<std::uint64_t>(day - start_) * 32 + (routine ? kRoutineCode : kExtraCode)) * 64;
  rng::Stream draws(source_, pop_.stream_entity(firm), kPurposeDecision, first_draw);

  // One choice per slot (keep or one alternative), then expansion. Slot k
  // uses draws 2k and 2k+1 (skipped slots leave theirs unused). A slot a
  // mandatory standard bans must be renewed by a firm that complies.
  static thread_local Candidate alts[kMenuOptions + 1];  // scratch, as choose()'s
  const SupportBound support = support_bound(firm);
  std::uint64_t compelling = 0;  // bit k: standard k compels the firm now
  if (!policy_.standards().empty()) {
    const ProjectView& fv = cached_firm_view(firm);
    const auto& standards = policy_.standards();
    for (std::size_t k = 0; k < standards.size(); ++k)
      if (standards[k].compels(fv)) compelling |= std::uint64_t{1} << k;
  }
  for (std::uint32_t s = f.first_slot; s < f.first_slot + f.slots; ++s) {
    const Vintage& v = pop_.slots[s];
    if (v.has(Vintage::kInProject)) continue;
    const bool adopt = v.category == Category::Software && !f.has(Firm::kDigitalTools);
    if (!v.has(Vintage::kActive) && !adopt) continue;
    draws.seek(first_draw + 2 * (s - f.first_slot));
    const double u_choice = draws.uniform();
    const double u_cnc = draws.uniform();
    const int standard = compelling != 0 ? compelling_standard(compelling, s) : -1;
    const int pick = standard >= 0 ? choose_compliant(f, s, demand_now, u_choice, u_cnc, alts)
                                   : choose(f, s, demand_now, 0.0, u_choice, u_cnc, support, alts);
    if (pick > 0) {
      out.push_back(alts[pick - 1]);
      out.back().compelled_by = standard;
      out.back().cause = static_cast<std::uint8_t>(cause);
      out.back().cascade = cascade;
    }
  }
  draws.seek(first_draw + 2 * std::uint64_t{f.slots});
  const double u_choice = draws.uniform();
  const double u_cnc = draws.uniform();
  const int pick = choose(f, kExpansionChoice, demand(f, 1.0), 0.0, u_choice, u_cnc, support, alts);
  if (pick > 0) {
    out.push_back(alts[pick - 1]);
    out.back().cause = static_cast<std::uint8_t>(cause);
    out.back().cascade = cascade;
  }
}

void RegionSimulation::plan_window(kernel::Day to) {
  planned_.clear();
  planned_next_ = 0;
  // Routine reviews only: a review something triggers (a lever opening, a
  // neighbour's upgrade) is weighed on its day, when its cause is in force.
  sim_.for_each_pending(sim_.now(), to, [&](const kernel::Event& e) {
    if (e.kind == kReview) planned_.push_back({e.key});
  });
  if (planned_.empty()) return;
  std::sort(planned_.begin(), planned_.end(),
            [](const PlannedReview& a, const PlannedReview& b) { return kernel::key_less(a.key, b.key); });
  // One task weighs all of a firm's reviews (it accrues the firm's record
  // first); firms go in id order, in chunks fixed by the plan alone, so each
  // chunk's choices land in the same place whatever the threads.
  plan_order_.resize(planned_.size());
  std::iota(plan_order_.begin(), plan_order_.end(), 0u);
  std::stable_sort(plan_order_.begin(), plan_order_.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return planned_[a].key.entity < planned_[b].key.entity; });
  constexpr std::uint32_t kFirmsPerChunk = 32;
  plan_chunks_.clear();
  std::uint32_t firms = 0;
  for (std::uint32_t i = 0; i < plan_order_.size(); ++i) {
    const bool new_firm = i == 0 || planned_[plan_order_[i]].key.entity != planned_[plan_order_[i - 1]].key.entity;
    if (new_firm && firms++ % kFirmsPerChunk == 0) plan_chunks_.push_back(i);
  }
  plan_chunks_.push_back(static_cast<std::uint32_t>(plan_order_.size()));
  const std::size_t chunks = plan_chunks_.size() - 1;
  if (planned_choices_.size() < chunks) planned_choices_.resize(chunks);
  fill_day_for_parallel();
  auto weigh_chunk = [&](std::size_t c) {
    FirmEventCache own;
    task_firm_cache_ = &own;
    std::vector<Candidate>& choices = planned_choices_[c];
    choices.clear();
    const std::uint32_t first = plan_chunks_[c], last = plan_chunks_[c + 1];
    for (std::uint32_t i = first; i < last; ++i) {
      // The firms a few ahead: their records, then (once those have arrived) their slots.
      if (prefetch_ && i + 8 < last) __builtin_prefetch(&pop_.firms[planned_[plan_order_[i + 8]].key.entity]);
      if (prefetch_ && i + 4 < last) {
        const Firm& ahead = pop_.firms[planned_[plan_order_[i + 4]].key.entity];
        for (std::uint32_t s = 0; s < ahead.slots; s += 2) __builtin_prefetch(&pop_.slots[ahead.first_slot + s]);
      }
      PlannedReview& r = planned_[plan_order_[i]];
      const std::uint32_t firm = r.key.entity;
      const double demand_now = demand(pop_.firms[firm], 0);
      if (i == first || planned_[plan_order_[i - 1]].key.entity != firm) accrue(pop_.firms[firm], demand_now);
      r.chunk = static_cast<std::uint32_t>(c);
      r.first = static_cast<std::uint32_t>(choices.size());
      r.equipment = pop_.firms[firm].equipment_changes;
      weigh_review(firm, r.key.time, true, 0, 0, demand_now, choices);
      r.count = static_cast<std::uint32_t>(choices.size() - r.first);
    }
    task_firm_cache_ = nullptr;
  };
  // Isolated: a thread waiting here must not take up another simulation's task.
  tbb::this_task_arena::isolate([&] { tbb::parallel_for(std::size_t{0}, chunks, std::size_t{1}, weigh_chunk); });
}

const RegionSimulation::PlannedReview* RegionSimulation::take_plan(const kernel::EventKey& key) {
  // Reviews run in event order, and planned_ is in that order.
  while (planned_next_ < planned_.size() && kernel::key_less(planned_[planned_next_].key, key)) ++planned_next_;
  if (planned_next_ < planned_.size() && planned_[planned_next_].key == key) return &planned_[planned_next_++];
  return nullptr;
}

void RegionSimulation::on_review(std::uint32_t firm, bool routine, int cause, std::uint32_t cascade,
                                 const kernel::EventKey* key) {
  Firm& f = pop_.firms[firm];
  const double demand_now = demand(f, 0);
  accrue(f, demand_now);
  const kernel::Day now = sim_.now();
  chosen_.clear();
  const PlannedReview* plan = windows_ && key ? take_plan(*key) : nullptr;
  if (plan && plan->equipment == f.equipment_changes) {
    const auto choices = planned_choices_[plan->chunk].begin() + plan->first;
    chosen_.assign(choices, choices + plan->count);
  } else {
    weigh_review(firm, now, routine, cause, cascade, demand_now, chosen_);
  }
  // Best first while money lasts.
  // (A stable insertion sort: rarely more than two, and std::stable_sort
  // allocates a buffer even for two.)
  for (std::size_t i = 1; i < chosen_.size(); ++i)
    for (std::size_t j = i; j > 0 && chosen_[j - 1].ratio < chosen_[j].ratio; --j) std::swap(chosen_[j - 1], chosen_[j]);
  for (const Candidate& c : chosen_) {
    if (!start_project(f, firm, c, demand_now)) continue;
    if (c.compelled_by >= 0)
      ++stats_now().levers[policy_.first_standard_lever() + static_cast<std::size_t>(c.compelled_by)].supported_projects;
    if (c.cause == kCauseLeader) ++stats_now().leader_triggered_renewals;
    if (c.cascade != 0) ++stats_now().cascade_renewals;
  }
  if (!routine) return;

  rng::Stream timing(source_, pop_.stream_entity(firm), kPurposeReviewTiming, static_cast<std::uint64_t>(now - start_) + 1);
  const double gap = p_->behaviour.review_interval_days * (0.75 + 0.5 * timing.uniform());
  const kernel::Day next = now + std::max<kernel::Day>(1, static_cast<kernel::Day>(gap));
  sim_.schedule_at(next, kPriorityReview, firm, kReview);
  schedule_breakdowns(firm, next);
}

void RegionSimulation::on_breakdown(std::uint32_t firm, std::uint32_t slot, kernel::Day installed) {
  Vintage& v = pop_.slots[slot];
  // The vintage may have been replaced or taken into a project since.
  if (!v.has(Vintage::kActive) || v.has(Vintage::kInProject) || v.installed != installed) return;
  v.fails = Vintage::kNotDrawn;  // the next failure is drawn at the next routine review
  Firm& f = pop_.firms[firm];
  const double demand_now = demand(f, 0);
  accrue(f, demand_now);
  YearStats& y = stats_now();
  ++y.breakdowns;
  const CategoryParams& cat = p_->categories[idx(v.category)];
  const double age = (sim_.now() - v.installed) / kDaysPerYear;
  const double base = v.category == Category::Software ? demand_now : v.capacity;
  const double repair = cat.repair_cost_share * (1.0 + cat.repair_age_slope * age) * today().price[idx(v.category)] *
                        p_->sectors[f.sector].price_factor * base;
  rng::Stream draws(source_, pop_.stream_entity(firm), kPurposeDecision,
                    (static_cast<std::uint64_t>(sim_.now() - start_) * 32 + (slot - f.first_slot)) * 64);
  const double u_choice = draws.uniform();
  const double u_cnc = draws.uniform();
  static thread_local Candidate alts[kMenuOptions + 1];  // scratch, as choose()'s
  const int pick = choose(f, slot, demand_now, repair, u_choice, u_cnc, support_bound(firm), alts);
  // A retrofit includes the repair; keeping means repairing.
  if (pick > 0 && start_project(f, firm, alts[pick - 1], demand_now) && alts[pick - 1].kind != kRetrofit) return;
  f.cash -= repair;
  y.repair_spend += repair;
}

void RegionSimulation::on_order(std::uint32_t id) {
  Project& p = projects_[id];
  const CategoryParams& cat = p_->categories[idx(p.next.category)];
  pay(p, p.price * cat.down_payment_share);
  sim_.schedule_after(cat.delivery_days, kPriorityPipeline, p.firm, kCommission, id);
}

void RegionSimulation::on_commission(std::uint32_t id) {
  Project& p = projects_[id];
  Firm& f = pop_.firms[p.firm];
  Vintage& v = pop_.slots[p.slot];
  YearStats& y = stats_now();
  const bool is_production = v.category != Category::Software;
  account(v, -1);
  if (v.has(Vintage::kActive) && p.kind != kRetrofit) {
    // The old vintage is scrapped.
    y.units_scrapped += v.units;
    ledger_.scrapped_units += v.units;
    if (track_firms_) ledger_.firm_scrapped[p.firm] += v.units;
    if (is_production) f.capacity -= v.capacity;
  }
  Vintage next = p.next;
  next.set(Vintage::kInProject, false);
  next.set(Vintage::kActive, true);
  if (p.kind != kRetrofit) {
    next.installed = sim_.now();
    next.fails = Vintage::kNotDrawn;
    y.units_installed += next.units;
    ledger_.installed_units += next.units;
    if (track_firms_) ledger_.firm_installed[p.firm] += next.units;
    if (next.category == Category::RobotLines) y.robots_added += next.units;
    if (is_production) f.capacity += next.capacity;
  }
  if (p.kind == kAdoptSoftware && !f.has(Firm::kDigitalTools)) {
    f.set(Firm::kDigitalTools, true);
    ++digital_firms_;
    ++digital_by_size_[f.size];
  }
  v = next;
  ++f.equipment_changes;
  forget_firm_cache();  // the slot changed: keeps_banned recomputes
  account(v, +1);
  ++y.projects_commissioned;
  // Equipment a standard bans that is commissioned after its deadline (a
  // retrofit that does not cure the ban) exits at once.
  if (!policy_.standards().empty() && v.category != Category::Software) {
    const ProjectView fv = firm_view(p.firm);
    const EquipmentView e = equipment_view(v, (sim_.now() - v.installed) / kDaysPerYear);
    for (const auto& st : policy_.standards())
      if (st.params().exit_at_deadline && sim_.now() > st.deadline() && st.bans(fv, e)) {
        exit_vintage(p.firm, p.slot, y);
        break;
      }
  }
  if (policy_.has_awards()) {
    // The firm's new state may earn it an award, paid at once.
    const ProjectView view = view_of(p);
    policy_.claim_awards(
        view, firm_status(f),
        [&](std::uint16_t lever, double amount) {
          book_lever(y, lever, amount, false);
          pay_grant(p.firm, lever, amount);
        },
        [&](std::uint16_t lever) { ++y.levers[lever].rejected_applications; });
  }
  const CategoryParams& cat = p_->categories[idx(p.next.category)];
  sim_.schedule_after(cat.acceptance_days, kPriorityPipeline, p.firm, kFinalPayment, id);
  if (network_) network_after_commission(p);
  if (commission_hook_)
    commission_hook_(*this, Commissioned{p.firm, sim_.now(), p.next.category, p.kind, p.demonstration, p.chain_leader});
}

void RegionSimulation::on_final_payment(std::uint32_t id) {
  Project& p = projects_[id];
  pay(p, p.price - p.paid);
  RENEWSIM_INVARIANT(std::fabs(p.paid - p.price) <= 1e-6 * p.price, "a completed project's payments differ from its price");
  ledger_.project_value += p.price;
  ledger_.paid_completed += p.paid;
  // Grants are paid to the firm after acceptance: fiscal outlay of this year.
  for (int i = 0; i < p.grants.count; ++i)
    pay_grant(p.firm, p.grants.lever[static_cast<std::size_t>(i)], p.grants.amount[static_cast<std::size_t>(i)]);
  if (p.pending_calls > 0) {
    p.finished = true;  // the record is freed once its calls are decided
    return;
  }
  free_projects_.push_back(id);
}

std::int64_t RegionSimulation::new_lever_supports(const YearStats& y) const {
  std::int64_t n = 0;
  for (std::uint16_t l : new_levers_) n += y.levers[l].supported_projects;
  return n;
}

void RegionSimulation::mark_supported(Project& p, YearStats& y) {
  if (p.supported) return;
  p.supported = true;
  ++y.supported_projects;
  if (p.log_index != kNotLogged) started_log_[p.log_index].supported = true;
}

void RegionSimulation::pay_grant(std::uint32_t firm, std::uint16_t lever, double amount) {
  YearStats& y = stats_now();
  pop_.firms[firm].cash += amount;
  ledger_.subsidies_paid += amount;
  y.fiscal_outlay += amount;
  y.levers[lever].outlay += amount;
  const auto& funding = policy_.info(lever).funding;
  for (int l = 0; l < kFundingLevels; ++l)
    y.fiscal_outlay_by_level[static_cast<std::size_t>(l)] += amount * funding[static_cast<std::size_t>(l)];
}

void RegionSimulation::on_call_deadline(std::uint32_t subsidy) {
  std::vector<CallApplication> apps;
  apps.swap(call_applications_[subsidy]);
  const std::vector<bool> accepted = policy_.decide_call(subsidy, apps, sim_.now());
  const auto lever = static_cast<std::uint16_t>(policy_.first_capital_lever() + subsidy);
  YearStats& y = stats_now();
  for (std::size_t i = 0; i < apps.size(); ++i) {
    Project& p = projects_[apps[i].project];
    RENEWSIM_INVARIANT(p.generation == apps[i].generation && p.pending_calls > 0, "a call refers to a reused project");
    if (accepted[i]) {
      book_lever(y, lever, apps[i].amount, false);
      if (!policy_.info(lever).baseline) mark_supported(p, y);
      // Paid at acceptance; a project accepted already is paid now.
      if (p.finished || p.grants.count == Grants::kMax) {
        pay_grant(p.firm, lever, apps[i].amount);
      } else {
        p.grants.lever[p.grants.count] = lever;
        p.grants.amount[p.grants.count] = apps[i].amount;
        ++p.grants.count;
      }
    } else {
      ++y.levers[lever].rejected_applications;
    }
    if (--p.pending_calls == 0 && p.finished) free_projects_.push_back(apps[i].project);
  }
}

void RegionSimulation::on_year_end() {
  YearStats& y = stats_now();
  y.cnc_rate = key_capacity_ > 0 ? cnc_capacity_ / key_capacity_ : 0.0;
  y.digital_tool_rate = pop_.firms.empty() ? 0.0 : static_cast<double>(digital_firms_) / pop_.firms.size();
  for (std::size_t c = 0; c < kSizeClasses; ++c)
    y.digital_tool_rate_by_size[c] =
        firms_by_size_[c] > 0 ? static_cast<double>(digital_by_size_[c]) / static_cast<double>(firms_by_size_[c]) : 0.0;
  for (int e = 0; e < kEnergyClasses; ++e)
    y.energy_class_shares[static_cast<std::size_t>(e)] =
        energy_capacity_ > 0 ? class_capacity_[static_cast<std::size_t>(e)] / energy_capacity_ : 0.0;
  y.capacity = total_capacity_;
  if (network_) {
    y.network = true;
    for (std::size_t g = 0; g < 3; ++g) {
      const double size = static_cast<double>(position_size_[g]);
      y.network_aware[g] = size > 0 ? static_cast<double>(aware_count_[g]) / size : 0.0;
      y.network_renewed[g] = size > 0 ? static_cast<double>(renewed_count_[g]) / size : 0.0;
    }
  }
  y.units_in_service = static_cast<double>(units_);
  RENEWSIM_INVARIANT(units_ == ledger_.initial_units + ledger_.installed_units - ledger_.scrapped_units,
                     "units in service differ from initial + installed - scrapped");
  RENEWSIM_INVARIANT(units_ >= 0 && total_capacity_ >= -1e-6 * (1.0 + ledger_.project_value), "negative stock of equipment");
#ifdef RENEWSIM_CHECKS
  {
    // Money: every payment is booked as investment in the year it is made.
    double booked = 0;
    for (const auto& past : years_) booked += past.investment;
    RENEWSIM_INVARIANT(std::fabs(booked - ledger_.paid) <= 1e-9 * (1.0 + ledger_.paid),
                       "payments differ from booked investment");
  }
#endif
  if (y.year < p_->end_year)
    sim_.schedule_at(kernel::day_of(y.year + 1, 12, 31), kPriorityYearEnd,
                     static_cast<kernel::EntityId>(pop_.firms.size()), kYearEnd);
}

}  // namespace renewsim::model
