// Run outputs: series.csv (tidy: variant, replication, year, metric, value),
// summary.csv (variant, year, metric, replications, mean, p05, p50, p95),
// targets.csv, levers.csv and manifest.json (docs/outputs.md).
// Files are written under temporary names and renamed when complete.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "model/assessment.hpp"
#include "model/runner.hpp"

namespace renewsim::io {

struct SeriesTable {
  std::vector<std::string> variants;
  // rows[v][r] holds variant v's replication r's rows.
  std::vector<std::vector<std::vector<model::MetricRow>>> rows;
};

// One variant, "policy".
SeriesTable make_series(const std::vector<model::ReplicationOutput>& reps, const model::ModelParams& params,
                        int first_year);
// Every variant of an assessed run; take_series moves the run's rows into
// the table (run.rows is left empty) instead of copying them.
SeriesTable make_series(const model::AssessedRun& run);
SeriesTable take_series(model::AssessedRun& run);

// targets.csv: one row per declared target; levers.csv: one row per new
// lever and modelled target (one row with an empty target when there are none).
std::string targets_csv(const model::Assessment& a);
std::string levers_csv(const model::Assessment& a);

// Where a file's text goes piece by piece (a file being written, a string).
class TextSink {
 public:
  virtual ~TextSink() = default;
  virtual void put(std::string_view text) = 0;
};

std::string series_csv(const SeriesTable& t);
// The same text, row by row into `out` (never held whole in memory).
void write_series_csv(const SeriesTable& t, TextSink& out);
// The same rows without the header, each line starting with `prefix` (a
// sweep's "point,"), replications numbered from first_replication.
std::string series_lines(const SeriesTable& t, const std::string& prefix, std::size_t first_replication);
// Quantiles are R's type 7 (linear between order statistics).
std::string summary_csv(const SeriesTable& t);
std::string summary_lines(const SeriesTable& t, const std::string& prefix);

// A CSV field: quoted when it holds a comma, a quote or a line break.
std::string field(const std::string& s);

// Shortest text that reads back as the same double ("nan"/"inf" spelled out).
std::string format_number(double v);
// "1 moment", "3 moments": a count and its noun (plural with an s).
std::string count_of(std::size_t n, const std::string& noun);

// Prepares DIR for new outputs: creates it, or refuses (InputError) when it
// holds files and `force` is false; checks that files can be created in it, so
// that an unwritable directory fails before the run (std::runtime_error).
// Returns true when it created DIR.
bool prepare_output_dir(const std::string& dir, bool force);

struct OutputFile {
  std::string name;
  std::string content;
  // When set, writes the file's text instead of `content`: a large file is
  // then never held whole in memory.
  std::function<void(TextSink&)> stream = {};
};
// Writes a set of files into DIR as a unit: every file goes to a temporary
// `.NAME.partial` (written, flushed to disk, closed), and only when all are
// complete are they renamed into place. On a failure (disk full, I/O error)
// the temporary files are removed and std::runtime_error names the path and
// the reason; the files already in DIR are left as they were.
void write_files_atomically(const std::string& dir, const std::vector<OutputFile>& files);
// One file.
void write_file_atomically(const std::string& dir, const std::string& name, const std::string& content);
// Writes `content` to PATH (created or truncated), flushed to disk and closed;
// std::runtime_error naming PATH on any failure.
void write_whole_file(const std::string& path, const std::string& content);

}  // namespace renewsim::io
