#include "custody/fields.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <unordered_map>

#include "base/clock.h"
#include "base/encoding.h"
#include "custody/event.h"
#include "custody/kinds/kind.h"
#include "crypto/sha256.h"
#include "custody/model.h"
#include "json/canonical_reader.h"

namespace strongroom {
namespace {

// ---- What a field's value must be, in the words every error uses.

Status Want(const FieldSpec& spec, std::string_view what) {
  return InvalidArgument("field '" + std::string(spec.name) + "' must be " + std::string(what));
}

// The message for a value of the wrong JSON type (and, for most types, of
// the wrong syntax too).
Status WrongShape(const FieldSpec& spec) {
  switch (spec.type) {
    case FieldType::kId: return Want(spec, "an identifier (1-64 of A-Z a-z 0-9 . _ : -)");
    case FieldType::kText: return Want(spec, "a non-empty text of at most 4096 bytes");
    case FieldType::kTime: return Want(spec, "an RFC 3339 UTC time");
    case FieldType::kLevel: return Want(spec, "a level name");
    case FieldType::kIdList: return Want(spec, "a list of at most 64 identifiers");
    case FieldType::kLongIdList: return Want(spec, "a list of at most 4096 identifiers");
    case FieldType::kDigest: return Want(spec, "a SHA-256 digest in lowercase hex (64 digits)");
    case FieldType::kTextList: return Want(spec, "a list of 1 to 64 texts");
    case FieldType::kCount: return Want(spec, "an integer from 0 to 1000000");
    case FieldType::kIndex: return Want(spec, "a log index");
    case FieldType::kBool: return Want(spec, "true or false");
    case FieldType::kStringMap: return Want(spec, "an object of at most 32 text values");
    case FieldType::kKey: return Want(spec, "a base64 Ed25519 public key");
    case FieldType::kObject: return Want(spec, "an object");
    case FieldType::kChoice: {
      std::string all;
      for (const auto& c : spec.choices) (all += all.empty() ? "" : ", ") += c;
      return Want(spec, "one of: " + all);
    }
  }
  return Want(spec, "valid");
}

Status WrongListElement(const FieldSpec& spec) {
  return spec.type != FieldType::kTextList ? Want(spec, "a list of identifiers")
                                         : Want(spec, "a list of non-empty texts");
}
Status WrongMapValue(const FieldSpec& spec) {
  return Want(spec, "an object mapping identifiers to texts (e.g. {\"imei\": \"35...\"})");
}

bool Text(const std::string& s, size_t most) { return !s.empty() && s.size() <= most; }

// Texts must also be UTF-8 (entries are JSON).
Status Utf8(const FieldSpec& spec, const FieldValue& value) {
  auto bad = [&] { return InvalidArgument("field '" + std::string(spec.name) + "' is not valid UTF-8"); };
  if (const auto* s = std::get_if<std::string>(&value)) return IsValidUtf8(*s) ? OkStatus() : bad();
  if (const auto* list = std::get_if<Strings>(&value)) {
    for (const auto& s : *list) {
      if (!IsValidUtf8(s)) return bad();
    }
  }
  if (const auto* map = std::get_if<StringMap>(&value)) {
    for (const auto& [key, s] : *map) {
      if (!IsValidUtf8(key) || !IsValidUtf8(s)) return bad();
    }
  }
  return OkStatus();
}

// Checks a value of the right shape against its field's syntax.
Status Check(const FieldSpec& spec, const FieldValue& value) {
  SR_RETURN_IF_ERROR(Utf8(spec, value));
  const std::string name(spec.name);
  switch (spec.type) {
    case FieldType::kId:
      return ValidId(std::get<std::string>(value)) ? OkStatus() : WrongShape(spec);
    case FieldType::kText:
      return Text(std::get<std::string>(value), 4096) ? OkStatus() : WrongShape(spec);
    case FieldType::kTime:
      if (auto t = ParseRfc3339(std::get<std::string>(value)); !t.ok()) {
        return InvalidArgument("field '" + name + "': " + t.status().message());
      }
      return OkStatus();
    case FieldType::kLevel:
      if (auto r = LevelRank(std::get<std::string>(value)); !r.ok()) {
        return InvalidArgument("field '" + name + "': " + r.status().message());
      }
      return OkStatus();
    case FieldType::kIdList:
    case FieldType::kLongIdList: {
      const auto& list = std::get<Strings>(value);
      if (list.size() > (spec.type == FieldType::kIdList ? 64u : 4096u)) return WrongShape(spec);
      for (const auto& e : list) {
        if (!ValidId(e)) return Want(spec, "a list of identifiers");
      }
      return OkStatus();
    }
    case FieldType::kTextList: {
      const auto& list = std::get<Strings>(value);
      if (list.empty() || list.size() > 64) return WrongShape(spec);
      for (const auto& e : list) {
        if (!Text(e, 4096)) return Want(spec, "a list of non-empty texts");
      }
      return OkStatus();
    }
    case FieldType::kCount: {
      const int64_t n = std::get<int64_t>(value);
      return n >= 0 && n <= 1000000 ? OkStatus() : WrongShape(spec);
    }
    case FieldType::kIndex:
      return std::get<int64_t>(value) >= 0 ? OkStatus() : WrongShape(spec);
    case FieldType::kBool:
    case FieldType::kObject:
      return OkStatus();
    case FieldType::kStringMap: {
      const auto& map = std::get<StringMap>(value);
      if (map.size() > 32) return WrongShape(spec);
      for (const auto& [key, text] : map) {
        if (!ValidId(key) || !Text(text, 256)) {
          return WrongMapValue(spec);
        }
      }
      return OkStatus();
    }
    case FieldType::kDigest: {
      const auto& hex = std::get<std::string>(value);
      bool good = hex.size() == 64;
      for (char c : hex) good = good && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
      return good ? OkStatus() : WrongShape(spec);
    }
    case FieldType::kKey:
      if (auto k = Base64Decode(std::get<std::string>(value)); !k.ok() || k->size() != 32) {
        return Want(spec, "a base64 Ed25519 public key (32 bytes)");
      }
      return OkStatus();
    case FieldType::kChoice:
      for (const auto& c : spec.choices) {
        if (std::get<std::string>(value) == c) return OkStatus();
      }
      return WrongShape(spec);
  }
  return OkStatus();
}

static_assert(std::is_same_v<std::variant_alternative_t<1, FieldValue>, std::string> &&
              std::is_same_v<std::variant_alternative_t<2, FieldValue>, int64_t> &&
              std::is_same_v<std::variant_alternative_t<3, FieldValue>, bool> &&
              std::is_same_v<std::variant_alternative_t<4, FieldValue>, Strings> &&
              std::is_same_v<std::variant_alternative_t<5, FieldValue>, StringMap> &&
              std::is_same_v<std::variant_alternative_t<6, FieldValue>, ObjectText>);

// The JSON shape of a field's value, numbered as FieldValue's alternative
// that holds it.
enum class Shape : size_t { kText = 1, kInteger, kBool, kList, kMap, kObject };

Shape ShapeOf(FieldType type) {
  switch (type) {
    case FieldType::kIdList:
    case FieldType::kLongIdList:
    case FieldType::kTextList: return Shape::kList;
    case FieldType::kCount:
    case FieldType::kIndex: return Shape::kInteger;
    case FieldType::kBool: return Shape::kBool;
    case FieldType::kStringMap: return Shape::kMap;
    case FieldType::kObject: return Shape::kObject;
    default: return Shape::kText;  // identifiers, texts, times, levels, keys, choices
  }
}

// ---- Values from a JSON tree.

Result<FieldValue> ShapeFromJson(const FieldSpec& spec, const Json& v) {
  switch (ShapeOf(spec.type)) {
    case Shape::kText:
      if (!v.is_string()) return WrongShape(spec);
      return FieldValue(v.get<std::string>());
    case Shape::kList: {
      if (!v.is_array()) return WrongShape(spec);
      Strings list;
      list.reserve(v.size());
      for (const Json& e : v) {
        if (!e.is_string()) return WrongListElement(spec);
        list.push_back(e.get<std::string>());
      }
      return FieldValue(std::move(list));
    }
    case Shape::kInteger:
      if (!v.is_number_integer() ||
          (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(kMaxSafeInteger)) ||
          (!v.is_number_unsigned() && v.get<int64_t>() > kMaxSafeInteger)) {
        return WrongShape(spec);
      }
      return FieldValue(v.get<int64_t>());
    case Shape::kBool:
      if (!v.is_boolean()) return WrongShape(spec);
      return FieldValue(v.get<bool>());
    case Shape::kMap: {
      if (!v.is_object()) return WrongShape(spec);
      StringMap map;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!it->is_string()) return WrongMapValue(spec);
        map.emplace_back(it.key(), it->get<std::string>());
      }
      // Canonical order (the keys are checked to be identifiers, where
      // UTF-16 order is byte order).
      std::sort(map.begin(), map.end());
      return FieldValue(std::move(map));
    }
    case Shape::kObject: {
      if (!v.is_object()) return WrongShape(spec);
      auto text = CanonicalJson(v);
      if (!text.ok()) return InvalidArgument("field '" + std::string(spec.name) + "': " +
                                             text.status().message());
      return FieldValue(ObjectText{std::move(text).value()});
    }
  }
  return WrongShape(spec);
}

