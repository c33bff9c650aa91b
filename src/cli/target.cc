#include "cli/target.h"

#include <algorithm>

#include "base/clock.h"
#include "custody/signing.h"
#include "oversight/detection.h"
#include "oversight/views.h"
#include "verify/as_of.h"

namespace strongroom {
namespace {

class Local : public Target {
 public:
  Local(std::string dir, PassphraseSource log_passphrase)
      : dir_(std::move(dir)), log_passphrase_(std::move(log_passphrase)) {}

  Result<Output> Submit(Event event, const Authority& auth) override {
    Authority with_log_key = auth;
    with_log_key.log_passphrase = log_passphrase_;
    return strongroom::Submit(dir_, std::move(event), with_log_key);
  }
  Result<Output> Approve(const std::string& request, const std::string& approver,
                         const SecretSource& secret) override {
    Event e;
    {
      SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir_));
      SR_ASSIGN_OR_RETURN(e, RequestedEvent(data->store(), request));
    }
    Authority auth{approver, secret, false,
                   [approver](Store* store, const std::string& origin, const std::string& s,
                              Event* e, std::vector<RowWrite>*) {
                     return SignAs(store, origin, approver, s, e);
                   }};
    auth.log_passphrase = log_passphrase_;
    return strongroom::Submit(dir_, std::move(e), auth);
  }
  Result<Json> HoldingChain(const std::string& id, bool proofs, const Reader&) override {
    SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir_));
    return HoldingChainData(data->store(), data->verifier(), id, proofs);
  }
  Result<Json> HoldingList(const HoldingFilter& filter, const Reader&) override {
    SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir_));
    return HoldingListData(data->store(), filter);
  }
  Result<Json> OpenRequests(const Reader&) override {
    SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir_));
    return OpenRequestsData(data->store());
  }
  Result<Json> Entry(uint64_t index, const Reader&) override {
    SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir_));
    return EntryData(data->store(), index);
  }
  Result<Json> Inspection(const std::string& id, const Reader&) override {
    SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir_));
    return oversight::InspectionData(data->store(), id);
  }
  Result<Json> Inspections(const std::string& status, const std::string& facility,
                           const Reader&) override {
    SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir_));
    return oversight::InspectionListData(data->store(), status, facility);
  }
  Result<Json> Detections(const std::string& status, const std::string& facility,
                          const Reader&) override {
    SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir_));
    return oversight::DetectionListData(data->store(), status, facility);
  }
  Result<Json> Detect(const std::string& as_of, const Reader& who) override {
    if (!as_of.empty()) {
      SR_ASSIGN_OR_RETURN(const int64_t at, ParseRfc3339(as_of));
      SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir_));
      return DueAsOf(data->store(), data->origin(), at);
    }
    std::vector<oversight::Finding> raising;
    {
      SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir_));
      SR_ASSIGN_OR_RETURN(raising, oversight::Unraised(data->store(), SystemClock()->Now()));
    }
    Json out = {{"raised", Json::array()}, {"refused", Json::array()}};
    if (raising.empty()) return out;
    std::vector<Event> events;
    for (const auto& f : raising) events.push_back(oversight::RaiseEvent(who.person, f));
    Authority auth{who.person, who.secret};
    auth.log_passphrase = log_passphrase_;
    SR_ASSIGN_OR_RETURN(auto receipts, SubmitAll(dir_, std::move(events), auth));
    for (size_t i = 0; i < receipts.size(); ++i) {
      Json j = oversight::FindingJson(raising[i]);
      if (receipts[i].ok() && receipts[i]->outcome == Outcome::kDenied) {
        return PermissionDenied(DeniedSentence(receipts[i]->reasons, receipts[i]->index));
      }
      if (receipts[i].ok()) {
        j["index"] = receipts[i]->index;
        out["raised"].push_back(std::move(j));
      } else {
        j["error"] = receipts[i].status().message();
        out["refused"].push_back(std::move(j));
      }
    }
    return out;
  }
  Result<Json> Proof(std::optional<uint64_t> index, std::optional<uint64_t> from,
                     std::optional<uint64_t> size) override {
    SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir_));
    return ProofData(data->store(), data->verifier(), index, from, size);
  }

 private:
  std::string dir_;
  PassphraseSource log_passphrase_;
};

class Server : public Target {
 public:
  explicit Server(Remote remote) : remote_(std::move(remote)) {}

