// Reading TOML input files (scenarios, sweeps) with errors that name the
// file, line, column and key path, all collected and reported together, and
// unknown keys reported with the closest known key.
#pragma once

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "io/errors.hpp"
#include "kernel/calendar.hpp"

namespace renewsim::io::toml_input {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

// Control characters (from keys, values, or the TOML parser's own text) written
// as escapes, so that each error stays on one line.
inline std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else out += c;
  }
  return out;
}

// Levenshtein distance, for "did you mean" hints.
inline std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0u : 1u)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// The name in `known` closest to `name` (edit distance below max(4, length / 4)),
// or "" when none is close: the hint of "did you mean".
inline std::string closest_name(const std::string& name, const std::vector<std::string>& known) {
  std::string hint;
  std::size_t best = std::max<std::size_t>(4, name.size() / 4);
  for (const auto& k : known) {
    const std::size_t d = edit_distance(name, k);
    if (d < best) {
      best = d;
      hint = k;
    }
  }
  return hint;
}

class Errors;
// Reports `name` at `where` unless it is one of `known`: "no WHAT "name" IN (did you mean ...?)",
// or `otherwise` when no known name is close. Empty names are left to `require`.
void check_known_name(Errors& errors, const toml::source_region& where, const std::string& key,
                      const std::string& name, const std::vector<std::string>& known, const std::string& what,
                      const std::string& in, const std::string& otherwise = "");

class Errors {
 public:
  explicit Errors(std::string file) : file_(std::move(file)) {}
  void add(const toml::source_region& where, const std::string& key, const std::string& what) {
    std::ostringstream s;
    // A value from an included file or an override names that source.
    s << (where.path && !where.path->empty() ? *where.path : file_) << ':' << where.begin.line << ':' << where.begin.column << ": " << printable(key) << ": "
      << printable(what);
    list_.push_back({where.begin.line, where.begin.column, s.str()});
  }
  bool empty() const { return list_.empty(); }
  std::size_t count() const { return list_.size(); }
  // In file order, one per line.
  std::string joined() const {
    std::vector<Entry> sorted = list_;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Entry& a, const Entry& b) {
      return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    std::string out;
    for (const auto& e : sorted) out += (out.empty() ? "" : "\n") + e.text;
    return out;
  }
  const std::string& file() const { return file_; }

 private:
  struct Entry {
    toml::source_index line;
    toml::source_index column;
    std::string text;
  };
  std::string file_;
  std::vector<Entry> list_;
};

inline void check_known_name(Errors& errors, const toml::source_region& where, const std::string& key,
                             const std::string& name, const std::vector<std::string>& known, const std::string& what,
                             const std::string& in, const std::string& otherwise) {
  if (name.empty() || std::find(known.begin(), known.end(), name) != known.end()) return;
  const std::string hint = closest_name(name, known);
  errors.add(where, key,
             "no " + what + " \"" + name + "\" " + in +
                 (hint.empty() ? (otherwise.empty() ? std::string() : " " + otherwise) : " (did you mean \"" + hint + "\"?)"));
}

// Reads one table, checking types and ranges, remembering which keys were read
// so that the rest can be reported as unknown.
class Reader {
 public:
  Reader(const toml::table& t, std::string path, Errors& errors) : t_(t), path_(std::move(path)), errors_(errors) {}
  ~Reader() = default;

