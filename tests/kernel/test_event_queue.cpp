#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <vector>

#include "kernel/event_queue.hpp"
#include "kernel/simulator.hpp"
#include "random/stream.hpp"

using namespace renewsim::kernel;

namespace {
Event make(Day t, Priority p, EntityId e, Sequence s) { return Event{{t, p, e, s}, 0, 0, 0}; }

std::vector<EventKey> drain(EventQueue& q, Day limit = EventQueue::kNever) {
  std::vector<EventKey> keys;
  Event e;
  while (q.pop(limit, e)) keys.push_back(e.key);
  return keys;
}
}  // namespace

TEST_CASE("events pop in (time, priority, entity, seq) order", "[kernel][queue]") {
  EventQueue q(0, 6);  // 64-day ring so overflow is exercised too
  std::vector<Event> events = {make(5, 2, 1, 0), make(5, 1, 9, 0), make(5, 1, 3, 1),
                               make(5, 1, 3, 0), make(0, 0, 0, 0), make(500, 0, 0, 1),
                               make(64, 7, 7, 7), make(63, 7, 7, 8), make(65, 0, 0, 2)};
  for (const auto& e : events) q.push(e);
  CHECK(q.size() == events.size());
  std::vector<EventKey> expected;
  for (const auto& e : events) expected.push_back(e.key);
  std::sort(expected.begin(), expected.end());
  CHECK(drain(q) == expected);
  CHECK(q.empty());
}

TEST_CASE("order does not depend on insertion order", "[kernel][queue]") {
  renewsim::rng::RandomSource src(42, 0);
  renewsim::rng::Stream s(src, 0, 1);
  std::vector<Event> events;
  for (Sequence i = 0; i < 5000; ++i)
    events.push_back(make(static_cast<Day>(s.next_u64() % 3000), static_cast<Priority>(s.next_u64() % 3),
                          static_cast<EntityId>(s.next_u64() % 50), i));
  std::vector<EventKey> first;
  for (int round = 0; round < 3; ++round) {
    EventQueue q(0, 8);
    for (const auto& e : events) q.push(e);
    const auto keys = drain(q);
    REQUIRE(std::is_sorted(keys.begin(), keys.end()));
    if (round == 0) first = keys; else REQUIRE(keys == first);
    // Next round: a different insertion order.
    std::reverse(events.begin(), events.end());
    std::rotate(events.begin(), events.begin() + 1234, events.end());
  }
}

TEST_CASE("pop respects the limit and never opens a later day", "[kernel][queue]") {
  EventQueue q;
  q.push(make(10, 0, 0, 0));
  q.push(make(20, 0, 0, 1));
  Event e;
  REQUIRE(q.pop(15, e));
  CHECK(e.key.time == 10);
  CHECK_FALSE(q.pop(15, e));
  CHECK(q.current_day() == 10);
  q.push(make(15, 0, 1, 0));  // still valid: day 15 was never passed
  REQUIRE(q.pop(15, e));
  CHECK(e.key.time == 15);
  REQUIRE(q.pop(e));
  CHECK(e.key.time == 20);
}

TEST_CASE("pushing before the current day is rejected", "[kernel][queue]") {
  EventQueue q;
  q.push(make(10, 0, 0, 0));
  Event e;
  REQUIRE(q.pop(e));
  CHECK_THROWS_AS(q.push(make(9, 0, 0, 1)), std::invalid_argument);
  CHECK_NOTHROW(q.push(make(10, 0, 0, 2)));
}

TEST_CASE("same-day events scheduled while the day runs keep the total order", "[kernel][queue]") {
  EventQueue q;
  q.push(make(3, 5, 10, 0));
  q.push(make(3, 5, 20, 0));
  Event e;
  REQUIRE(q.pop(e));
  CHECK(e.key.entity == 10);
  q.push(make(3, 1, 99, 0));  // smaller priority than what remains: runs next
  q.push(make(3, 9, 1, 0));   // larger priority: runs last
  REQUIRE(q.pop(e));
  CHECK(e.key.entity == 99);
  REQUIRE(q.pop(e));
  CHECK(e.key.entity == 20);
  REQUIRE(q.pop(e));
  CHECK(e.key.entity == 1);
  CHECK(q.empty());
}

