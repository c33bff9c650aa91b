// The custody rules on malformed input: nothing a caller submits may throw.
#include "custody/rules.h"

#include <gtest/gtest.h>

namespace strongroom {
namespace {

TEST(RulesTest, MalformedWrappersAreRefusedNotThrown) {
  Projection state(nullptr);
  const Json requested = {{"needs", {"x"}}, {"expires", "2026-11-23T00:00:00.000000Z"}};
  const Json refused = {{"reasons", {"x"}}};
  // Wrappers whose own fields are fine but whose content is not.
  const std::vector<std::pair<EventType, Json>> cases = {
      {EventType::kDenied, Json{{"attempted", "holding.teleport"}, {"fields", Json::object()}}},
      {EventType::kDenied, Json{{"attempted", "denied"}, {"fields", Json::object()}}},
      {EventType::kDenied, Json{{"attempted", "holding.move"}, {"fields", Json::object()}}},
      {EventType::kDenied,
       Json{{"attempted", "holding.move"}, {"fields", {{"location", "S1"}, {"colour", "red"}}}}},
      {EventType::kRequestOpen, Json{{"type", "request.open"}, {"fields", Json::object()}}},
      {EventType::kRequestOpen, Json{{"type", "holding.move"}, {"fields", {{"location", 7}}}}},
  };
  for (auto [type, fields] : cases) {
    fields.update(type == EventType::kDenied ? refused : requested);
    Event e;
    e.type = type;
    e.actor = "P";
    e.time = "2026-11-22T00:00:00.000000Z";
    ASSERT_TRUE(SetFields(&e, fields).ok()) << fields.dump();
    EXPECT_NO_THROW({
      EXPECT_TRUE(LoadReferences(e, &state).ok());
      EXPECT_FALSE(Wrapped(e).ok()) << fields.dump();
      EXPECT_FALSE(Check(e, state, {}).ok()) << fields.dump();
    });
  }
  // And wrappers whose own fields are wrong cannot be made at all.
  for (Json fields : {Json::object(), Json{{"attempted", "holding.move"}},
                      Json{{"attempted", "holding.move"}, {"fields", "not an object"}}}) {
    Event e;
    e.type = EventType::kDenied;
    EXPECT_EQ(SetFields(&e, fields).code(), StatusCode::kInvalidArgument) << fields.dump();
  }
}

}  // namespace
}  // namespace strongroom
