// Hold-model benchmark of the event kernel: keep N events pending; repeatedly
// pop the next one and schedule one at a random later day. Prints events per
// second for each N. Increments are whole days, drawn uniformly from
// [1, 2*mean-1] (mean 365 by default, like yearly firm reviews).
//
//   bench_event_queue [--events-per-size M] [--mean-gap DAYS] [--pending N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "kernel/simulator.hpp"
#include "random/stream.hpp"

using namespace renewsim;

int main(int argc, char** argv) {
  long long ops = 10'000'000;
  long long mean_gap = 365;
  long long only = 0;  // one pending size instead of all three
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--events-per-size")) ops = std::atoll(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--mean-gap")) mean_gap = std::atoll(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--pending")) only = std::atoll(argv[i + 1]);
    else { std::fprintf(stderr, "unknown option %s\n", argv[i]); return 2; }
  }
  std::printf("hold model: uniform gap in [1, %lld] days, %lld hold operations per size\n",
              2 * mean_gap - 1, ops);
  std::printf("%12s %14s %14s\n", "pending", "seconds", "events/s");
  for (long long pending : {1'000LL, 100'000LL, 1'000'000LL}) {
    if (only && pending != only) continue;
    rng::RandomSource src(1, 0);
    rng::Stream gaps(src, 0, 0);
    const auto span = static_cast<std::uint64_t>(2 * mean_gap - 1);
    kernel::Simulator sim;
    for (long long i = 0; i < pending; ++i)
      sim.schedule_at(static_cast<kernel::Day>(1 + gaps.next_u64() % span), 0,
                      static_cast<kernel::EntityId>(i), 0);
    long long done = 0;
    std::uint64_t checksum = 0;
    const auto t0 = std::chrono::steady_clock::now();
    // Each handled event schedules its successor: one pop + one push per hold.
    while (done < ops) {
      sim.run_until(sim.now() + 1, [&](const kernel::Event& e) {
        checksum += e.key.entity;
        sim.schedule_after(static_cast<kernel::Day>(1 + gaps.next_u64() % span), 0, e.key.entity, 0);
        ++done;
      });
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%12lld %14.3f %14.3e   (checksum %llu)\n", pending, secs,
                static_cast<double>(done) / secs, static_cast<unsigned long long>(checksum));
  }
  return 0;
}
