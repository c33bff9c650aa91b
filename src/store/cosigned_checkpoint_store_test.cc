// The cosigned-checkpoint store's contract, for every back end.
#include "store/cosigned_checkpoint_store.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace strongroom {
namespace {

struct FileBackEnd {
  static std::unique_ptr<CosignedCheckpointStore> Open() {
    const std::string dir = std::string(::testing::TempDir()) + "strongroom-cosigned";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return CosignedCheckpointFile(dir + "/cosigned-checkpoint");
  }
};
struct MemoryBackEnd {
  static std::unique_ptr<CosignedCheckpointStore> Open() { return CosignedCheckpointInMemory(); }
};

template <typename BackEnd>
class CosignedCheckpointStoreTest : public ::testing::Test {};
using BackEnds = ::testing::Types<FileBackEnd, MemoryBackEnd>;
TYPED_TEST_SUITE(CosignedCheckpointStoreTest, BackEnds);

TYPED_TEST(CosignedCheckpointStoreTest, KeepsTheLatestNote) {
  auto store = TypeParam::Open();
  EXPECT_FALSE(store->Load().value().has_value());
  ASSERT_TRUE(store->Keep("log.example\n5\nroot5=\n\n— log sig\n— witness sig\n").ok());
  EXPECT_EQ(store->Load().value(), "log.example\n5\nroot5=\n\n— log sig\n— witness sig\n");
  ASSERT_TRUE(store->Keep("log.example\n9\nroot9=\n\n— log sig\n").ok());
  EXPECT_EQ(store->Load().value(), "log.example\n9\nroot9=\n\n— log sig\n");
}

}  // namespace
}  // namespace strongroom
