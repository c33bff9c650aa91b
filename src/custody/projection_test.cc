// The projection's grant index against the obvious reference: a person's
// live grants that cover a holding are those on the holding, its original,
// its case or one of its compartments — whatever else the person holds, and
// whether the grants come from the store, from events of this batch, or were
// revoked since they were stored.
#include "custody/projection.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <filesystem>

#include "base/clock.h"
#include "custody/data_dir.h"

namespace strongroom {
namespace {

const std::vector<std::string> kPeople = {"P1", "P2"};
const std::vector<std::string> kHoldings = {"H-1", "H-2", "H-3"};
const std::vector<std::string> kCases = {"CASE-1", "CASE-2"};
const std::vector<std::string> kCompartments = {"ORCHID", "LANTERN", "GRANITE"};

Grant RandomGrant(int n) {
  Grant g;
  g.id = "G-" + std::to_string(n);
  g.person = *rc::gen::elementOf(kPeople);
  g.scope = *rc::gen::element<std::string>("holding", "case", "compartment");
  g.target = g.scope == "holding" ? *rc::gen::elementOf(kHoldings)
             : g.scope == "case"  ? *rc::gen::elementOf(kCases)
                                  : *rc::gen::elementOf(kCompartments);
  g.expires =
      FormatRfc3339(int64_t{1'800'000'000'000'000} + *rc::gen::inRange(0, 1000) * 1'000'000);
  g.grantor = "SM";
  g.status = *rc::gen::element(GrantStatus::kLive, GrantStatus::kLive, GrantStatus::kRevoked);
  return g;
}

policy::Resource RandomResource(Holding* h) {
  h->id = *rc::gen::elementOf(kHoldings);
  h->copy_of = *rc::gen::element<std::string>("", "H-1", "H-2");
  h->case_number = *rc::gen::element<std::string>("", "CASE-1", "CASE-2");
  for (const auto& c : kCompartments) {
    if (*rc::gen::arbitrary<bool>()) h->compartments.push_back(c);
  }
  policy::Resource r;
  r.kind = policy::Kind::kHolding;
  r.id = h->id;
  r.series = h->copy_of;
  r.case_number = h->case_number;
  r.compartments = h->compartments;  // sorted as kCompartments is not: sort
  std::sort(r.compartments.begin(), r.compartments.end());
  return r;
}

// The reference: every live grant of `person` among `grants` that covers `r`.
std::vector<std::string> Expected(const std::map<std::string, Grant>& grants,
                                  const std::string& person, const policy::Resource& r) {
  std::vector<std::string> ids;
  for (const auto& [id, g] : grants) {
    if (g.person != person || g.status != GrantStatus::kLive) continue;
    const bool covers =
        (g.scope == "holding" && (g.target == r.id || g.target == r.series)) ||
        (g.scope == "case" && !r.case_number.empty() && g.target == r.case_number) ||
        (g.scope == "compartment" &&
         std::binary_search(r.compartments.begin(), r.compartments.end(), g.target));
    if (covers) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

class GrantIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::string(::testing::TempDir()) + "strongroom-grant-index";
    std::filesystem::remove_all(dir_);
    auto data = DataDir::Init(dir_, "grants.example/log", SystemRandom());
    ASSERT_TRUE(data.ok()) << data.status().message();
    data_ = std::move(*data);
  }
  std::string dir_;
  std::unique_ptr<DataDir> data_;
};

TEST_F(GrantIndexTest, CoveringGrantsAreExactlyTheLiveOnesThatCover) {
  Store* store = data_->store();
  int run = 0;
  const bool ok = rc::check([&] {
    // Grants already in the store, then this batch's changes (new grants
    // and revocations of stored ones) made through Put().
    std::map<std::string, Grant> truth;
    std::vector<RowWrite> stored;
    const int n = *rc::gen::inRange(0, 30);
    const std::string prefix = std::to_string(run++) + "-";  // ids never reused
    for (int i = 0; i < n; ++i) {
      Grant g = RandomGrant(i);
      g.id = prefix + g.id;
      truth[g.id] = g;
      stored.push_back({kGrantsTable, ToRow(g)});
    }
    RC_ASSERT(store->ReplaceTables({kGrantsTable}, stored, {}).ok());  // only this run's
    Projection store_backed(store);
    Projection scratch(nullptr);
    for (const auto& [id, g] : truth) scratch.Put(g);
    const int changes = *rc::gen::inRange(0, 10);
    for (int i = 0; i < changes; ++i) {
      Grant g;
      if (!truth.empty() && *rc::gen::arbitrary<bool>()) {
        auto it = truth.begin();
        std::advance(it, *rc::gen::inRange<size_t>(0, truth.size()));
        RC_ASSERT(store_backed.LoadGrant(it->first).ok());
        g = it->second;
        g.status = g.status == GrantStatus::kLive ? GrantStatus::kRevoked : GrantStatus::kLive;
      } else {
        g = RandomGrant(1000 + i);
        g.id = prefix + g.id;
      }
      truth[g.id] = g;
      store_backed.Put(g);
      scratch.Put(g);
    }
    for (int q = 0; q < 5; ++q) {
      Holding h;
      const policy::Resource r = RandomResource(&h);
      const std::string person = *rc::gen::elementOf(kPeople);
      RC_ASSERT(store_backed.LoadGrantsCovering(person, h).ok());
      const auto want = Expected(truth, person, r);
      for (Projection* p : {&store_backed, &scratch}) {
        std::vector<policy::Grant> got;
        RC_ASSERT(p->CoveringGrants(person, r, &got));
        std::vector<std::string> ids;
        for (const auto& g : got) ids.push_back(g.id);
        RC_ASSERT(ids == want);
        for (const auto& g : got) {
          RC_ASSERT(g.expires == ParseRfc3339(truth[g.id].expires).value());
        }
      }
    }
    // Asking for a key that was never loaded is reported, not answered.
    Projection cold(store);
    Holding h;
    const policy::Resource r = RandomResource(&h);
    std::vector<policy::Grant> got;
    RC_ASSERT(!cold.CoveringGrants("P1", r, &got));
  });
  EXPECT_TRUE(ok);
}

}  // namespace
}  // namespace strongroom
