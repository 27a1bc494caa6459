#include "model/population.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include "random/distributions.hpp"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace renewsim::model {
namespace {
// Asks for 2 MiB pages on the whole 2 MiB blocks of a fresh, untouched
// buffer: with a million firms the records span hundreds of MB, and visiting
// firms in random order with 4 KiB pages misses the TLB at almost every firm.
// Only a hint; nothing changes where it is not granted.
void advise_huge_pages([[maybe_unused]] const void* data, [[maybe_unused]] std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#endif
}

// Touches every page of a fresh buffer, spread over the threads: a page's
// first touch costs far more than writing it (about 3 ms per MB on one core
// of a virtual machine), and the work is the kernel's, so it divides.
void touch_pages(void* data, std::size_t bytes) {
  constexpr std::size_t kPage = 4096, kChunk = std::size_t{1} << 21;
  auto* first = static_cast<char*>(data);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, (bytes + kChunk - 1) / kChunk),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t c = r.begin(); c != r.end(); ++c)
                        for (std::size_t at = c * kChunk; at < std::min(bytes, (c + 1) * kChunk); at += kPage)
                          first[at] = 0;
                    });
}
}  // namespace

ModelParams default_params() {
  ModelParams p;
  auto& mt = p.categories[idx(Category::MachineTools)];
  mt = CategoryParams{};  // the struct defaults describe machine tools
  auto& fb = p.categories[idx(Category::FurnacesBoilers)];
  fb.price_per_capacity = 0.35;
  fb.output_per_unit = 3e7;
  fb.economic_life = 15;
  fb.survival_half_life = 20;
  fb.labour_cost = 0.03;
  fb.energy_cost = 0.08;
  fb.maintenance_cost = 0.015;
  fb.cnc_labour_saving = 0.15;
  fb.new_cnc_share = 0.6;
  fb.retrofit_cost_share = 0.10;
  fb.approval_days = 90;
  fb.delivery_days = 180;
  auto& mp = p.categories[idx(Category::MotorsPumps)];
  mp.price_per_capacity = 0.12;
  mp.output_per_unit = 4e6;
  mp.survival_half_life = 15;
  mp.labour_cost = 0.01;
  mp.energy_cost = 0.03;
  mp.maintenance_cost = 0.01;
  mp.cnc_applicable = false;
  mp.new_cnc_share = 0.0;
  mp.cnc_labour_saving = 0.0;
  mp.retrofit_cost_share = 0.08;
  mp.delivery_days = 60;
  auto& rl = p.categories[idx(Category::RobotLines)];
  rl.price_per_capacity = 0.45;
  rl.price_decline = 0.04;
  rl.output_per_unit = 5e6;
  rl.economic_life = 10;
  rl.survival_half_life = 12;
  rl.labour_cost = 0.04;
  rl.energy_cost = 0.015;
  rl.maintenance_cost = 0.02;
  rl.productivity_gain = 0.01;
  rl.new_cnc_share = 1.0;
  rl.cnc_labour_saving = 0.0;
  rl.delivery_days = 150;
  auto& in = p.categories[idx(Category::Instruments)];
  in.price_per_capacity = 0.08;
  in.output_per_unit = 1e6;
  in.economic_life = 8;
  in.survival_half_life = 10;
  in.labour_cost = 0.02;
  in.energy_cost = 0.002;
  in.maintenance_cost = 0.01;
  in.cnc_applicable = false;
  in.energy_applicable = false;
  in.new_cnc_share = 0.0;
  in.cnc_labour_saving = 0.0;
  in.delivery_days = 45;
  auto& sw = p.categories[idx(Category::Software)];
  sw.price_per_capacity = 0.004;  // per RMB of revenue covered
  sw.price_decline = 0.03;
  sw.output_per_unit = 1e12;  // one licence set per firm
  sw.economic_life = 5;
  sw.survival_half_life = 7;
  sw.survival_steepness = 0.8;
  sw.labour_cost = 0;
  sw.energy_cost = 0;
  sw.maintenance_cost = 0.0006;
  sw.maintenance_age_slope = 0.3;
  sw.cnc_applicable = false;
  sw.energy_applicable = false;
  sw.new_cnc_share = 0.0;
  sw.cnc_labour_saving = 0.0;
  sw.approval_days = 15;
  sw.delivery_days = 60;
  sw.acceptance_days = 30;
  sw.down_payment_share = 0.5;

  p.menu[idx(MenuOption::Standard)] = {1.0, EnergyClass::Baseline, false, 0.0};
  p.menu[idx(MenuOption::Efficient)] = {1.10, EnergyClass::EnergySaving, true, 0.0};
  p.menu[idx(MenuOption::Advanced)] = {1.25, EnergyClass::Benchmark, true, 0.08};
  return p;
}

