#include "io/output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
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
  std::vector<std::string> sector_names;
  for (const auto& s : params.sectors) sector_names.push_back(s.name);
  const std::vector<std::string> lever_names = params.policy.enabled_names();
  SeriesTable t;
  for (const auto& r : reps) {
    t.rows.push_back(model::metric_rows(r.years, sector_names, lever_names, first_year));
    // The shift that conditioned the replication on 2023 growth (0 when not calibrated).
    if (first_year <= 2023) t.rows.back().push_back({2023, "calibration.demand_shift_2023", r.demand_shift_2023});
  }
  return t;
}

std::string series_csv(const SeriesTable& t) {
  std::string out = "replication,year,metric,value\n";
  for (std::size_t r = 0; r < t.rows.size(); ++r)
    for (const auto& row : t.rows[r]) {
      out += std::to_string(r);
      out += ',';
      out += std::to_string(row.year);
      out += ',';
      out += row.metric;
      out += ',';
      out += format_number(row.value);
      out += '\n';
    }
  return out;
}

namespace {
double quantile(std::vector<double>& v, double q) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return std::nan("");
  const double h = (static_cast<double>(v.size()) - 1.0) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const auto hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}
}  // namespace

std::string summary_csv(const SeriesTable& t) {
  std::string out = "year,metric,replications,mean,p05,p50,p95\n";
  if (t.rows.empty()) return out;
  // Rows are in the same order in every replication; a metric missing in some
  // replication (e.g. growth over a zero base) is summarised over the others.
  std::vector<std::pair<int, std::string>> keys;
  std::map<std::pair<int, std::string>, std::vector<double>> values;
  for (const auto& rep : t.rows)
    for (const auto& row : rep) {
      if (std::isnan(row.value)) continue;  // summarised over the replications that have a value
      auto key = std::make_pair(row.year, row.metric);
      auto it = values.find(key);
      if (it == values.end()) {
        keys.push_back(key);
        it = values.emplace(key, std::vector<double>{}).first;
      }
      it->second.push_back(row.value);
    }
  for (const auto& key : keys) {
    std::vector<double>& v = values[key];
    double mean = 0;
    for (double x : v) mean += x;
    mean /= static_cast<double>(v.size());
    const std::size_t n = v.size();
    out += std::to_string(key.first) + ',' + key.second + ',' + std::to_string(n) + ',' + format_number(mean) + ',' +
           format_number(quantile(v, 0.05)) + ',' + format_number(quantile(v, 0.5)) + ',' +
           format_number(quantile(v, 0.95)) + '\n';
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

void write_whole_file(const std::string& path, const std::string& content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(path, "cannot create", errno);
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      ::close(fd);
      fail(path, "write failed", err);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  // A full disk may show only here (delayed allocation, network file systems).
  if (::fsync(fd) != 0 && errno != EINVAL) {  // EINVAL: a device that cannot sync, e.g. /dev/full
    const int err = errno;
    ::close(fd);
    fail(path, "write failed", err);
  }
  if (::close(fd) != 0) fail(path, "write failed", errno);
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
      write_whole_file(written.back().string(), f.content);
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

}  // namespace renewsim::io
