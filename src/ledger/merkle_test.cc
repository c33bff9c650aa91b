// RFC 6962 / C2SP conformance against published vectors, and randomised
// differential tests of the incremental, tile-based tree against a plain
// recursive reference written straight from RFC 9162 §2.1.
#include "ledger/merkle.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <bit>
#include <filesystem>
#include <map>

#include "base/encoding.h"
#include "base/file.h"
#include "json/canonical.h"
#include "ledger/proof.h"

namespace strongroom {
namespace {

// ---- The reference: obviously correct, slow. ----
Hash RefMth(const std::vector<Hash>& leaves, size_t begin, size_t end) {
  if (end - begin == 1) return leaves[begin];
  size_t k = std::bit_floor(end - begin - 1);
  return NodeHash(RefMth(leaves, begin, begin + k), RefMth(leaves, begin + k, end));
}
Hash RefRoot(const std::vector<Hash>& leaves, size_t n) {
  return n == 0 ? EmptyTreeRoot() : RefMth(leaves, 0, n);
}
void RefPath(const std::vector<Hash>& l, size_t m, size_t b, size_t e, std::vector<Hash>* out) {
  if (e - b == 1) return;
  size_t k = std::bit_floor(e - b - 1);
  if (m < k) {
    RefPath(l, m, b, b + k, out);
    out->push_back(RefMth(l, b + k, e));
  } else {
    RefPath(l, m - k, b + k, e, out);
    out->push_back(RefMth(l, b, b + k));
  }
}
void RefSubproof(const std::vector<Hash>& l, size_t m, size_t b, size_t e, bool whole,
                 std::vector<Hash>* out) {
  if (m == e - b) {
    if (!whole) out->push_back(RefMth(l, b, e));
    return;
  }
  size_t k = std::bit_floor(e - b - 1);
  if (m <= k) {
    RefSubproof(l, m, b, b + k, whole, out);
    out->push_back(RefMth(l, b + k, e));
  } else {
    RefSubproof(l, m - k, b + k, e, false, out);
    out->push_back(RefMth(l, b, b + k));
  }
}

// A log built by TreeBuilder, its tiles kept as a store would keep them.
struct TiledLog {
  TreeBuilder builder;
  std::map<std::pair<int, uint64_t>, std::string> tiles;
  std::vector<Hash> leaves;

