// The firms of a region and their equipment, laid out compactly by integer id:
// one contiguous record per firm, one per vintage slot, a firm's slots
// contiguous. No pointers, so a million firms stay a few hundred MB.
#pragma once

#include <cstdint>
#include <vector>

#include "kernel/calendar.hpp"
#include "model/parameters.hpp"
#include "model/types.hpp"
#include "random/stream.hpp"

namespace renewsim::model {

// Machines of one category installed together in one firm. Aligned to its
// size so that a slot never straddles two cache lines.
struct alignas(32) Vintage {
  float capacity = 0;      // yearly output capacity, RMB
  float labour = 0;        // labour cost per RMB of output, at 2023 wages
  float energy = 0;        // energy cost per RMB of output, at 2023 energy prices
  float maintenance = 0;   // maintenance per RMB of output when new
  kernel::Day installed = 0;
  // Day of the next failure, drawn at a routine review from the survival
  // curve given the age then; kept until it passes (then drawn again).
  kernel::Day fails = kNotDrawn;
  std::uint32_t units = 0;
  Category category = Category::MachineTools;
  EnergyClass energy_class = EnergyClass::Baseline;
  std::uint8_t flags = 0;
  std::uint8_t pad = 0;

  static constexpr std::uint8_t kActive = 1;       // installed and producing
  static constexpr std::uint8_t kCnc = 2;          // numerically controlled
  static constexpr std::uint8_t kRetrofitted = 4;  // micro-retrofit done (at most once)
  static constexpr std::uint8_t kInProject = 8;    // a renewal project holds this slot
  static constexpr std::uint8_t kExpansion = 16;   // slot reserved for capacity expansion
  static constexpr kernel::Day kNotDrawn = INT32_MIN;  // `fails` not drawn yet

  bool has(std::uint8_t f) const { return (flags & f) != 0; }
  void set(std::uint8_t f, bool on) { flags = on ? (flags | f) : (flags & ~f); }
};
static_assert(sizeof(Vintage) == 32);

struct Firm {
  double cash = 0;       // RMB, accrued lazily at the firm's events
  double debt = 0;       // RMB outstanding
  double committed = 0;       // cash promised to projects not yet paid
  double committed_loan = 0;  // loans promised to projects not yet drawn
  float revenue0 = 0;    // yearly revenue at the start of the simulation
  float growth = 0;      // the firm's demand growth per year
  float hurdle = 0;      // required return on own funds
  float payback = 0;     // payback threshold, years
  float capacity = 0;    // sum of active vintages' capacity (cached)
  float software_benefit = 0;  // margin gain from digital R&D tools, share of revenue
  float evaluation_score = 0;  // uniform in [0,1): how well the firm's projects score in calls (tiered rates)
  kernel::Day last_accrual = 0;
  std::uint32_t first_slot = 0;
  std::uint16_t county = 0;
  std::uint8_t sector = 0;
  std::uint8_t size = 0;
  std::uint8_t slots = 0;
  std::uint8_t flags = 0;
  // Bumped whenever one of its slots changes (a project starts or is
  // commissioned, a vintage exits): a review weighed ahead checks it.
  std::uint16_t equipment_changes = 0;

  static constexpr std::uint8_t kDigitalTools = 1;
  static constexpr std::uint8_t kCreditAccess = 2;
  bool has(std::uint8_t f) const { return (flags & f) != 0; }
  void set(std::uint8_t f, bool on) { flags = on ? (flags | f) : (flags & ~f); }
};
static_assert(sizeof(Firm) <= 80);

// What calibration decides for a run: the initial mixes (the scenario's 2023
// values corrected for the drift during the warm-up) and the 2023 demand
// shift that reproduces 2023 equipment investment growth.
struct CalibratedInputs {
  double cnc_rate = 0;
  double digital_tool_rate = 0;
  std::array<double, kEnergyClasses> energy_class_shares{};
  double demand_shift_2023 = 0;  // added to every firm's demand growth during 2023
  // 2023 investment growth gained per unit of shift: the first step of each
  // replication's search for its own shift. Calibration measures it; about 4
  // to 6 in the shipped plans.
  double growth_per_shift_2023 = 5.0;
};

CalibratedInputs targets_from_baseline(const ModelParams& p);

struct Population {
  std::vector<Firm> firms;
  std::vector<Vintage> slots;
  std::vector<std::uint32_t> sector_first_firm;  // firm id where each sector starts

  std::size_t bytes() const {
    return firms.capacity() * sizeof(Firm) + slots.capacity() * sizeof(Vintage) +
           sector_first_firm.capacity() * sizeof(std::uint32_t);
  }
  // Random-stream entity of a firm: (sector, index within sector), so adding a
  // firm to one sector never changes the numbers of another sector's firms.
  std::uint64_t stream_entity(std::uint32_t firm) const {
    const auto s = firms[firm].sector;
    return (static_cast<std::uint64_t>(s) << 40) | (firm - sector_first_firm[s]);
  }
};

// Random-number purposes of the model (part of every counter).
enum Purpose : rng::Purpose {
  kPurposeFirmInit = 1,
  kPurposeVintageInit = 2,
  kPurposeReviewTiming = 3,
  kPurposeDecision = 4,
  kPurposeBreakdown = 5,
  kPurposeLever = 6,  // fixed per-firm keys for levers' draws
  kPurposeNetwork = 7,    // building the supply-chain network
  kPurposeDiffusion = 8,  // awareness spreading along it
};

// Builds the population at the simulation start (1 January of the warm-up year).
Population build_population(const ModelParams& p, const CalibratedInputs& targets,
                            const rng::RandomSource& source);

// Operating costs of a vintage from its install day, CNC flag and energy class.
void set_running_costs(Vintage& v, const CategoryParams& cat, const SectorParams& sec);

// Economic helpers shared by the builder and the decision.
double survival(const CategoryParams& c, double age_years);
inline double energy_class_factor(EnergyClass e) {
  constexpr double kFactor[kEnergyClasses] = {1.10, 1.0, 0.93, 0.87};
  return kFactor[idx(e)];
}
// Labour and energy needs of a vintage bought in `year` (before class and CNC).
double labour_need(const CategoryParams& c, double year);
double energy_need(const CategoryParams& c, const SectorParams& s, double year);
// Equipment price per RMB of capacity in `year` for the standard option.
double price_per_capacity(const CategoryParams& c, const SectorParams& s, const MacroParams& m,
                          double year);

}  // namespace renewsim::model
