#include "sweep/store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "io/errors.hpp"
#include "io/output.hpp"

namespace renewsim::sweep {
namespace fs = std::filesystem;
namespace {

constexpr const char* kRuns = "runs.csv";
constexpr const char* kSummary = "summary.csv";
constexpr const char* kResults = "results.csv";
constexpr const char* kManifest = "sweep.json";
constexpr const char* kJournal = ".journal";

std::string path_in(const std::string& dir, const char* name) { return (fs::path(dir) / name).string(); }

[[noreturn]] void fail(const std::string& path, const char* what) {
  const int err = errno;
  throw std::runtime_error(path + ": " + what + ": " + std::strerror(err) + (err == ENOSPC ? " (disk full)" : ""));
}

int open_append(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) fail(path, "cannot open");
  return fd;
}

void write_all(int fd, const std::string& data, const std::string& path) {
  const char* p = data.data();
  std::size_t left = data.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(path, "write failed");
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw io::InputError(path + ": cannot read (is this a sweep's output directory?)");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::uint64_t file_size(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) fail(path, "cannot read");
  return static_cast<std::uint64_t>(st.st_size);
}

struct JournalEntry {
  char kind = 0;  // 'R' run, 'P' point
  std::uint64_t point = 0;
  std::int64_t value = 0;  // R: replication; P: 1 when the point failed
  std::uint64_t sizes[3] = {0, 0, 0};
};

// The complete lines of the journal, and its length up to the last of them.
std::vector<JournalEntry> read_journal(const std::string& dir, std::uint64_t& complete_bytes) {
  const std::string path = path_in(dir, kJournal);
  const std::string text = read_text(path);
  std::vector<JournalEntry> out;
  std::size_t pos = 0;
  complete_bytes = 0;
  while (pos < text.size()) {
    const auto end = text.find('\n', pos);
    if (end == std::string::npos) break;  // cut short by a kill: not a commit
    std::istringstream line(text.substr(pos, end - pos));
    JournalEntry e;
    if (!(line >> e.kind >> e.point >> e.value >> e.sizes[0] >> e.sizes[1] >> e.sizes[2]) || (e.kind != 'R' && e.kind != 'P'))
      throw io::InputError(path + ": line " + std::to_string(out.size() + 1) + " is not a journal entry; the directory was changed by hand");
    out.push_back(e);
    pos = end + 1;
    complete_bytes = pos;
  }
  return out;
}

bool parse_double(std::string_view s, double& v) {
  const auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  return res.ec == std::errc() && res.ptr == s.data() + s.size();
}

// Reads back the runs of points not yet done.
void read_runs(const std::string& dir, ResumeState& state, const std::set<std::uint64_t>& wanted) {
  if (wanted.empty()) return;
  const std::string path = path_in(dir, kRuns);
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot read");
  std::string line;
  std::getline(in, line);  // header
  std::size_t n = 1;
  while (std::getline(in, line)) {
    ++n;
    // point,variant,replication,year,metric,value
    std::string_view f[6];
    std::size_t start = 0, k = 0;
    for (; k < 6; ++k) {
      const auto comma = k < 5 ? line.find(',', start) : line.size();
      if (comma == std::string::npos) break;
      f[k] = std::string_view(line).substr(start, comma - start);
      start = comma + 1;
    }
    std::uint64_t point = 0;
    std::int64_t rep = 0;
    int year = 0;
    double value = 0;
    if (k < 6 || std::from_chars(f[0].data(), f[0].data() + f[0].size(), point).ec != std::errc() ||
        std::from_chars(f[2].data(), f[2].data() + f[2].size(), rep).ec != std::errc() ||
        std::from_chars(f[3].data(), f[3].data() + f[3].size(), year).ec != std::errc() || !parse_double(f[5], value))
      throw io::InputError(path + ":" + std::to_string(n) + ": not a run row; the directory was changed by hand");
    if (!wanted.count(point)) continue;
    state.runs[point][rep][std::string(f[1])].push_back({year, std::string(f[4]), value});
  }
}

ResumeState state_from(const std::string& dir, const std::vector<JournalEntry>& entries) {
  ResumeState state;
  for (const auto& e : entries)
    if (e.kind == 'P') {
      state.points_done.insert(e.point);
      if (e.value) ++state.points_failed;
    } else {
      ++state.runs_done;
    }
  std::set<std::uint64_t> partial;
  for (const auto& e : entries)
    if (e.kind == 'R' && !state.points_done.count(e.point)) partial.insert(e.point);
  read_runs(dir, state, partial);
  return state;
}

}  // namespace

