// One replication of one region: the population, the event loop and the
// firms' behaviour, from 1 January of the warm-up year to the end year.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "kernel/simulator.hpp"
#include "model/parameters.hpp"
#include "model/decision.hpp"
#include "model/levers/policy.hpp"
#include "model/population.hpp"
#include "model/statistics.hpp"
#include "model/user_cost.hpp"

namespace renewsim::model {

// Totals kept to check conservation of money and equipment.
struct Ledger {
  double project_value = 0;    // sum of the prices of completed projects
  double paid = 0;             // all payments made
  double paid_completed = 0;   // payments of completed projects
  std::int64_t initial_units = 0;
  std::int64_t installed_units = 0;
  std::int64_t scrapped_units = 0;
  double subsidies_paid = 0;   // grants paid out to firms (fiscal outlay)
  std::vector<std::int64_t> firm_installed;  // per firm, when tracking is on
  std::vector<std::int64_t> firm_scrapped;
  std::vector<std::int64_t> firm_initial;
};

// A commissioned project, as the commissioning hook reports it.
struct Commissioned {
  std::uint32_t firm = 0;
  kernel::Day day = 0;
  Category category = Category::MachineTools;
  ProjectKind kind = ProjectKind::Replace;
  bool demonstration = false;  // designated by a demonstration programme
  bool chain_leader = false;   // designated by a chain-leader programme
};

class RegionSimulation {
 public:
  RegionSimulation(const ModelParams& params, const CalibratedInputs& targets, std::uint64_t seed,
                   std::uint64_t replication, bool track_firms = false);

  // Runs (on from where it stands) to the end of params.end_year, or of
  // `last_year` if given; returns one record per year from the warm-up year on.
  // A simulation can be copied, e.g. at the end of 2022 to try 2023 shifts.
  const std::vector<YearStats>& run(int last_year = 0);
  // Runs (on from where it stands) through day `end`, the last day of a month
  // (decision windows never straddle runs).
  void run_through(kernel::Day end);

  // Whether a run of `from` can go on as a run of `variant` from `day`: the
  // variant switches off some of `from`'s levers, each announced and unable
  // to act before `day` (it opens then or later, and so do its deadlines).
  // The caller vouches that nothing else differs (make_variants' variants).
  static bool can_continue_as(const ModelParams& from, const ModelParams& variant, kernel::Day day);
  // The first day a lever that `variant` switches off (and `from` has on) can
  // act; EventQueue::kNever when it switches none off. The latest day from
  // which `variant` could continue a run of `from`.
  static kernel::Day first_act_switched_off(const ModelParams& from, const ModelParams& variant);
  // Goes on as a run of `variant` (can_continue_as(today) holds; `variant`
  // must outlive this): the levers switched off leave the package with their
  // pending events, and outputs take the variant's lever numbers. From here
  // on it gives what a run of `variant` from the start would (tested): the
  // variants of a replication then share the years before the plan.
  // `log_started`: whether the variant records started projects (it can
  // only if this run did). False, with nothing changed, when something done
  // so far involved a lever switched off.
  bool continue_as(const ModelParams& variant, bool log_started);

  // The unanticipated 2023 demand shift: added to every firm's demand growth
  // during 2023 (nothing before 2023 depends on it). Set it before 2023 runs.
  void set_demand_shift_2023(double shift);
  double demand_shift_2023() const { return demand_shift_2023_; }

  // An extra review of one firm on `day` (>= today): what a lever opening or
  // closing, an adviser's visit or a neighbour's commissioning triggers. It
  // weighs every slot like a routine review and leaves the routine schedule alone.
  void request_review(std::uint32_t firm, kernel::Day day);

  // Called after each commissioning, in event order: where the supply-chain
  // model learns of upgrades (imitation, chain leaders' requirements,
  // demonstration effects) and schedules what follows (e.g. request_review).
  using CommissionHook = std::function<void(RegionSimulation&, const Commissioned&)>;
  // Makes a firm aware of an unannounced lever from now on (a neighbour told
  // it); false if no enabled unannounced lever has that name.
  bool inform(std::uint32_t firm, const std::string& lever);

