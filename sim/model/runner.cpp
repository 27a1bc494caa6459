#include "model/runner.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <optional>

#include "model/region_simulation.hpp"

namespace renewsim::model {
namespace {
// Calibration replications live far from the run's own (0, 1, 2, ...).
constexpr std::uint64_t kCalibrationReplication = 0xCA11B000ULL;
constexpr int kCalibrationReplications = 3;
// Memory for the copies a replication keeps where its variants go on from the
// shared run (beyond the run itself).
constexpr std::size_t kStopCopyBudgetBytes = std::size_t{256} << 20;

ModelParams scaled(const ModelParams& p, std::int64_t max_firms) {
  ModelParams q = p;
  const std::int64_t total = p.total_firms();
  if (total > max_firms) {
    for (auto& s : q.sectors)
      if (s.firms > 0)
        s.firms = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::llround(
                                                static_cast<double>(s.firms) * max_firms / static_cast<double>(total))));
  }
  q.end_year = std::max(2023, q.warmup_start_year);
  q.policy.for_each_typed([&](LeverBase& b, const char*) {
    if (calibration_ignores(b)) b.enabled = false;
  });
  return q;
}

double growth_2023(const std::vector<YearStats>& years) {
  const YearStats* y22 = nullptr;
  const YearStats* y23 = nullptr;
  for (const auto& y : years) {
    if (y.year == 2022) y22 = &y;
    if (y.year == 2023) y23 = &y;
  }
  return y22 && y23 && y22->investment > 0 ? y23->investment / y22->investment - 1.0 : 0.0;
}

// Bounds on a slope of 2023 growth against the shift.
constexpr double kMinGrowthSlope = 0.05, kMaxGrowthSlope = 50.0;

// Adds a search's trials to the sums of a least-squares slope of growth
// against the shift, about the search's own means: replications differ in
// the level of growth, not much in its slope. Trials far apart carry the
// weight; the last ones, close together where growth is jagged (a few
// projects more or fewer), little.
void add_to_slope(const std::vector<GrowthTrial>& trials, double& sxx, double& sxy) {
  if (trials.size() < 2) return;
  double mx = 0, my = 0;
  for (const GrowthTrial& t : trials) {
    mx += t.shift;
    my += t.growth;
  }
  mx /= static_cast<double>(trials.size());
  my /= static_cast<double>(trials.size());
  for (const GrowthTrial& t : trials) {
    sxx += (t.shift - mx) * (t.shift - mx);
    sxy += (t.shift - mx) * (t.growth - my);
  }
}

// One secant step towards `target`; `slope` is the previous estimate, kept
// when the last two points cannot give a sensible one.
double secant(double x0, double y0, double x1, double y1, double target, double& slope, double lo_slope,
              double hi_slope) {
  if (std::fabs(x1 - x0) > 1e-12) {
    const double s = (y1 - y0) / (x1 - x0);
    if (s >= lo_slope && s <= hi_slope) slope = s;
  }
  return x1 + (target - y1) / slope;
}
}  // namespace

bool calibration_ignores(const LeverBase& lever) {
  return !lever.enabled || lever.window.start > kernel::day_of(2023, 12, 31);
}

std::vector<GrowthTrial> condition_on_2023(RegionSimulation& sim, const ModelParams& p, const CalibratedInputs& inputs,
                                           int last, const GrowthSearch& search) {
  std::vector<GrowthTrial> trials;
  if (!p.baseline.calibrate || p.warmup_start_year > 2022 || last < 2023) return trials;
  sim.run(2022);
  const double target = p.baseline.equipment_investment_growth;
  // Growth rises with the shift; start from the population-level estimates of
  // the shift and of the slope (a slope guessed too low overshoots the target
  // and costs trials).
  double x0 = inputs.demand_shift_2023, slope = inputs.growth_per_shift_2023;
  // Each trial runs 2023 on a copy; one copy at a time, so memory peaks at
  // two simulations. Later trials are copied into the first one's memory
  // (fresh pages cost more than the copy itself).
  std::optional<RegionSimulation> trial;
  auto growth_with = [&](double shift) {
    if (trial) *trial = sim;
    else trial.emplace(sim);
    trial->set_demand_shift_2023(shift);
    trials.push_back({shift, growth_2023(trial->run(2023))});
    return trials.back().growth;
  };
  double y0 = growth_with(x0);
  double best_x = x0, best_err = std::fabs(y0 - target);
  bool trial_is_best = true;
  double x1 = x0 + (target - y0) / slope;
  for (int k = 0; k < search.steps && best_err > search.tolerance; ++k) {
    x1 = std::clamp(x1, -1.0, 1.0);
    const double y1 = growth_with(x1);
    trial_is_best = std::fabs(y1 - target) < best_err;
    if (trial_is_best) {
      best_err = std::fabs(y1 - target);
      best_x = x1;
    }
    const double next = secant(x0, y0, x1, y1, target, slope, kMinGrowthSlope, kMaxGrowthSlope);
    x0 = x1;
    y0 = y1;
    x1 = next;
  }
  if (trial_is_best) {
    sim = std::move(*trial);  // the run with the shift found, already through 2023
    return trials;
  }
  trial.reset();
  sim.set_demand_shift_2023(best_x);
  return trials;
}

