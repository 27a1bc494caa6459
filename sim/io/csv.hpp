// Reading CSV files (RFC 4180 quoting): design files, sweep results.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace renewsim::io {

// One record's fields from `text` at `pos`, which moves past the record;
// fields are trimmed of blanks; `ok` is false when a quoted field is not closed.
std::vector<std::string> csv_record(const std::string& text, std::size_t& pos, bool& ok);

struct CsvTable {
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::size_t column(const std::string& name) const;  // npos when absent
};
// A whole file with a header line; InputError naming file:line when a row
// has another number of fields or a quote is not closed.
CsvTable read_csv(const std::string& path);

}  // namespace renewsim::io