CalibratedInputs targets_from_baseline(const ModelParams& p) {
  return {p.baseline.cnc_rate, p.baseline.digital_tool_rate, p.baseline.energy_class_shares, 0.0};
}

double survival(const CategoryParams& c, double age_years) {
  return 1.0 / (1.0 + std::exp(c.survival_steepness * (age_years - c.survival_half_life)));
}

double labour_need(const CategoryParams& c, double year) {
  return c.labour_cost * std::pow(1.0 - c.unit_cost_improvement, year - kernel::kEpochYear);
}

double energy_need(const CategoryParams& c, const SectorParams& s, double year) {
  return c.energy_cost * s.energy_intensity *
         std::pow(1.0 - c.unit_cost_improvement, year - kernel::kEpochYear);
}

double price_per_capacity(const CategoryParams& c, const SectorParams& s, const MacroParams& m,
                          double year) {
  const double t = year - kernel::kEpochYear;
  return c.price_per_capacity * s.price_factor * std::pow(1.0 - c.price_decline, t) *
         std::pow(1.0 + m.equipment_inflation, t);
}

namespace {

// Inverse CDF of initial ages: density proportional to (1+g)^-a * survival(a).
class AgeSampler {
 public:
  AgeSampler(const CategoryParams& c, double growth, double max_age) : step_(1.0 / 12.0) {
    const int bins = static_cast<int>(max_age / step_);
    cdf_.resize(static_cast<std::size_t>(bins) + 1, 0.0);
    for (int i = 0; i < bins; ++i) {
      const double a = (i + 0.5) * step_;
      cdf_[static_cast<std::size_t>(i) + 1] =
          cdf_[static_cast<std::size_t>(i)] + std::pow(1.0 + growth, -a) * survival(c, a);
    }
    const double total = cdf_.back();
    for (double& x : cdf_) x /= total;
  }
  double age(double u) const {
    const auto it = std::upper_bound(cdf_.begin(), cdf_.end(), u);
    const auto i = static_cast<std::size_t>(std::max<std::ptrdiff_t>(1, it - cdf_.begin())) - 1;
    const double lo = cdf_[i], hi = cdf_[std::min(i + 1, cdf_.size() - 1)];
    const double frac = hi > lo ? (u - lo) / (hi - lo) : 0.0;
    return (static_cast<double>(i) + frac) * step_;
  }

 private:
  double step_;
  std::vector<double> cdf_;
};

// Picks index i with probability weights[i] / sum: the first i whose
// cumulative share exceeds u. The shares are summed once, in index order, so
// a binary search finds the index a linear scan would (the national scenario
// draws each firm's county among 2 840).
class WeightedPick {
 public:
  WeightedPick(const double* weights, int n) : cumulative_(static_cast<std::size_t>(n)) {
    double total = 0;
    for (int i = 0; i < n; ++i) total += weights[i];
    double acc = 0;
    for (int i = 0; i < n; ++i) cumulative_[static_cast<std::size_t>(i)] = acc += weights[i] / total;
  }
  int operator()(double u) const {
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
    return static_cast<int>(std::min<std::ptrdiff_t>(it - cumulative_.begin(), std::ssize(cumulative_) - 1));
  }

 private:
  std::vector<double> cumulative_;
};

// Revenue drawn from a lognormal truncated to [lo, hi] by inverse transform.
double truncated_lognormal(double u, double median, double sigma, double lo, double hi) {
  auto cdf = [&](double x) { return 0.5 * std::erfc(-(std::log(x / median) / sigma) / std::sqrt(2.0)); };
  const double flo = cdf(lo), fhi = cdf(hi);
  const double p = std::clamp(flo + u * (fhi - flo), 1e-12, 1.0 - 1e-12);
  return std::clamp(median * std::exp(sigma * rng::normal_quantile(p)), lo, hi);
}

// Assigns classes to the highest scores first until each class's capacity
// share is reached; classes are given from best (index n-1) to worst.
struct Scored {
  double score;
  float capacity;  // a vintage's capacity (a float), or 1 for a firm
  std::uint32_t slot;
};
template <class Assign>
void assign_by_share(std::vector<Scored>& items, const double* shares, int n, Assign assign) {
  // A strict total order (slots are unique), so a parallel sort gives the one result.
  tbb::parallel_sort(items.begin(), items.end(), [](const Scored& a, const Scored& b) {
    return a.score != b.score ? a.score > b.score : a.slot < b.slot;
  });
  double total = 0;
  for (const auto& it : items) total += static_cast<double>(it.capacity);
  double share_sum = 0;
  for (int k = 0; k < n; ++k) share_sum += shares[k];
  int cls = n - 1;
  double bound = total * shares[cls] / share_sum;
  double acc = 0;
  for (const auto& it : items) {
    // Place the item in the class whose cumulative band holds its midpoint.
    const double mid = acc + static_cast<double>(it.capacity) / 2;
    while (cls > 0 && mid > bound) {
      --cls;
      bound += total * shares[cls] / share_sum;
    }
    assign(it.slot, cls);
    acc += static_cast<double>(it.capacity);
  }
}

}  // namespace

