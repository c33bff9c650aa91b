// The custody path's stages, each alone, on one event: a check-out of one
// holding to an officer who holds N other grants (N = 1 ... 10,000), on a
// real SQLite store — decode (entry → event), load (the records it names,
// from a cold projection), decide (the rules and the policy, warm), apply
// (the projection changed and its rows encoded), encode (event → canonical
// entry), hash (leaf hash). The commit is ledger_bench's BM_RawAppend. And
// does a decision cost the same whatever the person holds (BM_CheckOut*)?
//
//   build/bench/decision_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <filesystem>

#include "bench_keys.h"
#include "base/clock.h"
#include "custody/data_dir.h"
#include "custody/rules.h"
#include "custody/sequencer.h"
#include "crypto/sha256.h"

namespace strongroom {
namespace {

struct World {
  std::unique_ptr<DataDir> data;
  Event check_out;
};

// An organisation in which OFF holds `grants` grants on other holdings and
// one on DOC-1, the holding a custodian checks out to them.
World Build(int64_t grants) {
  const std::string dir = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") +
                          "/strongroom-bench-decision-" + std::to_string(grants);
  std::filesystem::remove_all(dir);
  World w;
  w.data = DataDir::Init(dir, "bench.example/log", SystemRandom()).value();
  auto seq =
      Sequencer::Start(w.data->store(), w.data->signer().value(), SystemClock(), SystemRandom())
          .value();
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
    if (!r.ok() || r->outcome != Outcome::kAccepted) std::abort();  // a broken benchmark
  };
  must(EventType::kPersonAdd, "A",
       {{"person", "A"},
        {"name", "A"},
        {"unit", "U"},
        {"roles", {"administrator", "security_manager"}},
        {"clearance", "TOP SECRET"}});
  must(EventType::kFacilityAdd, "A", {{"facility", "F"}, {"name", "F"}});
  must(EventType::kLocationAdd, "A",
       {{"location", "L"}, {"facility", "F"}, {"name", "L"}, {"kind", "safe"}});
  must(EventType::kPersonAdd, "A",
       {{"person", "C"},
        {"name", "C"},
        {"unit", "U"},
        {"roles", {"custodian"}},
        {"clearance", "SECRET"},
        {"facility", "F"}});
  must(EventType::kPersonAdd, "A",
       {{"person", "OFF"},
        {"name", "O"},
        {"unit", "U"},
        {"roles", {"holder"}},
        {"clearance", "SECRET"}});
  must(EventType::kHoldingRegister, "C",
       {{"kind", "document"}, {"title", "T"}, {"location", "L"}, {"classification", "SECRET"}},
       {"DOC-1"});
  must(EventType::kGrantAdd, "A",
       {{"person", "OFF"}, {"scope", "holding"}, {"target", "DOC-1"}, {"expires", "2030-01-01"}});
  seq.reset();
  // The other grants, written as the projection would hold them.
  std::vector<RowWrite> rows;
  for (int64_t i = 0; i < grants; ++i) {
    Grant g;
    g.id = "G-X" + std::to_string(i);
    g.person = "OFF";
    g.scope = i % 3 == 0 ? "holding" : i % 3 == 1 ? "case" : "compartment";
    g.target = "T-" + std::to_string(i);
    g.expires = "2030-01-01T00:00:00Z";
    g.grantor = "A";
    rows.push_back({kGrantsTable, ToRow(g)});
  }
  if (!w.data->store()->PutRows(rows).ok()) std::abort();
  w.check_out.type = EventType::kCheckOut;
  w.check_out.actor = "C";
  w.check_out.holdings = {"DOC-1"};
  w.check_out.time = FormatRfc3339(SystemClock()->Now());
  if (!SetFields(&w.check_out, {{"to", "OFF"}, {"purpose", "p"}, {"due_back", "2029-01-01T00:00:00Z"}}).ok()) {
    std::abort();
  }
  return w;
}

void Decide(benchmark::State& state, Projection* p, const Event& e) {
  if (!LoadReferences(e, p).ok()) state.SkipWithError("load");
  auto v = Check(e, *p, CheckEnv{false, "bench.example/log", 100});
  if (!v.ok() || v->kind != Verdict::Kind::kAccept) state.SkipWithError("not accepted");
}

void BM_CheckOutCold(benchmark::State& state) {
  World w = Build(state.range(0));
  for (auto _ : state) {
    Projection p(w.data->store());
    Decide(state, &p, w.check_out);
  }
  state.counters["decisions/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CheckOutCold)->Arg(1)->Arg(100)->Arg(10000)->Unit(benchmark::kMicrosecond);

void BM_CheckOutWarm(benchmark::State& state) {
  World w = Build(state.range(0));
  Projection p(w.data->store());
  for (auto _ : state) Decide(state, &p, w.check_out);
  state.counters["decisions/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CheckOutWarm)->Arg(1)->Arg(100)->Arg(10000)->Unit(benchmark::kMicrosecond);

// ---- The stages, one at a time (N = 100 other grants).

// The check-out as its actor submits it: signed (and so with its nonce).
Event Stamped(const World& w) { return bench::BenchSigned("bench.example/log", w.check_out); }

void BM_StageDecode(benchmark::State& state) {
  World w = Build(100);
  const std::string entry = Stamped(w).ToEntry().value();
  for (auto _ : state) benchmark::DoNotOptimize(Event::FromEntry(entry));
}
BENCHMARK(BM_StageDecode)->Unit(benchmark::kMicrosecond);

void BM_StageLoad(benchmark::State& state) {
  World w = Build(100);
  for (auto _ : state) {
    Projection p(w.data->store());
    ScopedReads reads(w.data->store());  // as the sequencer: one read transaction per batch
    if (!LoadReferences(w.check_out, &p).ok()) state.SkipWithError("load");
  }
}
BENCHMARK(BM_StageLoad)->Unit(benchmark::kMicrosecond);

void BM_StageDecide(benchmark::State& state) {
  World w = Build(100);
  Projection p(w.data->store());
  if (!LoadReferences(w.check_out, &p).ok()) state.SkipWithError("load");
  for (auto _ : state) {
    benchmark::DoNotOptimize(Check(w.check_out, p, CheckEnv{false, "bench.example/log", 100}));
  }
}
BENCHMARK(BM_StageDecide)->Unit(benchmark::kMicrosecond);

void BM_StageApply(benchmark::State& state) {
  World w = Build(100);
  Projection p(w.data->store());
  if (!LoadReferences(w.check_out, &p).ok()) state.SkipWithError("load");
  uint64_t index = 100;
  for (auto _ : state) {
    Apply(w.check_out, index++, &p);
    benchmark::DoNotOptimize(p.TakeWrites());  // the rows it changed, as the commit takes them
  }
}
BENCHMARK(BM_StageApply)->Unit(benchmark::kMicrosecond);

void BM_StageEncode(benchmark::State& state) {
  World w = Build(100);
  const Event e = Stamped(w);
  for (auto _ : state) benchmark::DoNotOptimize(e.ToEntry());
}
BENCHMARK(BM_StageEncode)->Unit(benchmark::kMicrosecond);

// The actor's signature: made by the client (or the session holding the
// key), verified once when submitted and once by verify.
void BM_StageSign(benchmark::State& state) {
  World w = Build(100);
  const Ed25519PrivateKey key = bench::BenchKey(w.check_out.actor);
  for (auto _ : state) {
    Event e = w.check_out;
    SignEvent("bench.example/log", key, SystemRandom(), &e);
    benchmark::DoNotOptimize(e.actor_signature);
  }
}
BENCHMARK(BM_StageSign)->Unit(benchmark::kMicrosecond);

void BM_StageVerify(benchmark::State& state) {
  World w = Build(100);
  Projection p(w.data->store());
  const Event e = Stamped(w);
  if (!LoadReferences(e, &p).ok()) state.SkipWithError("load");
  const CheckEnv env{false, "bench.example/log", 100};
  for (auto _ : state) {
    if (!CheckActorSignature(e, p, env, /*cryptographic=*/true).ok()) state.SkipWithError("verify");
  }
}
BENCHMARK(BM_StageVerify)->Unit(benchmark::kMicrosecond);

// Confidential entries: a registration's four sealed fields (title,
// classification, originator, compartments) become commitments (what the
// signer and the encoder pay), and a reader opens them again with the
// disclosure (FromEntry checks every commitment).
Event SealedRegistration() {
  Event e;
  e.type = EventType::kHoldingRegister;
  e.actor = "CUS";
  e.holdings = {"DOC-1"};
  (void)SetFields(&e, Json{{"kind", "document"},
                           {"title", "Operations order for the northern district"},
                           {"location", "V1"},
                           {"classification", "SECRET"},
                           {"originator", "Directorate K"},
                           {"compartments", {"ORCHID"}}});
  e.time = "2026-12-03T12:00:00.000000Z";
  e.nonce = "AAAAAAAAAAAAAAAAAAAAAA==";
  e.actor_signature = std::string(86, 'A') + "==";
  EnsureSealKey(&e);
  return e;
}

void BM_StageSeal(benchmark::State& state) {
  const Event e = SealedRegistration();
  for (auto _ : state) benchmark::DoNotOptimize(e.SealedFields());
}
BENCHMARK(BM_StageSeal)->Unit(benchmark::kMicrosecond);

void BM_StageOpen(benchmark::State& state) {
  const Event e = SealedRegistration();
  const std::string entry = e.ToEntry().value(), disclosure = e.Disclosure();
  for (auto _ : state) benchmark::DoNotOptimize(Event::FromEntry(entry, disclosure));
}
BENCHMARK(BM_StageOpen)->Unit(benchmark::kMicrosecond);

void BM_StageDecodeSealed(benchmark::State& state) {
  const std::string entry = SealedRegistration().ToEntry().value();
  for (auto _ : state) benchmark::DoNotOptimize(Event::FromEntry(entry));
}
BENCHMARK(BM_StageDecodeSealed)->Unit(benchmark::kMicrosecond);

void BM_StageHash(benchmark::State& state) {
  World w = Build(100);
  const std::string entry = Stamped(w).ToEntry().value();
  for (auto _ : state) benchmark::DoNotOptimize(LeafHash(entry));
}
BENCHMARK(BM_StageHash)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace strongroom

BENCHMARK_MAIN();
