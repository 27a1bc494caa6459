// The shipped plan scenarios: each loads, runs a few replications at a small
// scale with its counterfactual and attribution, and every target it declares
// appears in targets.csv.
#include <catch2/catch.hpp>

#include <string>

#include "io/output.hpp"
#include "io/scenario.hpp"
#include "model/assessment.hpp"

using namespace renewsim;

namespace {
struct Plan {
  const char* file;
  const char* scale;  // population.scale for a quick run
};
constexpr Plan kPlans[] = {{"scenarios/quanzhou.toml", "0.1"}, {"scenarios/liaocheng.toml", "0.1"},
                           {"scenarios/wenzhou.toml", "0.1"},  {"scenarios/sichuan.toml", "0.05"},
                           {"scenarios/jiaxing.toml", "0.1"},  {"scenarios/national.toml", "0.002"}};
}  // namespace

TEST_CASE("each plan scenario runs and reports every declared target", "[scenarios][assessment]") {
  for (const Plan& plan : kPlans) {
    INFO(plan.file);
    const io::Scenario sc = io::load_scenario(std::string(RENEWSIM_SOURCE_DIR "/") + plan.file,
                                              {std::string("population.scale=") + plan.scale});
    CHECK(sc.params.policy.enabled_names().size() >= 4);  // at least the national layer
    REQUIRE(sc.targets.size() >= 3);
    const auto cal = model::calibrate(sc.params, 3, 2000, 2);
    model::AssessedRunOptions o;
    o.run = {3, 2, 2, 0};
    o.assessment = sc.assessment;
    const model::AssessedRun run = model::run_assessed(sc.params, cal.targets, sc.targets, o);
    const std::string csv = io::targets_csv(run.assessment);
    int modelled = 0;
    for (const auto& t : sc.targets) {
      INFO(t.name);
      CHECK(csv.find('\n' + t.name + (t.modelled ? ",modelled," : ",not_modelled,")) != std::string::npos);
      modelled += t.modelled ? 1 : 0;
    }
    CHECK(modelled >= 3);
    // Every modelled target has a value in every replication.
    for (const auto& r : run.assessment.targets)
      if (r.spec.modelled) CHECK(r.value.n == 2);
    // Every new lever is attributed.
    std::size_t new_levers = 0;
    sc.params.policy.for_each([&](const model::LeverBase& b) { new_levers += b.enabled && !b.baseline ? 1 : 0; });
    CHECK(run.assessment.levers.size() == new_levers);
  }
}
