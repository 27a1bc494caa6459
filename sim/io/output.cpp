#include "io/output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <system_error>

#include "io/errors.hpp"

namespace renewsim::io {
namespace fs = std::filesystem;

std::string format_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

SeriesTable make_series(const std::vector<model::ReplicationOutput>& reps, const model::ModelParams& params,
                        int first_year) {
  SeriesTable t;
  t.variants = {"policy"};
  t.rows.emplace_back();
  for (const auto& r : reps) t.rows[0].push_back(model::replication_rows(r, params, first_year));
  return t;
}

SeriesTable make_series(const model::AssessedRun& run) {
  SeriesTable t;
  for (const auto& v : run.variants) t.variants.push_back(v.name);
  t.rows = run.rows;
  return t;
}

SeriesTable take_series(model::AssessedRun& run) {
  SeriesTable t;
  for (const auto& v : run.variants) t.variants.push_back(v.name);
  t.rows = std::move(run.rows);
  return t;
}

namespace {
// Every row of the table into `out`: `put(text)` whenever the text passes
// `chunk` bytes (and at the end).
template <class Put>
void series_rows(const SeriesTable& t, const std::string& prefix, std::size_t first_replication, std::size_t chunk,
                 Put&& put) {
  std::string out;
  for (std::size_t v = 0; v < t.rows.size(); ++v)
    for (std::size_t r = 0; r < t.rows[v].size(); ++r)
      for (const auto& row : t.rows[v][r]) {
        out += prefix;
        out += t.variants[v];
        out += ',';
        out += std::to_string(first_replication + r);
        out += ',';
        out += std::to_string(row.year);
        out += ',';
        out += row.metric.str();
        out += ',';
        out += format_number(row.value);
        out += '\n';
        if (out.size() >= chunk) {
          put(out);
          out.clear();
        }
      }
  if (!out.empty()) put(out);
}

constexpr const char* kSeriesHeader = "variant,replication,year,metric,value\n";
}  // namespace

std::string series_lines(const SeriesTable& t, const std::string& prefix, std::size_t first_replication) {
  std::string out;
  series_rows(t, prefix, first_replication, SIZE_MAX, [&](std::string& text) { out.swap(text); });
  return out;
}

void write_series_csv(const SeriesTable& t, TextSink& out) {
  out.put(kSeriesHeader);
  series_rows(t, "", 0, std::size_t{1} << 20, [&](const std::string& text) { out.put(text); });
}

std::string series_csv(const SeriesTable& t) { return kSeriesHeader + series_lines(t, "", 0); }

std::string summary_csv(const SeriesTable& t) {
  return "variant,year,metric,replications,mean,p05,p50,p95\n" + summary_lines(t, "");
}

std::string summary_lines(const SeriesTable& t, const std::string& prefix) {
  std::string out;
  for (std::size_t v = 0; v < t.rows.size(); ++v) {
    // Rows are in the same order in every replication; a metric missing in some
    // replication (e.g. growth over a zero base) is summarised over the others.
    // (Names are interned: one address per name.)
    std::vector<std::pair<int, const std::string*>> keys;
    std::map<std::pair<int, const std::string*>, std::vector<double>> values;
    for (const auto& rep : t.rows[v])
      for (const auto& row : rep) {
        if (std::isnan(row.value)) continue;  // summarised over the replications that have a value
        auto key = std::make_pair(row.year, &row.metric.str());
        auto it = values.find(key);
        if (it == values.end()) {
          keys.push_back(key);
          it = values.emplace(key, std::vector<double>{}).first;
        }
        it->second.push_back(row.value);
      }
    for (const auto& key : keys) {
      const model::Spread s = model::spread(std::move(values[key]));
      out += prefix + t.variants[v] + ',' + std::to_string(key.first) + ',' + *key.second + ',' + std::to_string(s.n) + ',' +
             format_number(s.mean) + ',' + format_number(s.p05) + ',' + format_number(s.p50) + ',' +
             format_number(s.p95) + '\n';
    }
  }
  return out;
}

std::string field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + '"';
}

namespace {
std::string spread_fields(const model::Spread& s) {
  return format_number(s.p50) + ',' + format_number(s.p05) + ',' + format_number(s.p95);
}
}  // namespace

std::string targets_csv(const model::Assessment& a) {
  std::string out =
      "target,status,metric,measure,comparison,value,year,base_year,from_year,each_year,replications,"
      "median,p05,p95,probability,counterfactual_median,counterfactual_probability,"
      "additionality_median,additionality_p05,additionality_p95,description,source,note\n";
  for (const auto& t : a.targets) {
    const auto& s = t.spec;
    const bool growth = s.measure == model::TargetMeasure::Growth || s.measure == model::TargetMeasure::Change;
    const bool window = s.measure == model::TargetMeasure::Sum || s.measure == model::TargetMeasure::YearlyGrowth || s.each_year;
    out += field(s.name) + ',' + (s.modelled ? "modelled" : "not_modelled") + ',' + field(s.metric) + ',';
    if (s.modelled) {
      out += std::string(model::kTargetMeasureNames[static_cast<std::size_t>(s.measure)]) + ',' +
             model::kComparisonNames[static_cast<std::size_t>(s.comparison)] + ',' + format_number(s.value) + ',';
    } else {
      out += ",,,";
    }
    out += std::to_string(s.year) + ',' + (s.modelled && growth ? std::to_string(s.base_year) : "") + ',' +
           (s.modelled && window ? std::to_string(s.from_year) : "") + ',' + (s.each_year ? "true" : "false") + ',' +
           std::to_string(t.replications) + ',';
    if (s.modelled) {
      out += format_number(t.value.p50) + ',' + format_number(t.value.p05) + ',' + format_number(t.value.p95) + ',' +
             format_number(t.probability) + ',' + format_number(t.counterfactual.p50) + ',' +
             format_number(t.counterfactual_probability) + ',' + spread_fields(t.additionality) + ',';
    } else {
      out += ",,,,,,,,,";
    }
    out += field(s.description) + ',' + field(s.source) + ',' + field(s.note) + '\n';
  }
  return out;
}