// New input only (entries already in the log stay readable): no character
// that can rewrite what a reader's terminal or screen shows, no list that
// names a thing twice.
Status CheckSafeText(const FieldSpec& spec, const FieldValue& value) {
  auto check = [&](std::string_view text) -> Status {
    if (auto cp = FirstUnsafeCodePoint(text)) {
      char code[16];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(*cp));
      return InvalidArgument("field '" + std::string(spec.name) + "' holds " + code +
                             ", a control or bidirectional-override character");
    }
    return OkStatus();
  };
  if (const auto* s = std::get_if<std::string>(&value)) return check(*s);
  if (const auto* list = std::get_if<Strings>(&value)) {
    for (size_t i = 0; i < list->size(); ++i) {
      SR_RETURN_IF_ERROR(check((*list)[i]));
      // A list names each thing once ("ORCHID" twice is a mistake or a trick).
      for (size_t j = 0; j < i; ++j) {
        if ((*list)[i] == (*list)[j]) {
          return InvalidArgument("field '" + std::string(spec.name) + "' names '" + (*list)[i] +
                                 "' twice");
        }
      }
    }
  }
  if (const auto* map = std::get_if<StringMap>(&value)) {
    for (const auto& [key, s] : *map) SR_RETURN_IF_ERROR(check(s));
  }
  return OkStatus();
}

