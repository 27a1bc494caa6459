#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "io/errors.hpp"
#include "io/scenario.hpp"
#include "kernel/calendar.hpp"

using namespace renewsim;

namespace {
std::string error_of(const std::string& text) {
  try {
    io::parse_scenario(text, "s.toml");
  } catch (const io::InputError& e) {
    return e.what();
  }
  return "";
}
const char* kSector = "[[sectors]]\nname = \"a\"\nfirms = 5\ncategory_mix = { machine_tools = 1 }\n";
}  // namespace

TEST_CASE("the shipped scenarios load", "[io][scenario]") {
  for (const char* f : {"/scenarios/default.toml", "/scenarios/examples/all_levers.toml", "/tests/data/small.toml"}) {
    const io::Scenario sc = io::load_scenario(std::string(RENEWSIM_SOURCE_DIR) + f);
    CHECK(sc.params.total_firms() > 0);
    CHECK(sc.content_hash.size() == 16);
  }
  const io::Scenario d = io::load_scenario(RENEWSIM_SOURCE_DIR "/scenarios/default.toml");
  CHECK(d.params.total_firms() == 18044);
  CHECK(d.params.baseline.cnc_rate == 0.629);
}

TEST_CASE("values are read with defaults for what is left out", "[io][scenario]") {
  const io::Scenario sc = io::parse_scenario(std::string("[scenario]\nend_year = 2027\nseed = 5\n") + kSector, "s.toml");
  CHECK(sc.params.end_year == 2027);
  CHECK(sc.seed == 5);
  CHECK(sc.params.sectors.size() == 1);
  CHECK(sc.params.sectors[0].category_mix[0] == 1.0);
  CHECK(sc.params.tax.income_tax_rate == 0.25);
}

TEST_CASE("category mixes are normalised and energy shares must sum to 1", "[io][scenario]") {
  const io::Scenario sc = io::parse_scenario(
      "[[sectors]]\nname = \"a\"\nfirms = 5\ncategory_mix = { machine_tools = 3, instruments = 1 }\n", "s.toml");
  CHECK(sc.params.sectors[0].category_mix[0] == Approx(0.75));
  const std::string e = error_of(std::string("[baseline_2023]\nenergy_class_shares = { below_baseline = 0.5, "
                                             "baseline = 0.5, energy_saving = 0.5, benchmark = 0 }\n") + kSector);
  CHECK(e.find("s.toml:2:23: baseline_2023.energy_class_shares: shares sum to 1.5") != std::string::npos);
}

TEST_CASE("every error names file, line, column and key, all at once", "[io][scenario]") {
  const std::string e = error_of(
      "[scenario]\nseed = \"x\"\nreplicatons = 3\n[tax]\nincome_tax_rate = 1.5\n"
      "[[sectors]]\nname = \"a\"\nfirms = 5\ncategory_mix = { machine_tools = 1, lathes = 1 }\n");
  INFO(e);
  CHECK(e.find("s.toml:2:8: scenario.seed: expected an integer") != std::string::npos);
  CHECK(e.find("s.toml:3:1: scenario.replicatons: unknown key (did you mean \"replications\"?)") != std::string::npos);
  CHECK(e.find("s.toml:5:19: tax.income_tax_rate: value 1.5 is out of range [0, 0.99]") != std::string::npos);
  CHECK(e.find("s.toml:9:37: sectors[0].category_mix.lathes: unknown key") != std::string::npos);
}

TEST_CASE("missing and duplicate sectors, syntax errors", "[io][scenario]") {
  CHECK(error_of("[scenario]\nseed = 1\n").find("s.toml:1:1: sectors: missing (required)") != std::string::npos);
  CHECK(error_of(std::string(kSector) + kSector).find("sector \"a\" is defined twice") != std::string::npos);
  CHECK(error_of("[[sectors]]\nname = \"a\"\n").find("sectors[0].firms: missing (required)") != std::string::npos);
  CHECK(error_of("[scenario\n").find("s.toml:1:") != std::string::npos);
  CHECK(error_of(std::string("[menu.advanced]\nenergy_class = \"best\"\n") + kSector)
            .find("menu.advanced.energy_class: unknown value \"best\"") != std::string::npos);
  CHECK_THROWS_AS(io::load_scenario("/no/such/file.toml"), io::InputError);
}