  // The supply-chain network (null when the scenario has none).
  const SupplyNetwork* network() const { return network_.get(); }
  // Called whenever a neighbour's event schedules a review (tests, traces):
  // (firm, day of the review, cause: 1 imitation, 2 a chain leader's upgrade, source firm).
  using ReviewHook = std::function<void(std::uint32_t, kernel::Day, int, std::uint32_t)>;
  void set_review_hook(ReviewHook hook) { review_hook_ = std::move(hook); }
  void set_commission_hook(CommissionHook hook) { commission_hook_ = std::move(hook); }
  // Records every project started from `from` on (firm, year, category,
  // kind, supported by a lever outside the baseline): what the deadweight
  // count matches against the counterfactual. Off unless set.
  void log_started_projects(kernel::Day from) {
    log_from_ = from;
    log_started_ = true;
  }
  const std::vector<StartedProject>& started_projects() const { return started_log_; }

  const Population& population() const { return pop_; }
  kernel::Day now() const { return sim_.now(); }
  const Ledger& ledger() const { return ledger_; }
  std::uint64_t events_processed() const { return sim_.processed(); }
  std::int64_t units_in_service() const;

 private:
  enum EventKind : kernel::EventKind {
    kReview = 1,
    kBreakdown = 2,
    kOrder = 3,
    kCommission = 4,
    kFinalPayment = 5,
    kYearEnd = 6,
    kExtraReview = 7,
    kAdviserVisit = 8,      // arg: advisory index
    kStandardDeadline = 9,  // arg: mandatory standard index
    kCallDeadline = 10,     // arg: capital subsidy index
    kDiffusion = 11,        // a candidate moment for a firm to learn of the levers (thinning)
    kTriggeredReview = 12,  // an extra review a neighbour caused; payload: its cause
  };
  enum ReviewCause : std::uint64_t { kCauseImitation = 1, kCauseLeader = 2 };
  static constexpr ProjectKind kReplace = ProjectKind::Replace;
  static constexpr ProjectKind kRetrofit = ProjectKind::Retrofit;
  static constexpr ProjectKind kExpand = ProjectKind::Expand;
  static constexpr ProjectKind kAdoptSoftware = ProjectKind::AdoptSoftware;

  struct Project {
    double price = 0;
    double cash_share = 1;
    double paid = 0;
    Vintage next;  // the vintage the slot holds after commissioning
    Grants grants;  // lever support, paid at acceptance
    double counted_factor = 1;  // first-of-kind equipment counts at this multiple in counted investment
    bool demonstration = false, chain_leader = false;  // designated by programmes
    std::uint32_t cascade = 0;  // started in a leader's cascade (leader + 1), 0 if not
    std::uint32_t generation = 0;  // bumped when the record is reused (calls refer to it)
    std::uint8_t pending_calls = 0;  // applications to calls not yet decided
    bool finished = false;  // paid in full; the record waits for its calls
    std::uint32_t firm = 0;
    std::uint32_t slot = 0;  // absolute slot index
    ProjectKind kind = kReplace;
    bool merges = false;  // an expansion that replaces an expansion vintage
    bool supported = false;  // by a lever outside the baseline
    std::uint32_t log_index = kNotLogged;  // its entry in the started-projects log
  };
  static constexpr std::uint32_t kNotLogged = ~0u;
  // Counts a started project as supported (once), in its log entry too.
  void mark_supported(Project& p, YearStats& y);
  // Sum over the levers outside the baseline of this year's supported projects.
  std::int64_t new_lever_supports(const YearStats& y) const;

  // An alternative under evaluation at a review.
  struct Candidate {
    double ratio = 0;
    double price = 0;
    double support = 0;  // what the levers would grant it now (as the firm counts on it)
    double cash_support = 0;  // of which not capital grants: lowers the cost after tax, not the tax basis
    double list_price = 0;    // before group discounts
    double land_cost = 0;  // land price an expansion pays, before any waiver
    double land_net = 0;   // ... after the waivers the firm counts on
    int compelled_by = -1;  // the mandatory standard that made the firm renew the slot
    std::uint8_t cause = 0;  // ReviewCause of the review that chose it
    std::uint32_t cascade = 0;  // leader cascade of that review (leader + 1)
    MenuOption option = MenuOption::Standard;
    bool credit = false;  // qualifies for the special-equipment tax credit
    Vintage next;
    ProjectKind kind = kReplace;
    std::uint32_t slot = 0;
    bool merges = false;
    // Kept from the bound for price_exactly: the yearly benefit, the life it
    // is weighed over, the repair it avoids, the tax basis (price less the
    // capital grants counted on) and the first day a lever supporting it closes.
    double benefit = 0, life = 0, avoided = 0, net = 0;
    kernel::Day closes = INT32_MAX;
  };

