#include "io/csv.hpp"

#include <fstream>
#include <sstream>

#include "io/errors.hpp"

namespace renewsim::io {

// One CSV record's fields (RFC 4180 quoting); `pos` moves past the record.
std::vector<std::string> csv_record(const std::string& text, std::size_t& pos, bool& ok) {
  std::vector<std::string> fields(1);
  ok = true;
  bool quoted = false;
  while (pos < text.size()) {
    const char c = text[pos++];
    if (quoted) {
      if (c == '"' && pos < text.size() && text[pos] == '"') {
        fields.back() += '"';
        ++pos;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c == '\n') {
      break;
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  if (quoted) ok = false;
  for (auto& f : fields) {  // spreadsheets pad cells with blanks
    const auto b = f.find_first_not_of(" \t");
    const auto e = f.find_last_not_of(" \t");
    f = b == std::string::npos ? std::string() : f.substr(b, e - b + 1);
  }
  return fields;
}

CsvTable read_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  CsvTable t;
  std::size_t pos = 0, line = 1;
  bool ok = true;
  t.header = csv_record(text, pos, ok);
  if (!ok) throw InputError(path + ":1: a quoted field is not closed");
  while (pos < text.size()) {
    ++line;
    auto row = csv_record(text, pos, ok);
    if (!ok) throw InputError(path + ":" + std::to_string(line) + ": a quoted field is not closed");
    if (row.size() == 1 && row[0].empty()) continue;
    if (row.size() != t.header.size())
      throw InputError(path + ":" + std::to_string(line) + ": " + std::to_string(row.size()) +
                       " fields where the header has " + std::to_string(t.header.size()));
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::size_t CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  return npos;
}

}  // namespace renewsim::io