TEST_CASE("levers are declared in the scenario", "[io][scenario][levers]") {
  const io::Scenario sc = io::parse_scenario(std::string(kSector) + R"(
[policy]
max_subsidy_share = 0.3
[[levers]]
name = "fund"
type = "capital_subsidy"
start = "2024-05-15"
end = 2027-12-31
funding = { provincial = 0.5, city = 0.5 }
tiers = [0.08, 0.10, 0.12]
cap = 15e6
budget = 3e9
eligible = { sectors = ["a"], kinds = ["replace", "retrofit"], min_energy_class = "energy_saving", min_project = 2e6 }
)", "s.toml");
  const auto& c = sc.params.policy.capital_subsidies.at(0);
  CHECK(sc.params.policy.max_subsidy_share == 0.3);
  CHECK(c.name == "fund");
  CHECK(c.window.start == kernel::day_of(2024, 5, 15));
  CHECK(c.window.end == kernel::day_of(2027, 12, 31));
  CHECK(c.funding[1] == 0.5);
  CHECK(c.tier_rates.size() == 3);
  CHECK(c.cap == 15e6);
  CHECK(c.eligible.sectors.test(0));
  CHECK(c.eligible.kinds.count() == 2);
  CHECK(c.eligible.min_price == 2e6);
  const std::string e = error_of(std::string(kSector) + R"(
[[levers]]
name = "x"
type = "capital_subsidie"
start = "2024-13-01"
funding = { city = 0.6 }
eligible = { sectors = ["nope"] }
)");
  INFO(e);
  CHECK(e.find("levers[0].type: unknown value \"capital_subsidie\" (one of: capital_subsidy, tax, interest_subsidy, approval, loan_fund, credit_supply, land, group_purchase, first_of_kind, mandatory_standard, award, advisory, programme)") != std::string::npos);
  CHECK(e.find("levers[0].start: expected a date YYYY-MM-DD") != std::string::npos);
  CHECK(e.find("levers[0].eligible.sectors: unknown name \"nope\"") != std::string::npos);
  CHECK(e.find("levers[0].funding: shares of central, provincial, city and county sum to 0.6") != std::string::npos);
  CHECK(e.find("unknown key") == std::string::npos);
}

TEST_CASE("values that would break the model are refused", "[io][scenario]") {
  CHECK(error_of(std::string("[behaviour]\ndividend_yield = 0\n") + kSector).find("behaviour.dividend_yield: value 0 is out of range") !=
        std::string::npos);
  CHECK(error_of("[[sectors]]\nname = \"a\"\nfirms = 5\ncategory_mix = { machine_tools = inf }\n")
            .find("sectors[0].category_mix.machine_tools: expected a finite number") != std::string::npos);
  CHECK(error_of("[[sectors]]\nname = \"a,b\"\nfirms = 5\ncategory_mix = { machine_tools = 1 }\n")
            .find("sectors[0].name: \"a,b\" is not a name") != std::string::npos);
  CHECK(error_of("[[sectors]]\nname = \"\"\nfirms = 5\ncategory_mix = { machine_tools = 1 }\n")
            .find("sectors[0].name: \"\" is not a name") != std::string::npos);
  CHECK(error_of(std::string("[population]\nsize_shares = { small = 0, medium = 0, large = 0 }\n") + kSector)
            .find("population.size_shares: shares must not all be zero") != std::string::npos);
  CHECK(error_of(std::string("[tax]\nincome_tax_rate = 0.95\nspecial_equipment_credit = 0.1\n") + kSector)
            .find("income_tax_rate + special_equipment_credit must stay below 1") != std::string::npos);
  CHECK(error_of("[[sectors]]\nname = \"a\"\nfirms = 100000000\ncategory_mix = { machine_tools = 1 }\n"
                 "[[sectors]]\nname = \"b\"\nfirms = 100000000\ncategory_mix = { machine_tools = 1 }\n"
                 "[[sectors]]\nname = \"c\"\nfirms = 100000000\ncategory_mix = { machine_tools = 1 }\n")
            .find("300000000 firms in all; at most 268435455") != std::string::npos);
}

