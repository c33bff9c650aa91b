#include "json/canonical_reader.h"

#include <cstring>

namespace strongroom {
namespace {

bool Plain(unsigned char c) { return c >= 0x20 && c != '"' && c != '\\'; }

int HexDigit(char c) {  // lowercase only: the encoder writes no other
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

CanonicalReader::CanonicalReader(std::string_view text, JsonLimits limits)
    : text_(text), max_depth_(limits.max_depth) {
  if (text.size() > limits.max_bytes) {
    Fail("JSON text of " + std::to_string(text.size()) + " bytes is over the limit of " +
         std::to_string(limits.max_bytes));
  }
}

bool CanonicalReader::Fail(std::string why) {
  if (error_.empty()) error_ = std::move(why) + " (at byte " + std::to_string(pos_) + ")";
  return false;
}

Status CanonicalReader::status() const { return ok() ? OkStatus() : DataLoss(error_); }

CanonicalReader::Token CanonicalReader::Peek() const {
  if (!ok() || pos_ >= text_.size()) return Token::kOther;
  const char c = text_[pos_];
  if (c == '"') return Token::kString;
  if (c == '-' || (c >= '0' && c <= '9')) return Token::kInteger;
  if (c == 't' || c == 'f') return Token::kBool;
  if (c == '[') return Token::kArray;
  if (c == '{') return Token::kObject;
  return Token::kOther;
}

bool CanonicalReader::Expect(char c) {
  if (!ok()) return false;
  if (pos_ >= text_.size() || text_[pos_] != c) {
    return Fail(std::string("expected '") + c + "'" +
                (pos_ >= text_.size() ? " at the end" : ""));
  }
  ++pos_;
  return true;
}

bool CanonicalReader::Open(char c, bool object) {
  if (!Expect(c)) return false;
  if (static_cast<int>(levels_.size()) >= max_depth_) {
    return Fail("JSON nested deeper than " + std::to_string(max_depth_) + " levels");
  }
  levels_.push_back({object});
  return true;
}

bool CanonicalReader::BeginObject() { return Open('{', true); }
bool CanonicalReader::BeginArray() { return Open('[', false); }

bool CanonicalReader::NextMember(std::string* name) {
  if (!ok()) return false;
  if (levels_.empty() || !levels_.back().object) return Fail("not in an object");
  Level& level = levels_.back();
  if (pos_ < text_.size() && text_[pos_] == '}') {
    ++pos_;
    levels_.pop_back();
    return false;
  }
  if (!level.first && !Expect(',')) return false;
  if (Peek() != Token::kString) return Fail("expected a member name");
  if (!String(name) || !Expect(':')) return false;
  if (!level.first && !CanonicalKeyLess(level.last_name, *name)) {
    return Fail("member '" + *name + "' is out of canonical order or repeated");
  }
  level.first = false;
  level.last_name = *name;
  return true;
}

bool CanonicalReader::NextElement() {
  if (!ok()) return false;
  if (levels_.empty() || levels_.back().object) return Fail("not in an array");
  Level& level = levels_.back();
  if (pos_ < text_.size() && text_[pos_] == ']') {
    ++pos_;
    levels_.pop_back();
    return false;
  }
  if (!level.first && !Expect(',')) return false;
  level.first = false;
  return true;
}

bool CanonicalReader::String(std::string* out) {
  out->clear();
  if (!Expect('"')) return false;
  for (;;) {
    const size_t start = pos_;
    while (pos_ < text_.size() && Plain(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    out->append(text_.data() + start, pos_ - start);
    if (pos_ >= text_.size()) return Fail("unterminated string");
    const char c = text_[pos_];
    if (c == '"') {
      ++pos_;
      break;
    }
    if (c != '\\') return Fail("control character in a string not escaped");
    if (pos_ + 1 >= text_.size()) return Fail("unterminated escape");
    char decoded = 0;
    switch (text_[pos_ + 1]) {
      case '"': decoded = '"'; break;
      case '\\': decoded = '\\'; break;
      case 'b': decoded = '\b'; break;
      case 'f': decoded = '\f'; break;
      case 'n': decoded = '\n'; break;
      case 'r': decoded = '\r'; break;
      case 't': decoded = '\t'; break;
      case 'u': {
        // Only a control character without a short form: \u00XX.
        if (pos_ + 6 > text_.size() || text_[pos_ + 2] != '0' || text_[pos_ + 3] != '0') {
          return Fail("escape not in canonical form");
        }
        const int hi = HexDigit(text_[pos_ + 4]), lo = HexDigit(text_[pos_ + 5]);
        const int v = hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
        if (v < 0 || v >= 0x20 || v == '\b' || v == '\f' || v == '\n' || v == '\r' ||
            v == '\t') {
          return Fail("escape not in canonical form");
        }
        out->push_back(static_cast<char>(v));
        pos_ += 6;
        continue;
      }
      default:
        return Fail("escape not in canonical form");
    }
    out->push_back(decoded);
    pos_ += 2;
  }
  if (!IsValidUtf8(*out)) return Fail("string is not valid UTF-8");
  return true;
}

bool CanonicalReader::Integer(int64_t* out) {
  *out = 0;
  if (!ok()) return false;
  const bool negative = pos_ < text_.size() && text_[pos_] == '-';
  size_t p = pos_ + (negative ? 1 : 0);
  const size_t digits = p;
  uint64_t v = 0;
  while (p < text_.size() && text_[p] >= '0' && text_[p] <= '9' && p - digits <= 16) {
    v = v * 10 + static_cast<uint64_t>(text_[p] - '0');
    ++p;
  }
  const size_t n = p - digits;
  if (n == 0) return Fail("expected an integer");
  if (text_[digits] == '0' && (n > 1 || negative)) return Fail("integer not in canonical form");
  if (n > 16 || v > static_cast<uint64_t>(kMaxSafeInteger)) {
    return Fail("integer outside ±(2^53-1)");
  }
  if (p < text_.size() && (text_[p] == '.' || text_[p] == 'e' || text_[p] == 'E')) {
    return Fail("only integers are allowed");
  }
  pos_ = p;
  *out = negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  return true;
}

bool CanonicalReader::Bool(bool* out) {
  *out = false;
  if (!ok()) return false;
  const std::string_view rest = text_.substr(pos_);
  if (rest.starts_with("true")) {
    pos_ += 4;
    *out = true;
    return true;
  }
  if (rest.starts_with("false")) {
    pos_ += 5;
    return true;
  }
  return Fail("expected true or false");
}

bool CanonicalReader::Value() {
  switch (Peek()) {
    case Token::kString: {
      std::string ignored;
      return String(&ignored);
    }
    case Token::kInteger: {
      int64_t ignored;
      return Integer(&ignored);
    }
    case Token::kBool: {
      bool ignored;
      return Bool(&ignored);
    }
    case Token::kArray:
      if (!BeginArray()) return false;
      while (NextElement()) {
        if (!Value()) return false;
      }
      return ok();
    case Token::kObject: {
      if (!BeginObject()) return false;
      std::string name;
      while (NextMember(&name)) {
        if (!Value()) return false;
      }
      return ok();
    }
    case Token::kOther:
      break;
  }
  return Fail("expected a string, integer, boolean, array or object");
}

bool CanonicalReader::Raw(std::string_view* out) {
  const size_t start = pos_;
  const bool read = Value();
  *out = read ? text_.substr(start, pos_ - start) : std::string_view();
  return read;
}

bool CanonicalReader::End() {
  if (!ok()) return false;
  if (!levels_.empty()) return Fail("unfinished array or object");
  if (pos_ != text_.size()) return Fail("text after the value");
  return true;
}

}  // namespace strongroom
