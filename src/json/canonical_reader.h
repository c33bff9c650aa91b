// Reads canonical JSON (canonical.h: RFC 8785 restricted to strings,
// integers, booleans, arrays and objects) straight into typed values, with
// no tree: each call reads one token at the cursor and fails unless it is
// exactly what the canonical encoder writes there. A text is accepted iff
// ParseCanonicalJson accepts it (the parsers fuzz target checks the two
// against each other), within the same JsonLimits.
//
//   CanonicalReader r(text);
//   std::string name;
//   if (r.BeginObject()) {
//     while (r.NextMember(&name)) { ... read the member's value ... }
//   }
//   if (!r.End()) return r.status();
//
// The first failure sticks: every later call returns false (or an empty
// value) and status() names the first problem and its byte offset.
#ifndef STRONGROOM_JSON_CANONICAL_READER_H_
#define STRONGROOM_JSON_CANONICAL_READER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "json/canonical.h"

namespace strongroom {

class CanonicalReader {
 public:
  explicit CanonicalReader(std::string_view text, JsonLimits limits = {});

  // What the next value is, without reading it.
  enum class Token : uint8_t { kString, kInteger, kBool, kArray, kObject, kOther };
  Token Peek() const;

  // '{': then NextMember until it returns false, which reads the '}'.
  bool BeginObject();
  // The next member's name (after the previous one in canonical order) and
  // the ':' after it; false at the end of the object (or on failure).
  bool NextMember(std::string* name);
  // '[': then NextElement until it returns false, which reads the ']'.
  bool BeginArray();
  // Whether another element follows (reading the ',' before it).
  bool NextElement();

  bool String(std::string* out);
  bool Integer(int64_t* out);
  bool Bool(bool* out);
  // Any value, checked to be canonical; `out` is the text it spans.
  bool Raw(std::string_view* out);

  // Whether the whole text has been read, with no failure.
  bool End();

  bool ok() const { return error_.empty(); }
  // OK, or DataLoss naming the first failure and where it happened.
  Status status() const;
  // Fails the reader (for a caller's own check of a value it read).
  bool Fail(std::string why);

 private:
  struct Level {
    bool object;
    bool first = true;
    std::string last_name;  // objects: the previous member's name
  };
  bool Expect(char c);
  bool Open(char c, bool object);
  bool Value();  // skips one value, checking it

  std::string_view text_;
  size_t pos_ = 0;
  int max_depth_;
  std::vector<Level> levels_;
  std::string error_;
};

}  // namespace strongroom

#endif  // STRONGROOM_JSON_CANONICAL_READER_H_