  // Decision windows (behaviour.decision_window = "day" or "month"). At the
  // start of each window, before its events run, every routine review then
  // due in it is weighed against the state of that moment, firms in parallel
  // (plan_window); each review then commits its plan on its own day, in event
  // order (take_plan), through the same start_project as ever.
  struct PlannedReview {
    kernel::EventKey key{};  // a routine review's
    std::uint32_t chunk = 0, first = 0, count = 0;  // its choices: planned_choices_[chunk][first ..]
    // The firm's Firm::equipment_changes when weighed: if its equipment has
    // changed by the review's day, the review is weighed again then.
    std::uint16_t equipment = 0;
  };
  void plan_window(kernel::Day to);
  const PlannedReview* take_plan(const kernel::EventKey& key);
  // Fills the day's prices and every sector's menu costs, which are filled
  // lazily otherwise, so that firms can be weighed in parallel today.
  void fill_day_for_parallel();

  // Makes younger every initial vintage that its firm's own rule would
  // already have replaced, so the run starts without a backlog.
  void settle_initial_ages();
  void settle_firm(std::uint32_t firm);
  // What follows from the package: the lowest tax factors the lean bounds
  // use and the levers outside the baseline (at the start, and when a run
  // continues as a variant).
  void derive_from_levers();
  void handle(const kernel::Event& e);
  // `cause`: ReviewCause of a review a neighbour triggered; `cascade`: the
  // chain leader (firm + 1) whose upgrade started the chain of reviews, 0 if none.
  // `key`: a routine review's event, to find what was planned for it
  // (decision windows); null for a review that is weighed now.
  void on_review(std::uint32_t firm, bool routine, int cause, std::uint32_t cascade, const kernel::EventKey* key);
  // Weighs every slot and expansion of a firm for its review on `day` (whose
  // draws it uses), against the state now; appends the choices to `out`.
  // `demand_now`: demand(f, 0) now.
  void weigh_review(std::uint32_t firm, kernel::Day day, bool routine, int cause, std::uint32_t cascade,
                    double demand_now, std::vector<Candidate>& out);
  void on_breakdown(std::uint32_t firm, std::uint32_t slot, kernel::Day installed);
  void on_order(std::uint32_t project);
  void on_commission(std::uint32_t project);
  void on_final_payment(std::uint32_t project);
  void on_year_end();

  void accrue(Firm& f, double demand_now);
  double demand(const Firm& f, double years_ahead) const;
  double years_since_start() const;
  double calendar_year() const;
  // Builds the alternatives for one slot with their lever support; fills
  // `out` (at most 4) and `views` (the projects as levers see them) and
  // returns how many. `repair` is the cost a breakdown forces on keeping;
  // `cnc_draw` (uniform) decides whether a standard new unit is CNC. Their
  // ratios are cheap upper bounds (payback rule at the lowest possible tax
  // factor), enough to decide most "keep"s exactly; price_exactly() then
  // turns them into the exact ratios.
  int alternatives_for_slot(const Firm& f, std::uint32_t slot, double demand_now, double repair, double cnc_draw,
                            Candidate* out, ProjectView* views);
  void price_exactly(const Firm& f, Candidate* alts, const ProjectView* views, int n);
  // Upper bounds of the ratios of a production slot's alternatives (the menu
  // options and the retrofit), computed without building candidates, at the
  // most lever support `support` allows; for the "keep" shortcut. Returns how many.
  // What firm_hurdle_share needs of the alternatives a lean bound covers: the
  // highest list price among them and the life each is weighed over (the
  // retrofit's, when there is one, last).
  struct LeanTerms {
    double price = 0, life = 0, retrofit_life = 0;
    bool retrofit = false;
  };
  int lean_bounds(const Firm& f, std::uint32_t slot, double demand_now, double repair, double cnc_draw,
                  const SupportBound& support, double* ratios, LeanTerms& terms);
  // The same bounds of the software slot's and of expansion's alternatives.
  int lean_software_bound(const Firm& f, std::uint32_t slot, double demand_now, double repair,
                          const SupportBound& support, double* ratios, LeanTerms& terms);
  int lean_expansion_bounds(const Firm& f, double demand_ahead, double cnc_draw, const SupportBound& support,
                            double* ratios, LeanTerms& terms);
  // The second, dearer bound: the payback bounds cut to the hurdle with the
  // value of waiting (model::hurdle_share) at the lowest discount rate the
  // firm could get for an alternative of list price up to `price`.
  double firm_hurdle_share(const Firm& f, double price, double life, bool may_close) const;
  void tighten_lean(const Firm& f, const LeanTerms& terms, const SupportBound& support, double* ratios, int n) const;
  bool may_close_before_review(kernel::Day closes) const {
    return static_cast<double>(closes) - sim_.now() < p_->behaviour.review_interval_days;
  }
  // The most support any project of the firm could get today (none without levers).
  SupportBound support_bound(std::uint32_t firm) const;
  // The slot an expansion would use: a free expansion slot, else the oldest
  // expansion vintage (`merges`); false if there is none.
  bool expansion_slot(const Firm& f, std::uint32_t& slot, bool& merges) const;
  // Capacity expansion alternatives when expected demand outgrows capacity.
  int expansion_alternatives(const Firm& f, double demand_ahead, double cnc_draw, Candidate* out, ProjectView* views);
  // The logit choice for one slot (or expansion when slot is kExpansionChoice):
  // 0 for keep, else 1 + the index of the chosen alternative in `alts`.
  static constexpr std::uint32_t kExpansionChoice = ~0u;
  // `support`: support_bound() of the firm today.
  int choose(const Firm& f, std::uint32_t slot, double demand, double repair, double u_choice, double u_cnc,
             const SupportBound& support, Candidate* alts);