Result<FieldValue> ValueFromJson(const FieldSpec& spec, const Json& v) {
  SR_ASSIGN_OR_RETURN(FieldValue value, ShapeFromJson(spec, v));
  SR_RETURN_IF_ERROR(Check(spec, value));
  SR_RETURN_IF_ERROR(CheckSafeText(spec, value));
  return value;
}

// ---- Values from canonical text.

using Token = CanonicalReader::Token;

Result<FieldValue> ShapeFromText(const FieldSpec& spec, CanonicalReader* r) {
  const Token next = r->Peek();
  switch (ShapeOf(spec.type)) {
    case Shape::kText: {
      if (next != Token::kString) return WrongShape(spec);
      std::string s;
      r->String(&s);
      return FieldValue(std::move(s));
    }
    case Shape::kList: {
      if (next != Token::kArray) return WrongShape(spec);
      Strings list;
      r->BeginArray();
      while (r->NextElement()) {
        if (r->Peek() != Token::kString) return WrongListElement(spec);
        r->String(&list.emplace_back());
      }
      return FieldValue(std::move(list));
    }
    case Shape::kInteger: {
      if (next != Token::kInteger) return WrongShape(spec);
      int64_t n;
      r->Integer(&n);
      return FieldValue(n);
    }
    case Shape::kBool: {
      if (next != Token::kBool) return WrongShape(spec);
      bool b;
      r->Bool(&b);
      return FieldValue(b);
    }
    case Shape::kMap: {
      if (next != Token::kObject) return WrongShape(spec);
      StringMap map;
      std::string key;
      r->BeginObject();
      while (r->NextMember(&key)) {
        if (r->Peek() != Token::kString) return WrongMapValue(spec);
        auto& [k, text] = map.emplace_back(key, std::string());
        r->String(&text);
      }
      return FieldValue(std::move(map));
    }
    case Shape::kObject: {
      if (next != Token::kObject) return WrongShape(spec);
      std::string_view raw;
      r->Raw(&raw);
      return FieldValue(ObjectText{std::string(raw)});
    }
  }
  return WrongShape(spec);
}