std::string levers_csv(const model::Assessment& a) {
  std::string out =
      "lever,type,outlay,induced_investment_median,induced_investment_p05,induced_investment_p95,"
      "cost_per_induced_rmb,target,effect_median,effect_p05,effect_p95,probability_change\n";
  for (const auto& l : a.levers) {
    const std::string head = field(l.lever) + ',' + l.type + ',' + format_number(l.outlay) + ',' +
                             spread_fields(l.induced_investment) + ',' + format_number(l.cost_per_induced) + ',';
    if (l.effects.empty()) out += head + ",,,,\n";
    for (const auto& e : l.effects)
      out += head + field(e.target) + ',' + spread_fields(e.effect) + ',' + format_number(e.probability_change) + '\n';
  }
  return out;
}

namespace {
std::string reason(int err) {
  std::string r = std::strerror(err);
  if (err == ENOSPC || err == EDQUOT) r += " (disk full)";
  return r;
}
[[noreturn]] void fail(const std::string& path, const char* what, int err) {
  throw std::runtime_error(path + ": " + what + ": " + reason(err));
}
fs::path partial_path(const std::string& dir, const std::string& name) { return fs::path(dir) / ("." + name + ".partial"); }
}  // namespace

bool prepare_output_dir(const std::string& dir, bool force) {
  std::error_code ec;
  bool created = false;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) throw InputError(dir + ": exists and is not a directory");
    if (!fs::is_empty(dir, ec) && !force)
      throw InputError(dir + ": output directory is not empty (use --force to overwrite its files)");
  } else {
    created = fs::create_directories(dir, ec);
    if (ec) throw std::runtime_error(dir + ": cannot create the output directory: " + reason(ec.value()));
  }
  // Fail now, not after a long run, when no file can be created here.
  const std::string probe = partial_path(dir, "renewsim-probe").string();
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int err = errno;
    if (created) fs::remove(dir, ec);
    fail(dir, "cannot write in the output directory", err);
  }
  ::close(fd);
  ::unlink(probe.c_str());
  return created;
}

namespace {
// Writes all of [p, p + n) to fd; throws on failure, naming `path`.
void write_all(int fd, const std::string& path, const char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t k = ::write(fd, p, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) fail(path, "write failed", k < 0 ? errno : EIO);
    p += k;
    n -= static_cast<std::size_t>(k);
  }
}

class FileSink : public TextSink {
 public:
  FileSink(int fd, const std::string& path) : fd_(fd), path_(path) {}
  void put(std::string_view text) override { write_all(fd_, path_, text.data(), text.size()); }

 private:
  int fd_;
  const std::string& path_;
};

// Creates PATH, lets `fill` write it, and flushes it to disk and closes it;
// std::runtime_error naming PATH on any failure.
template <class Fill>
void write_new_file(const std::string& path, Fill&& fill) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(path, "cannot create", errno);
  try {
    fill(fd);
  } catch (...) {
    ::close(fd);
    throw;
  }
  // A full disk may show only here (delayed allocation, network file systems).
  if (::fsync(fd) != 0 && errno != EINVAL) {  // EINVAL: a device that cannot sync, e.g. /dev/full
    const int err = errno;
    ::close(fd);
    fail(path, "write failed", err);
  }
  if (::close(fd) != 0) fail(path, "write failed", errno);
}
}  // namespace

void write_whole_file(const std::string& path, const std::string& content) {
  write_new_file(path, [&](int fd) { write_all(fd, path, content.data(), content.size()); });
}

void write_files_atomically(const std::string& dir, const std::vector<OutputFile>& files) {
  std::vector<fs::path> written;
  auto remove_partials = [&] {
    std::error_code ec;
    for (const auto& p : written) fs::remove(p, ec);
  };
  try {
    for (const auto& f : files) {
      written.push_back(partial_path(dir, f.name));
      const std::string path = written.back().string();
      if (!f.stream) {
        write_whole_file(path, f.content);
        continue;
      }
      write_new_file(path, [&](int fd) {
        FileSink sink(fd, path);
        f.stream(sink);
      });
    }
  } catch (const std::exception& e) {
    remove_partials();
    throw std::runtime_error(std::string(e.what()) + "; no output file was written");
  }
  // All complete: rename them into place (each rename is atomic).
  for (std::size_t i = 0; i < files.size(); ++i) {
    const fs::path final_path = fs::path(dir) / files[i].name;
    std::error_code ec;
    fs::rename(written[i], final_path, ec);
    if (ec) {
      remove_partials();
      throw std::runtime_error(final_path.string() + ": cannot rename into place: " + reason(ec.value()));
    }
  }
}

void write_file_atomically(const std::string& dir, const std::string& name, const std::string& content) {
  write_files_atomically(dir, {{name, content}});
}

std::string count_of(std::size_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

}  // namespace renewsim::io
