// Run outputs: series.csv (tidy: replication, year, metric, value),
// summary.csv (year, metric, mean, p05, p50, p95) and manifest.json.
// Files are written under temporary names and renamed when complete.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "model/runner.hpp"

namespace renewsim::io {

struct SeriesTable {
  // rows[r] holds replication r's rows, all replications in the same order.
  std::vector<std::vector<model::MetricRow>> rows;
};

SeriesTable make_series(const std::vector<model::ReplicationOutput>& reps, const model::ModelParams& params,
                        int first_year);

std::string series_csv(const SeriesTable& t);
// Quantiles are R's type 7 (linear between order statistics).
std::string summary_csv(const SeriesTable& t);

// Shortest text that reads back as the same double ("nan"/"inf" spelled out).
std::string format_number(double v);

// Prepares DIR for new outputs: creates it, or refuses (InputError) when it
// holds files and `force` is false.
void prepare_output_dir(const std::string& dir, bool force);
// Writes `content` to DIR/NAME via a temporary file and a rename.
void write_file_atomically(const std::string& dir, const std::string& name, const std::string& content);

}  // namespace renewsim::io
