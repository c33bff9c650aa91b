#include "custody/event.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>

#include "base/clock.h"
#include "base/encoding.h"
#include "custody/kinds/kind.h"
#include "custody/model.h"
#include "json/canonical_reader.h"
#include "ledger/proof.h"

namespace strongroom {
bool ConcernsHoldings(EventType t) { return KindOf(t).max_holdings > 0; }

namespace {

Status AppendHoldings(const Event& e, std::string* out) {
  *out += ",\"holdings\":";
  return AppendCanonicalStrings(e.holdings, out);
}

// Keeps the first error of a sequence of appends.
struct FirstError {
  Status status;
  void operator+=(Status s) {
    if (status.ok()) status = std::move(s);
  }
};

void AppendType(const Event& e, std::string* out) {
  *out += ",\"type\":\"";
  *out += EventTypeName(e.type);  // an identifier-like name: nothing to escape
  out->push_back('"');
}

}  // namespace

Result<std::string> SignedRequest(std::string_view origin, const Event& e) {
  // The canonical JSON of {origin, basis, type, actor, holdings, fields}.
  SR_ASSIGN_OR_RETURN(std::string fields, e.SealedFields());
  std::string out = "strongroom signed request v1\n{\"actor\":";
  FirstError st;
  st += AppendCanonicalString(e.actor, &out);
  out += ",\"basis\":";
  st += AppendCanonicalInteger(e.basis, &out);
  out += ",\"fields\":";
  out += fields;
  st += AppendHoldings(e, &out);
  out += ",\"origin\":";
  st += AppendCanonicalString(origin, &out);
  AppendType(e, &out);
  out.push_back('}');
  SR_CHECK(st.status.ok());  // the event was validated; the origin is the log's
  return out;
}

Result<std::string> SignedEvent(std::string_view origin, const Event& e) {
  // The canonical JSON of {origin, type, actor, holdings, fields, nonce}.
  SR_ASSIGN_OR_RETURN(std::string fields, e.SealedFields());
  std::string out = "strongroom event v1\n{\"actor\":";
  FirstError st;
  st += AppendCanonicalString(e.actor, &out);
  out += ",\"fields\":";
  out += fields;
  st += AppendHoldings(e, &out);
  out += ",\"nonce\":";
  st += AppendCanonicalString(e.nonce, &out);
  out += ",\"origin\":";
  st += AppendCanonicalString(origin, &out);
  AppendType(e, &out);
  out.push_back('}');
  SR_CHECK(st.status.ok());  // identifiers, base64 and the log's origin
  return out;
}

std::string EnrolmentCommitment(std::string_view code) {
  return Base64Encode(Sha256("strongroom enrolment code v1\n" + std::string(code)).view());
}

bool Signable(const Event& e) {
  if (!ValidId(e.actor)) return false;
  return std::all_of(e.holdings.begin(), e.holdings.end(), [](const std::string& h) { return ValidId(h); });
}

std::string SignedBatch(const Hash& root, uint64_t size) {
  std::string out = "strongroom signed events v1\n";
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(size >> shift));
  out += root.view();
  return out;
}

Result<std::string> ActorSignedBytes(std::string_view origin, const Event& e) {
  SR_ASSIGN_OR_RETURN(std::string signed_event, SignedEvent(origin, e));
  const Hash leaf = LeafHash(signed_event);
  if (e.batch_size <= 1) return SignedBatch(leaf, 1);
  auto root = RootFromInclusion(leaf, e.batch_index, e.batch_size, e.batch_path);
  if (!root.ok()) return InvalidArgument("the actor's batch path: " + root.status().message());
  return SignedBatch(*root, e.batch_size);
}

