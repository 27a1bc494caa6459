#include "cli/search_run.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/python.hpp"
#include "cli/sweep_run.hpp"
#include "cli/sweep_transport.hpp"
#include "explore/cmaes.hpp"
#include "io/errors.hpp"
#include "io/output.hpp"
#include "io/scenario.hpp"
#include "version.hpp"

namespace renewsim::cli {
namespace fs = std::filesystem;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double number(const std::string& text) {
  if (text.empty()) return kNaN;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  return end && *end == '\0' ? v : kNaN;
}

std::string mean_key(std::size_t point, const std::string& metric, int year) {
  return std::to_string(point) + '/' + metric + '/' + std::to_string(year);
}
}  // namespace

Batch::Batch(const std::string& dir) : dir_(dir) {
  const io::CsvTable results = io::read_csv((fs::path(dir) / "results.csv").string());
  header_ = results.header;
  const std::size_t point = results.column("point");
  for (const auto& row : results.rows) results_[std::stoul(row[point])] = row;
  const io::CsvTable summary = io::read_csv((fs::path(dir) / "summary.csv").string());
  const std::size_t sp = summary.column("point"), variant = summary.column("variant"), year = summary.column("year"),
                    metric = summary.column("metric"), mean = summary.column("mean");
  for (const auto& row : summary.rows)
    if (row[variant] == "policy")
      means_[mean_key(std::stoul(row[sp]), row[metric], std::stoi(row[year]))] = number(row[mean]);
}

bool Batch::failed(std::size_t point) const {
  const auto it = results_.find(point);
  return it == results_.end() || it->second[1] != "ok";
}

std::string Batch::error(std::size_t point) const {
  const auto it = results_.find(point);
  return it == results_.end() ? "no result" : it->second.back();
}

double Batch::result(std::size_t point, const std::string& column) const {
  const auto it = results_.find(point);
  if (it == results_.end()) return kNaN;
  for (std::size_t c = 0; c < header_.size(); ++c)
    if (header_[c] == column) return number(it->second[c]);
  return kNaN;
}

double Batch::mean(std::size_t point, const std::string& metric, int year) const {
  const auto it = means_.find(mean_key(point, metric, year));
  return it == means_.end() ? kNaN : it->second;
}

std::vector<std::vector<double>> Batch::run_values(std::size_t point,
                                                   const std::vector<std::pair<std::string, int>>& keys) const {
  const io::CsvTable runs = io::read_csv((fs::path(dir_) / "runs.csv").string());
  const std::size_t pc = runs.column("point"), vc = runs.column("variant"), rc = runs.column("replication"),
                    yc = runs.column("year"), mc = runs.column("metric"), xc = runs.column("value");
  std::map<std::int64_t, std::vector<double>> by_rep;
  const std::string id = std::to_string(point);
  for (const auto& row : runs.rows) {
    if (row[pc] != id || row[vc] != "policy") continue;
    for (std::size_t k = 0; k < keys.size(); ++k)
      if (row[mc] == keys[k].first && row[yc] == std::to_string(keys[k].second)) {
        auto& v = by_rep[std::stoll(row[rc])];
        v.resize(keys.size(), kNaN);
        v[k] = number(row[xc]);
      }
  }
  std::vector<std::vector<double>> out;
  for (auto& [rep, v] : by_rep) out.push_back(std::move(v));
  return out;
}

SearchRunner::SearchRunner(std::string command, const SearchArgs& args, const io::SweepSpec& spec,
                           const std::vector<std::string>& outputs)
    : command_(std::move(command)), args_(args), spec_(spec) {
  out_ = args.out.empty() ? "results/" + command_ + "/" + spec.name : args.out;
  // Evaluations of two builds of the model, or of two search files, must not mix.
  hash_ = io::fnv1a_hex(spec.content_hash + "/" + command_ + "/renewsim=" + version() + "/" + git_revision());
  SweepTransport& net = sweep_transport();
  int status = kExitOk;
  std::string error;
  if (net.writer()) {
    try {
      const fs::path dir(out_), manifest = dir / "search.json";
      std::error_code ec;
      if (args.resume) {
        if (!fs::exists(manifest, ec))
          throw io::InputError(out_ + ": no " + command_ +
                               " to resume here (no search.json); run without --resume to start it");
        std::ifstream in(manifest);
        nlohmann::json m;
        try {
          m = nlohmann::json::parse(in);
        } catch (const nlohmann::json::exception&) {
          throw io::InputError(manifest.string() + ": not readable as JSON; start afresh with --force");
        }
        if (m.value("search_hash_fnv1a64", "") != hash_)
          throw io::InputError(out_ + ": made by another " + command_ +
                               " file, other settings or another renewsim build; start afresh with --force or use "
                               "another --out");
      } else {
        if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
          if (!args.force)
            throw io::InputError(out_ + ": not empty; --resume continues the " + command_ +
                                 " there, --force starts afresh");
          fs::remove_all(dir / "evaluations");
          fs::remove(manifest, ec);
          for (const auto& name : outputs) fs::remove(dir / name, ec);
        }
        fs::create_directories(dir);
        nlohmann::ordered_json m;
        m["command"] = command_;
        m["file"] = args.file;
        m["search_hash_fnv1a64"] = hash_;
        m["renewsim_version"] = version();
        m["git_revision"] = git_revision();
        io::write_file_atomically(out_, "search.json", m.dump(2) + "\n");
      }
    } catch (const io::InputError& e) {
      error = e.what();
      status = kExitUsage;
    } catch (const std::exception& e) {
      error = e.what();
      status = kExitFailure;
    }
  }
  status = net.broadcast(status);
  if (status == kExitOk) return;
  if (!net.writer())
    error = "rank " + std::to_string(net.rank()) + ": " + out_ + " could not be opened (rank 0 says why)";
  if (status == kExitUsage) throw io::InputError(error);
  throw std::runtime_error(error);
}

