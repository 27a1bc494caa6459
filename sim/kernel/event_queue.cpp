#include "kernel/event_queue.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>

namespace renewsim::kernel {
namespace {
// std heaps are max-heaps; `later` makes them min-heaps on the key.
struct Later {
  bool operator()(const Event& a, const Event& b) const { return key_less(b.key, a.key); }
};
// Within one day the time is equal: order by priority, then (entity, seq) as one word.
struct EarlierSameDay {
  bool operator()(const Event& a, const Event& b) const {
    if (a.key.priority != b.key.priority) return a.key.priority < b.key.priority;
    return ((static_cast<std::uint64_t>(a.key.entity) << 32) | a.key.seq) <
           ((static_cast<std::uint64_t>(b.key.entity) << 32) | b.key.seq);
  }
};
}  // namespace

EventQueue::EventQueue(Day start, int window_log2) : day_(start) {
  if (window_log2 < 6 || window_log2 > 24)
    throw std::invalid_argument("event queue window must be 2^6 to 2^24 days");
  const std::size_t width = std::size_t{1} << window_log2;
  mask_ = width - 1;
  ring_.resize(width);
  bits_.assign(width / 64, 0);
  summary_.assign((bits_.size() + 63) / 64, 0);
}

void EventQueue::set_bit(std::size_t slot) {
  bits_[slot >> 6] |= std::uint64_t{1} << (slot & 63);
  summary_[slot >> 12] |= std::uint64_t{1} << ((slot >> 6) & 63);
}

void EventQueue::clear_bit(std::size_t slot) {
  std::uint64_t& w = bits_[slot >> 6];
  w &= ~(std::uint64_t{1} << (slot & 63));
  if (w == 0) summary_[slot >> 12] &= ~(std::uint64_t{1} << ((slot >> 6) & 63));
}

std::size_t EventQueue::find_slot_from(std::size_t slot) const {
  // Search [slot, W) then [0, slot); the caller knows some bit is set.
  const std::size_t words = bits_.size();
  std::size_t w = slot >> 6;
  std::uint64_t cur = bits_[w] & (~std::uint64_t{0} << (slot & 63));
  if (cur) return (w << 6) | static_cast<std::size_t>(std::countr_zero(cur));
  // Next non-empty word after w, via the summary.
  for (std::size_t pass = 0; pass < 2; ++pass) {
    std::size_t from = pass == 0 ? w + 1 : 0;
    const std::size_t to = pass == 0 ? words : w + 1;
    while (from < to) {
      const std::size_t s = from >> 6;
      std::uint64_t sw = summary_[s] & (~std::uint64_t{0} << (from & 63));
      if (sw) {
        const std::size_t word = (s << 6) | static_cast<std::size_t>(std::countr_zero(sw));
        if (word >= to) break;
        return (word << 6) | static_cast<std::size_t>(std::countr_zero(bits_[word]));
      }
      from = (s + 1) << 6;
    }
  }
  return slot;  // unreachable when some bit is set
}

void EventQueue::push(const Event& e) {
  const Day t = e.key.time;
  if (t < day_)
    throw std::invalid_argument("event scheduled at day " + std::to_string(t) +
                                ", before the current day " + std::to_string(day_));
  const auto ahead = static_cast<std::int64_t>(t) - day_;
  if (ahead == 0) {
    late_.push_back(e);
    std::push_heap(late_.begin(), late_.end(), Later{});
  } else if (ahead <= static_cast<std::int64_t>(mask_)) {
    const std::size_t slot = static_cast<std::size_t>(t) & mask_;
    std::vector<Event>& bucket = ring_[slot];
    if (bucket.empty()) {
      set_bit(slot);
      if (bucket.capacity() == 0 && !spare_.empty()) {
        bucket.swap(spare_.back());
        spare_.pop_back();
      }
    }
    bucket.push_back(e);
    // The bucket's next line, for its next push: with many events a day the
    // tails of a year of buckets are written sparsely and would miss.
    __builtin_prefetch(bucket.data() + bucket.size() + 1, 1);
    ++ring_events_;
  } else {
    overflow_.push_back(e);
    std::push_heap(overflow_.begin(), overflow_.end(), Later{});
  }
  ++live_;
}

void EventQueue::rebuild_heap(std::vector<Event>& heap) { std::make_heap(heap.begin(), heap.end(), Later{}); }

void EventQueue::migrate_overflow() {
  while (!overflow_.empty() &&
         static_cast<std::int64_t>(overflow_.front().key.time) - day_ <=
             static_cast<std::int64_t>(mask_)) {
    std::pop_heap(overflow_.begin(), overflow_.end(), Later{});
    const Event e = overflow_.back();
    overflow_.pop_back();
    if (e.key.time == day_) {
      late_.push_back(e);
      std::push_heap(late_.begin(), late_.end(), Later{});
    } else {
      const std::size_t slot = static_cast<std::size_t>(e.key.time) & mask_;
      if (ring_[slot].empty()) set_bit(slot);
      ring_[slot].push_back(e);
      ++ring_events_;
    }
  }
}

bool EventQueue::open_next_day(Day limit) {
  Day next;
  if (ring_events_ > 0) {
    const std::size_t here = static_cast<std::size_t>(day_) & mask_;
    const std::size_t slot = find_slot_from((here + 1) & mask_);
    next = day_ + static_cast<Day>((slot - here) & mask_);
  } else if (!overflow_.empty()) {
    next = overflow_.front().key.time;
  } else {
    return false;
  }
  if (next > limit) return false;
  day_ = next;
  today_.clear();
  if (today_.capacity() > 0) spare_.push_back(std::move(today_));
  today_ = std::vector<Event>();
  cursor_ = 0;
  const std::size_t slot = static_cast<std::size_t>(day_) & mask_;
  if (!ring_[slot].empty()) {
    today_.swap(ring_[slot]);
    clear_bit(slot);
    ring_events_ -= today_.size();
    sort_today();
  }
  migrate_overflow();
  return true;
}

void EventQueue::sort_today() {
  // LSD radix sort of 16-byte tags on the 96-bit within-day key (priority,
  // entity, seq), skipping the bytes that are equal across the day (usually
  // the priority and the high bytes of entity and seq), then one gather of the
  // 32-byte events. The order is exactly that of EarlierSameDay.
  const std::size_t n = today_.size();
  if (n < 64) {
    std::sort(today_.begin(), today_.end(), EarlierSameDay{});
    return;
  }
  tags_.resize(n);
  scratch_tags_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const EventKey& k = today_[i].key;
    tags_[i] = Tag{(static_cast<std::uint64_t>(k.priority) << 32) | k.entity,
                   (static_cast<std::uint64_t>(k.seq) << 32) | i};
  }
  // Digit d (0 = least significant) of the key: bytes 4..7 of `minor` (the
  // seq), then bytes 0..7 of `major`.
  auto digit = [](const Tag& t, int d) -> std::uint32_t {
    return d < 4 ? static_cast<std::uint32_t>(t.minor >> (32 + 8 * d)) & 0xffu
                 : static_cast<std::uint32_t>(t.major >> (8 * (d - 4))) & 0xffu;
  };
  std::uint64_t all_or_major = 0, all_and_major = ~std::uint64_t{0};
  std::uint64_t all_or_minor = 0, all_and_minor = ~std::uint64_t{0};
  for (const Tag& t : tags_) {
    all_or_major |= t.major;
    all_and_major &= t.major;
    all_or_minor |= t.minor;
    all_and_minor &= t.minor;
  }
  const std::uint64_t varies_major = all_or_major ^ all_and_major;
  const std::uint64_t varies_seq = (all_or_minor ^ all_and_minor) >> 32;
  Tag* src = tags_.data();
  Tag* dst = scratch_tags_.data();
  for (int d = 0; d < 12; ++d) {
    const std::uint64_t varies = d < 4 ? (varies_seq >> (8 * d)) : (varies_major >> (8 * (d - 4)));
    if ((varies & 0xffu) == 0) continue;  // same byte everywhere: nothing to reorder
    std::uint32_t count[257] = {};
    for (std::size_t i = 0; i < n; ++i) ++count[digit(src[i], d) + 1];
    for (int b = 0; b < 256; ++b) count[b + 1] += count[b];
    for (std::size_t i = 0; i < n; ++i) dst[count[digit(src[i], d)]++] = src[i];
    std::swap(src, dst);
  }
  gathered_.resize(n);
  for (std::size_t i = 0; i < n; ++i) gathered_[i] = today_[src[i].minor & 0xffffffffu];
  today_.swap(gathered_);
}

