#include "ledger/tiles.h"

#include <gtest/gtest.h>

namespace strongroom {
namespace {

TEST(TilesTest, PathsFollowC2spEncoding) {
  EXPECT_EQ(TilePath({0, 0, 256}), "tile/0/000");
  EXPECT_EQ(TilePath({1, 1234067, 256}), "tile/1/x001/x234/067");
  EXPECT_EQ(TilePath({0, 5, 17}), "tile/0/005.p/17");
  EXPECT_EQ(TilePath({TileId::kEntriesLevel, 1000, 3}), "tile/entries/x001/000.p/3");
}

TEST(TilesTest, ParseRoundTripsAndRejectsNonCanonical) {
  for (const TileId& id : {TileId{0, 0, 256}, TileId{3, 1234067, 256}, TileId{2, 999, 1},
                           TileId{TileId::kEntriesLevel, 1000000, 255}}) {
    auto parsed = ParseTilePath(TilePath(id));
    ASSERT_TRUE(parsed.ok()) << TilePath(id);
    EXPECT_EQ(*parsed, id);
  }
  for (const char* bad : {"tile/0/1", "tile/0/x000/001", "tile/0/001.p/0", "tile/0/001.p/256",
                          "tile/0/001.p/07", "tile/10/000", "tile/a/000", "tiles/0/000",
                          "tile/0/001/002", "tile/entries/", "tile/0/x1/000"}) {
    EXPECT_FALSE(ParseTilePath(bad).ok()) << bad;
  }
}

TEST(TilesTest, TilesForSize) {
  auto t = TilesForSize(0, 513);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_TRUE(t[1].full());
  EXPECT_EQ(t[2].width, 1u);
  EXPECT_EQ(TilesForSize(1, 513).back().width, 2u);
  EXPECT_TRUE(TilesForSize(2, 513).empty());
  EXPECT_EQ(LevelsForSize(0), 0);
  EXPECT_EQ(LevelsForSize(256), 2);
}

TEST(TilesTest, EntryBundlesRoundTripAndRejectTruncation) {
  std::string bundle;
  AppendToEntryBundle("abc", &bundle);
  AppendToEntryBundle("", &bundle);
  AppendToEntryBundle(std::string(300, 'x'), &bundle);
  auto entries = SplitEntryBundle(bundle);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[2].size(), 300u);
  EXPECT_EQ(bundle.substr(0, 2), std::string("\0\3", 2));
  EXPECT_FALSE(SplitEntryBundle(bundle.substr(0, bundle.size() - 1)).ok());
  EXPECT_FALSE(SplitEntryBundle(std::string("\x01", 1)).ok());
}

}  // namespace
}  // namespace strongroom
