#include "model/assessment.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

namespace renewsim::model {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Sum of a metric over a window (missing years count as zero).
double window_sum(const MetricTable& m, const std::string& metric, int first, int last) {
  double sum = 0;
  for (int y = first; y <= last; ++y) sum += m.value(metric, y).value_or(0.0);
  return sum;
}

double probability(const std::vector<TargetOutcome>& outcomes) {
  if (outcomes.empty()) return kNaN;
  std::int64_t met = 0;
  for (const auto& o : outcomes) met += o.met ? 1 : 0;
  return static_cast<double>(met) / static_cast<double>(outcomes.size());
}

Spread defined_spread(const std::vector<TargetOutcome>& outcomes) {
  std::vector<double> xs;
  for (const auto& o : outcomes)
    if (o.defined) xs.push_back(o.value);
  return spread(std::move(xs));
}

}  // namespace

bool compare(double value, Comparison c, double threshold) {
  switch (c) {
    case Comparison::AtLeast: return value >= threshold;
    case Comparison::Above: return value > threshold;
    case Comparison::AtMost: return value <= threshold;
    case Comparison::Below: return value < threshold;
  }
  return false;
}

bool metric_is_extensive(const std::string& metric) {
  // Rates, shares and growth rates are named so; everything else is money or a count.
  return metric.find("rate") == std::string::npos && metric.find("share") == std::string::npos &&
         metric.find("growth") == std::string::npos;
}

namespace {
// Metric names are interned: one address per name orders them.
using MetricKey = std::pair<const std::string*, int>;
MetricKey key_of(const MetricRow& r) { return {&r.metric.str(), r.year}; }
bool key_less(const MetricKey& a, const MetricKey& b) {
  if (a.first != b.first) return std::less<const std::string*>{}(a.first, b.first);
  return a.second < b.second;
}
}  // namespace

MetricTable::MetricTable(const std::vector<MetricRow>& rows) : rows_(&rows), order_(rows.size()) {
  for (std::size_t i = 0; i < rows.size(); ++i) order_[i] = static_cast<std::uint32_t>(i);
  std::stable_sort(order_.begin(), order_.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return key_less(key_of(rows[a]), key_of(rows[b])); });
}

std::optional<double> MetricTable::value(const std::string& metric, int year) const {
  const MetricKey key{&MetricName(metric).str(), year};
  const auto& rows = *rows_;
  // The last of the rows with this key.
  const auto it = std::upper_bound(order_.begin(), order_.end(), key,
                                   [&](const MetricKey& k, std::uint32_t i) { return key_less(k, key_of(rows[i])); });
  if (it == order_.begin()) return std::nullopt;
  const MetricRow& r = rows[*(it - 1)];
  if (key_of(r) != key) return std::nullopt;
  return r.value;
}

TargetOutcome evaluate_target(const TargetSpec& t, const MetricTable& m, double scale) {
  TargetOutcome out;
  if (!t.modelled) return out;
  const double unit = metric_is_extensive(t.metric) && scale > 0 ? 1.0 / scale : 1.0;
  auto at = [&](int year) -> std::optional<double> {
    const auto v = m.value(t.metric, year);
    if (!v) return std::nullopt;
    return *v * unit;
  };
  // One year's value of the measure (growth and change against base_year, or
  // the previous year for yearly growth).
  auto measure = [&](int year) -> std::optional<double> {
    const auto v = at(year);
    if (!v) return std::nullopt;
    switch (t.measure) {
      case TargetMeasure::Level: return v;
      case TargetMeasure::Growth:
      case TargetMeasure::YearlyGrowth: {
        const auto b = at(t.measure == TargetMeasure::Growth ? t.base_year : year - 1);
        if (!b || *b == 0) return std::nullopt;
        return *v / *b - 1.0;
      }
      case TargetMeasure::Change: {
        const auto b = at(t.base_year);
        if (!b) return std::nullopt;
        return *v - *b;
      }
      case TargetMeasure::Sum: return v;
    }
    return std::nullopt;
  };
  if (t.measure == TargetMeasure::Sum) {
    double sum = 0;
    for (int y = t.from_year; y <= t.year; ++y) {
      const auto v = at(y);
      if (!v) return out;
      sum += *v;
    }
    out.defined = true;
    out.value = sum;
    out.met = compare(sum, t.comparison, t.value);
    return out;
  }
  const bool every = t.each_year || t.measure == TargetMeasure::YearlyGrowth;
  const int first = every ? t.from_year : t.year;
  // The worst year: the lowest for "at least/above", the highest for "at most/below".
  const bool want_high = t.comparison == Comparison::AtLeast || t.comparison == Comparison::Above;
  bool any = false;
  double worst = 0;
  for (int y = first; y <= t.year; ++y) {
    const auto v = measure(y);
    if (!v) return out;
    if (!any || (want_high ? *v < worst : *v > worst)) worst = *v;
    any = true;
  }
  if (!any) return out;
  out.defined = true;
  out.value = worst;
  out.met = compare(worst, t.comparison, t.value);
  return out;
}

