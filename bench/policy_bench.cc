// Policy decision benchmark, with an organisation's worth of state loaded:
// 100,000 people, 1,000,000 holdings, 1,000,000 need-to-know grants.
//   build/bench/policy_bench --benchmark_counters_tabular=true
// BM_Decide times Decide() on pre-resolved (person, holding) pairs, over
// 1,024 pairs (state in cache: the logic's own cost) and over 1 M uniformly
// random pairs (every decision misses the cache); BM_DecideById adds the two
// hash lookups by identifier. Each also reports
// the median and p99 of single decisions timed one by one (clock overhead,
// about 20 ns, included).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <unordered_map>

#include "policy/policy.h"

namespace strongroom::policy {
namespace {

constexpr size_t kPeople = 100'000, kHoldings = 1'000'000, kGrants = 1'000'000;
const std::vector<std::string> kCompartments = {"IRIS", "LILAC", "ORCHID", "ROSE", "TULIP"};

struct Organisation {
  std::vector<std::vector<Grant>> grants;  // by person
  std::vector<Subject> people;
  std::vector<Resource> holdings;
  std::unordered_map<std::string, uint32_t> person_by_id, holding_by_id;

  Organisation() {
    std::mt19937_64 rng(7);
    auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
    holdings.resize(kHoldings);
    for (size_t i = 0; i < kHoldings; ++i) {
      Resource& r = holdings[i];
      r.kind = Kind::kHolding;
      r.id = "H-" + std::to_string(i);
      r.evidence = i % 3 == 0;
      r.classification = static_cast<int>(pick(kTopLevel + 1));
      if (pick(4) == 0) r.compartments = {kCompartments[pick(kCompartments.size())]};
      r.case_number = r.evidence ? "CASE-" + std::to_string(pick(50'000)) : "";
      r.facility = "F-" + std::to_string(pick(20));
      holding_by_id.emplace(r.id, static_cast<uint32_t>(i));
    }
    grants.resize(kPeople);
    for (size_t i = 0; i < kGrants; ++i) {
      const size_t h = pick(kHoldings);
      Grant g;
      g.id = "G-" + std::to_string(i);
      g.scope = holdings[h].evidence ? Scope::kCase : Scope::kHolding;
      g.target = holdings[h].evidence ? holdings[h].case_number : holdings[h].id;
      g.expires = static_cast<int64_t>(pick(2'000'000));
      g.grantor = "SM-1";
      grants[pick(kPeople)].push_back(std::move(g));
    }
    people.resize(kPeople);
    for (size_t i = 0; i < kPeople; ++i) {
      Subject& s = people[i];
      s.id = "P-" + std::to_string(i);
      s.roles = pick(10) == 0 ? kCustodian : kHolder;
      s.clearance = static_cast<int>(pick(kTopLevel + 1));
      for (const auto& c : kCompartments) {
        if (pick(3) == 0) s.compartments.push_back(c);
      }
      s.grants = grants[i];
      person_by_id.emplace(s.id, static_cast<uint32_t>(i));
    }
  }
};

const Organisation& Org() {
  static const Organisation* org = new Organisation();
  return *org;
}

struct Pair {
  uint32_t person, holding;
};

std::vector<Pair> RandomPairs(size_t n) {
  std::mt19937_64 rng(11);
  std::vector<Pair> out(n);
  for (auto& p : out) {
    p.person = static_cast<uint32_t>(rng() % kPeople);
    p.holding = static_cast<uint32_t>(rng() % kHoldings);
  }
  return out;
}

void ReportPercentiles(benchmark::State& state, std::vector<int64_t>* ns) {
  std::sort(ns->begin(), ns->end());
  state.counters["p50_ns"] = static_cast<double>((*ns)[ns->size() / 2]);
  state.counters["p99_ns"] = static_cast<double>((*ns)[ns->size() * 99 / 100]);
}

// decide_one(k) decides the k-th of `n` (a power of two) random requests.
template <typename DecideOne>
void Run(benchmark::State& state, size_t n, DecideOne decide_one) {
  size_t i = 0, allowed = 0;
  for (auto _ : state) allowed += decide_one(i++ & (n - 1)).effect == Effect::kAllow;
  state.SetItemsProcessed(state.iterations());
  state.counters["allowed_pct"] =
      100.0 * static_cast<double>(allowed) / static_cast<double>(state.iterations());
  std::vector<int64_t> ns;
  ns.reserve(200'000);
  for (size_t k = 0; k < 200'000; ++k) {
    const auto t0 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(decide_one(k & (n - 1)));
    ns.push_back(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0)
            .count());
  }
  ReportPercentiles(state, &ns);
}

void BM_Decide(benchmark::State& state) {
  const Organisation& org = Org();
  Context ctx;
  ctx.now = 1'000'000;
  const auto pairs = RandomPairs(static_cast<size_t>(state.range(0)));
  Run(state, pairs.size(), [&](size_t k) {
    const Subject& s = org.people[pairs[k].person];
    ctx.actor = s.id;
    return Decide(s, Action::kHold, org.holdings[pairs[k].holding], ctx);
  });
}
BENCHMARK(BM_Decide)->Arg(1 << 10)->Arg(1 << 20);

void BM_DecideById(benchmark::State& state) {
  const Organisation& org = Org();
  Context ctx;
  ctx.now = 1'000'000;
  std::vector<std::pair<std::string, std::string>> ids;
  for (Pair p : RandomPairs(1 << 20)) {
    ids.emplace_back(org.people[p.person].id, org.holdings[p.holding].id);
  }
  Run(state, ids.size(), [&](size_t k) {
    const auto& [person, holding] = ids[k];
    const Subject& s = org.people[org.person_by_id.at(person)];
    ctx.actor = s.id;
    return Decide(s, Action::kHold, org.holdings[org.holding_by_id.at(holding)], ctx);
  });
}
BENCHMARK(BM_DecideById)->Arg(1 << 20);

void BM_ExplainDenial(benchmark::State& state) {
  const Organisation& org = Org();
  Context ctx;
  ctx.now = 1'000'000;
  const Subject& s = org.people[0];
  Resource r = org.holdings[0];
  r.classification = kTopLevel;
  r.compartments = {"ORCHID", "ZINNIA"};
  for (auto _ : state) {
    Decision d = Decide(s, Action::kHold, r, ctx);
    benchmark::DoNotOptimize(Explain(Request{s, Action::kHold, r, ctx}, d));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ExplainDenial);

}  // namespace
}  // namespace strongroom::policy

BENCHMARK_MAIN();
