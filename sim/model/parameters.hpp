// Parameters of one region's model run. Plain values with units; the io layer
// fills them from scenario files, the model reads them. Amounts are in RMB,
// rates are fractions per year unless a name says otherwise.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "model/levers/policy.hpp"
#include "model/network/supply_network.hpp"
#include "model/types.hpp"

namespace renewsim::model {

// What a category of equipment costs and does; the technology menu for it.
struct CategoryParams {
  // Equipment price per RMB of yearly output capacity, 2023, standard option.
  double price_per_capacity = 0.3;
  double price_decline = 0.02;  // real price fall of new equipment per year
  double output_per_unit = 1.5e6;  // yearly output capacity of one unit (machine, line), RMB
  double economic_life = 12;  // years, for the annuity of the investment
  // GCAM survival: share surviving to age a = 1 / (1 + exp(steepness * (a - half_life))).
  double survival_half_life = 16;
  double survival_steepness = 0.35;
  // Operating costs per RMB of output for a 2023 standard vintage.
  double labour_cost = 0.10;  // without numerical control
  double energy_cost = 0.03;  // at the baseline energy class
  double maintenance_cost = 0.012;  // when new
  double maintenance_age_slope = 0.10;  // maintenance grows by this share of its new level per year of age
  double unit_cost_improvement = 0.01;  // yearly fall of a new vintage's labour and energy needs
  double cnc_labour_saving = 0.25;  // labour saved by numerical control
  double productivity_gain = 0.0;  // extra margin on the vintage's output from a new vintage (software, robots)
  bool cnc_applicable = true;  // counts towards the key-process CNC rate
  bool energy_applicable = true;  // counts in the energy-class shares
  double new_cnc_share = 0.6;  // share of standard new units that are CNC in 2023
  double new_cnc_share_growth = 0.02;  // per year, capped at 1
  // Micro-retrofit (add NC, meters, drives): cost as share of a new vintage's price.
  double retrofit_cost_share = 0.25;
  double retrofit_labour_saving = 0.10;
  double repair_cost_share = 0.3;  // repair after a breakdown, share of a new vintage's price when new
  double repair_age_slope = 0.3;     // the repair share grows by this fraction of itself per year of age
  // Pipeline lead times, days.
  int approval_days = 60;
  int delivery_days = 120;
  int acceptance_days = 60;  // commissioning to final payment
  double down_payment_share = 0.3;
};

// A menu option relative to the standard one.
struct MenuOptionParams {
  double price_factor = 1.0;
  EnergyClass energy_class = EnergyClass::Baseline;
  bool always_cnc = false;
  double extra_labour_saving = 0.0;
};

struct SectorParams {
  std::string name;
  std::int64_t firms = 0;
  std::array<double, kCategories> category_mix{};  // share of capacity by category (software excluded)
  double demand_growth = 0.05;  // real output growth per year
  double profit_margin = 0.07;  // operating margin on revenue
  double price_factor = 1.0;  // sector multiplier on equipment prices
  double energy_intensity = 1.0;  // multiplier on energy costs
  double software_benefit = 0.005;  // median margin gain from digital R&D tools, share of revenue
  double contribution_margin = 0.25;  // margin on output carried by added capacity (expansion)
  double expansion_land_cost = 0.0;  // land price an expansion pays, share of its equipment price
};

struct PopulationParams {
  // Sector firm counts as declared are multiplied by this (quick runs of a
  // large region); money and counts in targets are compared after dividing by it.
  double scale = 1.0;
  std::array<double, kSizeClasses> size_shares = {0.86, 0.12, 0.02};
  // Revenue bands (RMB) and the lognormal median within each class.
  std::array<double, kSizeClasses> revenue_min = {2e7, 2e7, 4e8};
  std::array<double, kSizeClasses> revenue_max = {4e8, 4e8, 1e11};
  std::array<double, kSizeClasses> revenue_median = {5e7, 1.5e8, 1.2e9};
  double revenue_sigma = 0.6;
  double utilisation = 0.753;  // output / capacity (NBS 2023 manufacturing capacity utilisation)
  int counties = 10;
  double cash_to_revenue = 0.12;  // median, lognormal sigma 0.5
  double debt_to_revenue = 0.35;  // median, lognormal sigma 0.5
  std::array<double, kSizeClasses> credit_access = {0.65, 0.85, 0.97};
  double credit_multiplier = 2.0;  // debt limit = multiplier x net worth (K+S Lambda)
  double equity_to_revenue = 0.4;  // net worth proxy, share of revenue
  double hurdle_rate_median = 0.10;
  double hurdle_rate_sigma = 0.25;  // lognormal
  double payback_years_median = 4.0;
  double payback_years_sigma = 0.3;  // lognormal
  // Past equipment purchases grew by this rate per year: shapes the initial age mix.
  double historical_investment_growth = 0.06;
  double max_initial_age = 30;
  int expansion_slots = 3;  // vintage slots per firm kept for capacity expansions
  // How strongly age orders the initial CNC and energy classes (0: unrelated).
  double class_age_correlation = 1.0;
  double software_benefit_sigma = 1.0;  // lognormal spread of firms' gains from digital tools
  // A vintage whose replacement would clear this ratio at the start is made
  // younger (its firm's own rule would have replaced it already).
  double settle_ratio = 0.8;
};

// The 2023 state the population is calibrated to (year-end values).
struct Baseline2023 {
  double cnc_rate = 0.629;
  double digital_tool_rate = 0.801;
  std::array<double, kEnergyClasses> energy_class_shares = {0.10, 0.50, 0.28, 0.12};
  double equipment_investment_growth = 0.087;  // 2023 over 2022
  bool calibrate = true;  // adjust initial mixes for the drift during the warm-up
};

struct MacroParams {
  double loan_rate = 0.0345;  // 1-year LPR, 2023
  double loan_spread = 0.01;  // firms' average spread over the LPR
  double loan_years = 5;  // maturity of equipment loans
  double equipment_inflation = 0.0;
  double energy_price_growth = 0.0;
  double wage_growth = 0.04;
};

// Tax system in force (pre-2024 baseline); levers adjust it.
struct TaxParams {
  double income_tax_rate = 0.25;
  double depreciation_years = 10;  // straight line (minimum life for machinery)
  double expensing_unit_limit = 5e6;  // units priced at or below this are expensed at once
  double special_equipment_credit = 0.10;  // credit on qualifying (energy/environment/safety) equipment
};

struct BehaviourParams {
  double review_interval_days = 365;  // mean time between routine reviews
  double logit_scale = 0.1;  // spread of the logit over log profitability ratios
  double volatility = 0.2;  // sigma of project value (Dixit-Pindyck)
  double dividend_yield = 0.08;  // delta of project value (Dixit-Pindyck)
  double credibility = 1.0;  // weight on policy changes (used by levers)
  double cash_reserve_share = 0.05;  // cash kept back, share of revenue
  double expansion_slack = 0.1;  // iota: desired spare capacity
  double demand_noise = 0.03;  // sd of a firm's yearly demand growth around its sector's
  // When a firm weighs its options at a routine review. None: at the review,
  // in event order, against the state then. Day / Month: at the start of the
  // review's day / calendar month, against the state then (before that day's
  // or month's events), all firms in parallel; each review commits its choices
  // on its own day, in event order. Results do not depend on the threads.
  enum class DecisionWindow { None, Day, Month };
  DecisionWindow decision_window = DecisionWindow::None;
};

struct ModelParams {
  std::string name = "region";
  int end_year = 2030;  // last simulated year (inclusive)
  int warmup_start_year = 2021;  // simulation starts on 1 January of this year (2022's pipeline is then full)
  std::vector<SectorParams> sectors;
  std::array<CategoryParams, kCategories> categories{};
  std::array<MenuOptionParams, kMenuOptions> menu{};
  PopulationParams population;
  Baseline2023 baseline;
  MacroParams macro;
  TaxParams tax;
  BehaviourParams behaviour;
  PolicyParams policy;  // the levers
  NetworkParams network;  // supply-chain ties and what travels along them

  std::int64_t total_firms() const {
    std::int64_t n = 0;
    for (const auto& s : sectors) n += s.firms;
    return n;
  }
};

// Defaults for categories and menu, from which scenario files override fields.
ModelParams default_params();

}  // namespace renewsim::model
