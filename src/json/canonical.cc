#include "json/canonical.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <vector>

namespace strongroom {
namespace {

// Decodes UTF-8 (already validated by the JSON parser or the encoder) into
// UTF-16 code units for RFC 8785 §3.2.3 member ordering.
std::u16string ToUtf16(std::string_view s) {
  std::u16string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp;
    int len;
    if (c < 0x80) {
      cp = c, len = 1;
    } else if ((c >> 5) == 6) {
      cp = c & 0x1f, len = 2;
    } else if ((c >> 4) == 14) {
      cp = c & 0x0f, len = 3;
    } else {
      cp = c & 0x07, len = 4;
    }
    for (int k = 1; k < len && i + k < s.size(); ++k) {
      cp = cp << 6 | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    }
    i += static_cast<size_t>(len);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xd800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xdc00 + (cp & 0x3ff)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

bool ValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    // ASCII, eight bytes at a time.
    while (i + 8 <= s.size()) {
      uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if (word & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= s.size()) break;
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len;
    uint32_t cp, min;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c >> 5) == 6) {
      len = 2, cp = c & 0x1f, min = 0x80;
    } else if ((c >> 4) == 14) {
      len = 3, cp = c & 0x0f, min = 0x800;
    } else if ((c >> 3) == 30) {
      len = 4, cp = c & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (i + static_cast<size_t>(len) > s.size()) return false;
    for (int k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 2) return false;
      cp = cp << 6 | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += static_cast<size_t>(len);
  }
  return true;
}

Status EncodeString(std::string_view s, std::string* out) {
  if (!ValidUtf8(s)) return InvalidArgument("string is not valid UTF-8");
  out->push_back('"');
  size_t plain = 0;  // start of the run of characters copied as they are
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\b':
        *out += "\\b";
        break;
      case '\f':
        *out += "\\f";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default: {
        static const char kHex[] = "0123456789abcdef";
        *out += "\\u00";
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
      }
    }
  }
  out->append(s.data() + plain, s.size() - plain);
  out->push_back('"');
  return OkStatus();
}

// Whether UTF-8 byte order of `key` may differ from UTF-16 code-unit order:
// only code points from U+E000 (lead bytes 0xEE, 0xEF) and above U+FFFF (lead
// bytes 0xF0-0xF4) sort differently in the two.
bool NeedsUtf16Order(std::string_view key) {
  for (unsigned char c : key) {
    if (c >= 0xee) return true;
  }
  return false;
}

// Checks `text` against `limits` without parsing it: its size, and the
// deepest nesting of arrays and objects outside strings.
Status CheckLimits(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return InvalidArgument("JSON text of " + std::to_string(text.size()) +
                           " bytes is over the limit of " + std::to_string(limits.max_bytes));
  }
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limits.max_depth) {
        return InvalidArgument("JSON nested deeper than " + std::to_string(limits.max_depth) +
                               " levels");
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return OkStatus();
}

template <typename Int>
void AppendInteger(Int n, std::string* out) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out->append(digits, static_cast<size_t>(end - digits));
}