bool SearchRunner::writer() const { return sweep_transport().writer(); }

std::string SearchRunner::resume_command() const {
  return "renewsim " + command_ + " " + shell_quote(args_.file) + " --out " + shell_quote(out_) + " --resume";
}

void SearchRunner::write(const std::string& name, const std::string& content) const {
  if (writer()) io::write_file_atomically(out_, name, content);
}

Batch SearchRunner::evaluate(const std::string& name, const std::vector<std::vector<std::string>>& rows,
                             int replications, std::uint64_t seed) {
  io::SweepSpec b = spec_;
  b.design_kind = sweep::DesignKind::Table;
  b.table_keys.clear();
  for (const auto& p : spec_.parameters) b.table_keys.push_back(p.key);
  b.parameters.clear();
  b.table_rows = rows;
  b.replications = {replications, 0, 0, 0, {}};
  b.seed = seed;
  b.point_limit = 0;
  b.name = spec_.name + "." + name;
  std::string bytes = hash_ + "/" + name + "/reps=" + std::to_string(replications) + "/seed=" + std::to_string(seed);
  for (const auto& row : rows)
    for (const auto& v : row) bytes += ',' + v;
  b.content_hash = io::fnv1a_hex(bytes);

  SweepArgs a;
  a.file = args_.file;
  a.out = (fs::path(out_) / "evaluations" / name).string();
  a.threads = args_.threads;
  a.quiet = true;
  a.resume_command = resume_command();
  SweepTransport& net = sweep_transport();
  std::error_code ec;
  a.resume = net.broadcast(net.writer() && fs::exists(fs::path(a.out) / "sweep.json", ec) ? 1 : 0) != 0;
  bool writer = true;
  const int rc = run_sweep(a, b, writer);
  if (rc == kExitUsage) throw io::InputError(a.out + ": these evaluations cannot be continued (see above)");
  return Batch(a.out);
}

std::vector<std::string> values_at(const std::vector<sweep::Parameter>& parameters, const std::vector<double>& units) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    out.push_back(parameters[i].at(std::clamp(units[i], 0.0, 1.0)));
  }
  return out;
}

double value_per_unit(const sweep::Parameter& p, double u) {
  if (p.log) return p.min * std::pow(p.max / p.min, u) * std::log(p.max / p.min);
  return p.max - p.min;
}

std::string including_scenario(const io::SweepSpec& spec, const std::string& out, const std::string& header,
                               const std::vector<std::string>& settings, const std::vector<std::string>& comments) {
  std::string text;
  std::size_t start = 0;
  for (;;) {
    const auto nl = header.find('\n', start);
    text += "# " + header.substr(start, nl == std::string::npos ? std::string::npos : nl - start) + '\n';
    if (nl == std::string::npos || nl + 1 == header.size()) break;
    start = nl + 1;
  }
  if (!spec.settings.empty()) {
    text += "# Found with these settings of the search file, not applied here:\n";
    for (const auto& s : spec.settings) text += "#   " + s + '\n';
  }
  const std::string include = fs::relative(fs::absolute(spec.scenario_path), fs::absolute(out)).generic_string();
  return text + "include = \"" + include + "\"\n\n" + io::settings_as_toml(settings, comments);
}

SearchOutcome run_search(SearchRunner& runner, const io::SweepSpec& spec, const io::SearchSettings& settings,
                         const std::function<std::vector<std::size_t>(const Generation&)>& rank) {
  explore::CmaesOptions o;
  o.start.assign(spec.parameters.size(), 0.5);
  o.sigma = settings.sigma;
  o.lambda = static_cast<std::size_t>(settings.population);
  o.seed = spec.seed;
  explore::Cmaes es(o);
  SearchOutcome outcome;
  for (int g = 0; g < settings.generations; ++g) {
    Generation gen;
    gen.index = static_cast<std::size_t>(g);
    gen.units = es.ask();
    for (const auto& u : gen.units) gen.values.push_back(values_at(spec.parameters, u));
    char name[16];
    std::snprintf(name, sizeof name, "g%03d", g);
    const Batch batch = runner.evaluate(name, gen.values, spec.replications.fixed, spec.seed);
    gen.batch = &batch;
    es.tell_order(rank(gen));
    outcome.generations = gen.index + 1;
    if (es.coordinate_spread() < settings.tolerance) {
      outcome.converged = true;
      break;
    }
  }
  outcome.mean = es.mean();
  return outcome;
}

}  // namespace renewsim::cli