SweepStore::SweepStore(SweepStore&& o) noexcept { *this = std::move(o); }
SweepStore& SweepStore::operator=(SweepStore&& o) noexcept {
  std::swap(dir_, o.dir_);
  std::swap(runs_, o.runs_);
  std::swap(summary_, o.summary_);
  std::swap(results_, o.results_);
  std::swap(journal_, o.journal_);
  runs_size_ = o.runs_size_;
  summary_size_ = o.summary_size_;
  results_size_ = o.results_size_;
  return *this;
}
SweepStore::~SweepStore() {
  for (int fd : {runs_, summary_, results_, journal_})
    if (fd >= 0) ::close(fd);
}

void SweepStore::open_files() {
  runs_ = open_append(path_in(dir_, kRuns));
  summary_ = open_append(path_in(dir_, kSummary));
  results_ = open_append(path_in(dir_, kResults));
  journal_ = open_append(path_in(dir_, kJournal));
}

SweepStore SweepStore::create(const std::string& dir, const io::SweepSpec& spec, bool force,
                              const std::string& manifest) {
  io::prepare_output_dir(dir, force);
  // An old sweep's journal goes first: with the new files it would read as theirs.
  std::error_code ec;
  fs::remove(path_in(dir, kJournal), ec);
  SweepStore s;
  s.dir_ = dir;
  const std::string runs = runs_header(), summary = summary_header(), results = results_header(spec);
  // The journal comes last: a directory with a journal is a sweep's.
  io::write_files_atomically(dir, {{kRuns, runs}, {kSummary, summary}, {kResults, results}, {kManifest, manifest}});
  io::write_file_atomically(dir, kJournal, "");
  s.runs_size_ = runs.size();
  s.summary_size_ = summary.size();
  s.results_size_ = results.size();
  s.open_files();
  return s;
}

ResumeState SweepStore::read_state(const std::string& dir) {
  std::uint64_t bytes = 0;
  return state_from(dir, read_journal(dir, bytes));
}

SweepStore SweepStore::resume(const std::string& dir, const io::SweepSpec& spec, ResumeState& state) {
  const std::string manifest_path = path_in(dir, kManifest);
  nlohmann::json m;
  try {
    m = nlohmann::json::parse(read_text(manifest_path));
  } catch (const nlohmann::json::exception&) {
    throw io::InputError(manifest_path + ": not a sweep manifest");
  }
  const std::string hash = m.value(kSweepHashField, std::string());
  if (hash != spec.content_hash)
    throw io::InputError(dir + ": was made by a different sweep (the sweep file, its design, the scenario, --points, "
                         "--reps or the renewsim build changed: " + hash + " there, " + spec.content_hash +
                         " now); resume needs the same inputs");
  std::uint64_t journal_bytes = 0;
  const auto entries = read_journal(dir, journal_bytes);
  SweepStore s;
  s.dir_ = dir;
  if (entries.empty()) {
    s.runs_size_ = runs_header().size();
    s.summary_size_ = summary_header().size();
    s.results_size_ = results_header(spec).size();
  } else {
    s.runs_size_ = entries.back().sizes[0];
    s.summary_size_ = entries.back().sizes[1];
    s.results_size_ = entries.back().sizes[2];
  }
  // Cut every file back to the last commit: what a kill left half-written goes.
  const std::pair<const char*, std::uint64_t> cuts[] = {
      {kRuns, s.runs_size_}, {kSummary, s.summary_size_}, {kResults, s.results_size_}, {kJournal, journal_bytes}};
  for (const auto& [name, size] : cuts) {
    const std::string p = path_in(dir, name);
    if (file_size(p) < size) throw io::InputError(p + ": shorter than its journal says; the directory was changed by hand");
    if (::truncate(p.c_str(), static_cast<off_t>(size)) != 0) fail(p, "cannot truncate");
  }
  state = state_from(dir, entries);
  s.open_files();
  return s;
}

void SweepStore::append(const Commit& c) {
  if (!c.runs.empty()) write_all(runs_, c.runs, path_in(dir_, kRuns));
  if (!c.summary.empty()) write_all(summary_, c.summary, path_in(dir_, kSummary));
  if (!c.results.empty()) write_all(results_, c.results, path_in(dir_, kResults));
  runs_size_ += c.runs.size();
  summary_size_ += c.summary.size();
  results_size_ += c.results.size();
  std::string line;
  line += c.kind == Commit::Kind::Run ? 'R' : 'P';
  line += ' ' + std::to_string(c.point) + ' ' +
          std::to_string(c.kind == Commit::Kind::Run ? c.replication : (c.failed ? 1 : 0)) + ' ' +
          std::to_string(runs_size_) + ' ' + std::to_string(summary_size_) + ' ' + std::to_string(results_size_) + '\n';
  write_all(journal_, line, path_in(dir_, kJournal));
}

void SweepStore::write_manifest(const std::string& manifest) { io::write_file_atomically(dir_, kManifest, manifest); }

}  // namespace renewsim::sweep
