// The cost of one Argon2id password hash and one verification at the configured (OWASP)
// parameters: what every sign-in and registration pays on a worker thread.
#include <benchmark/benchmark.h>

#include "auth/options.hpp"
#include "auth/password.hpp"

namespace {

void BM_Argon2idHash(benchmark::State& state) {
  const griha::auth::AuthOptions o;
  griha::auth::PasswordHasher hasher(o.argon2_memory_kib, o.argon2_iterations);
  for (auto _ : state) benchmark::DoNotOptimize(hasher.hash("a monsoon evening in pune"));
}
BENCHMARK(BM_Argon2idHash)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_Argon2idVerify(benchmark::State& state) {
  const griha::auth::AuthOptions o;
  griha::auth::PasswordHasher hasher(o.argon2_memory_kib, o.argon2_iterations);
  const auto stored = hasher.hash("a monsoon evening in pune");
  for (auto _ : state) benchmark::DoNotOptimize(hasher.verify(stored, "a monsoon evening in pune"));
}
BENCHMARK(BM_Argon2idVerify)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
