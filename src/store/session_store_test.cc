// The session store's contract, for every back end (memory now; a
// database's next).
#include "store/session_store.h"

#include <gtest/gtest.h>

namespace strongroom {
namespace {

struct MemorySessions {
  static std::unique_ptr<SessionStore> Open() { return NewMemorySessionStore(); }
};

template <typename BackEnd>
class SessionStoreContractTest : public ::testing::Test {
 protected:
  std::unique_ptr<SessionStore> store_ = BackEnd::Open();
};
using SessionBackEnds = ::testing::Types<MemorySessions>;
TYPED_TEST_SUITE(SessionStoreContractTest, SessionBackEnds);

TYPED_TEST(SessionStoreContractTest, SessionsLiveUntilTheyExpireOrAreRemoved) {
  SessionStore* s = this->store_.get();
  ASSERT_TRUE(s->PutSession("k1", {"ALICE", 100}).ok());
  ASSERT_TRUE(s->PutSession("k2", {"ALICE", 300}).ok());
  ASSERT_TRUE(s->PutSession("k3", {"BOB", 300}).ok());
  EXPECT_EQ(s->GetSession("k1", 99).value(), (SessionStore::Session{"ALICE", 100}));
  EXPECT_FALSE(s->GetSession("k1", 100).value().has_value());  // expired: gone
  EXPECT_FALSE(s->GetSession("k1", 50).value().has_value());
  EXPECT_FALSE(s->GetSession("nope", 0).value().has_value());
  EXPECT_TRUE(s->RemoveSession("k3").value());
  EXPECT_FALSE(s->RemoveSession("k3").value());
  ASSERT_TRUE(s->PutSession("k4", {"BOB", 300}).ok());
  ASSERT_TRUE(s->RemoveSessionsOf("ALICE").ok());
  EXPECT_FALSE(s->GetSession("k2", 0).value().has_value());
  EXPECT_TRUE(s->GetSession("k4", 0).value().has_value());
}

TYPED_TEST(SessionStoreContractTest, ExpiredSessionsAreSwept) {
  SessionStore* s = this->store_.get();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(s->PutSession("k" + std::to_string(i), {"P", 100 + i}).ok());
  }
  EXPECT_EQ(s->CountSessions().value(), 10u);
  EXPECT_EQ(s->RemoveExpiredSessions(105).value(), 6u);  // 100..105
  EXPECT_EQ(s->CountSessions().value(), 4u);
  EXPECT_TRUE(s->GetSession("k9", 105).value().has_value());
}

TYPED_TEST(SessionStoreContractTest, FailuresAreCountedInTheirWindowAndForgottenAfter) {
  SessionStore* s = this->store_.get();
  for (int64_t t : {10, 20, 30}) ASSERT_TRUE(s->AddFailure("person:P", t).ok());
  ASSERT_TRUE(s->AddFailure("address:A", 15).ok());
  EXPECT_EQ(s->FailuresSince("person:P", 0).value(), (std::vector<int64_t>{10, 20, 30}));
  EXPECT_EQ(s->FailuresSince("person:P", 20).value(), (std::vector<int64_t>{20, 30}));
  EXPECT_EQ(s->FailuresSince("person:P", 0).value(), (std::vector<int64_t>{20, 30}));  // 10 forgotten
  EXPECT_EQ(s->FailuresSince("address:A", 0).value(), (std::vector<int64_t>{15}));
  EXPECT_TRUE(s->FailuresSince("person:Q", 0).value().empty());
}

}  // namespace
}  // namespace strongroom