TEST_CASE("tax levers are declared in the scenario", "[io][scenario][levers]") {
  const io::Scenario sc = io::parse_scenario(std::string(kSector) + R"(
[[levers]]
name = "jiaxing_holiday"
type = "tax"
start = "2024-04-19"
holiday_free_years = 3
holiday_half_years = 3
eligible = { min_energy_class = "energy_saving" }
[[levers]]
name = "expensing"
type = "tax"
expensing_unit_limit = 5e6
enabled = false
)", "s.toml");
  REQUIRE(sc.params.policy.tax_levers.size() == 2);
  const auto& t = sc.params.policy.tax_levers[0];
  CHECK(t.holiday_free_years == 3);
  CHECK(t.funding[0] == 1.0);
  CHECK_FALSE(sc.params.policy.tax_levers[1].enabled);
  CHECK(sc.params.policy.enabled_names() == std::vector<std::string>{"jiaxing_holiday"});
  CHECK(error_of(std::string(kSector) + "[[levers]]\nname = \"t\"\ntype = \"tax\"\ncredit = 0.8\n")
            .find("levers[0].credit: value 0.8 is out of range [0, 0.5]") != std::string::npos);
}

TEST_CASE("every lever type is declared in the scenario, with its references checked", "[io][scenario][levers]") {
  const io::Scenario sc = io::parse_scenario(std::string(kSector) + R"(
[[levers]]
name = "relending"
type = "loan_fund"
rate = 0.0175
lending = 5e9
max_loan_share = 0.8
admission_share = 0.6
eligible = { min_revenue = 4e8, counties = [0, 2] }
[[levers]]
name = "central_interest"
type = "interest_subsidy"
points = 0.015
backed_by = "relending"
[[levers]]
name = "credit_plan"
type = "credit_supply"
access_share = 0.3
limit_lift = 0.2
rate_cut = 0.005
expected_loss = 0.01
[[levers]]
name = "zero_land"
type = "land"
waiver = 1
score_bonus = 0.1
[[levers]]
name = "fasteners"
type = "group_purchase"
discount = 0.06
participation = 0.5
[[levers]]
name = "first_unit"
type = "first_of_kind"
share = 0.05
investment_factor = 1.5
insurance_subsidy = 0.02
[[levers]]
name = "old_machine_tools"
type = "mandatory_standard"
start = "2024-06-01"
end = "2030-12-31"
deadline = "2027-12-31"
max_age = 10
eligible = { categories = ["machine_tools"] }
compliance = 0.6
[[levers]]
name = "smart_factory"
type = "award"
amount = 5e5
min_cnc_share = 0.8
require_digital_tools = true
[[levers]]
name = "quiet"
type = "capital_subsidy"
call_deadline = "09-30"
announced = false
awareness_rate = 0.2
reviews_on_open = 0.5
reaction_days = 60
[[levers]]
name = "diagnosis"
type = "advisory"
coverage = 1
cost_per_visit = 2e4
informs = ["quiet"]
[[levers]]
name = "demo"
type = "programme"
role = "chain_leader"
share = 0.1
grant = 1e6
max_projects = 20
[[levers]]
name = "rd"
type = "tax"
super_deduction = 1.0
eligible = { categories = ["instruments", "software"] }
)", "s.toml");
  const auto& pol = sc.params.policy;
  REQUIRE(pol.loan_funds.size() == 1);
  CHECK(pol.loan_funds[0].rate == 0.0175);
  CHECK(pol.loan_funds[0].eligible.min_revenue == 4e8);
  CHECK(pol.loan_funds[0].eligible.counties.size() == 10);
  CHECK(pol.loan_funds[0].eligible.counties[2]);
  CHECK_FALSE(pol.loan_funds[0].eligible.counties[1]);
  CHECK(pol.interest_subsidies[0].backed_by == "relending");
  CHECK(pol.credit_supplies[0].limit_lift == 0.2);
  CHECK(pol.land_levers[0].eligible.kinds.test(static_cast<std::size_t>(model::ProjectKind::Expand)));  // the default
  const io::Scenario land = io::parse_scenario(std::string(kSector) + "[[levers]]\nname = \"l\"\ntype = \"land\"\n"
                                               "eligible = { kinds = [\"retrofit\"] }\n", "s.toml");
  CHECK(land.params.policy.land_levers[0].eligible.kinds.count() == 1);  // given kinds replace the default
  CHECK(pol.land_levers[0].funding[3] == 1.0);  // county land revenue by default
  CHECK(pol.group_purchases[0].discount == 0.06);
  CHECK(pol.first_of_kind[0].investment_factor == 1.5);
  CHECK(pol.mandatory_standards[0].deadline == kernel::day_of(2027, 12, 31));
  CHECK(pol.mandatory_standards[0].max_age == 10);
  CHECK(pol.awards[0].require_digital_tools);
  CHECK_FALSE(pol.capital_subsidies[0].announced);
  CHECK(pol.capital_subsidies[0].call);
  CHECK(pol.capital_subsidies[0].call_month == 9);
  CHECK(pol.capital_subsidies[0].reaction_days == 60);
  CHECK(pol.advisories[0].informs == std::vector<std::string>{"quiet"});
  CHECK(pol.programmes[0].role == model::ProgrammeParams::Role::ChainLeader);
  CHECK(pol.tax_levers[0].super_deduction == 1.0);
  // Numbering: by type in a fixed order, then declaration order.
  CHECK(pol.enabled_names() == std::vector<std::string>{"quiet", "rd", "central_interest", "relending", "credit_plan",
                                                        "zero_land", "fasteners", "first_unit", "old_machine_tools",
                                                        "smart_factory", "diagnosis", "demo"});

  const std::string e = error_of(std::string(kSector) + R"(
[[levers]]
name = "central_interest"
type = "interest_subsidy"
backed_by = "nofund"
[[levers]]
name = "announced_one"
type = "capital_subsidy"
[[levers]]
name = "diagnosis"
type = "advisory"
informs = ["announced_one", "ghost"]
[[levers]]
name = "std"
type = "mandatory_standard"
deadline = "2029-01-01"
[[levers]]
name = "fund"
type = "loan_fund"
rate = 1.5
eligible = { counties = [10] }
[[levers]]
name = "call"
type = "capital_subsidy"
call_deadline = "02-30"
[[levers]]
name = "std2"
type = "mandatory_standard"
max_age = 10
eligible = { kinds = ["replace"], categories = ["machine_tools"] }
[[levers]]
name = "advisers"
type = "advisory"
eligible = { min_project = 1e6 }
[[levers]]
name = "quiet_off"
type = "capital_subsidy"
announced = false
enabled = false
[[levers]]
name = "advisers2"
type = "advisory"
informs = ["quiet_off"]
)");
  INFO(e);
  CHECK(e.find("s.toml:9:13: levers[0].backed_by: no loan_fund lever named \"nofund\"") != std::string::npos);
  CHECK(e.find("levers[2].informs: lever \"announced_one\" is announced (every firm knows it): an adviser cannot tell of it") != std::string::npos);
  CHECK(e.find("levers[2].informs: no lever named \"ghost\"") != std::string::npos);
  CHECK(e.find("levers[3].deadline: the deadline must fall between the standard's start and end") != std::string::npos);
  CHECK(e.find("levers[3].max_age: a mandatory standard needs max_age, min_energy_class or require_cnc") != std::string::npos);
  CHECK(e.find("levers[4].rate: value 1.5 is out of range [0, 1]") != std::string::npos);
  CHECK(e.find("levers[4].eligible.counties: expected county indices from 0 to 9 (population.counties)") != std::string::npos);
  CHECK(e.find("levers[5].call_deadline: expected a day of the year \"MM-DD\", got \"02-30\"") != std::string::npos);
  CHECK(e.find("levers[6].eligible.kinds: not used by mandatory_standard") != std::string::npos);
  CHECK(e.find("levers[6].eligible.categories") == std::string::npos);
  CHECK(e.find("levers[7].eligible.min_project: not used by advisory") != std::string::npos);
  CHECK(e.find("levers[9]") == std::string::npos);  // telling of a disabled unannounced lever is fine
}