  Result<Output> Submit(Event event, const Authority& auth) override {
    return RemoteSubmit(remote_, event, auth);
  }
  Result<Output> Approve(const std::string& request, const std::string& approver,
                         const SecretSource& secret) override {
    Authority auth{approver, secret, false, nullptr};
    auth.remote_path = "api/v1/requests/" + QueryEscape(request) + "/approve";
    auth.remote_body = Authority::RemoteBody::kCredential;
    return RemoteSubmit(remote_, Event(), auth);
  }
  Result<Json> HoldingChain(const std::string& id, bool proofs, const Reader& reader) override {
    return Get("api/v1/holdings/" + QueryEscape(id) + (proofs ? "?proofs=true" : ""), &reader);
  }
  Result<Json> HoldingList(const HoldingFilter& f, const Reader& reader) override {
    std::string query;
    auto add = [&](const std::string& key, const std::string& value) {
      if (!value.empty()) query += (query.empty() ? "?" : "&") + key + "=" + QueryEscape(value);
    };
    add("status", f.status);
    add("kind", f.kind);
    add("facility", f.facility);
    add("holder", f.holder);
    add("case", f.case_number);
    if (f.limit) add("limit", std::to_string(f.limit));
    return Get("api/v1/holdings" + query, &reader);
  }
  Result<Json> OpenRequests(const Reader& reader) override {
    return Get("api/v1/requests", &reader);
  }
  Result<Json> Entry(uint64_t index, const Reader& reader) override {
    return Get("api/v1/entries/" + std::to_string(index), &reader);
  }
  Result<Json> Inspection(const std::string& id, const Reader& reader) override {
    return Get("api/v1/inspections/" + QueryEscape(id), &reader);
  }
  Result<Json> Inspections(const std::string& status, const std::string& facility,
                           const Reader& reader) override {
    return Get("api/v1/inspections" + Filters(status, facility), &reader);
  }
  Result<Json> Detections(const std::string& status, const std::string& facility,
                          const Reader& reader) override {
    return Get("api/v1/detections" + Filters(status, facility), &reader);
  }
  Result<Json> Detect(const std::string& as_of, const Reader& who) override {
    if (who.person.empty()) return InvalidArgument("detect --server needs --actor PERSON");
    const Json body = as_of.empty() ? Json::object() : Json{{"as_of", as_of}};
    SR_ASSIGN_OR_RETURN(HttpReply reply,
                        RemoteCall(remote_, "POST", "api/v1/detect", body.dump(), who.person, who.secret));
    auto j = ParseJson(reply.body);
    if (!j.ok()) return Unavailable("strongroomd's answer is not JSON");
    if (j->contains("raised")) {
      // The service raises them side by side: in entry order, as a store does.
      Json& raised = (*j)["raised"];
      std::sort(raised.begin(), raised.end(), [](const Json& a, const Json& b) {
        return a.value("index", int64_t{0}) < b.value("index", int64_t{0});
      });
    }
    return *j;
  }
  Result<Json> Proof(std::optional<uint64_t> index, std::optional<uint64_t> from,
                     std::optional<uint64_t> size) override {
    const std::string query =
        index ? "inclusion?index=" + std::to_string(*index) +
                    (size ? "&size=" + std::to_string(*size) : "")
              : "consistency?from=" + std::to_string(from.value_or(0)) +
                    (size ? "&to=" + std::to_string(*size) : "");
    return Get("api/v1/proofs/" + query, nullptr);
  }

 private:
  // GET `path` as `reader` (logged in for the one request), or anonymously.
  static std::string Filters(const std::string& status, const std::string& facility) {
    std::string query;
    if (!status.empty()) query += "?status=" + QueryEscape(status);
    if (!facility.empty()) query += (query.empty() ? "?" : "&") + std::string("facility=") + QueryEscape(facility);
    return query;
  }
  Result<Json> Get(const std::string& path, const Reader* reader) {
    if (reader && reader->person.empty()) {
      return InvalidArgument(
          "--server needs --login PERSON: the service answers what they may read");
    }
    SR_ASSIGN_OR_RETURN(HttpReply reply,
                        RemoteGet(remote_, path, reader ? reader->person : "",
                                  reader ? reader->secret : SecretSource{}));
    auto j = ParseJson(reply.body);
    if (!j.ok()) return Unavailable("strongroomd's answer is not JSON");
    return *j;
  }

  Remote remote_;
};

}  // namespace

std::unique_ptr<Target> LocalTarget(std::string dir, PassphraseSource log_passphrase) {
  return std::make_unique<Local>(std::move(dir), std::move(log_passphrase));
}

std::unique_ptr<Target> RemoteTarget(Remote remote) {
  return std::make_unique<Server>(std::move(remote));
}

}  // namespace strongroom
