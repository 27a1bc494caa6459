// See task_arena.h: a std::thread stand-in for TBB in ThreadSanitizer builds.
#pragma once
#include <map>
#include <mutex>
#include <thread>

#include <tbb/task_arena.h>

namespace tbb {
// One T per thread that asks for it, made on first use; references stay valid.
template <class T>
class enumerable_thread_specific {
 public:
  T& local() {
    std::lock_guard<std::mutex> lock(mutex_);
    return values_[std::this_thread::get_id()];
  }

 private:
  std::mutex mutex_;
  std::map<std::thread::id, T> values_;
};
}  // namespace tbb
