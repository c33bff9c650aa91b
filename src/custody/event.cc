#include "custody/event.h"

#include <map>

#include "base/clock.h"
#include "base/encoding.h"
#include "custody/model.h"

namespace strongroom {
namespace {

struct TypeInfo {
  EventType type;
  const char* name;
};
constexpr TypeInfo kTypes[] = {
    {EventType::kFacilityAdd, "facility.add"},   {EventType::kLocationAdd, "location.add"},
    {EventType::kPersonAdd, "person.add"},       {EventType::kHoldingRegister, "holding.register"},
    {EventType::kCheckOut, "holding.check_out"}, {EventType::kCheckIn, "holding.check_in"},
    {EventType::kTransfer, "holding.transfer"},  {EventType::kMove, "holding.move"},
    {EventType::kDestroy, "holding.destroy"},
};

enum class Kind { kId, kText, kTime, kLevel, kIdList, kCount, kBool, kStringMap, kChoice };

struct FieldSpec {
  const char* name;
  Kind kind;
  bool required;
  std::vector<std::string> choices = {};
};

const std::vector<FieldSpec>& FieldsOf(EventType t) {
  static const std::map<EventType, std::vector<FieldSpec>> kSpecs = {
      {EventType::kFacilityAdd, {{"facility", Kind::kId, true}, {"name", Kind::kText, true}}},
      {EventType::kLocationAdd,
       {{"location", Kind::kId, true},
        {"facility", Kind::kId, true},
        {"name", Kind::kText, true},
        {"kind", Kind::kChoice, true, {"vault", "safe", "shelf", "bin", "room"}}}},
      {EventType::kPersonAdd,
       {{"person", Kind::kId, true},
        {"name", Kind::kText, true},
        {"unit", Kind::kText, true},
        {"roles", Kind::kIdList, true},
        {"clearance", Kind::kLevel, true},
        {"compartments", Kind::kIdList, false}}},
      {EventType::kHoldingRegister,
       {{"kind", Kind::kChoice, true, {"document", "evidence"}},
        {"title", Kind::kText, true},
        {"location", Kind::kId, true},
        {"classification", Kind::kLevel, false},
        {"compartments", Kind::kIdList, false},
        {"originator", Kind::kText, false},
        {"copy_number", Kind::kCount, false},
        {"copies_total", Kind::kCount, false},
        {"case_number", Kind::kText, false},
        {"item_type", Kind::kText, false},
        {"identifiers", Kind::kStringMap, false},
        {"seized_at", Kind::kTime, false},
        {"seized_place", Kind::kText, false},
        {"disposition", Kind::kChoice, false, {"destroy", "return", "retain"}},
        {"disposition_due", Kind::kTime, false}}},
      {EventType::kCheckOut,
       {{"to", Kind::kId, true}, {"purpose", Kind::kText, true}, {"due_back", Kind::kTime, true}}},
      {EventType::kCheckIn, {{"location", Kind::kId, false}}},
      {EventType::kTransfer, {{"to", Kind::kId, true}}},
      {EventType::kMove, {{"location", Kind::kId, true}}},
      {EventType::kDestroy, {{"method", Kind::kText, true}, {"witness", Kind::kId, true}}},
  };
  return kSpecs.at(t);
}

Status CheckValue(const FieldSpec& spec, const Json& v) {
  const std::string name = spec.name;
  auto want = [&](const std::string& what) {
    return InvalidArgument("field '" + name + "' must be " + what);
  };
  switch (spec.kind) {
    case Kind::kId:
      if (!v.is_string() || !ValidId(v.get_ref<const std::string&>())) {
        return want("an identifier (1-64 of A-Z a-z 0-9 . _ : -)");
      }
      return OkStatus();
    case Kind::kText:
      if (!v.is_string() || v.get_ref<const std::string&>().empty() ||
          v.get_ref<const std::string&>().size() > 4096) {
        return want("a non-empty text of at most 4096 bytes");
      }
      return OkStatus();
    case Kind::kTime:
      if (!v.is_string()) return want("an RFC 3339 UTC time");
      if (auto t = ParseRfc3339(v.get_ref<const std::string&>()); !t.ok()) {
        return InvalidArgument("field '" + name + "': " + t.status().message());
      }
      return OkStatus();
    case Kind::kLevel:
      if (!v.is_string()) return want("a level name");
      if (auto r = LevelRank(v.get_ref<const std::string&>()); !r.ok()) {
        return InvalidArgument("field '" + name + "': " + r.status().message());
      }
      return OkStatus();
    case Kind::kIdList:
      if (!v.is_array() || v.size() > 64) return want("a list of at most 64 identifiers");
      for (const Json& e : v) {
        if (!e.is_string() || !ValidId(e.get_ref<const std::string&>())) {
          return want("a list of identifiers");
        }
      }
      return OkStatus();
    case Kind::kCount:
      if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 1000000) {
        return want("an integer from 0 to 1000000");
      }
      return OkStatus();
    case Kind::kBool:
      if (!v.is_boolean()) return want("true or false");
      return OkStatus();
    case Kind::kStringMap:
      if (!v.is_object() || v.size() > 32) return want("an object of at most 32 text values");
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!ValidId(it.key()) || !it->is_string() || it->get_ref<const std::string&>().empty() ||
            it->get_ref<const std::string&>().size() > 256) {
          return want("an object mapping identifiers to texts (e.g. {\"imei\": \"35...\"})");
        }
      }
      return OkStatus();
    case Kind::kChoice: {
      if (v.is_string()) {
        for (const auto& c : spec.choices) {
          if (v.get_ref<const std::string&>() == c) return OkStatus();
        }
      }
      std::string all;
      for (const auto& c : spec.choices) all += (all.empty() ? "" : ", ") + c;
      return want("one of: " + all);
    }
  }
  return OkStatus();
}

