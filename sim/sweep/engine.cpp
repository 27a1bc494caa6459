#include "sweep/engine.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <mutex>
#include <optional>

#include "io/output.hpp"
#include "model/assessment.hpp"
#include "model/runner.hpp"

namespace renewsim::sweep {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kZ95 = 1.959963984540054;

struct PointState {
  std::uint64_t index = 0;
  std::vector<std::string> values;
  std::string error;  // the point failed when not empty
  io::Scenario scenario;
  model::CalibratedInputs inputs;
  std::vector<model::Variant> variants;
  std::map<std::int64_t, std::vector<std::vector<model::MetricRow>>> rows;  // replication -> [variant]
  int planned = 0;  // replications 0..planned-1 run before the next decision
  bool complete = false;
  std::vector<double> half_widths;
  model::Assessment assessment;
};

model::AssessedRunOptions run_options(const io::SweepSpec& spec, const PointState& p) {
  model::AssessedRunOptions o;
  o.run.seed = spec.seed;
  o.assessment = p.scenario.assessment;
  o.counterfactual = spec.counterfactual;
  o.attribution = spec.attribution;
  return o;
}

std::string one_line(std::string s) {
  for (auto& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

// Loads the point's scenario and takes the runs an interrupted sweep finished.
void load(const io::SweepSpec& spec, const ResumeState& resume, PointState& st) {
  st.planned = spec.replications.adaptive() ? spec.replications.min : spec.replications.fixed;
  try {
    st.scenario = io::load_scenario(spec.scenario_path, spec.point_settings(st.values));
    st.variants = model::make_variants(st.scenario.params, spec.counterfactual, spec.attribution);
  } catch (const std::bad_alloc&) {
    throw;  // not the point's fault: the sweep stops, and can be resumed
  } catch (const std::exception& e) {
    st.error = one_line(e.what());
    return;
  }
  const auto it = resume.runs.find(st.index);
  if (it == resume.runs.end()) return;
  for (const auto& [rep, by_variant] : it->second) {
    std::vector<std::vector<model::MetricRow>> rows;
    for (const auto& v : st.variants) {
      const auto found = by_variant.find(v.name);
      if (found == by_variant.end()) break;
      rows.push_back(found->second);
    }
    if (rows.size() == st.variants.size()) st.rows[rep] = std::move(rows);
  }
}

// What the point's calibration depends on: settings of levers the
// calibration ignores (model::calibration_ignores), of targets and of the
// assessment cannot change it, so points that differ only in those share one.
std::string calibration_key(const io::SweepSpec& spec, const PointState& st) {
  std::set<std::string> later;
  st.scenario.params.policy.for_each([&](const model::LeverBase& b) {
    if (model::calibration_ignores(b)) later.insert(b.name);
  });
  std::string key;
  for (const auto& setting : spec.point_settings(st.values)) {
    const std::string path = setting.substr(0, setting.find('='));
    if (path.rfind("targets.", 0) == 0 || path.rfind("assessment.", 0) == 0) continue;
    if (path.rfind("levers.", 0) == 0) {
      const auto dot = path.find('.', 7);
      if (later.count(path.substr(7, dot == std::string::npos ? std::string::npos : dot - 7))) continue;
    }
    key += setting;
    key += '\n';
  }
  return key;
}

// Loads the new points of the window and calibrates them, once per distinct
// calibration (kept for later windows; at most kCalibrationsKept).
constexpr std::size_t kCalibrationsKept = 256;
void prepare(const io::SweepSpec& spec, const ResumeState& resume, std::vector<PointState>& active, std::size_t from,
             std::map<std::string, model::CalibratedInputs>& calibrations, tbb::task_arena& arena) {
  std::vector<std::string> keys(active.size());
  arena.execute([&] {
    tbb::parallel_for(from, active.size(), std::size_t{1}, [&](std::size_t i) {
      load(spec, resume, active[i]);
      if (active[i].error.empty()) keys[i] = calibration_key(spec, active[i]);
    });
  });
  std::vector<std::pair<std::string, std::size_t>> needed;  // key, a point that has it
  for (std::size_t i = from; i < active.size(); ++i)
    if (active[i].error.empty() && !calibrations.count(keys[i]) &&
        std::none_of(needed.begin(), needed.end(), [&](const auto& n) { return n.first == keys[i]; }))
      needed.emplace_back(keys[i], i);
  if (calibrations.size() + needed.size() > kCalibrationsKept) calibrations.clear();
  std::vector<model::CalibratedInputs> made(needed.size());
  std::vector<std::string> errors(needed.size());
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, needed.size(), std::size_t{1}, [&](std::size_t k) {
      try {
        made[k] = model::calibrate(active[needed[k].second].scenario.params, spec.seed).targets;
      } catch (const std::bad_alloc&) {
        throw;
      } catch (const std::exception& e) {
        errors[k] = "calibration failed: " + one_line(e.what());
      }
    });
  });
  std::map<std::string, std::string> failed;
  for (std::size_t k = 0; k < needed.size(); ++k) {
    if (errors[k].empty()) calibrations[needed[k].first] = made[k];
    else failed[needed[k].first] = errors[k];
  }
  for (std::size_t i = from; i < active.size(); ++i) {
    if (!active[i].error.empty()) continue;
    const auto it = calibrations.find(keys[i]);
    if (it != calibrations.end()) active[i].inputs = it->second;
    else active[i].error = failed.count(keys[i]) ? failed[keys[i]] : "calibration failed";
  }
}

