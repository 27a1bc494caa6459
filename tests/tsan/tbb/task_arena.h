// ThreadSanitizer builds only (RENEWSIM_SANITIZE=thread puts tests/tsan/ first
// on the include path). Debian's oneTBB is not instrumented, so TSan cannot
// see the synchronisation inside it and reports every task hand-off as a data
// race. This stand-in runs the part of TBB that renewsim uses (task_arena,
// this_task_arena::max_concurrency and isolate, parallel_for over an index range or a
// blocked_range, parallel_sort) on
// std::threads, which TSan understands: what it reports is then about
// renewsim's own code, replications running at once on shared inputs.
#pragma once

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace tbb {
namespace shim {
inline thread_local int arena_threads = 0;  // 0: outside any arena
inline int hardware_threads() { return std::max(1u, std::thread::hardware_concurrency()); }
}  // namespace shim

class task_arena {
 public:
  static constexpr int automatic = -1;
  explicit task_arena(int max_concurrency = automatic)
      : threads_(max_concurrency > 0 ? max_concurrency : shim::hardware_threads()) {}
  template <class F>
  auto execute(F&& f) -> decltype(f()) {
    struct Restore {
      int saved = shim::arena_threads;
      ~Restore() { shim::arena_threads = saved; }
    } restore;
    shim::arena_threads = threads_;
    return f();
  }

 private:
  int threads_;
};

namespace this_task_arena {
inline int max_concurrency() { return shim::arena_threads > 0 ? shim::arena_threads : shim::hardware_threads(); }
// Threads here never take up other tasks while they wait: nothing to isolate.
template <class F>
auto isolate(F&& f) -> decltype(f()) {
  return f();
}
}  // namespace this_task_arena

// f(first), f(first + step), ... below last, on the arena's threads (the
// calling one included); the first exception is rethrown after all stop.
template <class Index, class Function>
void parallel_for(Index first, Index last, Index step, const Function& f) {
  std::atomic<Index> next{first};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    for (Index i = next.fetch_add(step); i < last; i = next.fetch_add(step)) {
      try {
        f(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        next = last;
      }
    }
  };
  std::vector<std::thread> helpers;
  for (int t = 1; t < this_task_arena::max_concurrency(); ++t) helpers.emplace_back(work);
  work();
  for (auto& h : helpers) h.join();
  if (error) std::rethrow_exception(error);
}

// [begin, end) in pieces of at least `grainsize` (here: exactly, the last shorter).
template <class Value>
class blocked_range {
 public:
  blocked_range(Value begin, Value end, std::size_t grainsize = 1)
      : begin_(begin), end_(end), grainsize_(std::max<std::size_t>(1, grainsize)) {}
  Value begin() const { return begin_; }
  Value end() const { return end_; }
  std::size_t size() const { return static_cast<std::size_t>(end_ - begin_); }
  bool empty() const { return !(begin_ < end_); }
  std::size_t grainsize() const { return grainsize_; }

 private:
  Value begin_, end_;
  std::size_t grainsize_;
};

template <class Value, class Body>
void parallel_for(const blocked_range<Value>& range, const Body& body) {
  if (range.empty()) return;
  const std::size_t piece = range.grainsize(), pieces = (range.size() + piece - 1) / piece;
  parallel_for(std::size_t{0}, pieces, std::size_t{1}, [&](std::size_t k) {
    const Value first = static_cast<Value>(range.begin() + static_cast<Value>(k * piece));
    const Value last = k + 1 == pieces ? range.end() : static_cast<Value>(first + static_cast<Value>(piece));
    body(blocked_range<Value>(first, last, piece));
  });
}

}  // namespace tbb