namespace {
ReplicationOutput finish(RegionSimulation& sim, int last) {
  ReplicationOutput out;
  out.years = sim.run(last);
  out.events = sim.events_processed();
  out.demand_shift_2023 = sim.demand_shift_2023();
  out.started = sim.started_projects();
  return out;
}
}  // namespace

ReplicationOutput simulate_replication(const ModelParams& p, const CalibratedInputs& inputs, std::uint64_t seed,
                                       std::uint64_t replication, int last_year, int log_from_year,
                                       const GrowthSearch& search) {
  RegionSimulation sim(p, inputs, seed, replication);
  if (log_from_year > 0) sim.log_started_projects(kernel::day_of(log_from_year, 1, 1));
  const int last = last_year ? std::min(last_year, p.end_year) : p.end_year;
  std::vector<GrowthTrial> trials = condition_on_2023(sim, p, inputs, last, search);
  ReplicationOutput out = finish(sim, last);
  out.growth_trials_2023 = std::move(trials);
  return out;
}

std::vector<ReplicationOutput> simulate_replication_variants(const std::vector<const ModelParams*>& variants,
                                                             const CalibratedInputs& inputs, std::uint64_t seed,
                                                             std::uint64_t replication,
                                                             const std::vector<int>& log_from_year, bool parallel,
                                                             const std::function<void(std::size_t)>& variant_done) {
  const std::size_t n = variants.size();
  std::vector<ReplicationOutput> out(n);
  if (n == 0) return out;
  auto log_from = [&](std::size_t v) { return v < log_from_year.size() ? log_from_year[v] : 0; };
  // The variants that can continue variants[0]'s run from the end of 2023
  // (the year conditioned on) or later. They must log from the same year, if
  // at all.
  const ModelParams& first = *variants[0];
  const int shared_last = std::max(2023, first.warmup_start_year);
  const kernel::Day fork = kernel::first_day_of_year(shared_last + 1);
  int log_year = 0;
  for (std::size_t v = 0; v < n; ++v) log_year = std::max(log_year, log_from(v));
  std::vector<char> shares(n, 0);
  int sharing = 0;
  for (std::size_t v = 0; v < n; ++v) {
    shares[v] = variants[v]->end_year == first.end_year && variants[v]->warmup_start_year == first.warmup_start_year &&
                (log_from(v) == 0 || log_from(v) == log_year) &&
                (v == 0 || RegionSimulation::can_continue_as(first, *variants[v], fork));
    sharing += shares[v];
  }
  std::optional<RegionSimulation> shared;
  // Where each sharing variant goes on from: the first of the month in which
  // the first lever it switches off can act (the policy itself: anywhere).
  std::vector<kernel::Day> goes_on(n, fork);
  // Stops of the shared run, in order: a copy is kept at each but the last,
  // which is the shared run itself.
  std::vector<kernel::Day> stop_days;
  std::vector<RegionSimulation> stops;
  if (sharing > 1) {
    shared.emplace(first, inputs, seed, replication);
    if (log_year > 0) shared->log_started_projects(kernel::day_of(log_year, 1, 1));
    condition_on_2023(*shared, first, inputs, first.end_year);
    shared->run(shared_last);
    const kernel::Day last_month = std::max(fork, kernel::first_day_of_month(first.end_year, 12));
    std::vector<kernel::Day> days;
    for (std::size_t v = 0; v < n; ++v) {
      if (!shares[v]) continue;
      const kernel::Day act = RegionSimulation::first_act_switched_off(first, *variants[v]);
      kernel::Day day = act == kernel::EventQueue::kNever
                            ? last_month
                            : kernel::first_day_of_month(kernel::year_of(act), kernel::month_of(act));
      day = std::clamp(day, fork, last_month);
      if (act != kernel::EventQueue::kNever && !RegionSimulation::can_continue_as(first, *variants[v], day)) day = fork;
      goes_on[v] = day;
      if (act != kernel::EventQueue::kNever) days.push_back(day);
    }
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    // A copy costs about twice the population's bytes; later stops are kept
    // while their copies fit the budget (the national population's do not).
    const std::size_t copy_bytes = 2 * shared->population().bytes();
    const std::size_t fits = copy_bytes > 0 ? kStopCopyBudgetBytes / copy_bytes : 0;
    if (days.empty() || days.front() != fork) days.insert(days.begin(), fork);
    if (days.size() > fits + 1) days.resize(fits + 1);
    stop_days = days;
    stops.reserve(days.size() - 1);
    for (std::size_t k = 0; k + 1 < days.size(); ++k) {
      if (days[k] > fork) shared->run_through(days[k] - 1);
      stops.push_back(*shared);
    }
    if (days.back() > fork) shared->run_through(days.back() - 1);
  }
  auto one = [&](std::size_t v) {
    if (shared && shares[v]) {
      std::size_t k = 0;  // the latest stop at or before the variant's day
      while (k + 1 < stop_days.size() && stop_days[k + 1] <= goes_on[v]) ++k;
      RegionSimulation sim(k < stops.size() ? stops[k] : *shared);
      if (sim.continue_as(*variants[v], log_from(v) > 0)) {
        out[v] = finish(sim, variants[v]->end_year);
        out[v].continued = true;
        out[v].continued_from = stop_days[k];
        if (variant_done) variant_done(v);
        return;
      }
    }
    out[v] = simulate_replication(*variants[v], inputs, seed, replication, 0, log_from(v));
    if (variant_done) variant_done(v);
  };
  if (parallel) tbb::parallel_for(std::size_t{0}, n, std::size_t{1}, one);
  else for (std::size_t v = 0; v < n; ++v) one(v);
  return out;
}

