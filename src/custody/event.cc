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
    {EventType::kFacilityAdd, "facility.add"},
    {EventType::kLocationAdd, "location.add"},
    {EventType::kPersonAdd, "person.add"},
    {EventType::kHoldingRegister, "holding.register"},
    {EventType::kCheckOut, "holding.check_out"},
    {EventType::kCheckIn, "holding.check_in"},
    {EventType::kTransfer, "holding.transfer"},
    {EventType::kMove, "holding.move"},
    {EventType::kDestroy, "holding.destroy"},
    {EventType::kFacilityControl, "facility.control"},
    {EventType::kPersonUpdate, "person.update"},
    {EventType::kPersonSuspend, "person.suspend"},
    {EventType::kPersonReinstate, "person.reinstate"},
    {EventType::kPersonDismiss, "person.dismiss"},
    {EventType::kGrantAdd, "grant.add"},
    {EventType::kGrantRevoke, "grant.revoke"},
    {EventType::kSeal, "holding.seal"},
    {EventType::kUnseal, "holding.unseal"},
    {EventType::kDispatch, "holding.dispatch"},
    {EventType::kReceive, "holding.receive"},
    {EventType::kReproduce, "holding.reproduce"},
    {EventType::kDistribute, "holding.distribute"},
    {EventType::kAcknowledge, "holding.acknowledge"},
    {EventType::kRecall, "holding.recall"},
    {EventType::kRelease, "holding.release"},
    {EventType::kInspect, "holding.inspect"},
    {EventType::kRequestOpen, "request.open"},
    {EventType::kRequestCancel, "request.cancel"},
    {EventType::kCorrect, "record.correct"},
    {EventType::kDenied, "denied"},
    {EventType::kAccessRead, "access.read"},
};

