#include "oversight/sample.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "base/encoding.h"

namespace strongroom::oversight {
namespace {

std::vector<std::string> Ids(size_t n) {
  std::vector<std::string> ids;
  for (size_t i = 0; i < n; ++i) ids.push_back("H-" + std::to_string(100000 + i));
  return ids;
}

Hash HashOf(std::string_view label) { return Sha256(label); }

TEST(SampleSizeTest, MatchesThePublishedFigures) {
  // oversight.md: discovery at 95 % for N = 10,000 finds 1 % bad with 294
  // items and 0.1 % with 2,588 (exact hypergeometric).
  SizeRule d{Method::kDiscovery, 0, "0.95", "0.01", ""};
  EXPECT_EQ(SampleSize(d, 10000).value(), 294u);
  d.rate = "0.001";
  EXPECT_EQ(SampleSize(d, 10000).value(), 2588u);
  // Cochran at 95 % +- 3 % with the finite-population correction.
  SizeRule e{Method::kEstimation, 0, "0.95", "", "0.03"};
  EXPECT_EQ(SampleSize(e, 1000).value(), 517u);
  EXPECT_EQ(SampleSize(e, 10000).value(), 965u);
  EXPECT_EQ(SampleSize(e, 100000).value(), 1056u);
  EXPECT_EQ(SampleSize({Method::kFull}, 1234).value(), 1234u);
  EXPECT_EQ(SampleSize({Method::kFixed, 50}, 20).value(), 20u);
  EXPECT_EQ(SampleSize({Method::kFixed, 50}, 2000).value(), 50u);
  // Tiny populations: never more than N; discovery of one bad among 3.
  EXPECT_EQ(SampleSize(e, 5).value(), 5u);
  d.rate = "0.01";
  EXPECT_EQ(SampleSize(d, 3).value(), 3u);
  EXPECT_EQ(SampleSize(d, 0).value(), 0u);
}

TEST(SampleSizeTest, RefusesParametersThatAreNotFractions) {
  for (const char* bad : {"0.0", "1.0", "0.", ".95", "95%", "0.9500001", "0,95", "-0.5", "0.9e1"}) {
    SizeRule d{Method::kDiscovery, 0, bad, "0.01", ""};
    EXPECT_EQ(SampleSize(d, 100).status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_FALSE(SampleSize({Method::kEstimation, 0, "0.80", "", "0.03"}, 100).ok());
  EXPECT_FALSE(SampleSize({Method::kFixed, 0}, 100).ok());
  EXPECT_FALSE(ParseMethod("random").ok());
}

TEST(SampleTest, IsTheSmallestRanksInRankOrder) {
  const Hash seed = SampleSeed(HashOf("root"), std::string(32, 'r'));
  const auto population = Ids(500);
  const auto sample = DrawSample(seed, population, 20);
  ASSERT_EQ(sample.size(), 20u);
  std::vector<std::pair<Hash, std::string>> all;
  for (const auto& id : population) all.emplace_back(Rank(seed, id), id);
  std::sort(all.begin(), all.end(),
            [](const auto& a, const auto& b) { return a.first.bytes < b.first.bytes; });
  for (size_t i = 0; i < sample.size(); ++i) EXPECT_EQ(sample[i], all[i].second);
  // The whole population, in rank order, when n >= N.
  EXPECT_EQ(DrawSample(seed, population, 10000).size(), 500u);
}

RC_GTEST_PROP(SampleProperty, ReproducibleAndBoundToRootAndReveal, ()) {
  const auto n_ids = *rc::gen::inRange<size_t>(20, 300);
  const auto population = Ids(n_ids);
  const auto n = *rc::gen::inRange<size_t>(1, n_ids);
  const std::string reveal = *rc::gen::container<std::string>(32, rc::gen::arbitrary<char>());
  const Hash root = HashOf(*rc::gen::arbitrary<std::string>());
  const auto a = DrawSample(SampleSeed(root, reveal), population, n);
  RC_ASSERT(a == DrawSample(SampleSeed(root, reveal), population, n));
  RC_ASSERT(a.size() == n);
  RC_ASSERT(std::set<std::string>(a.begin(), a.end()).size() == n);
  // The population's order does not matter.
  auto shuffled = population;
  std::reverse(shuffled.begin(), shuffled.end());
  RC_ASSERT(a == DrawSample(SampleSeed(root, reveal), shuffled, n));
  // Another reveal or root draws another ranking (a sample of n < N could
  // coincide; the full ranking practically cannot).
  std::string other = reveal;
  other[0] = static_cast<char>(other[0] ^ 1);
  RC_ASSERT(DrawSample(SampleSeed(root, reveal), population, n_ids) !=
            DrawSample(SampleSeed(root, other), population, n_ids));
  Hash root2 = root;
  root2.bytes[31] ^= 1;
  RC_ASSERT(DrawSample(SampleSeed(root, reveal), population, n_ids) !=
            DrawSample(SampleSeed(root2, reveal), population, n_ids));
}

TEST(SampleTest, EveryIdIsEquallyLikelyOverManySeeds) {
  // 20 ids, samples of 5, 8,000 seeds: each id is drawn 2,000 times in
  // expectation. A chi-square over 19 degrees of freedom beyond 43.8 has
  // probability 0.001 for a fair draw; the seeds are fixed, so this is
  // deterministic and fails only if the draw favours some ids.
  const auto population = Ids(20);
  std::map<std::string, int> drawn;
  for (int s = 0; s < 8000; ++s) {
    for (const auto& id :
         DrawSample(SampleSeed(HashOf("root " + std::to_string(s)), std::string(32, 'x')), population, 5)) {
      ++drawn[id];
    }
  }
  double chi2 = 0;
  for (const auto& id : population) {
    const double d = drawn[id] - 2000.0;
    chi2 += d * d / 2000.0;
  }
  EXPECT_LT(chi2, 43.8);
  EXPECT_EQ(drawn.size(), 20u);
}

TEST(SampleTest, PopulationAndSampleHashesAreOfLines) {
  std::vector<std::string> ids = {"B", "A", "C"};
  EXPECT_EQ(PopulationHash(&ids), HexEncode(Sha256("A\nB\nC\n").view()));
  EXPECT_EQ(ids, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(SampleHash({"C", "A"}), HexEncode(Sha256("C\nA\n").view()));
  EXPECT_EQ(Commitment("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// A second implementation, in Python, written from docs/oversight.md:
// the same sample and the same sizes.
std::string RunCommand(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return "";
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << command;
  return out;
}

TEST(SampleTest, APythonImplementationFromTheDocsAgrees) {
  const std::string script = std::string(STRONGROOM_SOURCE) + "/tests/inspection_sample.py";
  const auto dir = std::filesystem::temp_directory_path() / ("sr-sample-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::vector<std::string> population = Ids(700);
  population.push_back("Z-é");  // UTF-8 bytes
  {
    std::ofstream f(dir / "ids");
    for (const auto& id : population) f << id << "\n";
  }
  for (int round = 0; round < 3; ++round) {
    const Hash root = HashOf("root" + std::to_string(round));
    const std::string reveal = Sha256("reveal" + std::to_string(round)).str();
    const auto mine = DrawSample(SampleSeed(root, reveal), population, 40 + round * 100);
    std::string expected;
    for (const auto& id : mine) expected += id + "\n";
    EXPECT_EQ(RunCommand("python3 " + script + " sample " + Base64Encode(root.view()) + " " +
                  Base64Encode(reveal) + " " + std::to_string(mine.size()) + " < " +
                  (dir / "ids").string()),
              expected);
  }
  struct Case {
    SizeRule rule;
    std::string params;
  };
  const std::vector<Case> cases = {
      {{Method::kDiscovery, 0, "0.95", "0.01", ""}, "discovery POP 0.95 0.01"},
      {{Method::kDiscovery, 0, "0.99", "0.005", ""}, "discovery POP 0.99 0.005"},
      {{Method::kDiscovery, 0, "0.9", "0.1", ""}, "discovery POP 0.9 0.1"},
      {{Method::kEstimation, 0, "0.95", "", "0.03"}, "estimation POP 0.95 0.03"},
      {{Method::kEstimation, 0, "0.99", "", "0.05"}, "estimation POP 0.99 0.05"},
      {{Method::kFixed, 25}, "fixed POP 25"},
      {{Method::kFull}, "full POP"},
  };
  for (const Case& c : cases) {
    for (uint64_t N : {1ull, 7ull, 120ull, 1097ull, 10000ull, 81234ull}) {
      std::string params = c.params;
      params.replace(params.find("POP"), 3, std::to_string(N));
      EXPECT_EQ(RunCommand("python3 " + script + " size " + params),
                std::to_string(SampleSize(c.rule, N).value()) + "\n")
          << params;
    }
  }
  std::filesystem::remove_all(dir);
}

TEST(DiscrepancyIntervalTest, CoversTheRateAndNarrowsToACensus) {
  const Interval i = DiscrepancyInterval(115, 1097, 100000);
  EXPECT_LT(i.low, 115.0 / 1097);
  EXPECT_GT(i.high, 115.0 / 1097);
  EXPECT_NEAR(i.low, 0.088, 0.003);
  EXPECT_NEAR(i.high, 0.125, 0.003);
  // Nothing found: the interval starts at 0; everything: it ends at 1; and
  // the observed rate is always inside.
  EXPECT_DOUBLE_EQ(DiscrepancyInterval(0, 400, 500).low, 0.0);
  EXPECT_DOUBLE_EQ(DiscrepancyInterval(50, 50, 100).high, 1.0);
  for (uint64_t bad : {0, 1, 7, 99}) {
    const Interval k = DiscrepancyInterval(bad, 99, 100);
    EXPECT_LE(k.low, bad / 99.0);
    EXPECT_GE(k.high, bad / 99.0);
  }
  const Interval census = DiscrepancyInterval(3, 50, 50);
  EXPECT_DOUBLE_EQ(census.low, 0.06);
  EXPECT_DOUBLE_EQ(census.high, 0.06);
}

}  // namespace
}  // namespace strongroom::oversight