  std::string key_path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }

  void number(std::string_view key, double& out, double lo = -kInf, double hi = kInf) {
    const toml::node* n = find(key);
    if (!n) return;
    double v;
    if (auto i = n->as_integer()) v = static_cast<double>(i->get());
    else if (auto f = n->as_floating_point()) v = f->get();
    else return type_error(*n, key, "a number");
    if (!std::isfinite(v)) return type_error(*n, key, "a finite number");
    if (!(v >= lo && v <= hi)) return range_error(*n, key, v, lo, hi);
    out = v;
  }
  void number(std::string_view key, float& out, double lo = -kInf, double hi = kInf) {
    double v = out;
    number(key, v, lo, hi);
    out = static_cast<float>(v);
  }
  template <class Int>
  void integer(std::string_view key, Int& out, std::int64_t lo, std::int64_t hi) {
    const toml::node* n = find(key);
    if (!n) return;
    auto i = n->as_integer();
    if (!i) return type_error(*n, key, "an integer");
    if (i->get() < lo || i->get() > hi) return range_error(*n, key, static_cast<double>(i->get()), static_cast<double>(lo), static_cast<double>(hi));
    out = static_cast<Int>(i->get());
  }
  void boolean(std::string_view key, bool& out) {
    const toml::node* n = find(key);
    if (!n) return;
    auto b = n->as_boolean();
    if (!b) return type_error(*n, key, "true or false");
    out = b->get();
  }
  void string(std::string_view key, std::string& out) {
    const toml::node* n = find(key);
    if (!n) return;
    auto s = n->as_string();
    if (!s) return type_error(*n, key, "a string");
    out = s->get();
  }
  // A name used in output metrics: letters, digits, '_', '-', '.'.
  void identifier(std::string_view key, std::string& out) {
    std::string v;
    string(key, v);
    const toml::node* n = t_.get(key);
    if (!n || !n->is_string()) return;  // absent, or a type error already reported
    const bool ok = !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
             c == '.';
    });
    if (!ok) {
      errors_.add(n->source(), key_path(key), "\"" + v + "\" is not a name (letters, digits, _ - . only)");
      return;
    }
    out = v;
  }
  // A table of numbers keyed by the given names, e.g. { small = 0.8, ... }.
  template <std::size_t N, class Names>
  void named_numbers(std::string_view key, std::array<double, N>& out, const Names& names, double lo, double hi,
                     bool all_required = false) {
    const toml::node* n = find(key);
    if (!n) return;
    auto tbl = n->as_table();
    if (!tbl) return type_error(*n, key, "a table of numbers");
    Reader sub(*tbl, key_path(key), errors_);
    std::array<double, N> v = all_required ? std::array<double, N>{} : out;
    for (std::size_t i = 0; i < N; ++i) {
      if (all_required && !tbl->contains(names[i])) {
        errors_.add(n->source(), sub.key_path(names[i]), "missing (every one of the names is required)");
        continue;
      }
      sub.number(names[i], v[i], lo, hi);
    }
    sub.finish();
    out = v;
  }
  template <class Names>
  int choice(std::string_view key, int current, const Names& names) {
    const toml::node* n = find(key);
    if (!n) return current;
    auto s = n->as_string();
    if (!s) {
      type_error(*n, key, "a string");
      return current;
    }
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == s->get()) return static_cast<int>(i);
    std::string all;
    for (const auto& nm : names) all += (all.empty() ? "" : ", ") + std::string(nm);
    errors_.add(n->source(), key_path(key), "unknown value \"" + s->get() + "\" (one of: " + all + ")");
    return current;
  }
  // An array of names, each one of `names`; returns their indices.
  template <class Names>
  std::vector<std::size_t> name_list(std::string_view key, const Names& names) {
    std::vector<std::size_t> out;
    const toml::node* n = find(key);
    if (!n) return out;
    const toml::array* arr = n->as_array();
    if (!arr) {
      type_error(*n, key, "an array of names");
      return out;
    }
    for (const auto& item : *arr) {
      const auto* s = item.as_string();
      if (!s) {
        errors_.add(item.source(), key_path(key), "expected a name (string)");
        continue;
      }
      bool found = false;
      for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == s->get()) {
          out.push_back(i);
          found = true;
        }
      if (!found) {
        std::string all;
        for (const auto& nm : names) all += (all.empty() ? "" : ", ") + std::string(nm);
        errors_.add(item.source(), key_path(key), "unknown name \"" + s->get() + "\" (one of: " + all + ")");
      }
    }
    return out;
  }
  // A date "YYYY-MM-DD" (a string or a TOML date).
  void date(std::string_view key, kernel::Day& out) {
    const toml::node* n = find(key);
    if (!n) return;
    if (const auto* d = n->as_date()) {
      const toml::date v = d->get();
      if (v.month >= 1 && v.month <= 12 && v.day >= 1 && v.day <= kernel::days_in_month(v.year, v.month)) {
        out = kernel::day_of(v.year, v.month, v.day);
        return;
      }
    } else if (const auto* s = n->as_string()) {
      if (kernel::parse_iso(s->get(), out)) return;
    }
    errors_.add(n->source(), key_path(key), "expected a date YYYY-MM-DD");
  }
  const toml::source_region& source() const { return t_.source(); }

  // Where a key's value is (for errors found after reading it).
  toml::source_region node_source(std::string_view key) const {
    const toml::node* n = t_.get(key);
    return n ? n->source() : t_.source();
  }
  const toml::table* table(std::string_view key) {
    const toml::node* n = find(key);
    if (!n) return nullptr;
    auto t = n->as_table();
    if (!t) type_error(*n, key, "a table");
    return t;
  }
  const toml::array* array(std::string_view key) {
    const toml::node* n = find(key);
    if (!n) return nullptr;
    auto a = n->as_array();
    if (!a) type_error(*n, key, "an array");
    return a;
  }
  bool has(std::string_view key) const { return t_.contains(key); }
  void require(std::string_view key) {
    if (!t_.contains(key)) {
      seen_.insert(std::string(key));
      errors_.add(t_.source(), key_path(key), "missing (required)");
    }
  }
  // Reports keys that were never read, with the closest known key.
  void finish() {
    for (const auto& [k, node] : t_) {
      const std::string key(k.str());
      if (seen_.count(key)) continue;
      std::string hint;
      std::size_t best = 3;
      for (const auto& known : known_) {
        const std::size_t d = edit_distance(key, known);
        if (d < best) {
          best = d;
          hint = known;
        }
      }
      errors_.add(k.source(), key_path(key),
                  "unknown key" + (hint.empty() ? std::string() : " (did you mean \"" + hint + "\"?)"));
    }
  }
  void known(std::string_view key) { known_.insert(std::string(key)); }
  const toml::table& own_table() const { return t_; }
  // A key that is present and handled (or reported) by the caller.
  void mark_read(std::string_view key) {
    known_.insert(std::string(key));
    seen_.insert(std::string(key));
  }

 private:
  const toml::node* find(std::string_view key) {
    known_.insert(std::string(key));
    seen_.insert(std::string(key));
    return t_.get(key);
  }
  void type_error(const toml::node& n, std::string_view key, const char* want) {
    errors_.add(n.source(), key_path(key), std::string("expected ") + want);
  }
  void range_error(const toml::node& n, std::string_view key, double v, double lo, double hi) {
    char buf[160];
    if (hi == kInf) std::snprintf(buf, sizeof buf, "value %g is out of range (must be >= %g)", v, lo);
    else std::snprintf(buf, sizeof buf, "value %g is out of range [%g, %g]", v, lo, hi);
    errors_.add(n.source(), key_path(key), buf);
  }

  const toml::table& t_;
  std::string path_;
  Errors& errors_;
  std::set<std::string> seen_;
  std::set<std::string> known_;
};

// Parses a TOML document; a syntax error becomes an InputError naming file:line:column.
inline toml::table parse_toml(const std::string& text, const std::string& name) {
  try {
    return toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    std::ostringstream s;
    s << name << ':' << e.source().begin.line << ':' << e.source().begin.column << ": " << printable(e.description());
    throw InputError(s.str());
  }
}

// "dir/" of "dir/file.toml" ("" for a bare name): paths in a file are relative to it.
inline std::string directory_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

}  // namespace renewsim::io::toml_input