enum class Kind {
  kId,
  kText,
  kTime,
  kLevel,
  kIdList,
  kTextList,
  kCount,
  kIndex,
  kBool,
  kStringMap,
  kChoice,
  kKey,
  kObject,
};

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
        {"compartments", Kind::kIdList, false},
        {"caveats", Kind::kIdList, false},
        {"nationality", Kind::kId, false},
        {"facility", Kind::kId, false},
        {"public_key", Kind::kKey, false}}},
      {EventType::kPersonUpdate,
       {{"person", Kind::kId, true},
        {"name", Kind::kText, false},
        {"unit", Kind::kText, false},
        {"roles", Kind::kIdList, false},
        {"clearance", Kind::kLevel, false},
        {"compartments", Kind::kIdList, false},
        {"caveats", Kind::kIdList, false},
        {"nationality", Kind::kId, false},
        {"facility", Kind::kId, false}}},
      {EventType::kPersonSuspend, {{"person", Kind::kId, true}, {"reason", Kind::kText, true}}},
      {EventType::kPersonReinstate, {{"person", Kind::kId, true}, {"reason", Kind::kText, true}}},
      {EventType::kPersonDismiss, {{"person", Kind::kId, true}, {"reason", Kind::kText, true}}},
      {EventType::kFacilityControl,
       {{"facility", Kind::kId, true},
        {"heightened", Kind::kBool, true},
        {"reason", Kind::kText, true}}},
      {EventType::kGrantAdd,
       {{"person", Kind::kId, true},
        {"scope", Kind::kChoice, true, {"holding", "case", "compartment"}},
        {"target", Kind::kId, true},
        {"expires", Kind::kTime, true}}},
      {EventType::kGrantRevoke, {{"grant", Kind::kId, true}, {"reason", Kind::kText, true}}},
      {EventType::kHoldingRegister,
       {{"kind", Kind::kChoice, true, {"document", "evidence", "container"}},
        {"caveats", Kind::kIdList, false},
        {"releasable_to", Kind::kIdList, false},
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
      {EventType::kDestroy, {{"method", Kind::kText, true}}},
      {EventType::kSeal, {{"seal", Kind::kId, true}, {"contents", Kind::kIdList, false}}},
      {EventType::kUnseal,
       {{"seal", Kind::kId, true}, {"condition", Kind::kChoice, true, {"intact", "broken"}}}},
      {EventType::kDispatch, {{"to_facility", Kind::kId, true}, {"courier", Kind::kText, true}}},
      {EventType::kReceive,
       {{"dispatch", Kind::kId, true},
        {"location", Kind::kId, true},
        {"seals", Kind::kStringMap, false},
        {"note", Kind::kText, false}}},
      {EventType::kReproduce, {{"copies", Kind::kCount, true}, {"location", Kind::kId, false}}},
      {EventType::kDistribute,
       {{"units", Kind::kTextList, true}, {"return_by", Kind::kTime, true}}},
      {EventType::kAcknowledge, {}},
      {EventType::kRecall, {{"location", Kind::kId, false}}},
      {EventType::kRelease,
       {{"to", Kind::kChoice, true, {"owner", "court"}},
        {"recipient", Kind::kText, true},
        {"court_order", Kind::kText, false}}},
      {EventType::kInspect,
       {{"result", Kind::kChoice, true, {"seen", "missing", "seal_broken"}},
        {"note", Kind::kText, false}}},
      {EventType::kRequestOpen,
       {{"type", Kind::kText, true},
        {"fields", Kind::kObject, true},
        {"needs", Kind::kTextList, true},
        {"expires", Kind::kTime, true}}},
      {EventType::kRequestCancel, {{"request", Kind::kId, true}, {"reason", Kind::kText, true}}},
      {EventType::kCorrect, {{"corrects", Kind::kIndex, true}, {"reason", Kind::kText, true}}},
      {EventType::kDenied,
       {{"attempted", Kind::kText, true},
        {"fields", Kind::kObject, true},
        {"reasons", Kind::kTextList, true}}},
      {EventType::kAccessRead, {{"what", Kind::kChoice, true, {"log", "holding"}}}},
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
    case Kind::kTextList:
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
    case Kind::kCount:
      if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 1000000) {
        return want("an integer from 0 to 1000000");
      }
      return OkStatus();
    case Kind::kIndex:
      if (!v.is_number_integer() || v.get<int64_t>() < 0) return want("a log index");
      return OkStatus();
    case Kind::kKey:
      if (!v.is_string()) return want("a base64 Ed25519 public key");
      if (auto k = Base64Decode(v.get_ref<const std::string&>()); !k.ok() || k->size() != 32) {
        return want("a base64 Ed25519 public key (32 bytes)");
      }
      return OkStatus();
    case Kind::kObject:
      if (!v.is_object()) return want("an object");
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

// How many holdings an event of each type names: [min, max].
std::pair<size_t, size_t> HoldingCount(EventType t) {
  switch (t) {
    case EventType::kFacilityAdd:
    case EventType::kFacilityControl:
    case EventType::kLocationAdd:
    case EventType::kPersonAdd:
    case EventType::kPersonUpdate:
    case EventType::kPersonSuspend:
    case EventType::kPersonReinstate:
    case EventType::kPersonDismiss:
    case EventType::kGrantAdd:
    case EventType::kGrantRevoke:
    case EventType::kRequestCancel:
    case EventType::kCorrect:
      return {0, 0};
    case EventType::kDispatch:
    case EventType::kReceive:
      return {1, 256};
    case EventType::kRequestOpen:
    case EventType::kDenied:
      return {0, 256};
    case EventType::kAccessRead:
      return {0, 1};
    default:
      return {1, 1};
  }
}

}  // namespace

bool ConcernsHoldings(EventType t) { return HoldingCount(t).second > 0; }

std::string SignedRequest(std::string_view origin, const Event& e) {
  Json j = {{"origin", std::string(origin)}, {"basis", e.basis},
            {"type", EventTypeName(e.type)}, {"actor", e.actor},
            {"holdings", e.holdings},        {"fields", e.fields}};
  auto text = CanonicalJson(j);
  SR_CHECK(text.ok());  // fields were validated
  return "strongroom signed request v1\n" + *text;
}

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
  const auto [least, most] = HoldingCount(e.type);
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
