#include "kernel/calendar.hpp"

#include <cstdio>

namespace renewsim::kernel {

std::string to_iso(Day t) {
  const Date d = date_of(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

bool parse_iso(const std::string& text, Day& out) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int parts[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8};
  const int lengths[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < lengths[i]; ++j) {
      const char c = text[static_cast<std::size_t>(starts[i] + j)];
      if (c < '0' || c > '9') return false;
      parts[i] = parts[i] * 10 + (c - '0');
    }
  }
  if (parts[1] < 1 || parts[1] > 12) return false;
  if (parts[2] < 1 || parts[2] > days_in_month(parts[0], parts[1])) return false;
  out = day_of(parts[0], parts[1], parts[2]);
  return true;
}

}  // namespace renewsim::kernel
