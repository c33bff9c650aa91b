// The inspection sample and the detection scan at scale (docs/performance.md,
// "Oversight"): drawing from a population of 10^4 to 10^6 holdings, and
// Due() over a store of that many holdings, every tenth one overdue.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "base/clock.h"
#include "custody/model.h"
#include "oversight/detection.h"
#include "oversight/sample.h"
#include "store/sqlite_store.h"

namespace strongroom::oversight {
namespace {

std::vector<std::string> Ids(size_t n) {
  std::vector<std::string> ids;
  ids.reserve(n);
  for (size_t i = 0; i < n; ++i) ids.push_back("H-" + std::to_string(1000000 + i));
  return ids;
}

void BM_DrawSample(benchmark::State& state) {
  const auto population = Ids(static_cast<size_t>(state.range(0)));
  const Hash seed = SampleSeed(Sha256("root"), std::string(32, 'r'));
  for (auto _ : state) benchmark::DoNotOptimize(DrawSample(seed, population, 1056));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_DrawSample)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

void BM_DueOverHoldings(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const std::string path = std::filesystem::temp_directory_path() / "sr-oversight-bench.db";
  std::filesystem::remove(path);
  auto opened = OpenSqliteStore(path, ProjectionTables(), {.create = true});
  if (!opened.ok()) {
    state.SkipWithError(opened.status().message().c_str());
    return;
  }
  auto store = std::move(opened).value();
  const int64_t now = SystemClock()->Now();
  std::vector<RowWrite> rows;
  for (size_t i = 0; i < n; ++i) {
    Holding h;
    h.id = "H-" + std::to_string(1000000 + i);
    h.kind = "evidence";
    h.facility = "F-HQ";
    h.disposition = "destroy";
    // Every tenth is past its deadline, the others are due in the future.
    h.disposition_due = FormatRfc3339(now + (i % 10 == 0 ? -1 : 1) * 86400LL * 1000000);
    rows.push_back({kHoldingsTable, ToRow(h)});
  }
  if (Status st = store->ReplaceTables({kHoldingsTable}, rows, {}); !st.ok()) {
    state.SkipWithError(st.message().c_str());
    return;
  }
  for (auto _ : state) {
    auto due = Due(store.get(), now);
    if (!due.ok() || due->size() != n / 10) state.SkipWithError("wrong findings");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
  std::filesystem::remove(path);
}
BENCHMARK(BM_DueOverHoldings)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace strongroom::oversight

BENCHMARK_MAIN();
