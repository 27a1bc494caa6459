#include "sweep/design.hpp"

#include <boost/random/sobol.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <stdexcept>

#include "explore/sensitivity.hpp"
#include "io/output.hpp"
#include "kernel/calendar.hpp"
#include "random/stream.hpp"

namespace renewsim::sweep {
namespace {
// LHS permutations draw from their own key, apart from every replication's.
constexpr std::uint64_t kDesignReplication = 0xDE5160000ULL;
constexpr rng::Purpose kPermutation = 1, kJitter = 2;
// Values between the ends to 12 significant digits: "0.04125", not
// "0.041249999999999995" (the point is the value written, read back exactly).
std::string rounded(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return io::format_number(std::strtod(buf, nullptr));
}
}  // namespace

std::string date_text(std::int64_t days) {
  const kernel::Date d = kernel::date_of(static_cast<kernel::Day>(days - kernel::detail::kEpochUnix));
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

std::string Parameter::at(double u) const {
  u = std::clamp(u, 0.0, std::nextafter(1.0, 0.0));
  switch (kind) {
    case Kind::List:
      return values[std::min(values.size() - 1, static_cast<std::size_t>(u * static_cast<double>(values.size())))];
    case Kind::DateRange:
      return date_text(static_cast<std::int64_t>(min + std::floor(u * (max - min + 1))));
    case Kind::Range:
      break;
  }
  if (integer && log)
    return io::format_number(std::clamp(std::round(std::exp(std::log(min) + u * (std::log(max) - std::log(min)))), min, max));
  if (integer) return io::format_number(std::min(max, min + std::floor(u * (max - min + 1))));
  if (log) return rounded(std::exp(std::log(min) + u * (std::log(max) - std::log(min))));
  return rounded(min + u * (max - min));
}

std::size_t Parameter::grid_size() const {
  return kind == Kind::List ? values.size() : static_cast<std::size_t>(std::max(steps, 1));
}

std::string Parameter::grid_value(std::size_t i) const {
  if (kind == Kind::List) return values[i];
  const double f = steps > 1 ? static_cast<double>(i) / (steps - 1) : 0.0;
  if (kind == Kind::DateRange) return date_text(static_cast<std::int64_t>(std::llround(min + f * (max - min))));
  if (i == 0) return io::format_number(min);
  if (i + 1 == grid_size()) return io::format_number(max);
  if (log) return integer ? io::format_number(std::round(std::exp(std::log(min) + f * (std::log(max) - std::log(min)))))
                          : rounded(std::exp(std::log(min) + f * (std::log(max) - std::log(min))));
  const double v = min + f * (max - min);
  return integer ? io::format_number(std::round(v)) : rounded(v);
}

struct Design::SobolCursor {
  explicit SobolCursor(std::size_t dims) : engine(dims), dims(dims) {}
  boost::random::sobol engine;
  std::size_t dims;
  std::size_t next = 0;  // index of the point the engine gives next
  std::vector<double> take(std::size_t i) {
    if (i != next) {
      engine.seed();
      engine.discard(static_cast<boost::uintmax_t>(i) * dims);
    }
    std::vector<double> u(dims);
    const double scale = 1.0 / (static_cast<double>(boost::random::sobol::max()) + 1.0);
    for (auto& x : u) x = static_cast<double>(engine()) * scale;
    next = i + 1;
    return u;
  }
};

Design Design::grid(std::vector<Parameter> parameters) {
  Design d;
  d.kind_ = DesignKind::Grid;
  d.size_ = 1;
  for (const auto& p : parameters) {
    d.keys_.push_back(p.key);
    const std::size_t n = p.grid_size();
    if (n == 0 || d.size_ > kMaxPoints / n) throw std::invalid_argument("the grid has more than 100 million points");
    d.size_ *= n;
  }
  d.parameters_ = std::move(parameters);
  return d;
}

Design Design::latin_hypercube(std::vector<Parameter> parameters, std::size_t points, std::uint64_t seed) {
  Design d;
  d.kind_ = DesignKind::LatinHypercube;
  d.size_ = points;
  d.seed_ = seed;
  const rng::RandomSource source(seed, kDesignReplication);
  for (std::size_t dim = 0; dim < parameters.size(); ++dim) {
    d.keys_.push_back(parameters[dim].key);
    std::vector<std::uint32_t> perm(points);
    std::iota(perm.begin(), perm.end(), 0u);
    rng::Stream s(source, dim, kPermutation);
    for (std::size_t k = points; k > 1; --k) {  // Fisher-Yates
      const auto j = static_cast<std::size_t>(s.uniform() * static_cast<double>(k));
      std::swap(perm[k - 1], perm[std::min(j, k - 1)]);
    }
    d.strata_.push_back(std::move(perm));
  }
  d.parameters_ = std::move(parameters);
  return d;
}

Design Design::sobol(std::vector<Parameter> parameters, std::size_t points) {
  Design d;
  d.kind_ = DesignKind::Sobol;
  d.size_ = points;
  for (const auto& p : parameters) d.keys_.push_back(p.key);
  d.sobol_ = std::make_shared<SobolCursor>(std::max<std::size_t>(1, parameters.size()));
  d.parameters_ = std::move(parameters);
  return d;
}

Design Design::morris(std::vector<Parameter> parameters, std::size_t trajectories, std::uint64_t seed) {
  Design d;
  d.kind_ = DesignKind::Morris;
  for (const auto& p : parameters) d.keys_.push_back(p.key);
  d.units_ = explore::morris_points(trajectories, parameters.size(), 4, seed);
  d.size_ = d.units_.size();
  d.base_points_ = trajectories;
  d.parameters_ = std::move(parameters);
  return d;
}

Design Design::saltelli(std::vector<Parameter> parameters, std::size_t base_points) {
  Design d;
  d.kind_ = DesignKind::Saltelli;
  for (const auto& p : parameters) d.keys_.push_back(p.key);
  d.units_ = explore::saltelli_points(base_points, parameters.size());
  d.size_ = d.units_.size();
  d.base_points_ = base_points;
  d.parameters_ = std::move(parameters);
  return d;
}

Design Design::table(std::vector<std::string> keys, std::vector<std::vector<std::string>> rows) {
  Design d;
  d.kind_ = DesignKind::Table;
  d.size_ = rows.size();
  d.keys_ = std::move(keys);
  d.rows_ = std::move(rows);
  return d;
}

std::vector<double> Design::unit_point(std::size_t i) const {
  std::vector<double> u(parameters_.size());
  switch (kind_) {
    case DesignKind::Grid: {
      std::size_t rest = i;
      for (std::size_t k = parameters_.size(); k-- > 0;) {  // the last parameter varies fastest
        const std::size_t n = parameters_[k].grid_size();
        u[k] = n > 1 ? static_cast<double>(rest % n) / static_cast<double>(n - 1) : 0.0;
        rest /= n;
      }
      break;
    }
    case DesignKind::LatinHypercube: {
      const rng::RandomSource source(seed_, kDesignReplication);
      for (std::size_t k = 0; k < parameters_.size(); ++k) {
        rng::Stream jitter(source, k, kJitter, i);
        u[k] = (strata_[k][i] + jitter.uniform()) / static_cast<double>(size_);
      }
      break;
    }
    case DesignKind::Sobol:
      // Boost's sequence starts after the origin, at (0.5, 0.5, ...).
      u = sobol_->take(i);
      u.resize(parameters_.size());
      break;
    case DesignKind::Morris:
    case DesignKind::Saltelli:
      u = units_[i];
      break;
    case DesignKind::Table:
      break;
  }
  return u;
}

std::vector<std::string> Design::point(std::size_t i) const {
  if (kind_ == DesignKind::Table) return rows_[i];
  std::vector<std::string> values;
  if (kind_ == DesignKind::Grid) {
    std::vector<std::size_t> index(parameters_.size());
    std::size_t rest = i;
    for (std::size_t k = parameters_.size(); k-- > 0;) {
      index[k] = rest % parameters_[k].grid_size();
      rest /= parameters_[k].grid_size();
    }
    for (std::size_t k = 0; k < parameters_.size(); ++k) values.push_back(parameters_[k].grid_value(index[k]));
    return values;
  }
  const auto u = unit_point(i);
  for (std::size_t k = 0; k < parameters_.size(); ++k) values.push_back(parameters_[k].at(u[k]));
  return values;
}

}  // namespace renewsim::sweep
