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
      return Json::array({"A-1"});
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

// An event of `kind` with every field of its table, valid.
Event Complete(const EventKind& kind) {
  Event e;
  e.type = kind.type;
  e.actor = "P-1";
  for (size_t i = 0; i < kind.min_holdings; ++i) e.holdings.push_back("H-" + std::to_string(i));
  for (const FieldSpec& f : kind.fields) e.fields[std::string(f.name)] = GoodValue(f);
  return e;
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
    for (const FieldSpec& f : k->fields) {
      const std::string name(f.name);
      Event missing = complete;
      missing.fields.erase(name);
      const Status st = ValidateFields(missing);
      EXPECT_EQ(st.ok(), !f.required) << name;
      if (f.required) {
        EXPECT_NE(st.message().find("missing field '" + name + "'"), std::string::npos);
      }
      Event bad = complete;
      bad.fields[name] = BadValue(f);
      const Status wrong = ValidateFields(bad);
      EXPECT_EQ(wrong.code(), StatusCode::kInvalidArgument) << name;
      EXPECT_NE(wrong.message().find("'" + name + "'"), std::string::npos) << wrong.message();
    }
    Event unknown = complete;
    unknown.fields["colour"] = "red";
    EXPECT_NE(ValidateFields(unknown).message().find("unknown field 'colour'"), std::string::npos);
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

TEST(KindsTest, EveryRuleIsDeclared) {
  for (const EventKind* k : AllKinds()) {
    SCOPED_TRACE(std::string(k->name));
    EXPECT_NE(k->apply, nullptr);
    EXPECT_EQ(k->check == nullptr, k->wrapper);
    for (const FieldSpec& f : k->fields) {
      EXPECT_EQ(f.type == FieldType::kChoice, !f.choices.empty()) << f.name;
      EXPECT_EQ(k->field(f.name), &f) << "field named twice: " << f.name;
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

}  // namespace
}  // namespace strongroom