// Encodes `v`; on error, the Status names the path from `v` down ("a[2].b").
Status Encode(const Json& v, std::string* out, int depth = 0) {
  if (depth > JsonLimits{}.max_depth) {
    return InvalidArgument("nested deeper than " + std::to_string(JsonLimits{}.max_depth) +
                           " levels");
  }
  switch (v.type()) {
    case Json::value_t::string:
      return EncodeString(v.get_ref<const std::string&>(), out);
    case Json::value_t::boolean:
      *out += v.get<bool>() ? "true" : "false";
      return OkStatus();
    case Json::value_t::number_integer: {
      int64_t n = v.get<int64_t>();
      if (n > kMaxSafeInteger || n < -kMaxSafeInteger) {
        return InvalidArgument("integer outside ±(2^53-1)");
      }
      AppendInteger(n, out);
      return OkStatus();
    }
    case Json::value_t::number_unsigned: {
      uint64_t n = v.get<uint64_t>();
      if (n > static_cast<uint64_t>(kMaxSafeInteger)) {
        return InvalidArgument("integer outside ±(2^53-1)");
      }
      AppendInteger(n, out);
      return OkStatus();
    }
    case Json::value_t::array: {
      out->push_back('[');
      for (size_t i = 0; i < v.size(); ++i) {
        if (i) out->push_back(',');
        Status st = Encode(v[i], out, depth + 1);
        if (!st.ok()) return st.Annotate("[" + std::to_string(i) + "]: ");
      }
      out->push_back(']');
      return OkStatus();
    }
    case Json::value_t::object: {
      // nlohmann keeps members in UTF-8 byte order, which is RFC 8785's
      // UTF-16 order unless a name holds a code point from U+E000 up.
      std::vector<Json::const_iterator> members;
      members.reserve(v.size());
      bool reorder = false;
      for (auto it = v.begin(); it != v.end(); ++it) {
        members.push_back(it);
        reorder |= NeedsUtf16Order(it.key());
      }
      if (reorder) {
        std::sort(members.begin(), members.end(),
                  [](const auto& a, const auto& b) { return ToUtf16(a.key()) < ToUtf16(b.key()); });
      }
      out->push_back('{');
      bool first = true;
      for (const auto& it : members) {
        if (!first) out->push_back(',');
        first = false;
        Status st = EncodeString(it.key(), out);
        if (!st.ok()) return st.Annotate("member name: ");
        out->push_back(':');
        st = Encode(it.value(), out, depth + 1);
        if (!st.ok()) return st.Annotate("." + it.key() + ": ");
      }
      out->push_back('}');
      return OkStatus();
    }
    case Json::value_t::null:
      return InvalidArgument("null is not allowed");
    case Json::value_t::number_float:
      return InvalidArgument("only integers are allowed, not fractions or exponents");
    default:
      return InvalidArgument("unsupported JSON type");
  }
}

}  // namespace

bool IsValidUtf8(std::string_view s) { return ValidUtf8(s); }

bool CanonicalKeyLess(std::string_view a, std::string_view b) {
  if (!NeedsUtf16Order(a) && !NeedsUtf16Order(b)) return a < b;
  return ToUtf16(a) < ToUtf16(b);
}

Status AppendCanonicalString(std::string_view s, std::string* out) {
  return EncodeString(s, out);
}

Status AppendCanonicalInteger(int64_t n, std::string* out) {
  if (n > kMaxSafeInteger || n < -kMaxSafeInteger) {
    return InvalidArgument("integer outside ±(2^53-1)");
  }
  AppendInteger(n, out);
  return OkStatus();
}

Status AppendCanonicalStrings(const std::vector<std::string>& list, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < list.size(); ++i) {
    if (i) out->push_back(',');
    SR_RETURN_IF_ERROR(EncodeString(list[i], out));
  }
  out->push_back(']');
  return OkStatus();
}

Result<std::string> CanonicalJson(const Json& value) {
  std::string out;
  out.reserve(1024);
  Status st = Encode(value, &out);
  if (!st.ok()) return st.Annotate("$");
  return out;
}

Result<Json> ParseJson(std::string_view text, JsonLimits limits) {
  SR_RETURN_IF_ERROR(CheckLimits(text, limits));
  if (!ValidUtf8(text)) return InvalidArgument("JSON text is not valid UTF-8");
  // A member named twice is refused, not resolved (the last would win:
  // "classification":"TOP SECRET" then "UNCLASSIFIED" was stored as the
  // second). Per open object, the names read; the object the parser made
  // holds fewer members if one repeated (linear: no per-name search a
  // megabyte of distinct names could make quadratic).
  std::vector<size_t> names;
  bool repeated = false;
  auto callback = [&](int, Json::parse_event_t event, Json& parsed) {
    using E = Json::parse_event_t;
    if (event == E::object_start) {
      names.push_back(0);
    } else if (event == E::key && !names.empty()) {
      ++names.back();
    } else if (event == E::object_end && !names.empty()) {
      if (parsed.is_object() && parsed.size() != names.back()) repeated = true;
      names.pop_back();
    }
    return true;
  };
  Json v = Json::parse(text.begin(), text.end(), callback, /*allow_exceptions=*/false);
  if (v.is_discarded()) return InvalidArgument("malformed JSON");
  if (repeated) return InvalidArgument("a member name appears twice in an object");
  std::string ignored;
  Status st = Encode(v, &ignored);
  if (!st.ok()) return st.Annotate("$");
  return v;
}

Result<Json> ParseCanonicalJson(std::string_view text, JsonLimits limits) {
  auto parsed = ParseJson(text, limits);
  if (!parsed.ok()) return DataLoss(parsed.status().message());
  auto again = CanonicalJson(*parsed);
  if (!again.ok() || *again != text) return DataLoss("JSON is not in canonical form");
  return parsed;
}

}  // namespace strongroom
