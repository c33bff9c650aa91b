// The event kinds' registry and field tables: every type has one kind, the
// tables drive validation, and docs/entry-format.md shows what they say.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "base/encoding.h"
#include "custody/event.h"
#include "custody/kinds/describe.h"
#include "custody/kinds/kind.h"
#include "custody/kinds/state.h"

namespace strongroom {
namespace {

Json GoodValue(const FieldSpec& f) {
  switch (f.type) {
    case FieldType::kId:
      return "X-1";
    case FieldType::kText:
      return "some text";
    case FieldType::kTime:
      return "2026-01-01T00:00:00Z";
    case FieldType::kLevel:
      return "SECRET";
    case FieldType::kIdList:
    case FieldType::kLongIdList:
      return Json::array({"A-1"});
    case FieldType::kDigest:
      return std::string(64, 'a');
    case FieldType::kTextList:
      return Json::array({"a text"});
    case FieldType::kCount:
    case FieldType::kIndex:
      return 1;
    case FieldType::kBool:
      return true;
    case FieldType::kStringMap:
      return Json{{"imei", "35"}};
    case FieldType::kChoice:
      return std::string(f.choices.front());
    case FieldType::kKey:
      return Base64Encode(std::string(32, '\x01'));
    case FieldType::kObject:
      return Json::object();
  }
  return nullptr;
}

Json BadValue(const FieldSpec& f) { return f.type == FieldType::kBool ? Json("yes") : Json(true); }

// Every field of `kind`'s table, valid.
Json CompleteFields(const EventKind& kind) {
  Json fields = Json::object();
  for (const FieldSpec& f : kind.fields) fields[std::string(f.name)] = GoodValue(f);
  return fields;
}

// An event of `kind` with every field of its table, valid.
Event Complete(const EventKind& kind) {
  Event e;
  e.type = kind.type;
  e.actor = "P-1";
  for (size_t i = 0; i < kind.min_holdings; ++i) e.holdings.push_back("H-" + std::to_string(i));
  EXPECT_TRUE(SetFields(&e, CompleteFields(kind)).ok());
  return e;
}

// Fields from JSON, and from the same JSON's canonical text (the path a
// stored entry takes): both must give the same verdict and the same fields.
Result<Fields> BothWays(const EventKind& kind, const Json& fields) {
  auto from_json = Fields::FromJson(kind, fields);
  auto from_text = Fields::FromCanonical(kind, CanonicalJson(fields).value());
  EXPECT_EQ(from_json.ok(), from_text.ok()) << fields.dump();
  if (from_json.ok() && from_text.ok()) {
    EXPECT_TRUE(*from_json == *from_text) << fields.dump();
    EXPECT_EQ(from_json->Canonical(), CanonicalJson(fields).value());
  } else if (!from_json.ok() && !from_text.ok()) {
    EXPECT_EQ(from_json.status().message(), from_text.status().message());
  }
  return from_json;
}

TEST(KindsTest, EveryTypeHasOneKindByNameAndBack) {
  ASSERT_FALSE(AllKinds().empty());
  for (const EventKind* k : AllKinds()) {
    EXPECT_EQ(&KindOf(k->type), k);
    EXPECT_EQ(KindNamed(k->name), k);
    EXPECT_EQ(EventTypeName(k->type), k->name);
    auto parsed = ParseEventType(k->name);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, k->type);
  }
  EXPECT_EQ(KindNamed("holding.teleport"), nullptr);
  EXPECT_FALSE(ParseEventType("holding.teleport").ok());
}

TEST(KindsTest, ValidationFollowsEachFieldTable) {
  for (const EventKind* k : AllKinds()) {
    SCOPED_TRACE(std::string(k->name));
    const Event complete = Complete(*k);
    EXPECT_TRUE(ValidateFields(complete).ok()) << ValidateFields(complete).message();
    const Json fields = CompleteFields(*k);
    EXPECT_TRUE(BothWays(*k, fields).ok());
    for (const FieldSpec& f : k->fields) {
      const std::string name(f.name);
      Json missing = fields;
      missing.erase(name);
      const Status st = BothWays(*k, missing).status();
      EXPECT_EQ(st.ok(), !f.required) << name;
      if (f.required) {
        EXPECT_NE(st.message().find("missing field '" + name + "'"), std::string::npos);
      }
      Json bad = fields;
      bad[name] = BadValue(f);
      const Status wrong = BothWays(*k, bad).status();
      EXPECT_EQ(wrong.code(), StatusCode::kInvalidArgument) << name;
      EXPECT_NE(wrong.message().find("'" + name + "'"), std::string::npos) << wrong.message();
    }
    Json unknown = fields;
    unknown["colour"] = "red";
    EXPECT_NE(BothWays(*k, unknown).status().message().find("unknown field 'colour'"),
              std::string::npos);
    // Fields of another kind are not this kind's.
    Event other = complete;
    other.type = k->type == EventType::kMove ? EventType::kCheckIn : EventType::kMove;
    EXPECT_FALSE(ValidateFields(other).ok());
    Event many = complete;
    while (many.holdings.size() <= k->max_holdings) {
      many.holdings.push_back("H-" + std::to_string(many.holdings.size()));
    }
    EXPECT_FALSE(ValidateFields(many).ok());
    if (k->min_holdings > 0) {
      Event none = complete;
      none.holdings.clear();
      EXPECT_FALSE(ValidateFields(none).ok());
    }
  }
}

// The founder sets the store up alone for at most 30 days: a founder who
// never enrols a second administrator does not keep the exception.
TEST(KindsTest, TheFoundingPeriodEnds) {
  Person founder;
  founder.founding = true;
  founder.approves_from = "2026-01-01T00:00:00Z";
  EXPECT_TRUE(SetsUpAlone(founder, Micros("2026-01-30T23:59:59Z")));
  EXPECT_FALSE(SetsUpAlone(founder, Micros("2026-01-31T00:00:00Z")));
  founder.founding = false;  // someone else who approves administration enrolled
  EXPECT_FALSE(SetsUpAlone(founder, Micros("2026-01-02T00:00:00Z")));
}

TEST(KindsTest, EveryRuleIsDeclared) {
  for (const EventKind* k : AllKinds()) {
    SCOPED_TRACE(std::string(k->name));
    EXPECT_NE(k->apply, nullptr);
    EXPECT_EQ(k->check == nullptr, k->wrapper);
    for (const FieldSpec& f : k->fields) {
      EXPECT_EQ(f.type == FieldType::kChoice, !f.choices.empty()) << f.name;
      EXPECT_EQ(k->field(f.name), &f) << "field named twice: " << f.name;
      // Written into entries as they are: nothing to escape.
      EXPECT_TRUE(ValidId(f.name)) << f.name;
    }
  }
}

// docs/entry-format.md holds the table the field tables generate. After
// changing a kind, regenerate it: SR_UPDATE_DOCS=1 build/src/custody_test
// --gtest_filter=KindsTest.*
TEST(KindsTest, EntryFormatDocsShowTheFieldTables) {
  const std::string path = std::string(STRONGROOM_DOCS) + "/entry-format.md";
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  std::string doc = text.str();
  const size_t begin = doc.find(kEntryTableBegin), end = doc.find(kEntryTableEnd);
  ASSERT_NE(begin, std::string::npos) << path << " lacks " << kEntryTableBegin;
  ASSERT_NE(end, std::string::npos) << path << " lacks " << kEntryTableEnd;
  const size_t from = begin + std::string(kEntryTableBegin).size() + 1;
  const std::string want = EntryFormatTable();
  if (std::getenv("SR_UPDATE_DOCS") != nullptr) {
    doc.replace(from, end - from, want);
    std::ofstream(path) << doc;
    return;
  }
  EXPECT_EQ(doc.substr(from, end - from), want)
      << "regenerate with SR_UPDATE_DOCS=1 build/src/custody_test --gtest_filter=KindsTest.*";
}

TEST(WorkingHoursTest, LocalTimeWeekdaysAndOvernightShifts) {
  Facility f;
  EXPECT_FALSE(OutsideWorkingHours(f, "2026-12-06T03:00:00Z"));  // no hours set
  f.working_hours = "08:00-18:00";
  f.utc_offset = "+01:00";
  f.working_days = {"mon", "tue", "wed", "thu", "fri"};
  EXPECT_FALSE(OutsideWorkingHours(f, "2026-12-07T07:30:00Z"));  // Monday 08:30 local
  EXPECT_TRUE(OutsideWorkingHours(f, "2026-12-07T06:59:59Z"));   // 07:59:59 local
  EXPECT_TRUE(OutsideWorkingHours(f, "2026-12-07T17:00:00Z"));   // 18:00 local: the end is out
  EXPECT_TRUE(OutsideWorkingHours(f, "2026-12-05T10:00:00Z"));   // Saturday
  f.utc_offset = "-05:00";
  EXPECT_TRUE(OutsideWorkingHours(f, "2026-12-08T02:00:00Z"));   // Monday 21:00 local
  // An overnight shift belongs to the day it starts on.
  f.working_hours = "22:00-06:00";
  f.utc_offset = "+00:00";
  f.working_days = {"fri"};
  EXPECT_FALSE(OutsideWorkingHours(f, "2026-12-04T23:00:00Z"));  // Friday night
  EXPECT_FALSE(OutsideWorkingHours(f, "2026-12-05T03:00:00Z"));  // Saturday 03:00, Friday's shift
  EXPECT_TRUE(OutsideWorkingHours(f, "2026-12-06T03:00:00Z"));   // Sunday 03:00, Saturday's
  EXPECT_TRUE(OutsideWorkingHours(f, "2026-12-04T12:00:00Z"));   // Friday noon
  EXPECT_TRUE(OutsideWorkingHours(f, "1969-12-26T12:00:00Z"));   // before the epoch, a Friday
  EXPECT_FALSE(OutsideWorkingHours(f, "1969-12-26T23:00:00Z"));
  // Working days without hours: the whole of each, in local time.
  Facility days;
  days.working_days = {"mon"};
  days.utc_offset = "+01:00";
  EXPECT_FALSE(OutsideWorkingHours(days, "2026-12-06T23:30:00Z"));  // Monday 00:30 local
  days.utc_offset = "+00:00";
  EXPECT_TRUE(OutsideWorkingHours(days, "2026-12-06T23:30:00Z"));   // Sunday
  EXPECT_FALSE(OutsideWorkingHours(days, "2026-12-07T23:59:59Z"));
  EXPECT_TRUE(ValidWorkingHours("always"));
  for (const char* bad : {"8-18", "08:00-08:00", "24:00-06:00", "08:00 18:00", "08:0a-18:00"}) {
    EXPECT_FALSE(ValidWorkingHours(bad)) << bad;
  }
  EXPECT_EQ(UtcOffsetMinutes("-00:30"), -30);
  EXPECT_FALSE(UtcOffsetMinutes("+15:00"));
  EXPECT_FALSE(UtcOffsetMinutes("01:00"));
}

}  // namespace
}  // namespace strongroom
