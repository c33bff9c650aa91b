// Ledger and custody benchmarks. Run:
//   build/bench/ledger_bench --benchmark_counters_tabular=true
// Stores are created under $TMPDIR (default /tmp) on the real file system, with
// the same durability settings as production (WAL, synchronous=FULL).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <filesystem>
#include <thread>

#include "bench_keys.h"
#include "base/clock.h"
#include "crypto/pkcs11.h"
#include "crypto/softhsm_token.h"
#include "custody/data_dir.h"
#include "custody/demo.h"
#include "custody/model.h"
#include "custody/sequencer.h"
#include "ledger/log_writer.h"
#include "ledger/proof.h"
#include "store/sqlite_store.h"
#include "verify/audit.h"

namespace strongroom {
namespace {

std::string BenchDir(const std::string& name) {
  const char* base = std::getenv("TMPDIR");
  std::string dir = std::string(base ? base : "/tmp") + "/strongroom-bench-" + name;
  return dir;
}

void BM_LeafHash(benchmark::State& state) {
  std::string entry(300, 'x');
  for (auto _ : state) benchmark::DoNotOptimize(LeafHash(entry));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LeafHash);

void BM_NodeHash(benchmark::State& state) {
  Hash a = Sha256("a"), b = Sha256("b");
  for (auto _ : state) {
    a = NodeHash(a, b);
    benchmark::DoNotOptimize(a);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NodeHash);

// One checkpoint signature by the log key: held in memory (plaintext or
// sealed), or in a PKCS#11 token (SoftHSM2: the same Ed25519 in OpenSSL,
// behind the PKCS#11 call path). The sequencer makes two per batch (the
// committed head, then the checkpoint).
void BM_LogKeySignature(benchmark::State& state) {
  std::optional<NoteSigner> signer;
  if (state.range(0) == 0) {
    signer.emplace("bench.example/log", Ed25519PrivateKey::FromSeed(std::string(32, 's')).value());
  } else {
    static const Result<SoftHsmToken> token = MakeSoftHsmToken("bench");  // one per process
    if (!token.ok()) return state.SkipWithError(token.status().message().c_str());
    auto key = Pkcs11Key::Open(token->Uri("log-key"), token->pin);
    if (key.status().code() == StatusCode::kNotFound) {
      key = Pkcs11Key::Generate(token->Uri("log-key"), token->pin);
    }
    if (!key.ok()) return state.SkipWithError(key.status().message().c_str());
    signer.emplace("bench.example/log", std::move(key).value());
  }
  const std::string body = "bench.example/log\n123456\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
  for (auto _ : state) benchmark::DoNotOptimize(SignNote(body, *signer));
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(state.range(0) == 0 ? "in memory" : "PKCS#11 token (SoftHSM2)");
}
BENCHMARK(BM_LogKeySignature)->Arg(0)->Arg(1);

// Raw ledger append: entries + tiles + signed checkpoint, committed durably.
void BM_RawAppend(benchmark::State& state) {
  const size_t batch = static_cast<size_t>(state.range(0));
  const std::string dir = BenchDir("raw-" + std::to_string(batch));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = OpenSqliteStore(dir + "/s.db", {}, {.create = true}).value();
  NoteSigner signer("bench.example/log", Ed25519PrivateKey::Generate(SystemRandom()));
  auto writer = LogWriter::Open(store.get(), signer).value();
  std::string entry(300, 'e');
  uint64_t n = 0;
  for (auto _ : state) {
    std::vector<std::string> entries(batch);
    for (auto& e : entries) {
      e = entry;
      std::memcpy(e.data(), &n, sizeof n);
      ++n;
    }
    LogBatch b = writer.Prepare(std::move(entries)).value();
    Status st = store->Commit(b, {});
    if (st.ok()) {  // commit first, then sign
      auto note = writer.SignCommitted();
      st = note.ok() ? store->PutCheckpoint(writer.size(), *note) : note.status();
    }
    if (!st.ok()) state.SkipWithError(st.ToString().c_str());
  }
  state.SetItemsProcessed(static_cast<int64_t>(n));
  state.counters["entries/s"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RawAppend)->Arg(1)->Arg(64)->Arg(1000)->Arg(10000)->UseRealTime()->MinTime(3);

// Custody events through the full command path: decision, projection, log.
void BM_CustodyEvents(benchmark::State& state) {
  const std::string dir = BenchDir("custody");
  std::filesystem::remove_all(dir);
  auto data = DataDir::Init(dir, "bench.example/log", SystemRandom()).value();
  auto seq = Sequencer::Start(data->store(), data->signer().value(), SystemClock(), SystemRandom())
                 .value();
  uint64_t total = 0;
  for (auto _ : state) {
    auto stats =
        RunDemo(seq.get(), data->store(), 20000, total + 1, static_cast<size_t>(state.range(0)));
    if (!stats.ok()) state.SkipWithError(stats.status().ToString().c_str());
    total += 20000;
  }
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CustodyEvents)
    ->Arg(1024)
    ->Arg(8192)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond)
    ->MinTime(5);

// Submission-to-durable-acknowledgement latency at a fixed offered load.
void BM_AckLatency(benchmark::State& state) {
  const double rate = static_cast<double>(state.range(0));
  const std::string dir = BenchDir("latency");
  std::filesystem::remove_all(dir);
  auto data = DataDir::Init(dir, "bench.example/log", SystemRandom()).value();
  auto seq = Sequencer::Start(data->store(), data->signer().value(), SystemClock(), SystemRandom())
                 .value();
  // An organisation with one location and one custodian who moves holdings.
  auto must = [&](EventType t, const std::string& actor, Json f, std::vector<std::string> h = {}) {
    Event e;
    e.type = t;
    e.actor = actor;
    if (t == EventType::kPersonAdd) {
      e = bench::BenchPersonUpToLast(seq.get(), actor, f);
    } else if (!SetFields(&e, f).ok()) {
      std::abort();  // a broken benchmark
    }
    e.holdings = std::move(h);
    auto r = seq->Submit(bench::BenchSigned(seq->origin(), std::move(e)));
    if (!r.ok()) state.SkipWithError(r.status().ToString().c_str());
  };
  must(EventType::kPersonAdd, "A",
       {{"person", "A"},
        {"name", "A"},
        {"unit", "U"},
        {"roles", {"administrator"}},
        {"clearance", "SECRET"}});
  must(EventType::kPersonAdd, "A",
       {{"person", "C"},
        {"name", "C"},
        {"unit", "U"},
        {"roles", {"custodian"}},
        {"clearance", "SECRET"}});
  must(EventType::kFacilityAdd, "A", {{"facility", "F"}, {"name", "F"}});
  must(EventType::kLocationAdd, "A",
       {{"location", "L1"}, {"facility", "F"}, {"name", "1"}, {"kind", "safe"}});
  must(EventType::kLocationAdd, "A",
       {{"location", "L2"}, {"facility", "F"}, {"name", "2"}, {"kind", "safe"}});
  std::vector<double> latencies;
  uint64_t n = 0, failures = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const auto interval = std::chrono::duration<double>(1.0 / rate);
    std::vector<std::pair<std::chrono::steady_clock::time_point, std::future<Result<Receipt>>>>
        inflight;
    const uint64_t count = static_cast<uint64_t>(rate * 3);  // 3 seconds of load
    for (uint64_t i = 0; i < count; ++i) {
      const auto due = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                   interval * static_cast<double>(i));
      std::this_thread::sleep_until(due);
      Event e;
      e.type = EventType::kHoldingRegister;
      e.actor = "C";
      if (!SetFields(&e, {{"kind", "document"}, {"title", "t"}, {"location", "L1"}}).ok()) std::abort();
      inflight.emplace_back(due, seq->SubmitAsync(bench::BenchSigned(seq->origin(), std::move(e))));
      // Collect finished ones without blocking the offered load.
      while (!inflight.empty() && inflight.front().second.wait_for(std::chrono::seconds(0)) ==
                                      std::future_status::ready) {
        failures += !inflight.front().second.get().ok();
        latencies.push_back(std::chrono::duration<double, std::milli>(
                                std::chrono::steady_clock::now() - inflight.front().first)
                                .count());
        inflight.erase(inflight.begin());
      }
    }
    for (auto& [t0, f] : inflight) {
      failures += !f.get().ok();
      latencies.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    n += count;
  }
  if (failures) state.SkipWithError("some submissions failed");
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double p) {
    return latencies[static_cast<size_t>(p * static_cast<double>(latencies.size() - 1))];
  };
  state.counters["p50_ms"] = pct(0.50);
  state.counters["p99_ms"] = pct(0.99);
  state.counters["max_ms"] = latencies.back();
  state.counters["events"] = static_cast<double>(n);
}
BENCHMARK(BM_AckLatency)
    ->Arg(1000)
    ->Arg(10000)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kSecond);

