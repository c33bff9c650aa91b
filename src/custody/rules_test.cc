// The custody rules on malformed input: nothing a caller submits may throw.
#include "custody/rules.h"

#include <gtest/gtest.h>

namespace strongroom {
namespace {

TEST(RulesTest, MalformedWrappersAreRefusedNotThrown) {
  Projection state(nullptr);
  for (Json fields : {Json::object(), Json{{"attempted", "holding.move"}},
                      Json{{"attempted", "holding.move"}, {"fields", "not an object"}},
                      Json{{"type", "denied"}, {"fields", Json::object()}}}) {
    for (EventType type : {EventType::kDenied, EventType::kRequestOpen}) {
      Event e;
      e.type = type;
      e.actor = "P";
      e.time = "2026-11-22T00:00:00.000000Z";
      e.fields = fields;
      EXPECT_NO_THROW({
        EXPECT_TRUE(LoadReferences(e, &state).ok());
        EXPECT_FALSE(Wrapped(e).ok()) << fields.dump();
        EXPECT_FALSE(Check(e, state, {}).ok()) << fields.dump();
      });
    }
  }
}

}  // namespace
}  // namespace strongroom