Result<Event> Wrapped(const Event& w) {
  Event e = w;
  const char* type_field = w.type == EventType::kDenied ? "attempted" : "type";
  SR_ASSIGN_OR_RETURN(e.type, ParseEventType(w.Field(type_field)));
  if (e.type == EventType::kDenied || e.type == EventType::kRequestOpen) {
    return InvalidArgument("a wrapper cannot wrap another wrapper");
  }
  if (!w.fields.contains("fields")) {
    return InvalidArgument(std::string(EventTypeName(w.type)) + " has no 'fields' object");
  }
  const std::string_view inner = w.fields.Object("fields");
  e.sealed_fields.clear();
  if (w.sealed()) {
    bool sealed = false;
    SR_ASSIGN_OR_RETURN(e.fields, Fields::FromSealed(KindOf(e.type), inner, &sealed));
    if (sealed) e.sealed_fields = std::string(inner);
  } else {
    SR_ASSIGN_OR_RETURN(e.fields, Fields::FromCanonical(KindOf(e.type), inner));
  }
  return e;
}

Result<std::string> Event::SealedFields() const {
  if (version < kSealedEntrySchema) return fields.Canonical();
  if (sealed()) return sealed_fields;
  const bool wrapper = KindOf(type).wrapper;
  if (!wrapper && !fields.AnySealed()) return fields.Canonical();
  if (seal_key.size() != kSealKeySize) {
    return InvalidArgument(std::string(EventTypeName(type)) +
                           " has sealed fields and no key to seal them with");
  }
  std::string out;
  if (!wrapper) {
    fields.AppendSealed(seal_key, nullptr, &out);
    return out;
  }
  // A wrapper holds its inner event's fields sealed as that event's own
  // entry would (what its actor signed), under the same key.
  SR_ASSIGN_OR_RETURN(Event inner, Wrapped(*this));
  SR_ASSIGN_OR_RETURN(std::string inner_fields, inner.SealedFields());
  fields.AppendSealed(seal_key, &inner_fields, &out);
  return out;
}