bool HoldingEvent(EventType t) {
  return t != EventType::kFacilityAdd && t != EventType::kLocationAdd && t != EventType::kPersonAdd;
}

}  // namespace

const char* EventTypeName(EventType t) {
  for (const auto& info : kTypes) {
    if (info.type == t) return info.name;
  }
  return "unknown";
}

Result<EventType> ParseEventType(std::string_view name) {
  for (const auto& info : kTypes) {
    if (name == info.name) return info.type;
  }
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
  const auto& specs = FieldsOf(e.type);
  for (auto it = e.fields.begin(); it != e.fields.end(); ++it) {
    bool known = false;
    for (const auto& s : specs) known |= it.key() == s.name;
    if (!known) {
      return InvalidArgument("unknown field '" + it.key() + "' for " + EventTypeName(e.type));
    }
  }
  for (const auto& s : specs) {
    auto it = e.fields.find(s.name);
    if (it == e.fields.end()) {
      if (s.required) {
        return InvalidArgument(std::string("missing field '") + s.name + "' for " +
                               EventTypeName(e.type));
      }
      continue;
    }
    SR_RETURN_IF_ERROR(CheckValue(s, *it));
  }
  if (HoldingEvent(e.type)) {
    if (e.holdings.size() != 1) {
      return InvalidArgument(std::string(EventTypeName(e.type)) + " concerns exactly one holding");
    }
    if (!ValidId(e.holdings[0])) return InvalidArgument("invalid holding identifier");
  } else if (!e.holdings.empty()) {
    return InvalidArgument(std::string(EventTypeName(e.type)) + " concerns no holding");
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
  return CanonicalJson(j);
}

Result<Event> Event::FromEntry(std::string_view entry) {
  SR_ASSIGN_OR_RETURN(Json j, ParseCanonicalJson(entry));
  auto bad = [](const std::string& why) { return DataLoss("malformed entry: " + why); };
  if (!j.is_object() || j.size() != 7)
    return bad("not an object with exactly the 7 envelope members");
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
  if (Status st = ValidateFields(e); !st.ok()) return bad(st.message());
  return e;
}

}  // namespace strongroom
