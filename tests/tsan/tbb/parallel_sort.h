// See task_arena.h: a std::thread stand-in for TBB in ThreadSanitizer builds.
#pragma once
#include <algorithm>

#include <tbb/task_arena.h>

namespace tbb {
// One thread: renewsim sorts only by strict total orders, so the result is the same.
template <class Iterator, class Compare>
void parallel_sort(Iterator first, Iterator last, const Compare& less) {
  std::sort(first, last, less);
}
}  // namespace tbb