std::vector<std::string> metric_names(const ModelParams& p) {
  std::vector<std::string> sectors;
  for (const auto& s : p.sectors) sectors.push_back(s.name);
  std::vector<YearStats> years(2);
  years[0].year = 2023;
  years[1].year = 2024;
  for (auto& y : years) {
    y.investment = 1;  // so that growth rows appear
    y.investment_by_sector.assign(sectors.size(), 0);
    y.levers.assign(p.policy.enabled_names().size(), {});
    y.network = p.network.enabled;
  }
  std::vector<std::string> names;
  for (const auto& r : metric_rows(years, sectors, p.policy.enabled_names(), 2023))
    if (std::find(names.begin(), names.end(), r.metric.str()) == names.end()) names.push_back(r.metric.str());
  names.push_back("deadweight_projects");
  return names;
}

std::vector<Variant> make_variants(const ModelParams& p, bool counterfactual, bool attribution) {
  std::vector<Variant> out;
  out.push_back({"policy", "", "", p});
  if (counterfactual) {
    Variant cf{"counterfactual", "", "", p};
    cf.params.policy.for_each_typed([](LeverBase& b, const char*) {
      if (!b.baseline) b.enabled = false;
    });
    out.push_back(std::move(cf));
  }
  if (attribution) {
    std::vector<std::pair<std::string, std::string>> levers;
    p.policy.for_each_typed([&](const LeverBase& b, const char* type) {
      if (b.enabled && !b.baseline) levers.emplace_back(b.name, type);
    });
    for (const auto& [name, type] : levers) {
      Variant v{"without:" + name, name, type, p};
      v.params.policy.for_each_typed([&](LeverBase& b, const char*) {
        if (b.name == name) b.enabled = false;
      });
      out.push_back(std::move(v));
    }
  }
  return out;
}

Deadweight count_deadweight(const std::vector<StartedProject>& policy,
                            const std::vector<StartedProject>& counterfactual) {
  using Key = std::tuple<std::uint32_t, std::uint8_t, std::uint8_t>;
  std::map<Key, std::int64_t> available;
  for (const auto& s : counterfactual) ++available[Key{s.firm, s.category, s.kind}];
  Deadweight d;
  // In start order, so that a firm's earlier supported project takes the match first.
  for (const auto& s : policy) {
    if (!s.supported) continue;
    ++d.supported[s.year];
    d.deadweight[s.year] += 0;
    const auto it = available.find(Key{s.firm, s.category, s.kind});
    if (it != available.end() && it->second > 0) {
      --it->second;
      ++d.deadweight[s.year];
    }
  }
  return d;
}

Spread spread(std::vector<double> xs) {
  Spread s;
  s.n = static_cast<std::int64_t>(xs.size());
  if (xs.empty()) {
    s.mean = s.p05 = s.p50 = s.p95 = kNaN;
    return s;
  }
  std::sort(xs.begin(), xs.end());
  double sum = 0;
  for (double x : xs) sum += x;
  s.mean = sum / static_cast<double>(xs.size());
  auto q = [&](double prob) {
    const double h = (static_cast<double>(xs.size()) - 1.0) * prob;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, xs.size() - 1);
    return xs[lo] + (h - static_cast<double>(lo)) * (xs[hi] - xs[lo]);
  };
  s.p05 = q(0.05);
  s.p50 = q(0.50);
  s.p95 = q(0.95);
  return s;
}

