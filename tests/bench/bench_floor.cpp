// The floor: the cost of one pass over all firm state (every firm's record and
// all its vintage slots read and written once) against the cost of a
// simulated firm-year, on the population bench_firm_years builds (a
// scenario's sector mix scaled to N firms, one replication, no calibration).
//
// Three passes: in firm-id order (streaming through memory: the true floor),
// in a random order of firms (as the event loop visits them: events come in
// time order, not firm order), and in that random order fetching the records
// of the firms a few places ahead (as the event loop does from its queue's
// lookahead). Each pass is repeated and its median taken.
// Times are the thread's CPU time, the figure to read on a shared machine.
//
//   bench_floor SCENARIO.toml [FIRMS ...]     (default 10000 100000 1000000)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <random>
#include <vector>

#include "io/scenario.hpp"
#include "model/region_simulation.hpp"
#include "scaled_population.hpp"

using namespace renewsim;
using bench::thread_cpu_seconds;

namespace {

// Reads and writes a firm's record and each of its slots once.
inline void touch(model::Population& pop, std::uint32_t i) {
  model::Firm& f = pop.firms[i];
  f.last_accrual += 1;
  f.cash += static_cast<double>(f.capacity) * 1e-12;
  model::Vintage* v = pop.slots.data() + f.first_slot;
  for (std::uint32_t k = 0; k < f.slots; ++k) {
    v[k].units += 1;
    v[k].fails += static_cast<kernel::Day>(v[k].flags & 1);
  }
}

[[gnu::noinline]] void pass_in_order(model::Population& pop) {
  const auto n = static_cast<std::uint32_t>(pop.firms.size());
  for (std::uint32_t i = 0; i < n; ++i) touch(pop, i);
}

[[gnu::noinline]] void pass_in_random_order(model::Population& pop, const std::vector<std::uint32_t>& order) {
  for (const std::uint32_t i : order) touch(pop, i);
}

// The same, fetching ahead as the event loop does from its queue's lookahead:
// the record of the firm 16 ahead, the slots of the firm 8 ahead.
[[gnu::noinline]] void pass_in_random_order_prefetched(model::Population& pop,
                                                       const std::vector<std::uint32_t>& order) {
  const std::size_t n = order.size();
  for (std::size_t j = 0; j < n; ++j) {
    if (j + 16 < n) __builtin_prefetch(&pop.firms[order[j + 16]], 1);
    if (j + 8 < n) {
      const model::Firm& a = pop.firms[order[j + 8]];
      const char* first = reinterpret_cast<const char*>(pop.slots.data() + a.first_slot);
      const char* last = reinterpret_cast<const char*>(pop.slots.data() + a.first_slot + a.slots);
      for (const char* q = first; q < last; q += 64) __builtin_prefetch(q, 1);
    }
    touch(pop, order[j]);
  }
}

template <class Pass>
double median_seconds(Pass&& pass, double min_total) {
  std::vector<double> t;
  double total = 0;
  while (t.size() < 5 || total < min_total) {
    const double c0 = thread_cpu_seconds();
    pass();
    t.push_back(thread_cpu_seconds() - c0);
    total += t.back();
  }
  std::nth_element(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(t.size() / 2), t.end());
  return t[t.size() / 2];
}

}  // namespace

static int measure(int argc, char** argv) {
  const io::Scenario sc = io::load_scenario(argv[1]);
  const std::vector<long long> sizes = bench::sizes_from(argc, argv);
  const int years = bench::simulated_years(sc.params);
  std::printf("scenario %s, %d-%d (%d years), 1 replication, 1 thread; times in ns of CPU\n", sc.params.name.c_str(),
              sc.params.warmup_start_year, sc.params.end_year, years);
  std::printf("%10s %11s %10s %12s %10s %12s %12s %12s %8s %8s %8s\n", "firms", "bytes/firm", "events/fy",
              "ns/firm-year", "ns/event", "pass ns/firm", "rand ns/firm", "pref ns/firm", "fy/pass", "fy/rand",
              "fy/pref");
  double checksum = 0;
  for (long long n : sizes) {
    const model::ModelParams p = bench::scaled_params(sc.params, n);
    const long long total = p.total_firms();
    model::Population pop;
    double fy_ns = 0, events_per_fy = 0;
    {
      model::RegionSimulation sim(p, model::targets_from_baseline(p), sc.seed, 0);
      const double c0 = thread_cpu_seconds();
      sim.run();
      const double cpu = thread_cpu_seconds() - c0;
      const double firm_years = static_cast<double>(total) * years;
      fy_ns = 1e9 * cpu / firm_years;
      events_per_fy = static_cast<double>(sim.events_processed()) / firm_years;
      pop = sim.population();  // the state as the run left it, same layout
    }
    std::vector<std::uint32_t> order(pop.firms.size());
    std::iota(order.begin(), order.end(), 0u);
    std::shuffle(order.begin(), order.end(), std::mt19937_64(12345));
    const double seq = median_seconds([&] { pass_in_order(pop); }, 0.3);
    const double rnd = median_seconds([&] { pass_in_random_order(pop, order); }, 0.3);
    const double pre = median_seconds([&] { pass_in_random_order_prefetched(pop, order); }, 0.3);
    const double seq_ns = 1e9 * seq / static_cast<double>(total);
    const double rnd_ns = 1e9 * rnd / static_cast<double>(total);
    const double pre_ns = 1e9 * pre / static_cast<double>(total);
    for (const auto& f : pop.firms) checksum += f.cash + f.last_accrual;
    std::printf("%10lld %11.1f %10.2f %12.1f %10.1f %12.2f %12.2f %12.2f %8.0f %8.1f %8.1f\n", total,
                static_cast<double>(pop.bytes()) / static_cast<double>(total), events_per_fy, fy_ns,
                fy_ns / events_per_fy, seq_ns, rnd_ns, pre_ns, fy_ns / seq_ns, fy_ns / rnd_ns, fy_ns / pre_ns);
  }
  std::printf("(checksum of the touched fields: %.6g)\n", checksum);
  return 0;
}

int main(int argc, char** argv) {
  const char* usage = "SCENARIO.toml [FIRMS ...]";
  return bench::run_main("bench_floor", usage, argc, argv, [&] { return measure(argc, argv); });
}
