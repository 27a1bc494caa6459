// Counter-based random streams (Philox4x64-10, Random123).
//
// The Philox key is (master seed, replication); the counter is
// (entity, purpose, block, 0) and each block yields four 64-bit numbers, so the
// k-th number of (entity, purpose) is lane k%4 of block k/4. Any entity can
// draw its k-th number of a purpose without touching any other stream: adding
// a firm or a lever never shifts another firm's numbers, and a policy run and
// its counterfactual see the same numbers for the same firm.
#pragma once

#include <Random123/philox.h>

#include <array>
#include <cstdint>

namespace renewsim::rng {

using Philox = r123::Philox4x64_R<10>;

// What a number is for; part of the counter so purposes never share numbers.
using Purpose = std::uint64_t;

class RandomSource {
 public:
  RandomSource(std::uint64_t master_seed, std::uint64_t replication)
      : key_{{master_seed, replication}} {}

  std::uint64_t seed() const { return key_.v[0]; }
  std::uint64_t replication() const { return key_.v[1]; }

  // One Philox block: four independent 64-bit numbers.
  std::array<std::uint64_t, 4> block(std::uint64_t entity, Purpose purpose,
                                     std::uint64_t index) const {
    const Philox::ctr_type ctr = {{entity, purpose, index, 0}};
    const Philox::ctr_type out = Philox()(ctr, key_);
    return {out.v[0], out.v[1], out.v[2], out.v[3]};
  }

  // The k-th raw 64-bit number of (entity, purpose).
  std::uint64_t raw(std::uint64_t entity, Purpose purpose, std::uint64_t k) const {
    return block(entity, purpose, k >> 2)[k & 3];
  }

  const Philox::key_type& key() const { return key_; }

 private:
  Philox::key_type key_;
};

// A sequential reader of one (entity, purpose) stream; caches the current block.
class Stream {
 public:
  Stream(const RandomSource& source, std::uint64_t entity, Purpose purpose,
         std::uint64_t first_draw = 0)
      : key_(source.key()), entity_(entity), purpose_(purpose) {
    seek(first_draw);
  }

  // Positions the stream so the next draw is number k.
  void seek(std::uint64_t k) { next_ = k; }  // the cached block stays valid if k falls in it
  std::uint64_t position() const { return next_; }

  std::uint64_t next_u64() {
    const std::uint64_t block = next_ >> 2;
    if (block != cached_block_) {
      const Philox::ctr_type ctr = {{entity_, purpose_, block, 0}};
      out_ = Philox()(ctr, key_);
      cached_block_ = block;
    }
    return out_.v[next_++ & 3];
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform in (0, 1): never 0 or 1, safe for logarithms and quantiles.
  double uniform_open() {
    const double x = (static_cast<double>(next_u64() >> 11) + 0.5) * 0x1.0p-53;
    return x < 1.0 ? x : 0x1.fffffffffffffp-1;  // the top value would round to 1
  }

 private:
  Philox::key_type key_;
  std::uint64_t entity_;
  Purpose purpose_;
  std::uint64_t next_ = 0;
  std::uint64_t cached_block_ = ~std::uint64_t{0};
  Philox::ctr_type out_{};
};

}  // namespace renewsim::rng
