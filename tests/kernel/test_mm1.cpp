// An M/M/1 queue written on the kernel: a check of event order and time
// handling against queueing theory. Time is in integer ticks (the kernel's
// unit); with means of hundreds of ticks the rounding changes the moments by
// well under 0.1 %.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <deque>
#include <string>

#include "kernel/simulator.hpp"
#include "random/distributions.hpp"

using namespace renewsim;

namespace {
enum Kind : kernel::EventKind { kArrival = 1, kDeparture = 2 };
constexpr kernel::EntityId kSource = 0, kServer = 1;

struct Mm1Result {
  double mean_time_in_system;  // W
  double mean_number_in_system;  // L (time average)
  double arrival_rate;  // lambda measured
  long customers;
  std::string report;  // formatted, for byte comparison
};

Mm1Result simulate_mm1(double mean_interarrival, double mean_service, long customers,
                       std::uint64_t seed) {
  rng::RandomSource src(seed, 0);
  rng::Stream arrivals(src, kSource, 1), services(src, kServer, 2);
  auto ticks = [](double x) { return std::max<kernel::Day>(1, static_cast<kernel::Day>(std::lround(x))); };

  kernel::Simulator sim;
  std::deque<kernel::Day> waiting;  // arrival times, FIFO; front is in service
  long arrived = 0, departed = 0;
  double sum_sojourn = 0, area = 0;
  kernel::Day last_change = 0;

  auto account = [&](kernel::Day t) {
    area += static_cast<double>(waiting.size()) * (t - last_change);
    last_change = t;
  };
  sim.schedule_at(ticks(rng::exponential(arrivals, 1.0 / mean_interarrival)), 1, kSource, kArrival);
  sim.run([&](const kernel::Event& e) {
    account(e.key.time);
    if (e.kind == kArrival) {
      waiting.push_back(e.key.time);
      if (waiting.size() == 1)
        sim.schedule_after(ticks(rng::exponential(services, 1.0 / mean_service)), 0, kServer, kDeparture);
      if (++arrived < customers)
        sim.schedule_after(ticks(rng::exponential(arrivals, 1.0 / mean_interarrival)), 1, kSource, kArrival);
    } else {
      sum_sojourn += e.key.time - waiting.front();
      waiting.pop_front();
      ++departed;
      if (!waiting.empty())
        sim.schedule_after(ticks(rng::exponential(services, 1.0 / mean_service)), 0, kServer, kDeparture);
    }
  });
  Mm1Result r;
  r.customers = departed;
  r.mean_time_in_system = sum_sojourn / static_cast<double>(departed);
  r.mean_number_in_system = area / sim.now();
  r.arrival_rate = static_cast<double>(arrived) / sim.now();
  char buf[256];
  std::snprintf(buf, sizeof buf, "customers=%ld W=%.17g L=%.17g lambda=%.17g end=%d events=%llu\n",
                r.customers, r.mean_time_in_system, r.mean_number_in_system, r.arrival_rate,
                sim.now(), static_cast<unsigned long long>(sim.processed()));
  r.report = buf;
  return r;
}
}  // namespace

TEST_CASE("M/M/1 matches 1/(mu - lambda) and Little's law", "[kernel][theory]") {
  const double ia = 1000.0, sv = 700.0;  // rho = 0.7
  const auto r = simulate_mm1(ia, sv, 1'000'000, 2023);
  const double expected_w = 1.0 / (1.0 / sv - 1.0 / ia);
  INFO(r.report);
  CHECK(r.customers == 1'000'000);
  CHECK(r.mean_time_in_system == Approx(expected_w).epsilon(0.02));
  // Little's law on the sample path: L = lambda * W.
  CHECK(r.mean_number_in_system == Approx(r.arrival_rate * r.mean_time_in_system).epsilon(0.02));
  CHECK(r.mean_number_in_system == Approx(0.7 / 0.3).epsilon(0.02));
}

TEST_CASE("M/M/1 output is byte-identical when run twice", "[kernel][theory][determinism]") {
  const auto a = simulate_mm1(1000.0, 700.0, 200'000, 99);
  const auto b = simulate_mm1(1000.0, 700.0, 200'000, 99);
  CHECK(a.report == b.report);
  const auto c = simulate_mm1(1000.0, 700.0, 200'000, 100);
  CHECK(a.report != c.report);
}