// The order of a kind's fields in canonical JSON: by name (identifiers,
// where UTF-16 order is byte order).
const std::vector<uint8_t>& CanonicalOrder(const EventKind& kind) {
  static const auto* orders = [] {
    auto* m = new std::unordered_map<const EventKind*, std::vector<uint8_t>>();
    for (const EventKind* k : AllKinds()) {
      std::vector<uint8_t> order(k->fields.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<uint8_t>(i);
      std::sort(order.begin(), order.end(),
                [&](uint8_t a, uint8_t b) { return k->fields[a].name < k->fields[b].name; });
      m->emplace(k, std::move(order));
    }
    return m;
  }();
  return orders->at(&kind);
}

void AppendValue(const FieldValue& v, std::string* out) {
  // Every string was checked to be valid UTF-8 and every integer to be in
  // range when the value was made, so the appends cannot fail.
  struct Writer {
    std::string* out;
    void operator()(std::monostate) const {}
    void operator()(const std::string& s) const { (void)AppendCanonicalString(s, out); }
    void operator()(int64_t n) const { (void)AppendCanonicalInteger(n, out); }
    void operator()(bool b) const { *out += b ? "true" : "false"; }
    void operator()(const Strings& list) const { (void)AppendCanonicalStrings(list, out); }
    void operator()(const StringMap& map) const {
      out->push_back('{');
      for (size_t i = 0; i < map.size(); ++i) {
        if (i) out->push_back(',');
        (void)AppendCanonicalString(map[i].first, out);
        out->push_back(':');
        (void)AppendCanonicalString(map[i].second, out);
      }
      out->push_back('}');
    }
    void operator()(const ObjectText& o) const { *out += o.text; }
  };
  std::visit(Writer{out}, v);
}

Json ValueToJson(const FieldValue& v) {
  struct Converter {
    Json operator()(std::monostate) const { return nullptr; }
    Json operator()(const std::string& s) const { return s; }
    Json operator()(int64_t n) const { return n; }
    Json operator()(bool b) const { return b; }
    Json operator()(const Strings& list) const { return list; }
    Json operator()(const StringMap& map) const {
      Json j = Json::object();
      for (const auto& [k, text] : map) j[k] = text;
      return j;
    }
    Json operator()(const ObjectText& o) const { return ParseJson(o.text).value(); }
  };
  return std::visit(Converter{}, v);
}

int IndexOf(const EventKind& kind, std::string_view name) {
  for (size_t i = 0; i < kind.fields.size(); ++i) {
    if (kind.fields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

Status UnknownField(const EventKind& kind, std::string_view name) {
  return InvalidArgument("unknown field '" + std::string(name) + "' for " + std::string(kind.name));
}

}  // namespace

Fields::Fields(const EventKind& kind) : kind_(&kind), values_(kind.fields.size()) {}

Result<Fields> Fields::FromJson(const EventKind& kind, const Json& object) {
  if (!object.is_object()) return InvalidArgument("fields must be a JSON object");
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (IndexOf(kind, it.key()) < 0) return UnknownField(kind, it.key());
  }
  Fields f(kind);
  for (size_t i = 0; i < kind.fields.size(); ++i) {
    auto it = object.find(kind.fields[i].name);
    if (it == object.end()) continue;
    SR_ASSIGN_OR_RETURN(f.values_[i], ValueFromJson(kind.fields[i], *it));
  }
  SR_RETURN_IF_ERROR(f.CheckRequired());
  return f;
}

namespace {

std::string SaltOf(HmacSha256Key* key, std::string_view kind, std::string_view field) {
  std::string message = "strongroom field salt v1\n";
  message += kind;
  message += '/';
  message += field;
  return std::string(key->Mac(message).view());
}

}  // namespace

std::string SealedFieldSalt(std::string_view key, std::string_view kind, std::string_view field) {
  HmacSha256Key mac(key);
  return SaltOf(&mac, kind, field);
}

std::string SealedValueCommitment(std::string_view salt, std::string_view canonical_value) {
  std::string message = "strongroom sealed field v1\n";
  message += salt;
  message += canonical_value;
  return Base64Encode(Sha256(message).view());
}

namespace {

bool IsCommitment(std::string_view text) {
  auto raw = Base64Decode(text);
  return raw.ok() && raw->size() == 32 && Base64Encode(*raw) == text;
}

}  // namespace

Result<Fields> Fields::FromSealed(const EventKind& kind, std::string_view text, bool* sealed) {
  *sealed = false;
  CanonicalReader r(text);
  if (r.Peek() != CanonicalReader::Token::kObject) {
    SR_RETURN_IF_ERROR(r.status());
    return InvalidArgument("fields must be a JSON object");
  }
  Fields f(kind);
  std::string name;
  r.BeginObject();
  while (r.NextMember(&name)) {
    const int i = IndexOf(kind, name);
    if (i < 0) return UnknownField(kind, name);
    const FieldSpec& spec = kind.fields[static_cast<size_t>(i)];
    if (spec.sealed) {
      std::string commitment;
      if (r.Peek() != Token::kString) SR_RETURN_IF_ERROR(r.status());
      if (r.Peek() != Token::kString || !r.String(&commitment) || !IsCommitment(commitment)) {
        SR_RETURN_IF_ERROR(r.status());
        return InvalidArgument("sealed field '" + std::string(spec.name) +
                               "' is not a commitment (base64 of 32 bytes)");
      }
      *sealed = true;
      continue;
    }
    auto value = ShapeFromText(spec, &r);
    SR_RETURN_IF_ERROR(r.status());
    if (!value.ok()) return value.status();
    SR_RETURN_IF_ERROR(Check(spec, *value));
    f.values_[static_cast<size_t>(i)] = std::move(value).value();
  }
  if (!r.End()) return r.status();
  SR_RETURN_IF_ERROR(f.CheckRequiredPublic());
  return f;
}

Result<Fields> Fields::Read(const EventKind& kind, CanonicalReader* r) {
  if (r->Peek() != CanonicalReader::Token::kObject) {
    SR_RETURN_IF_ERROR(r->status());
    return InvalidArgument("fields must be a JSON object");
  }
  Fields f(kind);
  std::string name;
  r->BeginObject();
  while (r->NextMember(&name)) {
    const int i = IndexOf(kind, name);
    if (i < 0) return UnknownField(kind, name);
    const FieldSpec& spec = kind.fields[static_cast<size_t>(i)];
    auto value = ShapeFromText(spec, r);
    SR_RETURN_IF_ERROR(r->status());  // not canonical: DataLoss before anything else
    if (!value.ok()) return value.status();
    SR_RETURN_IF_ERROR(Check(spec, *value));
    f.values_[static_cast<size_t>(i)] = std::move(value).value();
  }
  SR_RETURN_IF_ERROR(r->status());
  SR_RETURN_IF_ERROR(f.CheckRequired());
  return f;
}

Result<Fields> Fields::FromCanonical(const EventKind& kind, std::string_view text) {
  CanonicalReader r(text);
  SR_ASSIGN_OR_RETURN(Fields f, Read(kind, &r));
  if (!r.End()) return r.status();
  return f;
}

Status Fields::CheckRequired() const {
  for (size_t i = 0; i < kind_->fields.size(); ++i) {
    if (kind_->fields[i].required && std::holds_alternative<std::monostate>(values_[i])) {
      return InvalidArgument("missing field '" + std::string(kind_->fields[i].name) + "' for " +
                             std::string(kind_->name));
    }
  }
  return OkStatus();
}

Status Fields::CheckRequiredPublic() const {
  for (size_t i = 0; i < kind_->fields.size(); ++i) {
    const FieldSpec& spec = kind_->fields[i];
    if (spec.required && !spec.sealed && std::holds_alternative<std::monostate>(values_[i])) {
      return InvalidArgument("missing field '" + std::string(spec.name) + "' for " +
                             std::string(kind_->name));
    }
  }
  return OkStatus();
}

const FieldValue* Fields::Find(std::string_view name) const {
  if (!kind_) return nullptr;
  const int i = IndexOf(*kind_, name);
  return i < 0 ? nullptr : &values_[static_cast<size_t>(i)];
}

bool Fields::contains(std::string_view name) const {
  const FieldValue* v = Find(name);
  return v && !std::holds_alternative<std::monostate>(*v);
}

size_t Fields::size() const {
  return static_cast<size_t>(std::count_if(values_.begin(), values_.end(), [](const FieldValue& v) {
    return !std::holds_alternative<std::monostate>(v);
  }));
}

namespace {
template <typename T>
const T& Get(const FieldValue* v) {
  static const T kEmpty{};
  if (v == nullptr) return kEmpty;
  const T* t = std::get_if<T>(v);
  return t ? *t : kEmpty;
}
}  // namespace

const std::string& Fields::Text(std::string_view name) const { return Get<std::string>(Find(name)); }
int64_t Fields::Int(std::string_view name) const { return Get<int64_t>(Find(name)); }
bool Fields::Bool(std::string_view name) const { return Get<bool>(Find(name)); }
const Strings& Fields::List(std::string_view name) const { return Get<Strings>(Find(name)); }
const StringMap& Fields::Map(std::string_view name) const { return Get<StringMap>(Find(name)); }
std::string_view Fields::Object(std::string_view name) const {
  return Get<ObjectText>(Find(name)).text;
}

Status Fields::Set(std::string_view name, const Json& value) {
  if (!kind_) return InvalidArgument("fields of no event kind");
  const int i = IndexOf(*kind_, name);
  if (i < 0) return UnknownField(*kind_, name);
  SR_ASSIGN_OR_RETURN(values_[static_cast<size_t>(i)],
                      ValueFromJson(kind_->fields[static_cast<size_t>(i)], value));
  return OkStatus();
}

Status Fields::SetValue(std::string_view name, FieldValue value) {
  if (!kind_) return InvalidArgument("fields of no event kind");
  const int i = IndexOf(*kind_, name);
  if (i < 0) return UnknownField(*kind_, name);
  const FieldSpec& spec = kind_->fields[static_cast<size_t>(i)];
  if (value.index() != static_cast<size_t>(ShapeOf(spec.type))) return WrongShape(spec);
  SR_RETURN_IF_ERROR(Check(spec, value));
  values_[static_cast<size_t>(i)] = std::move(value);
  return OkStatus();
}

void Fields::AppendCanonical(std::string* out) const {
  out->push_back('{');
  if (kind_) {
    bool first = true;
    for (uint8_t i : CanonicalOrder(*kind_)) {
      if (std::holds_alternative<std::monostate>(values_[i])) continue;
      if (!first) out->push_back(',');
      first = false;
      out->push_back('"');
      *out += kind_->fields[i].name;  // an identifier: nothing to escape
      *out += "\":";
      AppendValue(values_[i], out);
    }
  }
  out->push_back('}');
}

void Fields::AppendSealed(std::string_view key, const std::string* object, std::string* out) const {
  out->push_back('{');
  if (kind_) {
    bool first = true;
    std::string value;
    std::optional<HmacSha256Key> mac;  // set up once, for the first sealed field
    for (uint8_t i : CanonicalOrder(*kind_)) {
      const FieldSpec& spec = kind_->fields[i];
      // Every sealed field is there, present or not (an absent one commits
      // to null): which optional ones an entry has (compartments, caveats,
      // identifiers) would say something itself.
      const bool absent = std::holds_alternative<std::monostate>(values_[i]);
      if (absent && !spec.sealed) continue;
      if (!first) out->push_back(',');
      first = false;
      out->push_back('"');
      *out += spec.name;
      *out += "\":";
      if (spec.sealed) {
        value.clear();
        if (absent) {
          value = "null";
        } else {
          AppendValue(values_[i], &value);
        }
        out->push_back('"');
        if (!mac) mac.emplace(key);
        *out += SealedValueCommitment(SaltOf(&*mac, kind_->name, spec.name), value);
        out->push_back('"');
      } else if (object && spec.type == FieldType::kObject) {
        *out += *object;
      } else {
        AppendValue(values_[i], out);
      }
    }
  }
  out->push_back('}');
}

bool Fields::AnySealed() const {
  if (!kind_) return false;
  return std::any_of(kind_->fields.begin(), kind_->fields.end(),
                     [](const FieldSpec& f) { return f.sealed; });
}

std::string Fields::Canonical() const {
  std::string out;
  AppendCanonical(&out);
  return out;
}

Json Fields::ToJson() const {
  Json j = Json::object();
  for (size_t i = 0; kind_ && i < values_.size(); ++i) {
    if (!std::holds_alternative<std::monostate>(values_[i])) {
      j[std::string(kind_->fields[i].name)] = ValueToJson(values_[i]);
    }
  }
  return j;
}

bool Fields::operator==(const Fields& other) const {
  auto empty = [](const Fields& f) {
    return std::all_of(f.values_.begin(), f.values_.end(),
                       [](const FieldValue& v) { return std::holds_alternative<std::monostate>(v); });
  };
  if (kind_ != other.kind_) return empty(*this) && empty(other);
  return values_ == other.values_;
}

}  // namespace strongroom
