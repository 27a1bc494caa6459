#include "io/output.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
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

void prepare_output_dir(const std::string& dir, bool force) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) throw InputError(dir + ": exists and is not a directory");
    if (!fs::is_empty(dir, ec) && !force)
      throw InputError(dir + ": output directory is not empty (use --force to overwrite its files)");
  } else {
    fs::create_directories(dir, ec);
    if (ec) throw std::runtime_error(dir + ": cannot create the output directory: " + ec.message());
  }
}

void write_file_atomically(const std::string& dir, const std::string& name, const std::string& content) {
  const fs::path final_path = fs::path(dir) / name;
  const fs::path tmp = fs::path(dir) / ("." + name + ".partial");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(tmp.string() + ": cannot write");
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw std::runtime_error(tmp.string() + ": write failed (disk full?)");
    }
  }
  std::error_code ec;
  fs::rename(tmp, final_path, ec);
  if (ec) throw std::runtime_error(final_path.string() + ": cannot rename into place: " + ec.message());
}

}  // namespace renewsim::io
