#include "model/runner.hpp"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <cmath>

#include "model/region_simulation.hpp"

namespace renewsim::model {
namespace {
// Calibration replications live far from the run's own (0, 1, 2, ...).
constexpr std::uint64_t kCalibrationReplication = 0xCA11B000ULL;
constexpr int kCalibrationReplications = 3;

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
  return q;
}
}  // namespace

Calibration calibrate(const ModelParams& p, std::uint64_t seed, std::int64_t max_firms, int steps) {
  Calibration cal;
  cal.targets = targets_from_baseline(p);
  if (!p.baseline.calibrate || p.warmup_start_year >= 2023) return cal;
  const ModelParams q = scaled(p, max_firms);
  cal.firms_used = q.total_firms();
  const auto& b = p.baseline;
  for (int step = 0; step < steps; ++step) {
    CalibrationStep rec;
    rec.used = cal.targets;
    double inv22 = 0, inv23 = 0;
    for (int r = 0; r < kCalibrationReplications; ++r) {
      RegionSimulation sim(q, cal.targets, seed, kCalibrationReplication + static_cast<std::uint64_t>(r));
      const auto& years = sim.run(2023);
      const YearStats& y23 = years.back();
      const YearStats& y22 = years.size() >= 2 ? years[years.size() - 2] : years.back();
      rec.cnc_rate += y23.cnc_rate / kCalibrationReplications;
      rec.digital_tool_rate += y23.digital_tool_rate / kCalibrationReplications;
      for (int e = 0; e < kEnergyClasses; ++e)
        rec.energy_class_shares[static_cast<std::size_t>(e)] +=
            y23.energy_class_shares[static_cast<std::size_t>(e)] / kCalibrationReplications;
      inv22 += y22.investment;
      inv23 += y23.investment;
    }
    rec.investment_growth = inv22 > 0 ? inv23 / inv22 - 1.0 : 0.0;
    cal.steps.push_back(rec);
    if (step + 1 == steps) break;
    // Fixed-point step: shift each initial value by the miss at the end of 2023.
    CalibratedInputs& t = cal.targets;
    t.cnc_rate = std::clamp(t.cnc_rate + b.cnc_rate - rec.cnc_rate, 0.0, 1.0);
    t.digital_tool_rate = std::clamp(t.digital_tool_rate + b.digital_tool_rate - rec.digital_tool_rate, 0.0, 1.0);
    double sum = 0;
    for (int e = 0; e < kEnergyClasses; ++e) {
      auto& s = t.energy_class_shares[static_cast<std::size_t>(e)];
      s = std::max(0.0, s + b.energy_class_shares[static_cast<std::size_t>(e)] -
                            rec.energy_class_shares[static_cast<std::size_t>(e)]);
      sum += s;
    }
    for (auto& s : t.energy_class_shares) s = sum > 0 ? s / sum : 0.25;
    // Secant on the demand shift (growth rises with it); a first guess of slope 2.
    double slope = 2.0;
    if (cal.steps.size() >= 2) {
      const auto& prev = cal.steps[cal.steps.size() - 2];
      const double dx = rec.used.demand_shift_2023 - prev.used.demand_shift_2023;
      const double dy = rec.investment_growth - prev.investment_growth;
      if (std::fabs(dx) > 1e-9 && dy / dx > 0.2) slope = dy / dx;
    }
    t.demand_shift_2023 =
        std::clamp(t.demand_shift_2023 + (b.equipment_investment_growth - rec.investment_growth) / slope, -0.5, 0.5);
  }
  return cal;
}

std::vector<ReplicationOutput> run_replications(const ModelParams& p, const CalibratedInputs& targets,
                                                const RunOptions& options,
                                                const std::function<void(int, int)>& progress) {
  std::vector<ReplicationOutput> out(static_cast<std::size_t>(options.replications));
  std::atomic<int> done{0};
  const int threads = options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_for(0, options.replications, 1, [&](int r) {
      RegionSimulation sim(p, targets, options.seed, static_cast<std::uint64_t>(r));
      out[static_cast<std::size_t>(r)].years = sim.run();
      out[static_cast<std::size_t>(r)].events = sim.events_processed();
      const int now_done = ++done;
      if (progress) progress(now_done, options.replications);
    });
  });
  return out;
}

}  // namespace renewsim::model
