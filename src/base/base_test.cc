#include <gtest/gtest.h>

#include "base/clock.h"
#include "base/encoding.h"
#include "json/canonical.h"

namespace strongroom {
namespace {

TEST(EncodingTest, Base64RoundTripsAndIsStrict) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    EXPECT_EQ(Base64Decode(Base64Encode(s)).value(), s);
  }
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  for (const char* bad : {"Zm8", "Zm9=", "Zg==x", "Z===", "Zm8=Zm8=", "Zm*v", "Zh=="}) {
    EXPECT_FALSE(Base64Decode(bad).ok()) << bad;
  }
  EXPECT_EQ(HexDecode("00ff10").value(), std::string("\0\xff\x10", 3));
  EXPECT_FALSE(HexDecode("0g").ok());
}

TEST(ClockTest, Rfc3339RoundTripsAndRejectsBadTimes) {
  auto t = ParseRfc3339("2026-11-22T17:50:00.123456Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatRfc3339(*t), "2026-11-22T17:50:00.123456Z");
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z").value(), 0);
  EXPECT_EQ(ParseRfc3339("2024-02-29").value(), ParseRfc3339("2024-02-29T00:00:00Z").value());
  for (const char* bad : {"2026-11-22T17:50:00", "2026-11-22T17:50:00+01:00", "2026-13-01",
                          "2023-02-29", "2026-11-22T24:00:00Z", "2026-11-22T17:50:00.Z",
                          "2026-11-22T17:50:00.0000001Z", "yesterday", ""}) {
    EXPECT_FALSE(ParseRfc3339(bad).ok()) << bad;
  }
}

TEST(CanonicalJsonTest, SortsByUtf16AndEscapesLikeJcs) {
  // RFC 8785 §3.2.3's sorting example.
  Json j = Json::parse(R"({"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew",)"
                       R"("1":"One","\ud83d\ude00":"Emoji","\u0080":"Control","\u00f6":"o"})");
  auto c = CanonicalJson(j);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(
      *c,
      "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\",\"\xc3\xb6\":\"o\","
      "\"\xe2\x82\xac\":\"Euro Sign\",\"\xf0\x9f\x98\x80\":\"Emoji\",\"\xef\xac\xb3\":\"Hebrew\"}");
  EXPECT_EQ(CanonicalJson(Json::parse(R"({"b":[1,true,"x\u0001\"\\"],"a":{}})")).value(),
            R"({"a":{},"b":[1,true,"x\u0001\"\\"]})");
}

TEST(CanonicalJsonTest, RejectsTypesOutsideTheProfile) {
  EXPECT_FALSE(CanonicalJson(Json::parse("null")).ok());
  EXPECT_FALSE(CanonicalJson(Json::parse("1.5")).ok());
  EXPECT_FALSE(CanonicalJson(Json::parse("9007199254740992")).ok());
  EXPECT_TRUE(CanonicalJson(Json::parse("9007199254740991")).ok());
  EXPECT_TRUE(CanonicalJson(Json::parse("-9007199254740991")).ok());
  EXPECT_FALSE(ParseJson("{\"a\":1").ok());
  EXPECT_FALSE(ParseJson("\"\xff\"").ok());
  EXPECT_FALSE(ParseCanonicalJson("{\"b\":1,\"a\":2}").ok());
  EXPECT_FALSE(ParseCanonicalJson("{\"a\": 2}").ok());
  EXPECT_TRUE(ParseCanonicalJson("{\"a\":2}").ok());
}

TEST(EncodingTest, UnsafeCharactersAreFoundAndEscaped) {
  EXPECT_FALSE(FirstUnsafeCodePoint("Plain text, accents é and 中文").has_value());
  EXPECT_EQ(FirstUnsafeCodePoint("a\nb"), 0x0Au);
  EXPECT_EQ(FirstUnsafeCodePoint("x\u202Ey"), 0x202Eu);
  EXPECT_EQ(FirstUnsafeCodePoint("x\u2066y"), 0x2066u);
  EXPECT_EQ(FirstUnsafeCodePoint("\xc2\x85"), 0x85u);  // NEL, a C1 control
  EXPECT_EQ(FirstUnsafeCodePoint("\x7f"), 0x7Fu);
  EXPECT_EQ(FirstUnsafeCodePoint("\xff"), 0xFFFDu);  // not UTF-8
  EXPECT_FALSE(FirstUnsafeCodePoint("\xEF\xBF\xBD").has_value());  // a real U+FFFD is text
  EXPECT_EQ(EscapeUnsafe("a\x1b[2Jb\nc\xff"), "a\\u{001B}[2Jb\\u{000A}c\\xFF");
  EXPECT_EQ(EscapeUnsafe("a\nb\u202E", true), "a\nb\\u{202E}");
  EXPECT_EQ(EscapeUnsafe("日本"), "日本");
}

// A member named twice once meant the last one won (issue 12): a document
// sent as TOP SECRET then UNCLASSIFIED was stored UNCLASSIFIED.
TEST(CanonicalJsonTest, RefusesAMemberNamedTwice) {
  auto r = ParseJson(R"({"classification":"TOP SECRET","classification":"UNCLASSIFIED"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("a member name appears twice"), std::string::npos)
      << r.status().message();
  EXPECT_FALSE(ParseJson(R"({"type":"a","fields":{"x":1,"y":2,"x":3}})").ok());
  EXPECT_FALSE(ParseCanonicalJson(R"({"a":1,"a":1})").ok());
  // The same name in different objects is fine.
  EXPECT_TRUE(ParseJson(R"({"a":{"a":1},"b":[{"a":2},{"a":3}]})").ok());
}

// A 64 KB body nested 31,000 levels deep once overflowed the stack of
// strongroomd (issue 12): the depth is refused before anything recurses.
TEST(CanonicalJsonTest, RefusesDeepNestingAndOversizedTextBeforeParsing) {
  const std::string deep = std::string(31000, '[') + std::string(31000, ']');
  auto r = ParseJson(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("nested deeper than 64 levels"), std::string::npos);
  EXPECT_EQ(ParseCanonicalJson(deep).status().code(), StatusCode::kDataLoss);

  std::string objects;
  for (int i = 0; i < 65; ++i) objects += "{\"a\":";
  objects += "1" + std::string(65, '}');
  EXPECT_FALSE(ParseJson(objects).ok());
  // 64 levels are fine, and brackets inside strings are not nesting.
  EXPECT_TRUE(ParseJson(std::string(64, '[') + std::string(64, ']')).ok());
  EXPECT_TRUE(ParseJson("[\"" + std::string(1000, '[') + "\\\"\"]").ok());
  // The limits are the caller's to tighten.
  EXPECT_FALSE(ParseJson("[[[]]]", JsonLimits{.max_bytes = 100, .max_depth = 2}).ok());
  EXPECT_FALSE(ParseJson("\"" + std::string(200, 'x') + "\"", JsonLimits{.max_bytes = 100}).ok());
  EXPECT_TRUE(ParseJson("[[]]", JsonLimits{.max_bytes = 100, .max_depth = 2}).ok());

  // The encoder refuses a value built deeper than the limit instead of
  // recursing without bound.
  Json built = 1;
  for (int i = 0; i < 100; ++i) built = Json::array({std::move(built)});
  EXPECT_FALSE(CanonicalJson(built).ok());
}

}  // namespace
}  // namespace strongroom
