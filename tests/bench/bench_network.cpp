// Supply-chain network build: time and bytes per edge for generated networks
// of several sizes (7 sectors, 20 counties, 2 % large firms, one key chain).
//
//   bench_network [FIRMS ...]     (default 100000 500000)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "model/network/supply_network.hpp"

using namespace renewsim;
using namespace renewsim::model;

int main(int argc, char** argv) {
  std::vector<long long> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::atoll(argv[i]));
  if (sizes.empty()) sizes = {100'000, 500'000};
  NetworkParams p;
  p.enabled = true;
  p.key_chains = {0};
  std::printf("%10s %10s %9s %12s %14s %10s\n", "firms", "edges", "build s", "bytes/edge", "bytes (all)", "clustering");
  for (long long n : sizes) {
    std::vector<NetworkFirm> firms(static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < firms.size(); ++i) {
      firms[i].sector = static_cast<std::uint8_t>(i % 7);
      firms[i].county = static_cast<std::uint16_t>((i / 13) % 20);
      firms[i].size = i % 50 == 0 ? SizeClass::Large : SizeClass::Small;
      firms[i].key = (std::uint64_t{firms[i].sector} << 40) | i;
    }
    const auto t0 = std::chrono::steady_clock::now();
    const SupplyNetwork net = SupplyNetwork::build(p, firms, 7, rng::RandomSource(1, 0));
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double clustering = n <= 100'000 ? net.clustering() : -1;
    std::printf("%10lld %10llu %9.3f %12.1f %14zu %10.4f\n", n, static_cast<unsigned long long>(net.edges()), s,
                static_cast<double>(net.bytes()) / static_cast<double>(net.edges()), net.bytes(), clustering);
  }
  return 0;
}
