// The discrete-event engine: a clock, the pending-event set and the per-entity
// sequence counters that make the event order independent of who scheduled
// first. It knows nothing of what the events mean; the model passes a handler.
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "kernel/event_queue.hpp"

namespace renewsim::kernel {

class Simulator {
 public:
  static constexpr Priority kDefaultPriority = 100;
  static constexpr EntityId kMaxEntities = EntityId{1} << 28;

  explicit Simulator(Day start = 0, int window_log2 = 14) : now_(start), queue_(start, window_log2) {}

  Day now() const { return now_; }
  std::size_t pending() const { return queue_.size(); }
  std::uint64_t processed() const { return processed_; }

  // Schedules an event at an absolute day (>= now). The event's key takes the
  // entity's next sequence number. O(1) amortised (see EventQueue).
  EventKey schedule_at(Day time, Priority priority, EntityId entity, EventKind kind,
                       std::uint64_t payload = 0, std::uint32_t arg = 0) {
    if (time < now_)
      throw std::invalid_argument("cannot schedule at day " + std::to_string(time) +
                                  ": the clock is at day " + std::to_string(now_));
    const EventKey key{time, priority, entity, next_sequence(entity)};
    queue_.push(Event{key, kind, arg, payload});
    return key;
  }

  EventKey schedule_after(Day delay, Priority priority, EntityId entity, EventKind kind,
                          std::uint64_t payload = 0, std::uint32_t arg = 0) {
    if (delay < 0) throw std::invalid_argument("negative delay " + std::to_string(delay));
    return schedule_at(now_ + delay, priority, entity, kind, payload, arg);
  }

  // A hint of what runs soon (see EventQueue::lookahead), e.g. to prefetch its data.
  const Event* lookahead(std::size_t k) const { return queue_.lookahead(k); }

  // Moves the clock on to `day` without running anything: nothing may be
  // pending before it (run_until(day - 1) has run). A model then acts as of
  // that day before its events run, e.g. to prepare them (for_each_pending).
  void advance_to(Day day) {
    if (day < now_)
      throw std::invalid_argument("cannot move the clock back from day " + std::to_string(now_) + " to " +
                                  std::to_string(day));
    now_ = day;
  }

  // Calls visit(const Event&) for each pending event with from <= time < to, in no particular order.
  template <class Visit>
  void for_each_pending(Day from, Day to, Visit&& visit) const {
    queue_.for_each_pending(from, to, std::forward<Visit>(visit));
  }

  // Drops or changes pending events (see EventQueue::rewrite): what a model
  // needs when a copy of a run continues under other rules. Returns how many
  // were dropped. Sequence counters are left as they are, so events scheduled
  // later still order after those scheduled before.
  template <class Keep>
  std::size_t rewrite_pending(Keep&& keep) {
    return queue_.rewrite(std::forward<Keep>(keep));
  }

  // Cancels a pending event; false if it already ran or was cancelled. O(1) expected.
  bool cancel(const EventKey& key) { return queue_.cancel(key); }

  // Runs every event with time <= end in key order, calling handler(const Event&),
  // which may schedule and cancel. Leaves the clock at `end`. Returns events run.
  template <class Handler>
  std::uint64_t run_until(Day end, Handler&& handler) {
    std::uint64_t n = 0;
    Event e;
    while (queue_.pop(end, e)) {
      now_ = e.key.time;
      // Handlers mostly schedule for their own entity: fetch the sequence
      // counter of an event a little ahead (a miss per event with many entities).
      if (const Event* ahead = queue_.lookahead(2); ahead && ahead->key.entity < sequences_.size())
        __builtin_prefetch(&sequences_[ahead->key.entity]);
      handler(static_cast<const Event&>(e));
      ++n;
    }
    if (end != EventQueue::kNever && end > now_) now_ = end;
    processed_ += n;
    return n;
  }

  // Runs until no event is pending; the clock stays at the last event's day.
  template <class Handler>
  std::uint64_t run(Handler&& handler) {
    return run_until(EventQueue::kNever, std::forward<Handler>(handler));
  }

 private:
  Sequence next_sequence(EntityId entity) {
    if (entity >= sequences_.size()) {
      if (entity >= kMaxEntities)
        throw std::invalid_argument("entity id " + std::to_string(entity) + " exceeds the limit");
      sequences_.resize(std::max<std::size_t>(entity + 1, sequences_.size() * 2), 0);
    }
    return sequences_[entity]++;
  }

  Day now_;
  EventQueue queue_;
  std::vector<Sequence> sequences_;
  std::uint64_t processed_ = 0;
};

}  // namespace renewsim::kernel