bool planned_done(const PointState& st) {
  for (int r = 0; r < st.planned; ++r)
    if (!st.rows.count(r)) return false;
  return true;
}

// The point's assessment over replications 0..planned-1.
void assess(const io::SweepSpec& spec, PointState& st) {
  std::vector<std::vector<std::vector<model::MetricRow>>> rows(st.variants.size());
  for (int r = 0; r < st.planned; ++r)
    for (std::size_t v = 0; v < st.variants.size(); ++v) rows[v].push_back(st.rows.at(r)[v]);
  st.assessment = model::assess(st.scenario.targets, st.variants, rows, run_options(spec, st).assessment);
  st.half_widths.clear();
  for (const auto& p : spec.replications.precision) {
    double hw = kInf;
    if (!p.target.empty()) {
      for (const auto& t : st.assessment.targets) {
        if (t.spec.name != p.target) continue;
        // As the probability: over every replication (an undefined outcome is not met).
        std::vector<double> xs;
        std::int64_t met = 0;
        for (const auto& o : t.outcomes) {
          if (o.defined) xs.push_back(o.value);
          met += o.defined && o.met ? 1 : 0;
        }
        hw = p.of == io::Precision::Of::Probability
                 ? proportion_half_width(met, static_cast<std::int64_t>(t.outcomes.size()))
                 : mean_half_width(xs, p.relative);
      }
    } else {
      std::vector<double> xs;
      for (const auto& rep : rows[0])
        if (const auto v = model::MetricTable(rep).value(p.metric, p.year)) xs.push_back(*v);
      hw = mean_half_width(xs, p.relative);
    }
    st.half_widths.push_back(hw);
  }
}

// After replications 0..planned-1: done, or how many more.
void decide(const io::SweepSpec& spec, PointState& st) {
  const auto& c = spec.replications;
  assess(spec, st);
  if (!c.adaptive()) {
    st.complete = true;
    return;
  }
  bool precise = true;
  for (std::size_t i = 0; i < c.precision.size(); ++i)
    if (!(st.half_widths[i] <= c.precision[i].half_width)) precise = false;
  if (precise || st.planned >= c.max) st.complete = true;
  else st.planned = std::min(st.planned + c.batch, c.max);
}

std::string values_fields(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += ',' + io::field(v);
  return out;
}

