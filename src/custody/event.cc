#include "custody/event.h"

#include <map>

#include "base/clock.h"
#include "base/encoding.h"
#include "custody/kinds/kind.h"
#include "custody/model.h"

namespace strongroom {
namespace {

Status CheckValue(const FieldSpec& spec, const Json& v) {
  const std::string name(spec.name);
  auto want = [&](const std::string& what) {
    return InvalidArgument("field '" + name + "' must be " + what);
  };
  switch (spec.type) {
    case FieldType::kId:
      if (!v.is_string() || !ValidId(v.get_ref<const std::string&>())) {
        return want("an identifier (1-64 of A-Z a-z 0-9 . _ : -)");
      }
      return OkStatus();
    case FieldType::kText:
      if (!v.is_string() || v.get_ref<const std::string&>().empty() ||
          v.get_ref<const std::string&>().size() > 4096) {
        return want("a non-empty text of at most 4096 bytes");
      }
      return OkStatus();
    case FieldType::kTime:
      if (!v.is_string()) return want("an RFC 3339 UTC time");
      if (auto t = ParseRfc3339(v.get_ref<const std::string&>()); !t.ok()) {
        return InvalidArgument("field '" + name + "': " + t.status().message());
      }
      return OkStatus();
    case FieldType::kLevel:
      if (!v.is_string()) return want("a level name");
      if (auto r = LevelRank(v.get_ref<const std::string&>()); !r.ok()) {
        return InvalidArgument("field '" + name + "': " + r.status().message());
      }
      return OkStatus();
    case FieldType::kIdList:
      if (!v.is_array() || v.size() > 64) return want("a list of at most 64 identifiers");
      for (const Json& e : v) {
        if (!e.is_string() || !ValidId(e.get_ref<const std::string&>())) {
          return want("a list of identifiers");
        }
      }
      return OkStatus();
    case FieldType::kTextList:
      if (!v.is_array() || v.empty() || v.size() > 64) {
        return want("a list of 1 to 64 texts");
      }
      for (const Json& e : v) {
        if (!e.is_string() || e.get_ref<const std::string&>().empty() ||
            e.get_ref<const std::string&>().size() > 4096) {
          return want("a list of non-empty texts");
        }
      }
      return OkStatus();
    case FieldType::kCount:
      if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 1000000) {
        return want("an integer from 0 to 1000000");
      }
      return OkStatus();
    case FieldType::kIndex:
      if (!v.is_number_integer() || v.get<int64_t>() < 0) return want("a log index");
      return OkStatus();
    case FieldType::kKey:
      if (!v.is_string()) return want("a base64 Ed25519 public key");
      if (auto k = Base64Decode(v.get_ref<const std::string&>()); !k.ok() || k->size() != 32) {
        return want("a base64 Ed25519 public key (32 bytes)");
      }
      return OkStatus();
    case FieldType::kObject:
      if (!v.is_object()) return want("an object");
      return OkStatus();
    case FieldType::kBool:
      if (!v.is_boolean()) return want("true or false");
      return OkStatus();
    case FieldType::kStringMap:
      if (!v.is_object() || v.size() > 32) return want("an object of at most 32 text values");
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!ValidId(it.key()) || !it->is_string() || it->get_ref<const std::string&>().empty() ||
            it->get_ref<const std::string&>().size() > 256) {
          return want("an object mapping identifiers to texts (e.g. {\"imei\": \"35...\"})");
        }
      }
      return OkStatus();
    case FieldType::kChoice: {
      if (v.is_string()) {
        for (const auto& c : spec.choices) {
          if (v.get_ref<const std::string&>() == c) return OkStatus();
        }
      }
      std::string all;
      for (const auto& c : spec.choices) (all += all.empty() ? "" : ", ") += c;
      return want("one of: " + all);
    }
  }
  return OkStatus();
}

}  // namespace

bool ConcernsHoldings(EventType t) { return KindOf(t).max_holdings > 0; }

std::string SignedRequest(std::string_view origin, const Event& e) {
  Json j = {{"origin", std::string(origin)}, {"basis", e.basis},
            {"type", EventTypeName(e.type)}, {"actor", e.actor},
            {"holdings", e.holdings},        {"fields", e.fields}};
  auto text = CanonicalJson(j);
  SR_CHECK(text.ok());  // fields were validated
  return "strongroom signed request v1\n" + *text;
}

const char* EventTypeName(EventType t) { return KindOf(t).name.data(); }

Result<EventType> ParseEventType(std::string_view name) {
  if (const EventKind* kind = KindNamed(name)) return kind->type;
  return InvalidArgument("unknown event type '" + std::string(name) + "'");
}

bool ValidId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  if (!std::isalnum(static_cast<unsigned char>(id[0]))) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != ':' &&
        c != '-') {
      return false;
    }
  }
  return true;
}