Population build_population(const ModelParams& p, const CalibratedInputs& targets,
                            const rng::RandomSource& source) {
  const auto& pop = p.population;
  if (p.sectors.empty()) throw std::invalid_argument("the scenario has no sectors");
  if (p.sectors.size() > 255) throw std::invalid_argument("at most 255 sectors");
  Population out;
  const std::int64_t n = p.total_firms();
  out.firms.reserve(static_cast<std::size_t>(n));
  // Exactly as many slots as will be made: the sector's categories, software, expansion.
  std::size_t slot_count = 0;
  for (const auto& sec : p.sectors) {
    std::size_t per_firm = 1 + static_cast<std::size_t>(std::max(0, pop.expansion_slots));
    for (int c = 0; c < kCategories; ++c)
      if (c != idx(Category::Software) && sec.category_mix[static_cast<std::size_t>(c)] > 0) ++per_firm;
    slot_count += per_firm * static_cast<std::size_t>(sec.firms);
  }
  out.slots.reserve(slot_count);
  advise_huge_pages(out.firms.data(), out.firms.capacity() * sizeof(Firm));
  advise_huge_pages(out.slots.data(), out.slots.capacity() * sizeof(Vintage));
  const kernel::Day start = kernel::first_day_of_year(p.warmup_start_year);

  std::vector<AgeSampler> ages;
  for (const auto& c : p.categories)
    ages.emplace_back(c, pop.historical_investment_growth, pop.max_initial_age);

  std::vector<double> county_weights(static_cast<std::size_t>(std::max(1, pop.counties)));
  for (std::size_t c = 0; c < county_weights.size(); ++c) county_weights[c] = 1.0 / static_cast<double>(c + 1);
  const WeightedPick pick_county(county_weights.data(), static_cast<int>(county_weights.size()));
  const WeightedPick pick_size(pop.size_shares.data(), kSizeClasses);

  // Every firm's numbers come from its own streams, and its place (firm id,
  // first slot, its entries among the scored items) is fixed by its sector's
  // counts, so firms are made in parallel into the order a sequential build
  // gives.
  auto scored_per_firm = [&](const SectorParams& sec, bool cnc) {
    std::size_t k = 0;
    for (int c = 0; c < kCategories; ++c) {
      const CategoryParams& cat = p.categories[static_cast<std::size_t>(c)];
      if (c == idx(Category::Software) || sec.category_mix[static_cast<std::size_t>(c)] <= 0) continue;
      k += cnc ? cat.cnc_applicable && cat.new_cnc_share < 1.0 : cat.energy_applicable;
    }
    return k;
  };
  std::size_t cnc_count = 0, energy_count = 0;
  for (const auto& sec : p.sectors) {
    cnc_count += scored_per_firm(sec, true) * static_cast<std::size_t>(sec.firms);
    energy_count += scored_per_firm(sec, false) * static_cast<std::size_t>(sec.firms);
  }
  std::vector<Scored> cnc_items, energy_items, digital_items;
  cnc_items.reserve(cnc_count);
  energy_items.reserve(energy_count);
  digital_items.reserve(static_cast<std::size_t>(n));
  touch_pages(out.firms.data(), out.firms.capacity() * sizeof(Firm));
  touch_pages(out.slots.data(), out.slots.capacity() * sizeof(Vintage));
  touch_pages(cnc_items.data(), cnc_items.capacity() * sizeof(Scored));
  touch_pages(energy_items.data(), energy_items.capacity() * sizeof(Scored));
  touch_pages(digital_items.data(), digital_items.capacity() * sizeof(Scored));
  out.firms.resize(static_cast<std::size_t>(n));
  out.slots.resize(slot_count);
  cnc_items.resize(cnc_count);
  energy_items.resize(energy_count);
  digital_items.resize(static_cast<std::size_t>(n));
  std::uint32_t first_firm = 0;
  std::size_t first_slot_of_sector = 0, first_cnc = 0, first_energy = 0;
  for (std::size_t s = 0; s < p.sectors.size(); ++s) {
    const SectorParams& sec = p.sectors[s];
    out.sector_first_firm.push_back(first_firm);
    int main_category = 0;
    for (int c = 0; c < kCategories; ++c)
      if (sec.category_mix[static_cast<std::size_t>(c)] > sec.category_mix[static_cast<std::size_t>(main_category)])
        main_category = c;
    std::size_t per_firm = 1 + static_cast<std::size_t>(std::max(0, pop.expansion_slots));
    for (int c = 0; c < kCategories; ++c)
      if (c != idx(Category::Software) && sec.category_mix[static_cast<std::size_t>(c)] > 0) ++per_firm;
    const std::size_t cnc_per_firm = scored_per_firm(sec, true), energy_per_firm = scored_per_firm(sec, false);
    auto make_firm = [&, s, main_category, per_firm, first_firm, first_slot_of_sector, cnc_per_firm, energy_per_firm,
                      first_cnc, first_energy](std::int64_t k) {
      const auto id = first_firm + static_cast<std::uint32_t>(k);
      const std::uint64_t entity = (static_cast<std::uint64_t>(s) << 40) | static_cast<std::uint64_t>(k);
      rng::Stream fs(source, entity, kPurposeFirmInit);
      Firm f;
      f.sector = static_cast<std::uint8_t>(s);
      f.size = static_cast<std::uint8_t>(pick_size(fs.uniform()));
      f.revenue0 = static_cast<float>(truncated_lognormal(fs.uniform(), pop.revenue_median[f.size],
                                                          pop.revenue_sigma, pop.revenue_min[f.size],
                                                          pop.revenue_max[f.size]));
      f.county = static_cast<std::uint16_t>(pick_county(fs.uniform()));
      f.cash = f.revenue0 * rng::lognormal(fs, std::log(pop.cash_to_revenue), 0.5);
      f.debt = f.revenue0 * rng::lognormal(fs, std::log(pop.debt_to_revenue), 0.5);
      f.set(Firm::kCreditAccess, rng::bernoulli(fs, pop.credit_access[f.size]));
      f.hurdle = static_cast<float>(rng::lognormal(fs, std::log(pop.hurdle_rate_median), pop.hurdle_rate_sigma));
      f.payback = static_cast<float>(
          rng::lognormal(fs, std::log(pop.payback_years_median), pop.payback_years_sigma));
      f.growth = static_cast<float>(rng::normal(fs, sec.demand_growth, p.behaviour.demand_noise));
      f.last_accrual = start;
      const double z_benefit = rng::normal(fs, 0, 1);
      f.software_benefit = static_cast<float>(sec.software_benefit * std::exp(pop.software_benefit_sigma * z_benefit));
      // Digital tools: the firms that gain most (and larger ones) use them; shares set below.
      digital_items[id] = {z_benefit + 0.5 * f.size, 1.0f, id};

      f.first_slot = static_cast<std::uint32_t>(first_slot_of_sector + static_cast<std::size_t>(k) * per_firm);
      std::uint32_t slot = f.first_slot;
      std::size_t cnc_at = first_cnc + static_cast<std::size_t>(k) * cnc_per_firm;
      std::size_t energy_at = first_energy + static_cast<std::size_t>(k) * energy_per_firm;
      // Firms stand at different points of their expansion cycle: next year's
      // expected utilisation uniform between the normal level and the trigger.
      const double use = pop.utilisation * (1.0 + p.behaviour.expansion_slack * fs.uniform()) /
                         std::exp(std::max(0.0, static_cast<double>(f.growth)));
      const double capacity = f.revenue0 / use;
      // Drawn last, so the firm's other numbers stay as they were without levers.
      f.evaluation_score = static_cast<float>(fs.uniform());
      rng::Stream vs(source, entity, kPurposeVintageInit);
      for (int c = 0; c < kCategories; ++c) {
        const double mix = sec.category_mix[static_cast<std::size_t>(c)];
        if (c == idx(Category::Software) || mix <= 0) continue;
        const CategoryParams& cat = p.categories[static_cast<std::size_t>(c)];
        Vintage v;
        v.category = static_cast<Category>(c);
        v.capacity = static_cast<float>(capacity * mix);
        const double age = ages[static_cast<std::size_t>(c)].age(vs.uniform());
        v.installed = start - static_cast<kernel::Day>(std::lround(age * 365.25));
        v.units = static_cast<std::uint32_t>(std::clamp(std::round(v.capacity / cat.output_per_unit), 1.0, 4e9));
        v.set(Vintage::kActive, true);
        const double norm_age = age / cat.survival_half_life;
        if (cat.cnc_applicable) {
          if (cat.new_cnc_share >= 1.0) v.set(Vintage::kCnc, true);  // always numerically controlled
          else cnc_items[cnc_at++] = {-pop.class_age_correlation * norm_age + rng::normal(vs, 0, 1), v.capacity, slot};
        }
        if (cat.energy_applicable)
          energy_items[energy_at++] = {-pop.class_age_correlation * norm_age + rng::normal(vs, 0, 1), v.capacity, slot};
        out.slots[slot++] = v;
        f.capacity += v.capacity;
      }
      // The software slot (active for digital-tool users) and expansion slots.
      Vintage sw;
      sw.category = Category::Software;
      sw.installed = start - static_cast<kernel::Day>(
                                 std::lround(ages[idx(Category::Software)].age(vs.uniform()) * 365.25));
      sw.capacity = f.revenue0;
      sw.units = 1;
      out.slots[slot++] = sw;
      for (int e = 0; e < pop.expansion_slots; ++e) {
        Vintage ex;
        ex.category = static_cast<Category>(main_category);
        ex.set(Vintage::kExpansion, true);
        out.slots[slot++] = ex;
      }
      f.slots = static_cast<std::uint8_t>(slot - f.first_slot);
      out.firms[id] = f;
    };
    tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, sec.firms, 512),
                      [&](const tbb::blocked_range<std::int64_t>& r) {
                        for (std::int64_t k = r.begin(); k != r.end(); ++k) make_firm(k);
                      });
    first_firm += static_cast<std::uint32_t>(sec.firms);
    first_slot_of_sector += per_firm * static_cast<std::size_t>(sec.firms);
    first_cnc += cnc_per_firm * static_cast<std::size_t>(sec.firms);
    first_energy += energy_per_firm * static_cast<std::size_t>(sec.firms);
  }

  // CNC: among non-robot CNC-applicable capacity, the share that with robot
  // lines (always CNC) gives the target rate; the youngest-scoring first.
  double key_capacity = 0, robot_capacity = 0, other_capacity = 0;
  for (const auto& v : out.slots) {
    if (!v.has(Vintage::kActive) || !p.categories[idx(v.category)].cnc_applicable) continue;
    key_capacity += v.capacity;
    if (v.has(Vintage::kCnc)) robot_capacity += v.capacity;
  }
  other_capacity = key_capacity - robot_capacity;
  if (other_capacity > 0) {
    const double need = std::clamp((targets.cnc_rate * key_capacity - robot_capacity) / other_capacity, 0.0, 1.0);
    const double shares[2] = {1.0 - need, need};
    assign_by_share(cnc_items, shares, 2, [&](std::uint32_t slot, int cls) {
      out.slots[slot].set(Vintage::kCnc, cls == 1);
    });
  }
  assign_by_share(energy_items, targets.energy_class_shares.data(), kEnergyClasses,
                  [&](std::uint32_t slot, int cls) { out.slots[slot].energy_class = static_cast<EnergyClass>(cls); });
  {
    const double shares[2] = {1.0 - targets.digital_tool_rate, targets.digital_tool_rate};
    assign_by_share(digital_items, shares, 2, [&](std::uint32_t firm, int cls) {
      Firm& f = out.firms[firm];
      f.set(Firm::kDigitalTools, cls == 1);
      // The software slot follows the production slots.
      for (std::uint32_t i = f.first_slot; i < f.first_slot + f.slots; ++i)
        if (out.slots[i].category == Category::Software && !out.slots[i].has(Vintage::kExpansion))
          out.slots[i].set(Vintage::kActive, cls == 1);
    });
  }

  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, out.firms.size(), 1024),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t k = r.begin(); k != r.end(); ++k) {
                        const Firm& f = out.firms[k];
                        for (std::uint32_t i = f.first_slot; i < f.first_slot + f.slots; ++i)
                          set_running_costs(out.slots[i], p.categories[idx(out.slots[i].category)],
                                            p.sectors[f.sector]);
                      }
                    });
  return out;
}

void set_running_costs(Vintage& v, const CategoryParams& cat, const SectorParams& sec) {
  const double year = kernel::kEpochYear + v.installed / 365.25;
  v.labour = static_cast<float>(labour_need(cat, year) * (v.has(Vintage::kCnc) ? 1.0 - cat.cnc_labour_saving : 1.0));
  v.energy = static_cast<float>(energy_need(cat, sec, year) * energy_class_factor(v.energy_class));
  v.maintenance = static_cast<float>(cat.maintenance_cost);
}

}  // namespace renewsim::model