// Inclusion proofs from stored tiles in a log of 10 M entries.
void BM_InclusionProof10M(benchmark::State& state) {
  constexpr uint64_t kSize = 10'000'000;
  const std::string dir = BenchDir("proof10m");
  std::filesystem::create_directories(dir);
  auto store = OpenSqliteStore(dir + "/s.db", {}, {.create = true}).value();
  NoteSigner signer("bench.example/log", Ed25519PrivateKey::FromSeed(std::string(32, 's')).value());
  auto writer = LogWriter::Open(store.get(), signer).value();
  while (writer.size() < kSize) {  // built once, reused by later runs
    std::vector<std::string> entries(std::min<uint64_t>(100000, kSize - writer.size()));
    for (size_t i = 0; i < entries.size(); ++i)
      entries[i] = "entry " + std::to_string(writer.size() + i);
    if (!store->Commit(writer.Prepare(std::move(entries)).value(), {}).ok() ||
        !store->PutCheckpoint(writer.size(), writer.SignCommitted().value()).ok()) {
      state.SkipWithError("building the 10M log failed");
      return;
    }
  }
  TileNodeReader reader(
      [&](int level, uint64_t index, uint64_t) { return store->ReadTile(level, index); });
  SeededRandom rng(1);
  const Hash root = writer.root();
  for (auto _ : state) {
    const uint64_t i = rng.Uniform(kSize);
    auto proof = InclusionProof(&reader, i, kSize);
    benchmark::DoNotOptimize(proof);
    if (state.range(0) == 1) {  // also verify it
      state.PauseTiming();
      Status st = VerifyInclusion(LeafHash("entry " + std::to_string(i)), i, kSize, *proof, root);
      if (!st.ok()) state.SkipWithError(st.ToString().c_str());
      state.ResumeTiming();
    }
  }
}
BENCHMARK(BM_InclusionProof10M)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

// Full self-audit (hashes, tiles, checkpoints, custody replay, projection
// comparison) of a demo store.
void BM_VerifyStore(benchmark::State& state) {
  const std::string dir = BenchDir("verify");
  if (!std::filesystem::exists(dir + "/strongroom.db")) {
    auto data = DataDir::Init(dir, "bench.example/log", SystemRandom()).value();
    auto seq =
        Sequencer::Start(data->store(), data->signer().value(), SystemClock(), SystemRandom())
            .value();
    if (!RunDemo(seq.get(), data->store(), 200000, 5, 8192).ok()) {
      state.SkipWithError("demo failed");
      return;
    }
  }
  auto data = DataDir::Open(dir, DataDir::Mode::kRead).value();
  uint64_t entries = 0;
  for (auto _ : state) {
    auto report = AuditStore(data.get(), std::nullopt);
    if (!report.ok() || !report->ok()) state.SkipWithError("verify failed");
    entries += report->entries;
  }
  state.counters["entries/s"] =
      benchmark::Counter(static_cast<double>(entries), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_VerifyStore)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace strongroom

BENCHMARK_MAIN();