Commit point_commit(const io::SweepSpec& spec, const PointState& st) {
  Commit c;
  c.kind = Commit::Kind::Point;
  c.point = st.index;
  c.failed = !st.error.empty();
  const std::string id = std::to_string(st.index);
  const int reps = static_cast<int>(st.rows.size());
  c.results = id + (c.failed ? ",failed," : ",ok,") + std::to_string(c.failed ? reps : st.planned) + values_fields(st.values);
  auto num = [](double v) { return ',' + io::format_number(v); };
  std::size_t empty = 0;
  for (const auto& t : spec.base.targets) {
    if (!t.modelled) continue;
    const model::TargetResult* r = nullptr;
    if (!c.failed)
      for (const auto& x : st.assessment.targets)
        if (x.spec.name == t.name) r = &x;
    const std::size_t columns = spec.counterfactual ? 6 : 4;
    if (!r) {
      empty += columns;
      continue;
    }
    c.results += std::string(empty, ',');
    empty = 0;
    c.results += num(r->value.p50) + num(r->value.p05) + num(r->value.p95) + num(r->probability);
    if (spec.counterfactual) c.results += num(r->counterfactual_probability) + num(r->additionality.p50);
  }
  if (c.failed) {
    empty += spec.counterfactual ? 7 : 3;
    empty += spec.replications.precision.size();
    c.results += std::string(empty, ',') + ',' + io::field(st.error) + '\n';
    return c;
  }
  c.results += std::string(empty, ',');
  const auto& h = st.assessment.headline;
  c.results += num(h.investment.mean) + num(h.fiscal_outlay.mean) + num(h.new_policy_outlay.mean);
  if (spec.counterfactual)
    c.results += num(h.net_fiscal_cost.mean) + num(h.induced_investment.mean) + num(h.leverage) + num(h.deadweight_share);
  for (double hw : st.half_widths) c.results += num(hw);
  c.results += ",\n";
  io::SeriesTable t;
  for (const auto& v : st.variants) t.variants.push_back(v.name);
  t.rows.resize(st.variants.size());
  for (int r = 0; r < st.planned; ++r)
    for (std::size_t v = 0; v < st.variants.size(); ++v) t.rows[v].push_back(st.rows.at(r)[v]);
  c.summary = io::summary_lines(t, id + ",");
  return c;
}

}  // namespace

double proportion_half_width(std::int64_t met, std::int64_t n) {
  if (n < 2) return kInf;
  const double nn = static_cast<double>(n), p = static_cast<double>(met) / nn, z2 = kZ95 * kZ95;
  return kZ95 * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
}

std::pair<double, double> proportion_interval(std::int64_t met, std::int64_t n) {
  if (n < 1) return {0.0, 1.0};
  const double nn = static_cast<double>(n), p = static_cast<double>(met) / nn, z2 = kZ95 * kZ95;
  const double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn), half = proportion_half_width(met, n);
  // Exact ends when every or no replication met it (the formula leaves rounding there).
  return {met == 0 ? 0.0 : std::max(0.0, centre - half), met == n ? 1.0 : std::min(1.0, centre + half)};
}

double mean_half_width(const std::vector<double>& xs, bool relative) {
  const std::size_t n = xs.size();
  if (n < 2) return kInf;
  double mean = 0;
  for (double x : xs) mean += x;
  mean /= static_cast<double>(n);
  double ss = 0;
  for (double x : xs) ss += (x - mean) * (x - mean);
  const double sd = std::sqrt(ss / static_cast<double>(n - 1));
  const boost::math::students_t t(static_cast<double>(n - 1));
  const double hw = boost::math::quantile(t, 0.975) * sd / std::sqrt(static_cast<double>(n));
  if (!relative) return hw;
  return std::fabs(mean) > 0 ? hw / std::fabs(mean) : (hw == 0 ? 0 : kInf);
}

std::string runs_header() { return "point,variant,replication,year,metric,value\n"; }
std::string summary_header() { return "point,variant,year,metric,replications,mean,p05,p50,p95\n"; }

std::string results_header(const io::SweepSpec& spec) {
  std::string h = "point,status,replications";
  const auto keys = spec.design().keys();
  for (const auto& k : keys) h += ',' + io::field(k);
  for (const auto& t : spec.base.targets) {
    if (!t.modelled) continue;
    for (const char* col : {"median", "p05", "p95", "probability"}) h += ',' + t.name + '.' + col;
    if (spec.counterfactual) h += ',' + t.name + ".counterfactual_probability," + t.name + ".additionality_median";
  }
  h += ",equipment_investment,fiscal_outlay,new_policy_outlay";
  if (spec.counterfactual) h += ",net_fiscal_cost,additional_investment,leverage,deadweight_share";
  for (const auto& p : spec.replications.precision) h += ',' + p.label();
  return h + ",error\n";
}

