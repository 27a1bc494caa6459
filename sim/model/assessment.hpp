// What a planner asks of a run: are the plan's targets met, with what
// probability, at what public cost, and how much of the investment did the
// policy cause? The run is repeated as variants with the same random numbers
// (common random numbers: replication r draws the same streams in every
// variant): the policy, the no-new-policy counterfactual (only the levers
// marked `baseline`), and, for attribution, the policy without each new lever
// in turn. Differences between variants are taken replication by replication.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/parameters.hpp"
#include "model/runner.hpp"
#include "model/statistics.hpp"

namespace renewsim::model {

enum class TargetMeasure {
  Level,         // the metric in `year`
  Growth,        // metric[year] / metric[base_year] - 1
  Change,        // metric[year] - metric[base_year] (e.g. percentage points)
  Sum,           // metric summed over from_year..year
  YearlyGrowth,  // metric[y] / metric[y-1] - 1 in every year y of from_year..year
};
inline constexpr std::array<const char*, 5> kTargetMeasureNames = {"level", "growth", "change", "sum",
                                                                   "yearly_growth"};
enum class Comparison { AtLeast, Above, AtMost, Below };
inline constexpr std::array<const char*, 4> kComparisonNames = {">=", ">", "<=", "<"};

// A plan's target as the scenario declares it.
struct TargetSpec {
  std::string name;         // identifier, as in targets.csv
  std::string description;  // the plan's wording
  std::string source;       // the plan's section
  std::string metric;       // a series metric
  TargetMeasure measure = TargetMeasure::Level;
  Comparison comparison = Comparison::AtLeast;
  double value = 0;
  int year = 2027;
  int base_year = 2023;  // growth and change
  int from_year = 2024;  // sum, yearly growth, and level/growth/change with each_year
  bool each_year = false;  // the condition must hold in every year from from_year to year
  bool modelled = true;    // false: declared so that it is listed, with `note` saying why it is not projected
  std::string note;
};

bool compare(double value, Comparison c, double threshold);

// Money and counts grow with the population; rates, shares and growth do not.
// A scaled-down population (population.scale < 1) compares such metrics'
// levels, sums and changes with a target after dividing by the scale.
bool metric_is_extensive(const std::string& metric);

// One replication's series, by metric and year: an index into its rows
// (4 bytes a row), which must outlive the table. Of rows with the same
// metric and year, the last counts.
class MetricTable {
 public:
  explicit MetricTable(const std::vector<MetricRow>& rows);
  explicit MetricTable(std::vector<MetricRow>&&) = delete;  // it would outlive them
  std::optional<double> value(const std::string& metric, int year) const;