TEST_CASE("cancel removes exactly the pending event", "[kernel][queue]") {
  EventQueue q(0, 6);
  q.push(make(1, 0, 1, 0));
  q.push(make(2, 0, 2, 0));
  q.push(make(1000, 0, 3, 0));  // in the overflow heap
  CHECK(q.cancel({2, 0, 2, 0}));
  CHECK_FALSE(q.cancel({2, 0, 2, 0}));  // twice
  CHECK(q.cancel({1000, 0, 3, 0}));
  CHECK(q.size() == 1);
  Event e;
  REQUIRE(q.pop(e));
  CHECK(e.key.entity == 1);
  CHECK_FALSE(q.cancel({1, 0, 1, 0}));  // already ran
  CHECK_FALSE(q.pop(e));
  CHECK(q.empty());
}

TEST_CASE("cancel of a late same-day event whose key sorts before the last popped one",
          "[kernel][queue]") {
  EventQueue q;
  q.push(make(4, 5, 5, 0));
  q.push(make(4, 5, 6, 0));
  Event e;
  REQUIRE(q.pop(e));
  q.push(make(4, 0, 1, 0));  // key below the popped one, still pending
  CHECK(q.cancel({4, 0, 1, 0}));
  REQUIRE(q.pop(e));
  CHECK(e.key.entity == 6);
  CHECK_FALSE(q.pop(e));
}

TEST_CASE("randomised operations agree with a reference ordered set", "[kernel][queue]") {
  renewsim::rng::RandomSource src(7, 3);
  renewsim::rng::Stream s(src, 0, 2);
  EventQueue q(0, 7);
  std::set<EventKey> ref;
  std::map<EntityId, Sequence> seq;
  Day now = 0;
  for (int step = 0; step < 200000; ++step) {
    const auto op = s.next_u64() % 10;
    if (op < 5) {
      const EntityId ent = static_cast<EntityId>(s.next_u64() % 64);
      const Day gap = (s.next_u64() % 4 == 0) ? 0 : static_cast<Day>(s.next_u64() % 400);
      const EventKey k{now + gap, static_cast<Priority>(s.next_u64() % 4), ent, seq[ent]++};
      q.push(Event{k, 0, 0, 0});
      ref.insert(k);
    } else if (op < 6 && !ref.empty()) {
      // Cancel a random pending key (found by a random probe into the set).
      EventKey probe{now + static_cast<Day>(s.next_u64() % 400), 0, 0, 0};
      auto it = ref.lower_bound(probe);
      if (it == ref.end()) it = ref.begin();
      REQUIRE(q.cancel(*it));
      ref.erase(it);
    } else {
      Event e;
      const bool got = q.pop(e);
      REQUIRE(got == !ref.empty());
      if (got) {
        REQUIRE(e.key == *ref.begin());
        ref.erase(ref.begin());
        now = e.key.time;
      }
    }
    REQUIRE(q.size() == ref.size());
  }
}

