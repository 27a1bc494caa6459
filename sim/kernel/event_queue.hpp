// The pending-event set of the simulator.
//
// Events are ordered totally and explicitly by (time, priority, entity, seq):
// the order never depends on insertion order, so a run that schedules the same
// events (in any interleaving) executes them in the same order.
//
// Layout: simulation time is whole days, so the queue is a ring of W day-buckets
// covering the days after the current one, plus an overflow heap for events W or
// more days ahead. When a day is opened its bucket is sorted once; events that
// are scheduled for the open day while it runs go into a small heap beside it.
// A two-level bitmap finds the next non-empty bucket.
//
// Complexity (n pending, k events on one day, W the ring width):
//   push        O(1) into the ring; O(log n) into the overflow heap (>= W days ahead)
//               or into the open day's late heap (same day)
//   pop         amortised O(log k): each day's bucket is sorted once when opened;
//               opening the next day scans at most W/64 bitmap words (W/4096 summary words)
//               and moves overflow events that enter the window, O(log n) each
//   cancel      O(1) expected (lazy: the event is skipped when it reaches the front);
//               plus a scan of the open day's late heap for keys already passed
//   size/empty  O(1)
#pragma once

#include <algorithm>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

#include "kernel/calendar.hpp"

namespace renewsim::kernel {

using Priority = std::uint32_t;   // smaller runs first on the same day
using EntityId = std::uint32_t;   // dense integer id of whatever the model schedules for
using Sequence = std::uint32_t;   // per-entity counter, assigned by the Simulator
using EventKind = std::uint32_t;  // model-defined meaning

struct EventKey {
  Day time;
  Priority priority;
  EntityId entity;
  Sequence seq;
  // Lexicographic in declaration order: (time, priority, entity, seq).
  friend constexpr auto operator<=>(const EventKey&, const EventKey&) = default;
};

// The same order as operator<, as one branch-free 128-bit comparison (the
// queue's hot path sorts and merges with it).
inline bool key_less(const EventKey& a, const EventKey& b) {
  __extension__ typedef unsigned __int128 u128;  // GCC/Clang builtin
  auto packed = [](const EventKey& k) {
    const std::uint64_t hi = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(k.time) ^ 0x80000000u) << 32) |
                             k.priority;
    const std::uint64_t lo = (static_cast<std::uint64_t>(k.entity) << 32) | k.seq;
    return (static_cast<u128>(hi) << 64) | lo;
  };
  return packed(a) < packed(b);
}

struct Event {
  EventKey key;
  EventKind kind;
  std::uint32_t arg;
  std::uint64_t payload;
};
static_assert(sizeof(Event) == 32, "events are kept compact: 32 bytes");

class EventQueue {
 public:
  // `start` is the first day that may hold events; `window_log2` sets W = 2^window_log2.
  explicit EventQueue(Day start = 0, int window_log2 = 14);

  // Adds an event. Its key must be unique among all events ever pushed (not
  // checked; the Simulator guarantees it through per-entity sequence numbers).
  // Throws std::invalid_argument when the time is before the current day.
  void push(const Event& e);

  // Removes the next live event with time <= limit into `out`; false if there is
  // none (then no day after `limit` has been opened, so pushes at any time >=
  // limit stay valid).
  bool pop(Day limit, Event& out);
  bool pop(Event& out) { return pop(kNever, out); }

  // Cancels a pending event, given the key its push used (a key never pushed
  // breaks the count). Returns false when it has already been popped or cancelled.
  bool cancel(const EventKey& key);

  // The k-th event after the next one in the open day's sorted run, or null.
  // A hint for prefetching only: it ignores same-day late events and may be cancelled.
  const Event* lookahead(std::size_t k) const {
    const std::size_t i = cursor_ + k;
    return i < today_.size() ? &today_[i] : nullptr;
  }