Status ValidateFields(const Event& e) {
  if (!ValidId(e.actor)) return InvalidArgument("the actor must be a person identifier");
  if (!e.fields.is_object()) return InvalidArgument("fields must be a JSON object");
  const EventKind& kind = KindOf(e.type);
  for (auto it = e.fields.begin(); it != e.fields.end(); ++it) {
    if (!kind.field(it.key())) {
      return InvalidArgument("unknown field '" + it.key() + "' for " + EventTypeName(e.type));
    }
  }
  for (const FieldSpec& s : kind.fields) {
    auto it = e.fields.find(s.name);
    if (it == e.fields.end()) {
      if (s.required) {
        return InvalidArgument("missing field '" + std::string(s.name) + "' for " +
                               EventTypeName(e.type));
      }
      continue;
    }
    SR_RETURN_IF_ERROR(CheckValue(s, *it));
  }
  const size_t least = kind.min_holdings, most = kind.max_holdings;
  if (e.holdings.size() < least || e.holdings.size() > most) {
    const std::string name = EventTypeName(e.type);
    if (most == 0) return InvalidArgument(name + " concerns no holding");
    if (least == most) return InvalidArgument(name + " concerns exactly one holding");
    return InvalidArgument(name + " concerns " + std::to_string(least) + " to " +
                           std::to_string(most) + " holdings");
  }
  for (size_t i = 0; i < e.holdings.size(); ++i) {
    if (!ValidId(e.holdings[i])) return InvalidArgument("invalid holding identifier");
    for (size_t j = 0; j < i; ++j) {
      if (e.holdings[i] == e.holdings[j]) {
        return InvalidArgument("holding " + e.holdings[i] + " is named twice");
      }
    }
  }
  if (e.signatures.empty() != (e.basis == 0)) {
    return InvalidArgument("signatures and their basis entry go together");
  }
  if (e.signatures.size() > 5) return InvalidArgument("at most 5 signatures");
  for (const Signature& sig : e.signatures) {
    if (!ValidId(sig.person)) return InvalidArgument("a signature names an invalid person");
    if (auto raw = Base64Decode(sig.signature); !raw.ok() || raw->size() != 64) {
      return InvalidArgument("signature of " + sig.person + " is not base64 of 64 bytes");
    }
  }
  return OkStatus();
}

std::string Event::Field(const std::string& name) const {
  auto it = fields.find(name);
  if (it == fields.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

Result<std::string> Event::ToEntry() const {
  Json j = {{"v", kEntrySchemaVersion},
            {"type", EventTypeName(type)},
            {"time", time},
            {"nonce", nonce},
            {"actor", actor},
            {"holdings", holdings},
            {"fields", fields}};
  if (!signatures.empty()) {
    j["basis"] = basis;
    Json sigs = Json::array();
    for (const auto& s : signatures) {
      sigs.push_back({{"person", s.person}, {"signature", s.signature}});
    }
    j["signatures"] = std::move(sigs);
  }
  return CanonicalJson(j);
}

Result<Event> Event::FromEntry(std::string_view entry) {
  SR_ASSIGN_OR_RETURN(Json j, ParseCanonicalJson(entry));
  auto bad = [](const std::string& why) { return DataLoss("malformed entry: " + why); };
  const bool signed_entry = j.is_object() && j.contains("signatures");
  if (!j.is_object() || j.size() != (signed_entry ? 9u : 7u)) {
    return bad("not an object with exactly the envelope members");
  }
  if (!j.contains("v") || !j["v"].is_number_integer() ||
      j["v"].get<int64_t>() != kEntrySchemaVersion) {
    return bad("unsupported schema version");
  }
  for (const char* k : {"type", "time", "nonce", "actor"}) {
    if (!j.contains(k) || !j[k].is_string()) return bad(std::string("'") + k + "' is not a string");
  }
  if (!j.contains("holdings") || !j["holdings"].is_array()) return bad("'holdings' is not a list");
  if (!j.contains("fields") || !j["fields"].is_object()) return bad("'fields' is not an object");
  Event e;
  auto type = ParseEventType(j["type"].get<std::string>());
  if (!type.ok()) return bad(type.status().message());
  e.type = *type;
  e.time = j["time"].get<std::string>();
  if (auto t = ParseRfc3339(e.time); !t.ok() || e.time.back() != 'Z') return bad("bad time");
  e.nonce = j["nonce"].get<std::string>();
  if (auto n = Base64Decode(e.nonce); !n.ok() || n->size() != 16) {
    return bad("nonce is not base64 of 16 bytes");
  }
  e.actor = j["actor"].get<std::string>();
  for (const Json& h : j["holdings"]) {
    if (!h.is_string()) return bad("holding is not a string");
    e.holdings.push_back(h.get<std::string>());
  }
  e.fields = j["fields"];
  if (signed_entry) {
    if (!j.contains("basis") || !j["basis"].is_number_integer() || j["basis"].get<int64_t>() <= 0) {
      return bad("'basis' is not a positive index");
    }
    e.basis = j["basis"].get<int64_t>();
    if (!j["signatures"].is_array() || j["signatures"].empty()) return bad("bad 'signatures'");
    for (const Json& s : j["signatures"]) {
      if (!s.is_object() || s.size() != 2 || !s.contains("person") || !s["person"].is_string() ||
          !s.contains("signature") || !s["signature"].is_string()) {
        return bad("a signature is not {person, signature}");
      }
      e.signatures.push_back({s["person"].get<std::string>(), s["signature"].get<std::string>()});
    }
  }
  if (Status st = ValidateFields(e); !st.ok()) return bad(st.message());
  return e;
}

}  // namespace strongroom
