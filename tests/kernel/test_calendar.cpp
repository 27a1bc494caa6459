#include <catch2/catch.hpp>

#include "kernel/calendar.hpp"

using namespace renewsim::kernel;

TEST_CASE("day 0 is 2023-01-01", "[kernel][calendar]") {
  CHECK(day_of(2023, 1, 1) == 0);
  CHECK(date_of(0) == Date{2023, 1, 1});
  CHECK(to_iso(0) == "2023-01-01");
  CHECK(day_of(2022, 12, 31) == -1);
  CHECK(day_of(2024, 1, 1) == 365);
  CHECK(day_of(2025, 1, 1) == 365 + 366);  // 2024 is a leap year
  CHECK(day_of(2024, 2, 29) == 365 + 31 + 28);
}

TEST_CASE("civil dates round-trip over three centuries", "[kernel][calendar]") {
  for (Day t = day_of(1900, 1, 1); t <= day_of(2200, 12, 31); ++t) {
    const Date d = date_of(t);
    REQUIRE(day_of(d) == t);
    REQUIRE(d.day >= 1);
    REQUIRE(d.day <= days_in_month(d.year, d.month));
    REQUIRE(year_of(t) == d.year);  // its 2000-2099 shortcut included
  }
}

TEST_CASE("calendar helpers", "[kernel][calendar]") {
  const Day t = day_of(2027, 3, 15);
  CHECK(year_of(t) == 2027);
  CHECK(month_of(t) == 3);
  CHECK(day_of_month(t) == 15);
  CHECK(day_of_year(t) == 31 + 28 + 15);
  CHECK(day_of_year(day_of(2024, 12, 31)) == 366);
  CHECK(first_day_of_year(2027) == day_of(2027, 1, 1));
  CHECK(first_day_of_month(2027, 3) == day_of(2027, 3, 1));
  CHECK(first_day_of_next_month(day_of(2027, 12, 31)) == day_of(2028, 1, 1));
  CHECK(first_day_of_next_year(t) == day_of(2028, 1, 1));
  CHECK(days_in_year(2100) == 365);
  CHECK(days_in_year(2000) == 366);
}

TEST_CASE("ISO dates parse strictly", "[kernel][calendar]") {
  Day t = -99;
  CHECK(parse_iso("2027-12-31", t));
  CHECK(t == day_of(2027, 12, 31));
  CHECK(to_iso(t) == "2027-12-31");
  Day u = 7;
  CHECK_FALSE(parse_iso("2027-02-29", u));
  CHECK_FALSE(parse_iso("2027-13-01", u));
  CHECK_FALSE(parse_iso("2027-1-01", u));
  CHECK_FALSE(parse_iso("20270101", u));
  CHECK_FALSE(parse_iso("2027-0a-01", u));
  CHECK(u == 7);
}