TEST_CASE("the supply-chain network is declared in the scenario", "[io][scenario][network]") {
  const std::string two = "[[sectors]]\nname = \"a\"\nfirms = 5\ncategory_mix = { machine_tools = 1 }\n"
                          "[[sectors]]\nname = \"b\"\nfirms = 5\ncategory_mix = { machine_tools = 1 }\n";
  const io::Scenario sc = io::parse_scenario(two + R"(
[network]
suppliers_per_firm = 6
same_county_share = 0.7
closure = 0.3
key_chains = ["b"]
bass_p = 0.02
bass_q = 0.5
peers = "aware"
imitation = 0.2
start = "2024-06-01"
[network.input_shares]
a = { a = 0.3, b = 0.7 }
)", "s.toml");
  const auto& n = sc.params.network;
  CHECK(n.enabled);
  CHECK(n.suppliers_per_firm == 6);
  CHECK(n.key_chains == std::vector<std::uint8_t>{1});
  CHECK(n.peers_count_when_aware);
  CHECK(n.input_shares.at(0) == std::vector<double>{0.3, 0.7});
  CHECK(n.input_shares.at(1).empty());  // the default row
  CHECK(n.start == kernel::day_of(2024, 6, 1));
  const std::string e = error_of(two + R"(
[network]
topology = "edge_list"
customer_tail = 1
bass_q = -1
[network.input_shares]
a = { a = 0.3, b = 0.6 }
)");
  INFO(e);
  CHECK(e.find("network.customer_tail: value 1 is out of range") != std::string::npos);
  CHECK(e.find("network.bass_q: value -1 is out of range") != std::string::npos);
  CHECK(e.find("network.input_shares.a: shares sum to 0.9") != std::string::npos);
  CHECK(e.find("network.edges_csv: missing (required with topology = \"edge_list\")") != std::string::npos);
  // An edge list next to the scenario file.
  const std::string dir = (std::filesystem::temp_directory_path() / "renewsim_network_test").string();
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/edges.csv") << "supplier,customer\n0,1\n2,1\n# a comment\n9,3\n";
  const io::Scenario given = io::parse_scenario(two + "[network]\ntopology = \"edge_list\"\nedges_csv = \"edges.csv\"\n",
                                                dir + "/s.toml");
  CHECK(given.params.network.edge_list.size() == 3);
  std::ofstream(dir + "/bad.csv") << "0,1\n0,10\n";
  const std::string bad = error_of(two + "[network]\ntopology = \"edge_list\"\nedges_csv = \"" + dir + "/bad.csv\"\n");
  CHECK(bad.find("bad.csv:2: expected \"supplier,customer\" with firm indices below 10") != std::string::npos);
}