Calibration calibrate(const ModelParams& p, std::uint64_t seed, std::int64_t max_firms, int steps) {
  Calibration cal;
  cal.targets = targets_from_baseline(p);
  if (!p.baseline.calibrate || p.warmup_start_year >= 2023) return cal;
  const ModelParams q = scaled(p, max_firms);
  cal.firms_used = q.total_firms();
  const auto& b = p.baseline;
  // Slopes of end-2023 values against initial values (about 0.4: part of the
  // initial gap is renewed away by the end of 2023); refined by secant.
  std::array<double, 2 + kEnergyClasses> slopes;
  slopes.fill(0.5);
  double sxx = 0, sxy = 0;  // growth against the shift, over the searches' trials
  for (int step = 0; step < steps; ++step) {
    CalibrationStep rec;
    rec.used = cal.targets;
    double shift = 0;
    // The replications in parallel (in the caller's arena), summed in order.
    std::array<ReplicationOutput, kCalibrationReplications> outs;
    tbb::parallel_for(0, kCalibrationReplications, 1, [&](int r) {
      outs[static_cast<std::size_t>(r)] =
          simulate_replication(q, cal.targets, seed, kCalibrationReplication + static_cast<std::uint64_t>(r), 2023, 0,
                               kCalibrationGrowthSearch);
    });
    for (const ReplicationOutput& out : outs) {
      const YearStats& y23 = out.years.back();
      rec.cnc_rate += y23.cnc_rate / kCalibrationReplications;
      rec.digital_tool_rate += y23.digital_tool_rate / kCalibrationReplications;
      for (int e = 0; e < kEnergyClasses; ++e)
        rec.energy_class_shares[static_cast<std::size_t>(e)] +=
            y23.energy_class_shares[static_cast<std::size_t>(e)] / kCalibrationReplications;
      rec.investment_growth += growth_2023(out.years) / kCalibrationReplications;
      shift += out.demand_shift_2023 / kCalibrationReplications;
    }
    cal.steps.push_back(rec);
    cal.targets.demand_shift_2023 = shift;  // a good start for each replication's own search
    // and the slope over every search so far, for the next step's and the replications' first step
    for (const ReplicationOutput& out : outs) add_to_slope(out.growth_trials_2023, sxx, sxy);
    if (sxx > 0 && sxy / sxx >= kMinGrowthSlope && sxy / sxx <= kMaxGrowthSlope)
      cal.targets.growth_per_shift_2023 = sxy / sxx;
    if (step + 1 == steps) break;
    const CalibrationStep* prev = cal.steps.size() >= 2 ? &cal.steps[cal.steps.size() - 2] : nullptr;
    CalibratedInputs& t = cal.targets;
    auto update = [&](double x1, double y1, double x0, double y0, double target, double& slope) {
      const double next = prev ? secant(x0, y0, x1, y1, target, slope, 0.05, 2.0) : x1 + (target - y1) / slope;
      return std::clamp(next, 0.0, 1.0);
    };
    t.cnc_rate = update(rec.used.cnc_rate, rec.cnc_rate, prev ? prev->used.cnc_rate : 0, prev ? prev->cnc_rate : 0,
                        b.cnc_rate, slopes[0]);
    t.digital_tool_rate = update(rec.used.digital_tool_rate, rec.digital_tool_rate,
                                 prev ? prev->used.digital_tool_rate : 0, prev ? prev->digital_tool_rate : 0,
                                 b.digital_tool_rate, slopes[1]);
    double sum = 0;
    for (int e = 0; e < kEnergyClasses; ++e) {
      const auto i = static_cast<std::size_t>(e);
      t.energy_class_shares[i] =
          update(rec.used.energy_class_shares[i], rec.energy_class_shares[i],
                 prev ? prev->used.energy_class_shares[i] : 0, prev ? prev->energy_class_shares[i] : 0,
                 b.energy_class_shares[i], slopes[2 + i]);
      sum += t.energy_class_shares[i];
    }
    for (auto& s : t.energy_class_shares) s = sum > 0 ? s / sum : 0.25;
  }
  return cal;
}