  // Drops or changes pending events: keep(Event&) returns false to drop one;
  // it may change the kind, arg and payload, never the key (so the order of
  // what stays is unchanged). Cancelled events are left alone. Returns how
  // many were dropped. O(pending + W): for rare rewrites, e.g. a copied run
  // continuing under other rules.
  template <class Keep>
  std::size_t rewrite(Keep&& keep) {
    std::size_t dropped = 0;
    auto filter = [&](std::vector<Event>& events, std::size_t from) {
      std::size_t out = from;
      for (std::size_t i = from; i < events.size(); ++i) {
        Event e = events[i];
        const bool cancelled = !cancelled_.empty() && cancelled_.count(id_of(e.key)) > 0;
        if (cancelled || keep(e)) {
          if (e.key != events[i].key) throw std::logic_error("a rewrite may not change an event's key");
          events[out++] = e;
        } else {
          ++dropped;
        }
      }
      const std::size_t removed = events.size() - out;
      events.resize(out);
      return removed;
    };
    filter(today_, cursor_);
    for (std::size_t slot = 0; slot < ring_.size(); ++slot) {
      if (ring_[slot].empty()) continue;
      ring_events_ -= filter(ring_[slot], 0);
      if (ring_[slot].empty()) clear_bit(slot);
    }
    filter(late_, 0);
    rebuild_heap(late_);
    filter(overflow_, 0);
    rebuild_heap(overflow_);
    live_ -= dropped;
    return dropped;
  }

  // Calls visit(const Event&) for every live pending event with from <= time
  // < to, in no particular order (`from` not before the current day). For a
  // model that prepares what is due soon, e.g. in parallel. O(visited + W
  // days of the range + overflow).
  template <class Visit>
  void for_each_pending(Day from, Day to, Visit&& visit) const {
    if (from < day_)
      throw std::invalid_argument("for_each_pending from day " + std::to_string(from) + ", before the current day " +
                                  std::to_string(day_));
    auto live = [&](const Event& e) { return cancelled_.empty() || cancelled_.count(id_of(e.key)) == 0; };
    if (from == day_ && day_ < to) {
      for (std::size_t i = cursor_; i < today_.size(); ++i)
        if (live(today_[i])) visit(today_[i]);
      for (const Event& e : late_)
        if (live(e)) visit(e);
    }
    // The ring holds days day_ + 1 .. day_ + W - 1, one day per bucket.
    const std::int64_t ring_end = std::min<std::int64_t>(to, std::int64_t{day_} + static_cast<std::int64_t>(mask_) + 1);
    for (std::int64_t d = std::max<std::int64_t>(from, std::int64_t{day_} + 1); d < ring_end; ++d)
      for (const Event& e : ring_[static_cast<std::size_t>(d) & mask_])
        if (live(e)) visit(e);
    for (const Event& e : overflow_)
      if (e.key.time >= from && e.key.time < to && live(e)) visit(e);
  }

  std::size_t size() const { return live_; }
  bool empty() const { return live_ == 0; }
  // The current (last opened) day: no event may be pushed before it.
  Day current_day() const { return day_; }

  static constexpr Day kNever = INT32_MAX;

 private:
  bool open_next_day(Day limit);
  static void rebuild_heap(std::vector<Event>& heap);
  void sort_today();
  void migrate_overflow();
  bool is_cancelled(const EventKey& k);
  static std::uint64_t id_of(const EventKey& k) {
    return (static_cast<std::uint64_t>(k.entity) << 32) | k.seq;
  }
  void set_bit(std::size_t slot);
  void clear_bit(std::size_t slot);
  std::size_t find_slot_from(std::size_t slot) const;  // first non-empty slot cyclically

  std::size_t mask_;
  Day day_;
  std::vector<std::vector<Event>> ring_;
  std::vector<std::uint64_t> bits_;
  std::vector<std::uint64_t> summary_;
  std::size_t ring_events_ = 0;
  std::vector<Event> today_;  // the open day, sorted; consumed from cursor_
  std::size_t cursor_ = 0;
  // Emptied buckets keep their capacity here for the next day that fills,
  // so a steady state allocates nothing.
  std::vector<std::vector<Event>> spare_;
  std::vector<Event> late_;      // min-heap: pushed for the open day after it opened
  std::vector<Event> overflow_;  // min-heap: W or more days ahead of the open day
  std::unordered_set<std::uint64_t> cancelled_;
  struct Tag {
    std::uint64_t major;  // priority, entity
    std::uint64_t minor;  // seq, position in the unsorted bucket
  };
  std::vector<Tag> tags_;          // scratch for sort_today
  std::vector<Tag> scratch_tags_;  // scratch for sort_today
  std::vector<Event> gathered_;    // scratch for sort_today
  EventKey max_popped_{INT32_MIN, 0, 0, 0};
  std::size_t live_ = 0;
};

}  // namespace renewsim::kernel