TEST_CASE("includes layer files, entries merge by name, cycles are errors", "[io][scenario][include]") {
  const auto dir = std::filesystem::temp_directory_path() / "renewsim_include_test";
  std::filesystem::create_directories(dir);
  const std::string d = dir.string() + "/";
  std::ofstream(d + "national.toml") << "[scenario]\nend_year = 2030\n[[sectors]]\nname = \"a\"\nfirms = 5\n"
                                        "category_mix = { machine_tools = 1 }\n[[levers]]\nname = \"central\"\n"
                                        "type = \"interest_subsidy\"\npoints = 0.015\n";
  std::ofstream(d + "region.toml") << "include = \"national.toml\"\n[scenario]\nname = \"region\"\n"
                                      "[[sectors]]\nname = \"b\"\nfirms = 7\ncategory_mix = { motors_pumps = 1 }\n"
                                      "[[levers]]\nname = \"central\"\nyears = 3\n";
  const io::Scenario sc = io::load_scenario(d + "region.toml");
  CHECK(sc.params.end_year == 2030);  // from the national layer
  CHECK(sc.params.name == "region");
  REQUIRE(sc.params.sectors.size() == 2);  // a new name is added
  REQUIRE(sc.params.policy.interest_subsidies.size() == 1);  // the same name is merged
  CHECK(sc.params.policy.interest_subsidies[0].points == 0.015);
  CHECK(sc.params.policy.interest_subsidies[0].years == 3);
  CHECK(sc.content_hash != io::load_scenario(d + "national.toml").content_hash);
  // An error in the included file names that file and line.
  std::ofstream(d + "bad_base.toml") << "[[sectors]]\nname = \"a\"\nfirms = -5\ncategory_mix = { machine_tools = 1 }\n";
  std::ofstream(d + "uses_bad.toml") << "include = [\"bad_base.toml\"]\n";
  try {
    io::load_scenario(d + "uses_bad.toml");
    FAIL("expected an error");
  } catch (const io::InputError& e) {
    CHECK(std::string(e.what()).find(d + "bad_base.toml:3:9: sectors[0].firms: value -5 is out of range") !=
          std::string::npos);
  }
  // Cycles.
  std::ofstream(d + "x.toml") << "include = \"y.toml\"\n";
  std::ofstream(d + "y.toml") << "include = [\"x.toml\"]\n";
  try {
    io::load_scenario(d + "x.toml");
    FAIL("expected an include cycle");
  } catch (const io::InputError& e) {
    const std::string m = e.what();
    CHECK(m.find(d + "y.toml:1:12: include: include cycle: " + d + "x.toml -> " + d + "y.toml -> " + d + "x.toml") !=
          std::string::npos);
  }
  std::ofstream(d + "missing.toml") << "include = \"nowhere.toml\"\n";
  CHECK_THROWS_WITH(io::load_scenario(d + "missing.toml"), Catch::Contains("cannot open \"" + d + "nowhere.toml\""));
}