  // Prices and cost levels of the current day, shared by every firm deciding
  // that day (recomputed when the clock moves).
  struct DayContext {
    kernel::Day day = INT32_MIN;
    double year = 0;  // calendar year, fractional
    double wage = 1, energy_price = 1;
    std::array<double, kCategories> price{};        // standard option per RMB of capacity, before the sector factor
    std::array<double, kCategories> labour{};       // labour need of a new vintage
    std::array<double, kCategories> energy{};       // energy need of a new vintage, before sector intensity
    std::array<double, kCategories> cnc_share{};    // share of standard new units that are CNC
  };
  const DayContext& today() { return day_.day == sim_.now() ? day_ : refresh_day(); }
  const DayContext& refresh_day();
  // What lean_bounds needs of the menu for one (sector, category) on one day:
  // each option's running cost when new (index 1: the standard option is CNC)
  // and its lowest tax factor. Filled on first use each day.
  struct MenuCosts {
    kernel::Day day = INT32_MIN;
    double new_cost[2][kMenuOptions];
    double min_tax[kMenuOptions];
  };
  double lean_min_tax_[2] = {};  // min_tax_factor without and with the credit (fixed for a run)
  double lowest_loan_rate_ = 0;  // the lowest loan rate any lever can give (fixed for a run)
  const MenuCosts& menu_costs(const Firm& f, int category) {
    MenuCosts& m = menu_costs_[f.sector * std::size_t{kCategories} + static_cast<std::size_t>(category)];
    if (m.day != sim_.now()) fill_menu_costs(m, f, category);
    return m;
  }
  void fill_menu_costs(MenuCosts& m, const Firm& f, int category);
  // `view` (null: no levers) lets interest subsidies cut the loan rate.
  FinanceTerms finance_terms(const Firm& f, double price, const ProjectView* view = nullptr) const;
  // Books one lever's support for a started project into the year's outputs.
  void book_lever(YearStats& y, std::uint16_t lever, double amount, bool outlay_now);
  // What every alternative of one slot shares as levers see it, found for
  // the first that needs it: the slot's view without the project's own terms
  // (set_project adds them), and the firm's equipment before (with awards).
  struct SlotLevers {
    bool ready = false;
    ProjectView view;
    std::uint64_t subsidies = 0;  // covering_subsidies(firm)
    FirmStatus before;
  };
  // Lever support for a candidate whose list price and next vintage are set:
  // applies group discounts to c.price, fills c.support and c.cash_support
  // (what the firm counts on: credibility x grants, awards, insurance) and
  // c.land_net; returns the tax basis (the price less the capital grants it
  // counts on), and sets `closes` to the first day a lever giving support ends.
  // `slot` is shared by the alternatives of one slot.
  double lever_support(const Firm& f, SlotLevers& slot, Candidate& c, ProjectView& view, kernel::Day& closes);
  // A firm as levers see it, without a project (for firm-level rules).
  ProjectView firm_view(std::uint32_t firm) const;
  // The ratio of an alternative priced with lever support: the ordinary
  // profitability, or, when the support closes before the firm's next
  // review, the rule that weighs investing now against waiting without it.
  double ratio_with_support(const Candidate& c, const Alternative& a, const FinanceTerms& terms, kernel::Day closes,
                            bool credit, double avoided, const ProjectView* levers) const;
  std::uint64_t firm_key(std::uint32_t firm) const;
  // The firm's equipment summed (for awards), with slot `slot` replaced by
  // `next` if given.
  FirmStatus firm_status(const Firm& f, std::uint32_t slot = ~0u, const Vintage* next = nullptr) const;
  EquipmentView equipment_view(const Vintage& v, double age_years) const;
  // Whether a mandatory standard bans the vintage in `slot` now; whether the
  // firm keeps banned equipment other than `except_slot`.
  bool banned(const ProjectView& firm, std::uint32_t slot) const;
  // The first standard that bans the slot among those that compel the firm
  // to act now (bit k of `compelling` for standard k; -1: none).
  int compelling_standard(std::uint64_t compelling, std::uint32_t slot) const;
  bool keeps_banned(const Firm& f, std::uint32_t except_slot) const;
  // A forced choice among the alternatives that make a banned slot comply.
  int choose_compliant(const Firm& f, std::uint32_t slot, double demand, double u_choice, double u_cnc,
                       Candidate* alts);
  void on_adviser_visit(std::uint32_t firm, std::uint32_t advisory);
  void on_standard_deadline(std::uint32_t standard);
  // Banned capacity leaves service (a mandatory standard's exit).
  void exit_vintage(std::uint32_t firm, std::uint32_t slot, YearStats& y);
  void on_call_deadline(std::uint32_t subsidy);
  // Diffusion (Bass hazard p + q F_local, by thinning at the bound p + q + demonstration_q).
  void on_diffusion(std::uint32_t firm);
  void schedule_diffusion(std::uint32_t firm, std::uint64_t draw);
  void become_aware(std::uint32_t firm);
  void count_as_peer(std::uint32_t firm);
  // What a commissioning passes on along the network.
  void network_after_commission(const Project& p);
  // Pays a grant to a firm now: cash, fiscal outlay by level, the ledger.
  void pay_grant(std::uint32_t firm, std::uint16_t lever, double amount);
  // Adviser visits, the deadlines of mandatory standards and the extra reviews
  // levers trigger when they open and before they close.
  void schedule_lever_events();
  // Lowest tax factor any treatment can give (bounds ratios from above).
  double min_tax_factor(bool credit) const;
  // The tax system in force for a project, with the tax levers that cover it
  // (`view` is null when levers are not to be applied). `price` is the tax basis.
  TaxTreatment tax_treatment(const Vintage& next, double price, bool energy_saving_equipment,
                             const ProjectView* view) const;
  double effective_cost(const Vintage& next, double price, bool qualifies_credit, double r,
                        const ProjectView* view) const;
  // Books the estimated tax expenditure of each tax lever covering a started project.
  void book_tax_levers(const Firm& f, const Candidate& c, double net_price, YearStats& y);
  Vintage new_vintage(const Firm& f, Category category, MenuOption option, bool cnc_if_standard,
                      double capacity);
  bool start_project(Firm& f, std::uint32_t firm, const Candidate& c, double demand_now);
  ProjectView view_of(const Firm& f, const Candidate& c) const;
  // view_of in two parts: the firm's and the slot's (the same for every
  // alternative of the slot), then the project's own terms.
  ProjectView slot_view(const Firm& f, std::uint32_t slot) const;
  void set_project(ProjectView& v, const Candidate& c) const;
  ProjectView view_of(const Project& p) const;
  void pay(Project& p, double amount);
  void account(const Vintage& v, double sign);
  void schedule_breakdowns(std::uint32_t firm, kernel::Day until);
  YearStats& stats_now();

