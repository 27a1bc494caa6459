#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "random/stream.hpp"

using namespace renewsim::rng;

TEST_CASE("Philox4x64-10 known-answer vectors", "[random]") {
  // Published with Random123 (kat_vectors).
  struct Kat {
    Philox::ctr_type ctr;
    Philox::key_type key;
    std::uint64_t out[4];
  };
  const Kat kats[] = {
      {{{0, 0, 0, 0}}, {{0, 0}},
       {0x16554d9eca36314cULL, 0xdb20fe9d672d0fdcULL, 0xd7e772cee186176bULL, 0x7e68b68aec7ba23bULL}},
      {{{~0ULL, ~0ULL, ~0ULL, ~0ULL}}, {{~0ULL, ~0ULL}},
       {0x87b092c3013fe90bULL, 0x438c3c67be8d0224ULL, 0x9cc7d7c69cd777b6ULL, 0xa09caebf594f0ba0ULL}},
      {{{0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL, 0xa4093822299f31d0ULL, 0x082efa98ec4e6c89ULL}},
       {{0x452821e638d01377ULL, 0xbe5466cf34e90c6cULL}},
       {0xa528f45403e61d95ULL, 0x38c72dbd566e9788ULL, 0xa5a1610e72fd18b5ULL, 0x57bd43b5e52b7fe6ULL}},
  };
  for (const auto& k : kats) {
    const auto out = Philox()(k.ctr, k.key);
    for (int i = 0; i < 4; ++i) CHECK(out.v[i] == k.out[i]);
  }
  // And through our own keying: (seed, replication) key, (entity, purpose, block, 0) counter.
  RandomSource src(0x452821e638d01377ULL, 0xbe5466cf34e90c6cULL);
  const auto b = src.block(0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL, 0xa4093822299f31d0ULL);
  CHECK(b[0] != kats[2].out[0]);  // the fourth counter word differs (0 here)
  RandomSource zero(0, 0);
  CHECK(zero.raw(0, 0, 0) == kats[0].out[0]);
  CHECK(zero.raw(0, 0, 3) == kats[0].out[3]);
}

TEST_CASE("a stream's k-th draw is addressable without reading the others", "[random]") {
  RandomSource src(12345, 2);
  Stream s(src, 77, 5);
  std::vector<std::uint64_t> seq;
  for (int i = 0; i < 23; ++i) seq.push_back(s.next_u64());
  for (std::uint64_t k = 0; k < seq.size(); ++k) CHECK(src.raw(77, 5, k) == seq[k]);
  Stream t(src, 77, 5, 10);
  CHECK(t.next_u64() == seq[10]);
  t.seek(3);
  CHECK(t.next_u64() == seq[3]);
  CHECK(t.position() == 4);
}

TEST_CASE("streams are keyed by seed, replication, entity and purpose", "[random]") {
  const RandomSource a(1, 0), b(2, 0), c(1, 1);
  CHECK(a.raw(0, 0, 0) != b.raw(0, 0, 0));
  CHECK(a.raw(0, 0, 0) != c.raw(0, 0, 0));
  CHECK(a.raw(0, 0, 0) != a.raw(1, 0, 0));
  CHECK(a.raw(0, 0, 0) != a.raw(0, 1, 0));
}

TEST_CASE("a firm's draws do not change when other firms are added", "[random]") {
  // Draw for firms 0..9 interleaved, then for 0..999 interleaved: firm 3's
  // numbers are the same, because no stream is assigned by creation order.
  auto draws_of_firm3 = [](int firms) {
    RandomSource src(2024, 0);
    std::vector<Stream> streams;
    for (int f = 0; f < firms; ++f) streams.emplace_back(src, static_cast<std::uint64_t>(f), 1);
    std::vector<double> mine;
    for (int round = 0; round < 50; ++round)
      for (int f = 0; f < firms; ++f) {
        const double u = streams[static_cast<std::size_t>(f)].uniform();
        if (f == 3) mine.push_back(u);
      }
    return mine;
  };
  CHECK(draws_of_firm3(10) == draws_of_firm3(1000));
}

TEST_CASE("uniforms are in range and open uniforms avoid the ends", "[random]") {
  RandomSource src(5, 5);
  Stream s(src, 1, 1);
  for (int i = 0; i < 100000; ++i) {
    const double u = s.uniform();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    const double v = s.uniform_open();
    REQUIRE(v > 0.0);
    REQUIRE(v < 1.0);
  }
}