Assessment assess(const std::vector<TargetSpec>& targets, const std::vector<Variant>& variants,
                  const std::vector<std::vector<std::vector<MetricRow>>>& rows, const AssessmentOptions& options) {
  Assessment a;
  a.options = options;
  if (variants.empty() || rows.empty()) return a;
  // Tables per variant and replication.
  std::vector<std::vector<MetricTable>> tables(rows.size());
  for (std::size_t v = 0; v < rows.size(); ++v)
    for (const auto& r : rows[v]) tables[v].emplace_back(r);
  const std::size_t reps = tables[0].size();
  int cf = -1;
  for (std::size_t v = 0; v < variants.size(); ++v)
    if (variants[v].name == "counterfactual") cf = static_cast<int>(v);
  auto outcomes = [&](std::size_t v, const TargetSpec& t) {
    std::vector<TargetOutcome> out;
    for (const auto& m : tables[v]) out.push_back(evaluate_target(t, m, options.scale));
    return out;
  };
  auto difference = [](const std::vector<TargetOutcome>& x, const std::vector<TargetOutcome>& y) {
    std::vector<double> d;
    for (std::size_t r = 0; r < x.size() && r < y.size(); ++r)
      if (x[r].defined && y[r].defined) d.push_back(x[r].value - y[r].value);
    return d;
  };

  for (const auto& t : targets) {
    TargetResult res;
    res.spec = t;
    res.replications = static_cast<std::int64_t>(reps);
    if (t.modelled) {
      res.outcomes = outcomes(0, t);
      res.value = defined_spread(res.outcomes);
      res.probability = probability(res.outcomes);
      if (cf >= 0) {
        const auto c = outcomes(static_cast<std::size_t>(cf), t);
        res.counterfactual = defined_spread(c);
        res.counterfactual_probability = probability(c);
        res.additionality = spread(difference(res.outcomes, c));
      } else {
        res.counterfactual = res.additionality = spread({});
        res.counterfactual_probability = kNaN;
      }
    } else {
      res.value = res.counterfactual = res.additionality = spread({});
      res.probability = res.counterfactual_probability = kNaN;
    }
    a.targets.push_back(std::move(res));
  }

  const int first = options.first_year, last = options.last_year;
  // Money and counts of a scaled population are reported at full size.
  const double unit = options.scale > 0 ? 1.0 / options.scale : 1.0;
  auto per_rep = [&](std::size_t v, auto&& f) {
    std::vector<double> xs;
    for (const auto& m : tables[v]) xs.push_back(f(m) * unit);
    return xs;
  };
  // New levers' outlay: lever rows of levers outside the baseline.
  std::vector<std::string> new_outlays;
  variants[0].params.policy.for_each_typed([&](const LeverBase& b, const char*) {
    if (b.enabled && !b.baseline) new_outlays.push_back("lever." + b.name + ".outlay");
  });
  Headline& h = a.headline;
  const auto outlay = per_rep(0, [&](const MetricTable& m) { return window_sum(m, "fiscal_outlay", first, last); });
  const auto invest =
      per_rep(0, [&](const MetricTable& m) { return window_sum(m, "equipment_investment", first, last); });
  h.fiscal_outlay = spread(outlay);
  h.investment = spread(invest);
  h.new_policy_outlay = spread(per_rep(0, [&](const MetricTable& m) {
    double s = 0;
    for (const auto& name : new_outlays) s += window_sum(m, name, first, last);
    return s;
  }));
  h.supported_projects =
      spread(per_rep(0, [&](const MetricTable& m) { return window_sum(m, "supported_projects", first, last); }));
  if (cf >= 0) {
    h.has_counterfactual = true;
    const auto cf_outlay = per_rep(static_cast<std::size_t>(cf), [&](const MetricTable& m) {
      return window_sum(m, "fiscal_outlay", first, last);
    });
    const auto cf_invest = per_rep(static_cast<std::size_t>(cf), [&](const MetricTable& m) {
      return window_sum(m, "equipment_investment", first, last);
    });
    std::vector<double> cost, induced;
    for (std::size_t r = 0; r < reps; ++r) {
      cost.push_back(outlay[r] - cf_outlay[r]);
      induced.push_back(invest[r] - cf_invest[r]);
    }
    h.net_fiscal_cost = spread(cost);
    h.induced_investment = spread(induced);
    h.leverage = h.net_fiscal_cost.mean > 0 ? h.induced_investment.mean / h.net_fiscal_cost.mean : kNaN;
    const auto dw =
        per_rep(0, [&](const MetricTable& m) { return window_sum(m, "deadweight_projects", first, last); });
    h.deadweight_projects = spread(dw);
    h.deadweight_share = h.supported_projects.mean > 0 ? h.deadweight_projects.mean / h.supported_projects.mean : kNaN;
  } else {
    h.net_fiscal_cost = h.induced_investment = h.deadweight_projects = spread({});
    h.leverage = h.deadweight_share = kNaN;
  }

  for (std::size_t v = 0; v < variants.size(); ++v) {
    if (variants[v].lever.empty()) continue;
    LeverAttribution la;
    la.lever = variants[v].lever;
    la.type = variants[v].lever_type;
    const std::string outlay_metric = "lever." + la.lever + ".outlay";
    la.outlay = spread(per_rep(0, [&](const MetricTable& m) { return window_sum(m, outlay_metric, first, last); })).mean;
    const auto without =
        per_rep(v, [&](const MetricTable& m) { return window_sum(m, "equipment_investment", first, last); });
    std::vector<double> induced;
    for (std::size_t r = 0; r < reps && r < without.size(); ++r) induced.push_back(invest[r] - without[r]);
    la.induced_investment = spread(induced);
    la.cost_per_induced = la.induced_investment.mean > 0 ? la.outlay / la.induced_investment.mean : kNaN;
    for (std::size_t t = 0; t < targets.size(); ++t) {
      if (!targets[t].modelled) continue;
      const auto w = outcomes(v, targets[t]);
      LeverEffect e;
      e.target = targets[t].name;
      e.effect = spread(difference(a.targets[t].outcomes, w));
      e.probability_change = a.targets[t].probability - probability(w);
      la.effects.push_back(std::move(e));
    }
    a.levers.push_back(std::move(la));
  }
  return a;
}