  const ModelParams* p_;  // a pointer: a run continued as a variant takes the variant's
  double demand_shift_2023_;
  double negligible_ratio_;  // ratio whose logit weight is 1e-9 of keeping's
  Logit logit_;
  DayContext day_;
  std::vector<MenuCosts> menu_costs_;  // sector * kCategories + category
  rng::RandomSource source_;
  Population pop_;
  kernel::Simulator sim_;
  kernel::Day start_;
  int first_year_;
  std::vector<YearStats> years_;
  Policy policy_;
  std::uint64_t key_salt_ = 0;          // makes firm keys differ by seed and replication
  std::vector<std::uint64_t> learned_;  // awareness bits by firm (only with unannounced levers)
  std::vector<std::uint16_t> rejected_scratch_;
  std::vector<std::pair<std::uint32_t, double>> applications_scratch_;
  std::vector<std::vector<CallApplication>> call_applications_;  // by capital subsidy
  std::uint64_t call_order_ = 0;
  std::vector<Candidate> chosen_;  // scratch for on_review
  std::vector<Project> projects_;
  std::vector<std::uint32_t> free_projects_;
  Ledger ledger_;
  bool track_firms_;
  CommissionHook commission_hook_;
  ReviewHook review_hook_;
  // The network and the diffusion state (empty without a network).
  std::shared_ptr<const SupplyNetwork> network_;
  std::vector<std::uint8_t> net_state_;   // kNetAware | kNetRenewed
  std::vector<std::uint32_t> peers_;      // neighbours counting towards F_local
  std::vector<float> q_boost_;            // demonstration effect on q
  std::vector<std::uint32_t> diffusion_draws_;  // candidate moments drawn per firm
  std::array<std::int64_t, 3> position_size_{}, aware_count_{}, renewed_count_{};
  static constexpr std::uint8_t kNetAware = 1, kNetRenewed = 2;
  bool prefetch_ = true;  // prefetch records of upcoming events (populations beyond the caches)
  // Incremental state aggregates.
  double key_capacity_ = 0, cnc_capacity_ = 0, energy_capacity_ = 0, total_capacity_ = 0;
  std::array<double, kEnergyClasses> class_capacity_{};
  std::int64_t digital_firms_ = 0;
  std::array<std::int64_t, kSizeClasses> digital_by_size_{}, firms_by_size_{};
  std::int64_t units_ = 0;
  std::vector<std::uint16_t> new_levers_;  // levers outside the baseline
  // What one event's decisions for one firm share, found when first needed:
  // the firm as levers see it, the capital subsidies covering it, and
  // keeps_banned's banned slots. (Within an event none of them changes; an
  // equipment change or a lever learned of resets it all.)
  struct FirmEventCache {
    std::uint64_t event = ~std::uint64_t{0};
    std::uint32_t firm = ~0u;
    kernel::Day day = INT32_MIN;
    bool has_view = false, has_covering = false, has_banned = false;
    ProjectView view;            // firm_view(firm)
    std::uint64_t covering = 0;  // Policy::subsidies_covering_firm(view)
    std::uint64_t banned = 0;    // bit k: slot first_slot + k
  };
  std::uint64_t event_serial_ = 0;
  mutable FirmEventCache firm_cache_;
  // While firms are settled or weighed in parallel, the cache each task uses (null: firm_cache_).
  static thread_local FirmEventCache* task_firm_cache_;
  // The cache, emptied first if it holds another firm or event.
  FirmEventCache& firm_cache(std::uint32_t firm) const;
  const ProjectView& cached_firm_view(std::uint32_t firm) const;
  std::uint64_t covering_subsidies(std::uint32_t firm) const;
  void forget_firm_cache() { firm_cache_.firm = ~0u; }
  // Decision windows (see plan_window).
  bool windows_ = false, window_month_ = false;
  kernel::Day next_window_ = 0;  // first day of the next window to plan
  std::vector<PlannedReview> planned_;  // this window's, in event order
  std::size_t planned_next_ = 0;        // the first not yet taken
  std::vector<std::uint32_t> plan_order_;  // planned_ by firm (scratch)
  std::vector<std::uint32_t> plan_chunks_;  // where each chunk of firms starts in plan_order_ (scratch)
  std::vector<std::vector<Candidate>> planned_choices_;  // by chunk
  bool log_started_ = false;
  kernel::Day log_from_ = 0;
  std::vector<StartedProject> started_log_;
};

}  // namespace renewsim::model