TEST_CASE("overrides (--set) change any value, levers and sectors by name", "[io][scenario][set]") {
  const std::string text = std::string(kSector) + "[[levers]]\nname = \"city_subsidy\"\ntype = \"capital_subsidy\"\nrate = 0.1\n";
  const io::Scenario sc = io::parse_scenario(
      text, "s.toml",
      {"levers.city_subsidy.rate=0.12", "sectors.a.firms=9", "scenario.end_year=2029", "behaviour.logit_scale=0.2",
       "levers.city_subsidy.eligible.sizes=[\"small\"]", "scenario.description=\"with a higher rate\""});
  CHECK(sc.params.policy.capital_subsidies[0].rate == 0.12);
  CHECK(sc.params.sectors[0].firms == 9);
  CHECK(sc.params.end_year == 2029);
  CHECK(sc.params.behaviour.logit_scale == 0.2);
  CHECK(sc.params.policy.capital_subsidies[0].eligible.sizes.count() == 1);
  CHECK(sc.description == "with a higher rate");
  CHECK(sc.content_hash != io::parse_scenario(text, "s.toml").content_hash);
  auto error = [&](const std::string& set) {
    try {
      io::parse_scenario(text, "s.toml", {set});
    } catch (const io::InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error("levers.town_subsidy.rate=0.1") == "--set levers.town_subsidy.rate=0.1: no entry of levers named \"town_subsidy\"");
  CHECK(error("rate") == "--set rate: expected KEY.PATH=VALUE");
  CHECK(error("scenario.description=plain words").find("the value is not TOML") != std::string::npos);
  CHECK(error("levers.city_subsidy.rate=1.5").find("--set levers.city_subsidy.rate:1:10: levers[0].rate: value 1.5 is out of range [0, 1]") !=
        std::string::npos);
  CHECK(error("levers.city_subsidy.ratee=0.1").find("levers[0].ratee: unknown key (did you mean \"rate\"?)") !=
        std::string::npos);
  CHECK(error("foo.bar=1") == "--set foo.bar:1:1: foo: unknown key");  // a new table keeps the override's position
  CHECK(error("levers.city_subsidy=1") == "--set levers.city_subsidy=1: name an entry and a key: levers.NAME.KEY");
}