  void Append(const Hash& h) {
    leaves.push_back(h);
    builder.Append(h);
    for (TileData& t : builder.TakeChangedTiles()) tiles[{t.id.level, t.id.index}] = t.data;
  }
  TileNodeReader Reader() {
    return TileNodeReader([this](int level, uint64_t index, uint64_t) -> Result<std::string> {
      auto it = tiles.find({level, index});
      if (it == tiles.end()) return NotFound("no tile");
      return it->second;
    });
  }
};

Hash LeafN(uint64_t i) { return LeafHash("leaf " + std::to_string(i)); }

// ---- Published vectors ----
Hash B64Hash(const Json& j) {
  auto raw = Base64Decode(j.get<std::string>());
  if (!raw.ok() || raw->size() != 32) return Hash{};  // a wrong-length hash never verifies
  return Hash::FromBytes(*raw);
}
std::vector<Hash> B64Proof(const Json& j) {
  std::vector<Hash> out;
  if (j.is_array()) {
    for (const auto& h : j) out.push_back(B64Hash(h));
  }
  return out;
}
std::vector<std::filesystem::path> Vectors(const std::string& prefix) {
  std::vector<std::filesystem::path> out;
  for (const auto& e :
       std::filesystem::directory_iterator(STRONGROOM_TESTDATA "/transparency-dev-merkle")) {
    if (e.path().filename().string().rfind(prefix, 0) == 0) out.push_back(e.path());
  }
  return out;
}

std::vector<std::string> ReferenceLeaves() {
  std::vector<std::string> out;
  for (const char* hex : {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                          "606162636465666768696a6b6c6d6e6f"}) {
    out.push_back(HexDecode(hex).value());
  }
  return out;
}

// RFC 4231's test cases 1, 2 and 6 (a key longer than the block), through
// both the one-shot function and a key used for several messages.
TEST(HmacTest, MatchesRfc4231) {
  const std::string key1(20, '\x0b');
  EXPECT_EQ(HexEncode(HmacSha256(key1, "Hi There").view()),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  HmacSha256Key jefe("Jefe");
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(HexEncode(jefe.Mac("what do ya want for nothing?").view()),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }
  EXPECT_EQ(HexEncode(HmacSha256(std::string(131, '\xaa'),
                                 "Test Using Larger Than Block-Size Key - Hash Key First")
                          .view()),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(MerkleTest, ReferenceTreeRootsMatchRfc6962) {
  // Roots of the 8-leaf reference tree at every size, from the CT test suite.
  const char* kRoots[] = {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                          "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
                          "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
                          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                          "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
                          "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
                          "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
                          "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
  TreeBuilder b;
  EXPECT_EQ(HexEncode(b.Root().view()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  auto leaves = ReferenceLeaves();
  for (size_t i = 0; i < leaves.size(); ++i) {
    b.Append(LeafHash(leaves[i]));
    EXPECT_EQ(HexEncode(b.Root().view()), kRoots[i]) << "size " << i + 1;
  }
}

TEST(MerkleTest, InclusionVectorsFromTransparencyDev) {
  auto files = Vectors("inclusion-");
  ASSERT_GE(files.size(), 5u);
  TiledLog log;
  for (const auto& l : ReferenceLeaves()) log.Append(LeafHash(l));
  for (const auto& f : files) {
    Json v = Json::parse(ReadFile(f).value());
    const uint64_t idx = v["leafIdx"], size = v["treeSize"];
    auto proof = B64Proof(v["proof"]);
    Status st = VerifyInclusion(B64Hash(v["leafHash"]), idx, size, proof, B64Hash(v["root"]));
    EXPECT_EQ(st.ok(), !v["wantErr"].get<bool>()) << f << ": " << st.ToString();
    if (!v["wantErr"].get<bool>()) {
      // Our own generator produces exactly the published proof.
      auto reader = log.Reader();
      auto ours = InclusionProof(&reader, idx, size);
      ASSERT_TRUE(ours.ok());
      EXPECT_EQ(*ours, proof) << f;
    }
  }
}

TEST(MerkleTest, ConsistencyVectorsFromTransparencyDev) {
  auto files = Vectors("consistency-");
  ASSERT_GE(files.size(), 5u);
  TiledLog log;
  for (const auto& l : ReferenceLeaves()) log.Append(LeafHash(l));
  for (const auto& f : files) {
    Json v = Json::parse(ReadFile(f).value());
    const uint64_t s1 = v["size1"], s2 = v["size2"];
    auto proof = B64Proof(v["proof"]);
    Status st = VerifyConsistency(s1, s2, B64Hash(v["root1"]), B64Hash(v["root2"]), proof);
    EXPECT_EQ(st.ok(), !v["wantErr"].get<bool>()) << f << ": " << st.ToString();
    if (!v["wantErr"].get<bool>()) {
      auto reader = log.Reader();
      auto ours = ConsistencyProof(&reader, s1, s2);
      ASSERT_TRUE(ours.ok());
      EXPECT_EQ(*ours, proof) << f;
    }
  }
}

TEST(MerkleTest, ExhaustiveSmallTreesMatchReference) {
  TiledLog log;
  for (uint64_t n = 1; n <= 140; ++n) {
    log.Append(LeafN(n - 1));
    ASSERT_EQ(log.builder.Root(), RefRoot(log.leaves, n));
    auto reader = log.Reader();
    ASSERT_EQ(TreeRoot(&reader, n).value(), RefRoot(log.leaves, n));
    for (uint64_t i = 0; i < n; ++i) {
      std::vector<Hash> want;
      RefPath(log.leaves, i, 0, n, &want);
      auto got = InclusionProof(&reader, i, n);
      ASSERT_TRUE(got.ok());
      ASSERT_EQ(*got, want) << "inclusion " << i << " in " << n;
      ASSERT_TRUE(VerifyInclusion(log.leaves[i], i, n, want, log.builder.Root()).ok());
    }
    for (uint64_t m = 1; m <= n; ++m) {
      std::vector<Hash> want;
      RefSubproof(log.leaves, m, 0, n, true, &want);
      auto got = ConsistencyProof(&reader, m, n);
      ASSERT_TRUE(got.ok());
      ASSERT_EQ(*got, want) << "consistency " << m << " -> " << n;
      ASSERT_TRUE(VerifyConsistency(m, n, RefRoot(log.leaves, m), log.builder.Root(), want).ok());
    }
  }
}

RC_GTEST_PROP(MerkleProperty, TiledTreeMatchesReferenceAtRandomSizes, ()) {
  const uint64_t n = *rc::gen::inRange<uint64_t>(1, 70000);
  TiledLog log;
  for (uint64_t i = 0; i < n; ++i) log.Append(LeafN(i));
  RC_ASSERT(log.builder.Root() == RefRoot(log.leaves, n));
  auto reader = log.Reader();
  const uint64_t i = *rc::gen::inRange<uint64_t>(0, n);
  std::vector<Hash> want;
  RefPath(log.leaves, i, 0, n, &want);
  RC_ASSERT(InclusionProof(&reader, i, n).value() == want);
  const uint64_t m = *rc::gen::inRange<uint64_t>(1, n + 1);
  std::vector<Hash> cwant;
  RefSubproof(log.leaves, m, 0, n, true, &cwant);
  RC_ASSERT(ConsistencyProof(&reader, m, n).value() == cwant);
  RC_ASSERT(VerifyConsistency(m, n, RefRoot(log.leaves, m), log.builder.Root(), cwant).ok());
  // A proof with any single bit flipped never verifies.
  if (!cwant.empty()) {
    const size_t k = *rc::gen::inRange<size_t>(0, cwant.size());
    cwant[k].bytes[*rc::gen::inRange<size_t>(0, 32)] ^= 1 << *rc::gen::inRange(0, 8);
    RC_ASSERT(!VerifyConsistency(m, n, RefRoot(log.leaves, m), log.builder.Root(), cwant).ok());
  }
}

RC_GTEST_PROP(MerkleProperty, RestoredBuilderContinuesIdentically, ()) {
  // A builder restored from its partial tiles (as on reopening a store) is
  // indistinguishable from one that never stopped.
  const uint64_t n = *rc::gen::inRange<uint64_t>(0, 70000);
  const uint64_t more = *rc::gen::inRange<uint64_t>(1, 600);
  TiledLog log;
  for (uint64_t i = 0; i < n; ++i) log.Append(LeafN(i));
  std::vector<std::string> partial;
  for (int level = 0; level < LevelsForSize(n); ++level) {
    const uint64_t width = (n >> (8 * level)) % 256;
    partial.push_back(width ? log.tiles[{level, n >> (8 * (level + 1))}] : "");
  }
  auto restored = TreeBuilder::FromPartialTiles(n, partial);
  RC_ASSERT(restored.ok());
  RC_ASSERT(restored->Root() == log.builder.Root());
  for (uint64_t i = n; i < n + more; ++i) {
    log.Append(LeafN(i));
    restored->Append(LeafN(i));
  }
  RC_ASSERT(restored->Root() == log.builder.Root());
}

TEST(MerkleTest, RestoreRejectsWrongTileWidths) {
  TiledLog log;
  for (uint64_t i = 0; i < 300; ++i) log.Append(LeafN(i));
  std::string level0 = log.tiles[{0, 1}];
  level0.resize(level0.size() - 32);
  auto r = TreeBuilder::FromPartialTiles(300, {level0, log.tiles[{1, 0}]});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
}

TEST(MerkleTest, ProofArgumentsOutOfRangeAreErrors) {
  TiledLog log;
  for (uint64_t i = 0; i < 10; ++i) log.Append(LeafN(i));
  auto reader = log.Reader();
  EXPECT_EQ(InclusionProof(&reader, 10, 10).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ConsistencyProof(&reader, 0, 10).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ConsistencyProof(&reader, 11, 10).status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(VerifyConsistency(5, 4, log.builder.Root(), log.builder.Root(), {}).ok());
}

}  // namespace
}  // namespace strongroom
