// See task_arena.h: a std::thread stand-in for TBB in ThreadSanitizer builds.
#pragma once
#include <tbb/task_arena.h>