TEST_CASE("rewrite drops and changes pending events wherever they wait", "[kernel][queue]") {
  // Pushes, pops, cancels and rewrites at random: events wait in the open
  // day's run, its late heap, the ring and the overflow heap (W = 128 days).
  renewsim::rng::RandomSource src(9, 4);
  renewsim::rng::Stream s(src, 0, 2);
  EventQueue q(0, 7);
  std::map<EventKey, std::uint32_t> ref;  // pending key -> the arg it must pop with
  std::map<EntityId, Sequence> seq;
  Day now = 0;
  int rewrites = 0;
  for (int step = 0; step < 100000; ++step) {
    const auto op = s.next_u64() % 20;
    if (op < 10) {
      const EntityId ent = static_cast<EntityId>(s.next_u64() % 64);
      const Day gap = (s.next_u64() % 4 == 0) ? 0 : static_cast<Day>(s.next_u64() % 400);
      const EventKey k{now + gap, static_cast<Priority>(s.next_u64() % 4), ent, seq[ent]++};
      q.push(Event{k, 0, 0, 0});
      ref[k] = 0;
    } else if (op < 11 && !ref.empty()) {
      auto it = ref.lower_bound(EventKey{now + static_cast<Day>(s.next_u64() % 400), 0, 0, 0});
      if (it == ref.end()) it = ref.begin();
      REQUIRE(q.cancel(it->first));
      ref.erase(it);
    } else if (op < 12) {
      // Drop one entity's events; mark those of another.
      const auto drop = static_cast<EntityId>(s.next_u64() % 64);
      const auto mark = static_cast<EntityId>(s.next_u64() % 64);
      const auto tag = static_cast<std::uint32_t>(++rewrites);
      std::size_t expect = 0;
      for (auto it = ref.begin(); it != ref.end();) {
        if (it->first.entity == drop) {
          it = ref.erase(it);
          ++expect;
          continue;
        }
        if (it->first.entity == mark) it->second = tag;
        ++it;
      }
      const std::size_t dropped = q.rewrite([&](Event& e) {
        if (e.key.entity == drop) return false;
        if (e.key.entity == mark) e.arg = tag;
        return true;
      });
      REQUIRE(dropped == expect);
    } else {
      Event e;
      const bool got = q.pop(e);
      REQUIRE(got == !ref.empty());
      if (got) {
        REQUIRE(e.key == ref.begin()->first);
        REQUIRE(e.arg == ref.begin()->second);
        ref.erase(ref.begin());
        now = e.key.time;
      }
    }
    REQUIRE(q.size() == ref.size());
  }
  REQUIRE(rewrites > 1000);
  // A rewrite may not reorder: changing a key is refused.
  q.push(make(now + 1, 0, 1, 1000000));
  REQUIRE_THROWS_AS(q.rewrite([](Event& e) {
                      ++e.key.seq;
                      return true;
                    }),
                    std::logic_error);
}

TEST_CASE("for_each_pending visits exactly the live events of a range, wherever they wait", "[kernel][queue]") {
  // Pushes, pops and cancels at random (W = 128 days, so events wait in the
  // open day's run, its late heap, the ring and the overflow heap); every so
  // often the events of a random range are compared with a reference set.
  renewsim::rng::RandomSource src(11, 2);
  renewsim::rng::Stream s(src, 0, 3);
  EventQueue q(0, 7);
  std::set<EventKey> ref;
  std::map<EntityId, Sequence> seq;
  Day now = 0;
  int ranges = 0, visited = 0;
  for (int step = 0; step < 50000; ++step) {
    const auto op = s.next_u64() % 20;
    if (op < 10) {
      const EntityId ent = static_cast<EntityId>(s.next_u64() % 64);
      const Day gap = (s.next_u64() % 4 == 0) ? 0 : static_cast<Day>(s.next_u64() % 400);
      const EventKey k{now + gap, static_cast<Priority>(s.next_u64() % 4), ent, seq[ent]++};
      q.push(Event{k, 0, 0, 0});
      ref.insert(k);
    } else if (op < 11 && !ref.empty()) {
      auto it = ref.lower_bound(EventKey{now + static_cast<Day>(s.next_u64() % 400), 0, 0, 0});
      if (it == ref.end()) it = ref.begin();
      REQUIRE(q.cancel(*it));
      ref.erase(it);
    } else if (op < 13) {
      const Day from = q.current_day() + static_cast<Day>(s.next_u64() % 3 == 0 ? 0 : s.next_u64() % 20);
      const Day to = from + static_cast<Day>(s.next_u64() % 300);
      std::set<EventKey> seen;
      q.for_each_pending(from, to, [&](const Event& e) { REQUIRE(seen.insert(e.key).second); });
      std::set<EventKey> expect;
      for (const EventKey& k : ref)
        if (k.time >= from && k.time < to) expect.insert(k);
      REQUIRE(seen == expect);
      ++ranges;
      visited += static_cast<int>(seen.size());
    } else {
      Event e;
      const bool got = q.pop(e);
      REQUIRE(got == !ref.empty());
      if (got) {
        REQUIRE(e.key == *ref.begin());
        ref.erase(ref.begin());
        now = e.key.time;
      }
    }
  }
  REQUIRE(ranges > 1000);
  REQUIRE(visited > 10 * ranges);
  REQUIRE_THROWS_AS(q.for_each_pending(q.current_day() - 1, q.current_day() + 5, [](const Event&) {}),
                    std::invalid_argument);
}