 private:
  const std::vector<MetricRow>* rows_;
  std::vector<std::uint32_t> order_;  // rows by (interned name's address, year), stable
};

// A target in one replication: the value its measure gives (for `each_year`
// and yearly growth, the worst year's), and whether the target is met.
struct TargetOutcome {
  bool defined = false;  // false when a value it needs is missing or a base is zero
  double value = 0;
  bool met = false;
};
TargetOutcome evaluate_target(const TargetSpec& t, const MetricTable& m, double scale = 1.0);

// Every metric name a scenario's run reports (targets name one of them).
std::vector<std::string> metric_names(const ModelParams& p);

// The variants a run simulates.
struct Variant {
  std::string name;   // "policy", "counterfactual", "without:<lever>"
  std::string lever;  // the lever removed (attribution variants)
  std::string lever_type;
  ModelParams params;
};
std::vector<Variant> make_variants(const ModelParams& p, bool counterfactual, bool attribution);

// Supported projects of one replication and how many of them are deadweight:
// the counterfactual also started a project of the same firm, category and
// kind during the logged window (each counterfactual project matched once).
// By start year.
struct Deadweight {
  std::map<int, std::int64_t> supported;
  std::map<int, std::int64_t> deadweight;
};
Deadweight count_deadweight(const std::vector<StartedProject>& policy, const std::vector<StartedProject>& counterfactual);

// Quantiles (R type 7) and mean of a sample.
struct Spread {
  double mean = 0, p05 = 0, p50 = 0, p95 = 0;
  std::int64_t n = 0;
};
Spread spread(std::vector<double> xs);

struct AssessmentOptions {
  int first_year = 2024;  // the policy window whose flows are summed
  int last_year = 2027;
  double scale = 1.0;     // population.scale
};

struct TargetResult {
  TargetSpec spec;
  Spread value;                  // policy, over replications where defined
  double probability = 0;        // share of replications meeting it
  Spread counterfactual;         // when simulated
  double counterfactual_probability = 0;
  Spread additionality;          // policy - counterfactual, replication by replication
  std::int64_t replications = 0;
  std::vector<TargetOutcome> outcomes;  // policy, per replication
};

struct LeverEffect {
  std::string target;
  Spread effect;                 // policy - without the lever, per replication
  double probability_change = 0; // P(policy meets) - P(without meets)
};
struct LeverAttribution {
  std::string lever, type;
  double outlay = 0;             // mean over replications, the lever's outlay in the window
  Spread induced_investment;     // policy - without, equipment investment summed over the window
  double cost_per_induced = 0;   // outlay / mean induced investment (NaN when nothing was induced)
  std::vector<LeverEffect> effects;  // one per modelled target
};

// Headline figures over the window, per replication then spread. Like the
// targets, money and counts of a scaled population are divided by the scale.
struct Headline {
  Spread fiscal_outlay;          // policy, all levers
  Spread new_policy_outlay;      // policy, levers outside the baseline
  Spread net_fiscal_cost;        // policy - counterfactual fiscal outlay
  Spread investment;             // policy equipment investment
  Spread induced_investment;     // additionality: policy - counterfactual
  double leverage = 0;           // mean induced investment / mean net fiscal cost (NaN if cost <= 0)
  Spread supported_projects;
  Spread deadweight_projects;
  double deadweight_share = 0;   // total deadweight / total supported (NaN if none supported)
  bool has_counterfactual = false;
};

struct Assessment {
  AssessmentOptions options;
  std::vector<TargetResult> targets;
  std::vector<LeverAttribution> levers;
  Headline headline;
};

// `rows[v][r]`: variant v's (as make_variants ordered them) replication r,
// flattened by metric_rows (plus deadweight rows in the policy's).
Assessment assess(const std::vector<TargetSpec>& targets, const std::vector<Variant>& variants,
                  const std::vector<std::vector<std::vector<MetricRow>>>& rows, const AssessmentOptions& options);

// A replication's rows as series.csv has them: metric_rows from first_year
// on, and the shift that conditioned it on 2023 growth.
std::vector<MetricRow> replication_rows(const ReplicationOutput& out, const ModelParams& p, int first_year);
// Adds a policy replication's deadweight projects by start year, first_year..last_year.
void append_deadweight_rows(std::vector<MetricRow>& rows, const Deadweight& d, int first_year, int last_year);

// A run with its variants: every variant's replications, flattened, and the
// assessment of the scenario's targets.
struct AssessedRun {
  std::vector<Variant> variants;
  std::vector<std::vector<std::vector<MetricRow>>> rows;  // [variant][replication]
  Assessment assessment;
  std::uint64_t events = 0;  // all variants
};
struct AssessedRunOptions {
  RunOptions run;
  AssessmentOptions assessment;
  bool counterfactual = true;
  bool attribution = true;
  int first_reported_year = 2023;
};
// One replication's rows for every variant (outputs[v] is variant v's):
// replication_rows of each, and the policy's deadweight rows when the
// counterfactual was simulated.
std::vector<std::vector<MetricRow>> variant_rows(const std::vector<Variant>& variants,
                                                 const std::vector<const ReplicationOutput*>& outputs,
                                                 const AssessedRunOptions& options);
// Replication `replication` of every variant, one after another on this
// thread (a sweep spreads replications and points over threads itself);
// adds the events simulated to `events`.
std::vector<std::vector<MetricRow>> simulate_variants(const std::vector<Variant>& variants,
                                                      const CalibratedInputs& inputs,
                                                      const AssessedRunOptions& options, std::uint64_t replication,
                                                      std::uint64_t& events);
AssessedRun run_assessed(const ModelParams& p, const CalibratedInputs& inputs, const std::vector<TargetSpec>& targets,
                         const AssessedRunOptions& options, const std::function<void(int, int)>& progress = {});

}  // namespace renewsim::model