std::string Event::Disclosure() const {
  if (version < kSealedEntrySchema || sealed() || seal_key.size() != kSealKeySize) return "";
  if (!KindOf(type).wrapper && !fields.AnySealed()) return "";
  std::string out = "{\"fields\":";
  fields.AppendCanonical(&out);
  out += ",\"key\":\"" + Base64Encode(seal_key) + "\"}";
  return out;
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

bool CanonicalId(std::string_view id) {
  if (!ValidId(id) || !std::isalnum(static_cast<unsigned char>(id.back()))) return false;
  return std::none_of(id.begin(), id.end(),
                      [](char c) { return std::islower(static_cast<unsigned char>(c)); });
}

std::string NonCanonicalIdReason(std::string_view id) {
  if (CanonicalId(id)) return "";
  return "'" + std::string(id) +
         "' is not in the one form new ids take: upper-case letters, digits and . _ : -, "
         "starting and ending with a letter or digit (so that no look-alike of another id can "
         "be made)";
}

std::string NumberedHoldingId(uint64_t index) {
  char id[32];
  std::snprintf(id, sizeof id, "H-%06llu", static_cast<unsigned long long>(index));
  return id;
}

bool LooksNumbered(std::string_view id) {
  return id.size() > 2 && (id[0] == 'H' || id[0] == 'h') && id[1] == '-' &&
         std::isdigit(static_cast<unsigned char>(id[2]));
}

Status SetFields(Event* e, const Json& fields) {
  SR_ASSIGN_OR_RETURN(e->fields, Fields::FromJson(KindOf(e->type), fields));
  return OkStatus();
}

Status ValidateFields(const Event& e) {
  if (!ValidId(e.actor)) return InvalidArgument("the actor must be a person identifier");
  const EventKind& kind = KindOf(e.type);
  if (e.fields.kind() == nullptr) {
    // No fields set: right only for a type that requires none.
    SR_RETURN_IF_ERROR(Fields::FromJson(kind, Json::object()).status());
  } else if (e.fields.kind() != &kind) {
    return InvalidArgument("the fields are those of " + std::string(e.fields.kind()->name) +
                           ", not of " + EventTypeName(e.type));
  } else if (e.sealed()) {
    SR_RETURN_IF_ERROR(e.fields.CheckRequiredPublic());
  } else {
    SR_RETURN_IF_ERROR(e.fields.CheckRequired());
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
  if (!e.actor_signature.empty()) {
    if (e.version < 3) return InvalidArgument("a schema-2 entry carries no actor signature");
    if (!e.signatures.empty()) {
      return InvalidArgument("an event with approval signatures carries no actor signature");
    }
    if (auto raw = Base64Decode(e.actor_signature); !raw.ok() || raw->size() != 64) {
      return InvalidArgument("the actor signature is not base64 of 64 bytes");
    }
  }
  if (e.batch_size != 1 || !e.batch_path.empty() || e.batch_index != 0) {
    if (e.actor_signature.empty()) return InvalidArgument("a batch path goes with an actor signature");
    if (e.batch_size < 2 || e.batch_size > kMaxSignedBatch || e.batch_index >= e.batch_size ||
        e.batch_path.size() > 64) {
      return InvalidArgument("the actor's batch is not of 2 to " +
                             std::to_string(kMaxSignedBatch) + " events with this one among them");
    }
  }
  for (const Signature& sig : e.signatures) {
    if (!ValidId(sig.person)) return InvalidArgument("a signature names an invalid person");
    if (auto raw = Base64Decode(sig.signature); !raw.ok() || raw->size() != 64) {
      return InvalidArgument("signature of " + sig.person + " is not base64 of 64 bytes");
    }
  }
  return OkStatus();
}

Result<std::string> Event::ToEntry() const {
  std::string out;
  out.reserve(256);
  out += "{\"actor\":";
  FirstError st;
  st += AppendCanonicalString(actor, &out);
  if (batch_size > 1) {
    out += ",\"actor_batch\":{\"index\":";
    st += AppendCanonicalInteger(static_cast<int64_t>(batch_index), &out);
    out += ",\"path\":[";
    for (size_t i = 0; i < batch_path.size(); ++i) {
      if (i) out.push_back(',');
      st += AppendCanonicalString(Base64Encode(batch_path[i].view()), &out);
    }
    out += "],\"size\":";
    st += AppendCanonicalInteger(static_cast<int64_t>(batch_size), &out);
    out.push_back('}');
  }
  if (!actor_signature.empty()) {
    out += ",\"actor_signature\":";
    st += AppendCanonicalString(actor_signature, &out);
  }
  if (!signatures.empty()) {
    out += ",\"basis\":";
    st += AppendCanonicalInteger(basis, &out);
  }
  out += ",\"fields\":";
  SR_ASSIGN_OR_RETURN(std::string sealed_text, SealedFields());
  out += sealed_text;
  st += AppendHoldings(*this, &out);
  out += ",\"nonce\":";
  st += AppendCanonicalString(nonce, &out);
  if (!signatures.empty()) {
    out += ",\"signatures\":[";
    for (size_t i = 0; i < signatures.size(); ++i) {
      out += i ? ",{\"person\":" : "{\"person\":";
      st += AppendCanonicalString(signatures[i].person, &out);
      out += ",\"signature\":";
      st += AppendCanonicalString(signatures[i].signature, &out);
      out.push_back('}');
    }
    out.push_back(']');
  }
  out += ",\"time\":";
  st += AppendCanonicalString(time, &out);
  AppendType(*this, &out);
  out += ",\"v\":" + std::to_string(version) + "}";
  SR_RETURN_IF_ERROR(st.status);
  return out;
}

namespace {

// Opens `e`'s commitments with its disclosure: the fields in clear, and
// the key, which must seal them to exactly what the entry holds.
Status Disclose(Event* e, std::string_view disclosure) {
  auto bad = [](const std::string& why) {
    return DataLoss("the entry's disclosure " + why);
  };
  if (!e->sealed()) return bad("discloses an entry that seals nothing");
  CanonicalReader r(disclosure);
  if (r.Peek() != CanonicalReader::Token::kObject) return bad("is not {fields, key}");
  std::string name, key;
  std::string_view clear;
  r.BeginObject();
  int members = 0;
  while (r.NextMember(&name)) {
    if (name == "fields" && members == 0 && r.Peek() == CanonicalReader::Token::kObject) {
      r.Raw(&clear);
    } else if (name == "key" && members == 1 && r.Peek() == CanonicalReader::Token::kString) {
      r.String(&key);
    } else {
      return bad("is not {fields, key}");
    }
    ++members;
  }
  if (!r.End() || members != 2) return bad("is not {fields, key}");
  auto raw_key = Base64Decode(key);
  if (!raw_key.ok() || raw_key->size() != kSealKeySize) return bad("key is not base64 of 32 bytes");
  Event open = *e;
  auto fields = Fields::FromCanonical(KindOf(e->type), clear);
  if (!fields.ok()) return bad("fields: " + fields.status().message());
  open.fields = std::move(fields).value();
  open.sealed_fields.clear();
  open.seal_key = std::move(raw_key).value();
  if (Status st = ValidateFields(open); !st.ok()) return bad("fields: " + st.message());
  auto sealed = open.SealedFields();
  if (!sealed.ok() || *sealed != e->sealed_fields) {
    return bad("does not open its commitments (the cleartext or the key was altered)");
  }
  *e = std::move(open);
  return OkStatus();
}

}  // namespace

Result<Event> Event::FromEntry(std::string_view entry, std::string_view disclosure) {
  auto bad = [](const std::string& why) { return DataLoss("malformed entry: " + why); };
  CanonicalReader r(entry);
  if (r.Peek() != CanonicalReader::Token::kObject) {
    if (!r.ok()) return bad(r.status().message());
    return bad("not an object with exactly the envelope members");
  }
  // The members in canonical order; basis and signatures only together.
  enum Member {
    kActor, kActorBatch, kActorSignature, kBasis, kFields, kHoldings, kNonce, kSignatures, kTime,
    kType, kV, kCount
  };
  static constexpr std::string_view kNames[] = {"actor",  "actor_batch", "actor_signature",
                                                "basis",  "fields",      "holdings",
                                                "nonce",  "signatures",  "time",
                                                "type",   "v"};
  bool seen[kCount] = {};
  Event e;
  std::string_view fields_text;
  std::string name, type_name;
  int64_t version = 0;
  r.BeginObject();
  while (r.NextMember(&name)) {
    int m = 0;
    while (m < kCount && kNames[m] != name) ++m;
    if (m == kCount) return bad("not an object with exactly the envelope members");
    seen[m] = true;
    auto want_string = [&](std::string* out, const char* what) {
      if (r.Peek() == CanonicalReader::Token::kString) return r.String(out);
      return r.Fail(std::string("'") + what + "' is not a string");
    };
    switch (m) {
      case kActor: want_string(&e.actor, "actor"); break;
      case kActorSignature: want_string(&e.actor_signature, "actor_signature"); break;
      case kActorBatch: {
        const std::string malformed = "'actor_batch' is not {index, path, size}";
        if (r.Peek() != CanonicalReader::Token::kObject) return bad(malformed);
        r.BeginObject();
        std::string member;
        int64_t index = -1, size = -1;
        bool path = false;
        while (r.NextMember(&member)) {
          if ((member == "index" || member == "size") &&
              r.Peek() == CanonicalReader::Token::kInteger) {
            r.Integer(member == "index" ? &index : &size);
          } else if (member == "path" && r.Peek() == CanonicalReader::Token::kArray) {
            path = true;
            r.BeginArray();
            std::string hash;
            while (r.NextElement()) {
              if (r.Peek() != CanonicalReader::Token::kString || e.batch_path.size() >= 64) {
                return bad(malformed);
              }
              r.String(&hash);
              auto raw = Base64Decode(hash);
              if (!raw.ok() || raw->size() != 32 || Base64Encode(*raw) != hash) {
                return bad("a hash of 'actor_batch' is not base64 of 32 bytes");
              }
              e.batch_path.push_back(Hash::FromBytes(*raw));
            }
          } else {
            return bad(malformed);
          }
        }
        if (r.ok() && (index < 0 || size < 2 || !path)) return bad(malformed);
        e.batch_index = static_cast<uint64_t>(std::max<int64_t>(index, 0));
        e.batch_size = static_cast<uint64_t>(std::max<int64_t>(size, 1));
        break;
      }
      case kNonce: want_string(&e.nonce, "nonce"); break;
      case kTime: want_string(&e.time, "time"); break;
      case kType: want_string(&type_name, "type"); break;
      case kV:
        if (r.Peek() != CanonicalReader::Token::kInteger) return bad("unsupported schema version");
        r.Integer(&version);
        break;
      case kBasis:
        if (r.Peek() != CanonicalReader::Token::kInteger) return bad("'basis' is not a positive index");
        r.Integer(&e.basis);
        break;
      case kFields:
        if (r.Peek() != CanonicalReader::Token::kObject) return bad("'fields' is not an object");
        r.Raw(&fields_text);
        break;
      case kHoldings:
        if (r.Peek() != CanonicalReader::Token::kArray) return bad("'holdings' is not a list");
        r.BeginArray();
        while (r.NextElement()) {
          if (r.Peek() != CanonicalReader::Token::kString) return bad("holding is not a string");
          r.String(&e.holdings.emplace_back());
        }
        break;
      case kSignatures:
        if (r.Peek() != CanonicalReader::Token::kArray) return bad("bad 'signatures'");
        r.BeginArray();
        while (r.NextElement()) {
          Signature& sig = e.signatures.emplace_back();
          std::string member;
          if (r.Peek() != CanonicalReader::Token::kObject) return bad("a signature is not {person, signature}");
          r.BeginObject();
          bool person = false, signature = false;
          while (r.NextMember(&member)) {
            if (member == "person" && r.Peek() == CanonicalReader::Token::kString) {
              person = r.String(&sig.person);
            } else if (member == "signature" && r.Peek() == CanonicalReader::Token::kString) {
              signature = r.String(&sig.signature);
            } else {
              return bad("a signature is not {person, signature}");
            }
          }
          if (r.ok() && !(person && signature)) return bad("a signature is not {person, signature}");
        }
        if (r.ok() && e.signatures.empty()) return bad("bad 'signatures'");
        break;
    }
  }
  if (!r.End()) return bad(r.status().message());
  for (int m : {kActor, kFields, kHoldings, kNonce, kTime, kType, kV}) {
    if (!seen[m]) return bad("not an object with exactly the envelope members");
  }
  if (seen[kBasis] != seen[kSignatures]) return bad("not an object with exactly the envelope members");
  if (version < kOldestEntrySchema || version > kEntrySchemaVersion) {
    return bad("unsupported schema version");
  }
  e.version = static_cast<int>(version);
  if (seen[kActorBatch] && !seen[kActorSignature]) return bad("'actor_batch' without an actor signature");
  if (seen[kActorSignature] && version < 3) return bad("a schema-2 entry carries no actor signature");
  if (seen[kActorSignature] && e.actor_signature.empty()) {
    return bad("the actor signature is not base64 of 64 bytes");
  }
  if (version >= 3 && seen[kActorSignature] == seen[kSignatures]) {
    return bad("a schema-3 entry carries either the actor's signature or approval signatures");
  }
  if (seen[kBasis] && e.basis <= 0) return bad("'basis' is not a positive index");
  auto type = ParseEventType(type_name);
  if (!type.ok()) return bad(type.status().message());
  e.type = *type;
  if (auto t = ParseRfc3339(e.time); !t.ok() || e.time.back() != 'Z') return bad("bad time");
  if (auto n = Base64Decode(e.nonce); !n.ok() || n->size() != 16) {
    return bad("nonce is not base64 of 16 bytes");
  }
  if (e.version < kSealedEntrySchema) {
    auto fields = Fields::FromCanonical(KindOf(e.type), fields_text);
    if (!fields.ok()) return bad(fields.status().message());
    e.fields = std::move(fields).value();
  } else {
    bool sealed = false;
    auto fields = Fields::FromSealed(KindOf(e.type), fields_text, &sealed);
    if (!fields.ok()) return bad(fields.status().message());
    e.fields = std::move(fields).value();
    if (sealed || KindOf(e.type).wrapper) e.sealed_fields = std::string(fields_text);
    if (e.sealed() && KindOf(e.type).wrapper) {
      // What the wrapper holds must read as the event it wraps, sealed.
      if (auto inner = Wrapped(e); !inner.ok()) return bad(inner.status().message());
    }
  }
  if (Status st = ValidateFields(e); !st.ok()) return bad(st.message());
  if (!disclosure.empty()) SR_RETURN_IF_ERROR(Disclose(&e, disclosure));
  return e;
}

}  // namespace strongroom