TEST_CASE("advance_to moves the clock on without running anything, never back", "[kernel][simulator]") {
  Simulator sim(100);
  int ran = 0;
  auto handler = [&](const Event&) { ++ran; };
  sim.schedule_at(100, 0, 1, 1);
  sim.schedule_at(120, 0, 1, 1);
  sim.run_until(109, handler);
  sim.advance_to(110);
  CHECK(sim.now() == 110);
  CHECK(ran == 1);
  std::vector<Day> due;
  sim.for_each_pending(110, 121, [&](const Event& e) { due.push_back(e.key.time); });
  CHECK(due == std::vector<Day>{120});
  CHECK_THROWS_AS(sim.schedule_at(109, 0, 1, 1), std::invalid_argument);
  CHECK_THROWS_AS(sim.advance_to(105), std::invalid_argument);
  sim.run(handler);
  CHECK(ran == 2);
}

TEST_CASE("simulator assigns per-entity sequences and runs until a time", "[kernel][simulator]") {
  Simulator sim;
  std::vector<EventKey> seen;
  sim.schedule_at(5, 0, 7, 1);
  const EventKey k = sim.schedule_at(5, 0, 7, 1);
  CHECK(k.seq == 1);
  sim.schedule_at(30, 0, 2, 1);
  auto handler = [&](const Event& e) {
    seen.push_back(e.key);
    if (e.key.time == 5 && e.key.seq == 0) sim.schedule_after(3, 0, 7, 2);
  };
  CHECK(sim.run_until(10, handler) == 3);
  CHECK(sim.now() == 10);
  CHECK(seen.back().time == 8);
  CHECK(sim.pending() == 1);
  CHECK_THROWS_AS(sim.schedule_at(9, 0, 1, 1), std::invalid_argument);
  CHECK_THROWS_AS(sim.schedule_after(-1, 0, 1, 1), std::invalid_argument);
  sim.schedule_at(10, 0, 1, 1);  // at the clock: allowed
  CHECK(sim.run(handler) == 2);
  CHECK(sim.now() == 30);
  CHECK(sim.processed() == 5);
}

TEST_CASE("large days (radix-sorted) keep the exact key order", "[kernel][queue]") {
  renewsim::rng::RandomSource src(11, 0);
  renewsim::rng::Stream s(src, 0, 3);
  for (int variant = 0; variant < 4; ++variant) {
    EventQueue q;
    std::vector<EventKey> keys;
    for (int i = 0; i < 20000; ++i) {
      const auto r = s.next_u64();
      // Variants vary different bytes: all fields, equal priorities, huge ids, equal entities.
      const Priority p = variant == 1 ? 7 : static_cast<Priority>(r % 5) << (variant == 2 ? 24 : 0);
      const EntityId e = variant == 3 ? 42 : static_cast<EntityId>((r >> 8) % (variant == 2 ? 4000000000u : 3000));
      const Sequence seq = static_cast<Sequence>(variant == 2 ? (r >> 40) : i);
      keys.push_back({static_cast<Day>(1 + (r >> 60) % 3), p, e, seq});
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    std::vector<EventKey> shuffled = keys;
    std::reverse(shuffled.begin(), shuffled.end());
    std::rotate(shuffled.begin(), shuffled.begin() + 777, shuffled.end());
    for (const auto& k : shuffled) q.push(Event{k, 0, 0, 0});
    INFO("variant " << variant);
    CHECK(drain(q) == keys);
  }
}