std::vector<std::vector<ReplicationOutput>> run_variants(const std::vector<const ModelParams*>& variants,
                                                         const CalibratedInputs& inputs, const RunOptions& options,
                                                         const std::vector<bool>& log_started,
                                                         const std::function<void(int, int)>& progress,
                                                         const ReplicationDone& replication_done) {
  const int reps = options.replications;
  const int total = static_cast<int>(variants.size()) * reps;
  std::vector<std::vector<ReplicationOutput>> out(variants.size(), std::vector<ReplicationOutput>(static_cast<std::size_t>(reps)));
  std::vector<int> log_from(variants.size(), 0);
  for (std::size_t v = 0; v < variants.size(); ++v)
    if (v < log_started.size() && log_started[v]) log_from[v] = options.log_from_year;
  std::atomic<int> done{0};
  const int threads = options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
  tbb::task_arena arena(threads);
  arena.execute([&] {
    // Replications in parallel, and the variants of each (sharing its years
    // before the plan) in parallel within it.
    tbb::parallel_for(0, reps, 1, [&](int r) {
      auto outs = simulate_replication_variants(variants, inputs, options.seed, static_cast<std::uint64_t>(r),
                                                log_from, true, [&](std::size_t) {
                                                  const int now_done = ++done;
                                                  if (progress) progress(now_done, total);
                                                });
      for (std::size_t v = 0; v < variants.size(); ++v) out[v][static_cast<std::size_t>(r)] = std::move(outs[v]);
      if (replication_done) replication_done(r, out);
    });
  });
  return out;
}

std::vector<ReplicationOutput> run_replications(const ModelParams& p, const CalibratedInputs& inputs,
                                                const RunOptions& options,
                                                const std::function<void(int, int)>& progress) {
  auto out = run_variants({&p}, inputs, options, {options.log_from_year > 0}, progress);
  return std::move(out[0]);
}

}  // namespace renewsim::model