std::size_t window_points(const io::SweepSpec& spec) {
  const auto& c = spec.replications;
  const int per_wave = c.adaptive() ? std::max(c.min, c.batch) : c.fixed;
  return std::clamp<std::size_t>(static_cast<std::size_t>(128 / std::max(1, per_wave)), 4, 64);
}

void run_points(const io::SweepSpec& spec, const ResumeState& resume, const EngineOptions& options,
                const std::function<void(Commit&&)>& commit) {
  const Design design = spec.design();
  const std::size_t window = window_points(spec);
  const std::uint64_t ranks = std::max<std::uint64_t>(1, options.ranks);
  std::uint64_t next = options.rank;
  std::vector<PointState> active;
  std::map<std::string, model::CalibratedInputs> calibrations;
  tbb::task_arena arena(options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency());
  for (;;) {
    // Take the next points, in order, up to the window.
    std::size_t fresh_from = active.size();
    while (active.size() < window && next < design.size()) {
      if (!resume.points_done.count(next)) {
        active.emplace_back();
        active.back().index = next;
        active.back().values = design.point(next);
      }
      next += ranks;
    }
    if (active.empty()) break;
    prepare(spec, resume, active, fresh_from, calibrations, arena);

    // The window's runs, in (point, replication) order.
    struct Task {
      std::size_t point;
      std::int64_t rep;
    };
    std::vector<Task> tasks;
    for (std::size_t i = 0; i < active.size(); ++i) {
      auto& st = active[i];
      if (!st.error.empty()) continue;
      for (int r = 0; r < st.planned; ++r)
        if (!st.rows.count(r)) {
          tasks.push_back({i, r});
          st.rows[r];  // the slot is made here, filled by its task
        }
    }
    std::vector<std::optional<Commit>> slots(tasks.size());
    std::vector<std::string> task_errors(tasks.size());
    std::size_t next_commit = 0;
    std::mutex commit_mutex;
    arena.execute([&] {
      tbb::parallel_for(std::size_t{0}, tasks.size(), std::size_t{1}, [&](std::size_t k) {
        const Task& task = tasks[k];
        PointState& st = active[task.point];
        Commit c;
        c.kind = Commit::Kind::Run;
        c.point = st.index;
        c.replication = task.rep;
        try {
          auto rows = model::simulate_variants(st.variants, st.inputs, run_options(spec, st),
                                               static_cast<std::uint64_t>(task.rep), c.events);
          io::SeriesTable t;
          for (const auto& v : st.variants) t.variants.push_back(v.name);
          for (auto& r : rows) t.rows.push_back({std::move(r)});
          c.runs = io::series_lines(t, std::to_string(st.index) + ",", static_cast<std::size_t>(task.rep));
          auto& slot = st.rows.at(task.rep);
          for (auto& r : t.rows) slot.push_back(std::move(r[0]));
        } catch (const std::bad_alloc&) {
          throw;
        } catch (const std::exception& e) {
          task_errors[k] = one_line(e.what());
        }
        std::lock_guard<std::mutex> lock(commit_mutex);
        slots[k] = std::move(c);
        while (next_commit < slots.size() && slots[next_commit]) {
          if (task_errors[next_commit].empty()) commit(std::move(*slots[next_commit]));
          slots[next_commit].reset();
          ++next_commit;
        }
      });
    });
    for (std::size_t k = 0; k < tasks.size(); ++k)
      if (!task_errors[k].empty() && active[tasks[k].point].error.empty()) {
        PointState& st = active[tasks[k].point];
        st.error = "replication " + std::to_string(tasks[k].rep) + ": " + task_errors[k];
        for (auto it = st.rows.begin(); it != st.rows.end();)  // the failed run's empty slot goes
          it = it->second.empty() ? st.rows.erase(it) : std::next(it);
      }

    // Decide, in point order: finished points leave the window.
    std::vector<PointState> still;
    for (auto& st : active) {
      if (st.error.empty())
        while (!st.complete && planned_done(st)) decide(spec, st);
      if (!st.error.empty() || st.complete) commit(point_commit(spec, st));
      else still.push_back(std::move(st));
    }
    active = std::move(still);
  }
}

}  // namespace renewsim::sweep
