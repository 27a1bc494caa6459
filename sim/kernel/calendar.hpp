// Simulation time: whole days counted from 2023-01-01 (day 0), the base year of
// every plan target. Civil-date conversions use the proleptic Gregorian calendar
// (H. Hinnant's days_from_civil algorithm), so they are exact for any year.
#pragma once

#include <cstdint>
#include <string>

namespace renewsim::kernel {

using Day = std::int32_t;

inline constexpr int kEpochYear = 2023;

struct Date {
  int year;
  int month;  // 1..12
  int day;    // 1..31
  friend constexpr bool operator==(const Date&, const Date&) = default;
};

namespace detail {
// Days since 1970-01-01 of a civil date.
constexpr std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153u * static_cast<unsigned>(m > 2 ? m - 3 : m + 9) + 2u) / 5u +
                       static_cast<unsigned>(d) - 1u;
  const unsigned doe = yoe * 365u + yoe / 4u - yoe / 100u + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}
inline constexpr std::int64_t kEpochUnix = days_from_civil(kEpochYear, 1, 1);
}  // namespace detail

constexpr bool is_leap_year(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr int days_in_month(int y, int m) {
  constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29 : kDays[m - 1];
}

constexpr int days_in_year(int y) { return is_leap_year(y) ? 366 : 365; }

// Day number of a civil date (may be negative before 2023).
constexpr Day day_of(int year, int month, int day) {
  return static_cast<Day>(detail::days_from_civil(year, month, day) - detail::kEpochUnix);
}
constexpr Day day_of(const Date& d) { return day_of(d.year, d.month, d.day); }

constexpr Date date_of(Day t) {
  std::int64_t z = static_cast<std::int64_t>(t) + detail::kEpochUnix + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400) + (m <= 2 ? 1 : 0);
  return Date{y, static_cast<int>(m), static_cast<int>(d)};
}

// The year alone, asked at almost every event (yearly figures, budgets):
// within 2000-2099 every fourth year is a leap year, so a day's place in its
// 4-year cycle gives the year; other days take the general conversion.
constexpr int year_of(Day t) {
  constexpr Day k2000 = day_of(2000, 1, 1), k2100 = day_of(2100, 1, 1);
  if (t < k2000 || t >= k2100) return date_of(t).year;
  const auto d = static_cast<unsigned>(t - k2000);
  const unsigned cycle = d / 1461u, r = d % 1461u;  // 2000 + 4 * cycle is a leap year
  return 2000 + static_cast<int>(4u * cycle + (r < 366u ? 0u : 1u + (r - 366u) / 365u));
}
constexpr int month_of(Day t) { return date_of(t).month; }
constexpr int day_of_month(Day t) { return date_of(t).day; }
// 1-based: 1 January is day 1 of its year.
constexpr int day_of_year(Day t) { return t - day_of(year_of(t), 1, 1) + 1; }
constexpr Day first_day_of_year(int year) { return day_of(year, 1, 1); }
constexpr Day first_day_of_month(int year, int month) { return day_of(year, month, 1); }
constexpr Day first_day_of_next_year(Day t) { return first_day_of_year(year_of(t) + 1); }
constexpr Day first_day_of_next_month(Day t) {
  const Date d = date_of(t);
  return d.month == 12 ? day_of(d.year + 1, 1, 1) : day_of(d.year, d.month + 1, 1);
}

// ISO 8601 "YYYY-MM-DD".
std::string to_iso(Day t);
// Parses "YYYY-MM-DD"; returns false (leaving `out` alone) when malformed or not a real date.
bool parse_iso(const std::string& text, Day& out);

}  // namespace renewsim::kernel