std::vector<MetricRow> replication_rows(const ReplicationOutput& out, const ModelParams& p, int first_year) {
  std::vector<std::string> sectors;
  for (const auto& s : p.sectors) sectors.push_back(s.name);
  std::vector<MetricRow> rows = metric_rows(out.years, sectors, p.policy.enabled_names(), first_year);
  // The shift that conditioned the replication on 2023 growth (0 when not calibrated).
  if (first_year <= 2023) rows.push_back({2023, "calibration.demand_shift_2023", out.demand_shift_2023});
  return rows;
}

void append_deadweight_rows(std::vector<MetricRow>& rows, const Deadweight& d, int first_year, int last_year) {
  for (int y = first_year; y <= last_year; ++y) {
    const auto it = d.deadweight.find(y);
    rows.push_back({y, "deadweight_projects", it == d.deadweight.end() ? 0.0 : static_cast<double>(it->second)});
  }
}

namespace {
bool logs_projects(const AssessedRunOptions& o, std::size_t variant) { return o.counterfactual && variant < 2; }
}  // namespace

std::vector<std::vector<MetricRow>> variant_rows(const std::vector<Variant>& variants,
                                                 const std::vector<const ReplicationOutput*>& outputs,
                                                 const AssessedRunOptions& options) {
  std::vector<std::vector<MetricRow>> rows;
  for (std::size_t v = 0; v < outputs.size(); ++v)
    rows.push_back(replication_rows(*outputs[v], variants[v].params, options.first_reported_year));
  // The policy and the counterfactual logged their projects for the deadweight count.
  if (options.counterfactual && outputs.size() >= 2)
    append_deadweight_rows(rows[0], count_deadweight(outputs[0]->started, outputs[1]->started),
                           std::max(options.assessment.first_year, options.first_reported_year),
                           variants[0].params.end_year);
  return rows;
}

std::vector<std::vector<MetricRow>> simulate_variants(const std::vector<Variant>& variants,
                                                      const CalibratedInputs& inputs,
                                                      const AssessedRunOptions& options, std::uint64_t replication,
                                                      std::uint64_t& events) {
  std::vector<const ModelParams*> params;
  std::vector<int> log_from;
  for (std::size_t v = 0; v < variants.size(); ++v) {
    params.push_back(&variants[v].params);
    log_from.push_back(logs_projects(options, v) ? options.assessment.first_year : 0);
  }
  const auto outs = simulate_replication_variants(params, inputs, options.run.seed, replication, log_from, false);
  std::vector<const ReplicationOutput*> ptrs;
  for (const ReplicationOutput& o : outs) {
    events += o.events;
    ptrs.push_back(&o);
  }
  return variant_rows(variants, ptrs, options);
}

AssessedRun run_assessed(const ModelParams& p, const CalibratedInputs& inputs, const std::vector<TargetSpec>& targets,
                         const AssessedRunOptions& options, const std::function<void(int, int)>& progress) {
  AssessedRun run;
  run.variants = make_variants(p, options.counterfactual, options.attribution);
  std::vector<const ModelParams*> params;
  std::vector<bool> log;
  for (std::size_t v = 0; v < run.variants.size(); ++v) {
    params.push_back(&run.variants[v].params);
    log.push_back(logs_projects(options, v));
  }
  RunOptions ro = options.run;
  ro.log_from_year = options.assessment.first_year;
  const auto reps = static_cast<std::size_t>(std::max(0, ro.replications));
  run.rows.assign(params.size(), std::vector<std::vector<MetricRow>>(reps));
  std::vector<std::uint64_t> events(reps, 0);
  // Each replication is reduced to its rows as soon as all its variants are
  // done, and its outputs (yearly records, started-project logs) freed.
  auto reduce = [&](int rep, std::vector<std::vector<ReplicationOutput>>& outputs) {
    const auto r = static_cast<std::size_t>(rep);
    std::vector<const ReplicationOutput*> ptrs;
    for (auto& o : outputs) {
      events[r] += o[r].events;
      ptrs.push_back(&o[r]);
    }
    auto rows = variant_rows(run.variants, ptrs, options);
    for (std::size_t v = 0; v < rows.size(); ++v) run.rows[v][r] = std::move(rows[v]);
    for (auto& o : outputs) o[r] = ReplicationOutput{};
  };
  run_variants(params, inputs, ro, log, progress, reduce);
  for (const std::uint64_t e : events) run.events += e;
  run.assessment = assess(targets, run.variants, run.rows, options.assessment);
  return run;
}

}  // namespace renewsim::model
