// Sessions and login lock-outs over a session store: expiry, revocation,
// the sweep of expired sessions, and the sliding window of failures.
#include "server/sessions.h"

#include <gtest/gtest.h>

namespace strongroom {
namespace {

constexpr UnixMicros kSecond = 1000000;

Ed25519PrivateKey KeyOf(const std::string& person) {
  SeededRandom random(std::hash<std::string>{}(person));
  return Ed25519PrivateKey::Generate(&random);
}

TEST(SessionsTest, ATokenLivesUntilItExpiresOrIsRevoked) {
  FakeClock clock(1000 * kSecond);
  SeededRandom random(1);
  Sessions sessions(&clock, &random, {.lifetime_seconds = 60});
  auto a = sessions.Create("ALICE", KeyOf("ALICE"));
  ASSERT_TRUE(a.ok());
  auto b = sessions.Create("ALICE", KeyOf("ALICE"));
  ASSERT_TRUE(b.ok());
  EXPECT_NE(a->token, b->token);
  EXPECT_EQ(sessions.Person(a->token), "ALICE");
  EXPECT_EQ(sessions.Person("forged"), std::nullopt);
  // The personal key the session acts with, for as long as it lives.
  ASSERT_NE(sessions.SigningKey(a->token), nullptr);
  EXPECT_EQ(sessions.SigningKey(a->token)->public_key(), KeyOf("ALICE").public_key());
  EXPECT_EQ(sessions.SigningKey("forged"), nullptr);
  EXPECT_TRUE(sessions.Revoke(a->token));
  EXPECT_FALSE(sessions.Revoke(a->token));
  EXPECT_EQ(sessions.Person(a->token), std::nullopt);
  EXPECT_EQ(sessions.SigningKey(a->token), nullptr);
  clock.Advance(60 * kSecond);
  EXPECT_EQ(sessions.Person(b->token), std::nullopt);  // expired
  EXPECT_EQ(sessions.SigningKey(b->token), nullptr);
  auto c = sessions.Create("ALICE", KeyOf("ALICE"));
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(sessions.RevokeAll("ALICE").ok());
  EXPECT_EQ(sessions.Person(c->token), std::nullopt);
  EXPECT_EQ(sessions.keys_held(), 0u);  // b's expired key went with the revocation
}

// Expired sessions nobody presents again do not pile up.
TEST(SessionsTest, ExpiredSessionsAreSwept) {
  FakeClock clock(1000 * kSecond);
  SeededRandom random(2);
  Sessions sessions(&clock, &random, {.lifetime_seconds = 30});
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(sessions.Create("P" + std::to_string(i), KeyOf("P")).ok());
  EXPECT_EQ(sessions.count(), 100u);
  EXPECT_EQ(sessions.keys_held(), 100u);
  clock.Advance(61 * kSecond);
  ASSERT_TRUE(sessions.Create("LATE", KeyOf("LATE")).ok());  // the first in a minute: sweeps
  EXPECT_EQ(sessions.count(), 1u);
  EXPECT_EQ(sessions.keys_held(), 1u);  // the personal keys of expired sessions are dropped
}

TEST(SessionsTest, FailuresLockOutAPersonAndAnAddressForTheirWindow) {
  FakeClock clock(1000 * kSecond);
  SeededRandom random(3);
  Sessions sessions(&clock, &random,
                    {.failure_window_seconds = 100,
                     .max_failures_per_person = 3,
                     .max_failures_per_address = 5});
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(sessions.RetryAfter("BOB", "10.0.0.1"), 0);
    sessions.RecordFailure("BOB", "10.0.0.1");
    clock.Advance(10 * kSecond);
  }
  EXPECT_EQ(sessions.RetryAfter("BOB", "10.0.0.9"), 70);  // the first failure ages out at +100 s
  EXPECT_EQ(sessions.RetryAfter("CAROL", "10.0.0.9"), 0);
  sessions.RecordFailure("CAROL", "10.0.0.1");
  sessions.RecordFailure("DAVE", "10.0.0.1");
  EXPECT_GT(sessions.RetryAfter("EVE", "10.0.0.1"), 0);  // five from this address
  clock.Advance(71 * kSecond);
  EXPECT_EQ(sessions.RetryAfter("BOB", "10.0.0.9"), 0);
}

}  // namespace
}  // namespace strongroom