bool EventQueue::is_cancelled(const EventKey& k) {
  if (cancelled_.empty()) return false;
  auto it = cancelled_.find(id_of(k));
  if (it == cancelled_.end()) return false;
  cancelled_.erase(it);
  return true;
}

bool EventQueue::pop(Day limit, Event& out) {
  for (;;) {
    const bool have_today = cursor_ < today_.size();
    const bool have_late = !late_.empty();
    if (!have_today && !have_late) {
      if (live_ == 0 || !open_next_day(limit)) return false;
      continue;
    }
    if (day_ > limit) return false;
    if (have_today && (!have_late || key_less(today_[cursor_].key, late_.front().key))) {
      out = today_[cursor_++];
    } else {
      std::pop_heap(late_.begin(), late_.end(), Later{});
      out = late_.back();
      late_.pop_back();
    }
    if (max_popped_ < out.key) max_popped_ = out.key;
    if (is_cancelled(out.key)) continue;
    --live_;
    return true;
  }
}

bool EventQueue::cancel(const EventKey& key) {
  if (key.time < day_) return false;
  bool pending = max_popped_ < key;
  if (!pending) {
    // Only an event pushed for the open day after a later one ran can be pending here.
    pending = std::any_of(late_.begin(), late_.end(),
                          [&](const Event& e) { return e.key == key; });
  }
  if (!pending) return false;
  if (!cancelled_.insert(id_of(key)).second) return false;
  --live_;
  return true;
}

}  // namespace renewsim::kernel
