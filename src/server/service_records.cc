// Reads of records, each decided by the custody rules (a refused read is
// logged): holdings, requests, explanations.
#include <set>

#include "custody/queries.h"
#include "custody/rules.h"
#include "custody/signing.h"
#include "server/requests.h"
#include "server/responses.h"
#include "server/service.h"

namespace strongroom {

void Service::AuthorisedRead(Event read, const HttpRequest& request,
                             std::function<HttpResponse(DataDir*)> answer, Respond respond) {
  // The key is needed only to log a refusal (and looked up only then); a
  // session whose key this process does not hold may still read what it
  // may read.
  WithReader(respond, [this, read = std::move(read), token = BearerToken(request),
                       answer = std::move(answer), respond](DataDir* reader) mutable {
    if (!reader) return respond(ErrorResponse(503, "the store cannot be read"));
    auto verdict = DecideRead(reader->store(), sequencer_->origin(), &read, clock_->Now());
    if (!verdict.ok()) return respond(ErrorResponse(verdict.status()));
    if (verdict->kind == Verdict::Kind::kDenied) {
      return RefuseRead(std::move(read), token, std::nullopt, std::move(respond));
    }
    respond(answer(reader));
  });
}

void Service::ReadEntries(const std::string& person, uint64_t first, uint64_t end,
                          const std::string& what, const HttpRequest& request,
                          std::function<HttpResponse(DataDir*)> answer, Respond respond) {
  // May they read the log's entries at all (a role question, logged when
  // refused, as before)?
  AuthorisedRead(
      ReadEvent(person, ""), request, [](DataDir*) { return HttpResponse{}; },
      [this, person, first, end, what, answer = std::move(answer), token = BearerToken(request),
       respond](HttpResponse allowed) mutable {
        if (allowed.status != 200) return respond(std::move(allowed));
        WithReader(respond, [this, person, first, end, what, answer = std::move(answer), token,
                             respond](DataDir* reader) mutable {
          if (!reader) return respond(ErrorResponse(503, "the store cannot be read"));
          // The same words for entries that do not exist and entries that
          // name a holding they may not read.
          const HttpResponse none = ErrorResponse(404, "no " + what + " that you may read");
          Projection state(reader->store());
          std::set<std::string> decided;
          for (uint64_t index = first; index < end; ++index) {
            auto holdings = EntryNames(reader->store(), index);
            if (!holdings.ok()) {
              if (holdings.status().code() == StatusCode::kNotFound) return respond(none);
              return respond(ErrorResponse(holdings.status()));
            }
            for (const std::string& h : holdings->holdings) {
              const bool registers = h == holdings->registers;
              if (!registers && !decided.insert(h).second) continue;
              Event read = ReadEvent(person, h);
              auto v = DecideRead(&state, sequencer_->origin(), &read, clock_->Now());
              // No such holding (a denied registration's id): nothing to
              // judge the entry by, so it is not served.
              if (!v.ok() && v.status().code() == StatusCode::kNotFound) return respond(none);
              if (!v.ok()) return respond(ErrorResponse(v.status()));
              // A registration is judged by the record it made, not by a
              // holding that took its id later (a denied TOP SECRET
              // registration's id, registered since as RESTRICTED).
              if (registers) {
                const Holding* r = state.holding(h);
                auto made = r ? RegisteredBy(reader->store(), *r, index) : Result<bool>(false);
                if (!made.ok()) return respond(ErrorResponse(made.status()));
                if (!*made) return respond(none);
              }
              if (v->kind != Verdict::Kind::kDenied) continue;
              // Logged as a refused read of that holding, signed by the
              // asker; answered as if there were no such entries.
              return RefuseRead(std::move(read), token, none, std::move(respond));
            }
          }
          respond(answer(reader));
        });
      });
}

void Service::RefuseRead(Event read, const std::string& token, std::optional<HttpResponse> none,
                         Respond respond) {
  // A refusal this process could not sign (and so log) is not answered.
  SessionKey key = sessions_->SigningKey(token);
  if (!key) {
    return respond(ErrorResponse(401,
                                 "this session cannot sign here (its key is held by the server "
                                 "that logged it in): log in again"));
  }
  // The refusal is itself a record, signed by the person who tried: the
  // sequencer decides it again and logs it as a denied entry (with its own
  // time).
  SignEvent(sequencer_->origin(), *key, random_, &read);
  if (!none) return Sequence(std::move(read), {}, std::move(respond));
  Sequence(std::move(read), {}, [respond = std::move(respond), none](HttpResponse logged) {
    respond(logged.status >= 500 ? std::move(logged) : *none);
  });
}

void Service::WhenReadable(const std::string& person, const NamedHoldings& named,
                           const std::string& token, DataDir* reader, Respond respond,
                           std::function<void()> then) {
  if (!reader) return respond(ErrorResponse(503, "the store cannot be read"));
  Projection state(reader->store());
  const int64_t now = clock_->Now();
  std::set<std::string> decided;
  for (const std::string& h : named.holdings) {
    if (h == named.registers || !decided.insert(h).second) continue;
    const HttpResponse none = ErrorResponse(404, "no holding " + h + " that you may read");
    Event read = ReadEvent(person, h);
    auto v = DecideRead(&state, sequencer_->origin(), &read, now);
    if (!v.ok() && v.status().code() == StatusCode::kNotFound) return respond(none);
    if (!v.ok()) return respond(ErrorResponse(v.status()));
    // (Whoever holds it hands it back even once their need-to-know ended.)
    const Holding* held = state.holding(h);
    if (v->kind == Verdict::Kind::kDenied && !(held && held->holder == person)) {
      return RefuseRead(std::move(read), token, none, std::move(respond));
    }
  }
  then();
}

void Service::ShowHolding(const std::string& person, const std::string& id,
                          const HttpRequest& request, Respond respond) {
  auto params = QueryParams(request.query, {"proofs"});
  if (!params.ok()) return respond(ErrorResponse(params.status()));
  const std::string proofs = params->count("proofs") ? params->at("proofs") : "false";
  if (proofs != "true" && proofs != "false") {
    return respond(ErrorResponse(400, "query parameter 'proofs' must be true or false"));
  }
  WithReader(respond, [this, person, id, token = BearerToken(request),
                       with_proofs = proofs == "true", respond](DataDir* reader) {
    WhenReadable(person, {{id}, ""}, token, reader, respond, [&] {
      respond(JsonOrError(HoldingChainData(reader->store(), reader->verifier(), id, with_proofs)));
    });
  });
}

void Service::ListRecords(const std::string& person, bool holdings, const HttpRequest& request,
                          Respond respond) {
  auto params = holdings ? QueryParams(request.query,
                                       {"status", "kind", "facility", "holder", "case", "limit"})
                         : QueryParams(request.query, {});
  if (!params.ok()) return respond(ErrorResponse(params.status()));
  auto limit = CountParam(*params, "limit");
  if (!limit.ok()) return respond(ErrorResponse(limit.status()));
  WithReader(respond, [this, person, holdings, params = std::move(*params),
                       limit = limit->value_or(0), respond](DataDir* reader) {
    if (!reader) return respond(ErrorResponse(503, "the store cannot be read"));
    // Only what the person may read is listed; nothing here is an attempt
    // on a named record, so nothing is logged.
    // Every row is decided on one projection (the person and their grants
    // are read once) within one read transaction of the store.
    Status failed;
    Projection state(reader->store());
    std::optional<ScopedReads> reads(reader->store());
    const int64_t now = clock_->Now();
    auto may_read = [&](const std::string& id) {
      Event read = ReadEvent(person, id);
      auto v = DecideRead(&state, sequencer_->origin(), &read, now);
      if (!v.ok() && failed.ok()) failed = v.status();
      return v.ok() && v->kind == Verdict::Kind::kAccept;
    };
    Result<Json> list = Json();
    if (holdings) {
      auto get = [&](const char* key) {
        auto it = params.find(key);
        return it == params.end() ? std::string() : it->second;
      };
      HoldingFilter f{get("status"), get("kind"), get("facility"),
                      get("holder"), get("case"), limit};
      list = HoldingListData(reader->store(), f,
                             [&](const Json& h) { return may_read(h.value("id", "")); });
    } else {
      // A request naming no holding (a person's addition, say) is for its
      // requester and for those who approve such requests.
      auto sees_unnamed = SeesUnnamedRequests(reader->store(), person);
      if (!sees_unnamed.ok()) return respond(ErrorResponse(sees_unnamed.status()));
      list = OpenRequestsData(reader->store(), [&](const Json& r) {
        // Every holding it names: its own, a grant's target, a seal's contents.
        Event requested;
        auto type = ParseEventType(r.value("type", ""));
        if (!type.ok()) return false;
        requested.type = *type;
        for (const Json& h : r.value("holdings", Json::array())) {
          if (!h.is_string()) return false;
          requested.holdings.push_back(h.get<std::string>());
        }
        if (!SetFields(&requested, r.value("fields", Json::object())).ok()) return false;
        const NamedHoldings named = EventNames(requested);
        if (named.holdings.empty()) return *sees_unnamed || r.value("actor", "") == person;
        for (const std::string& h : named.holdings) {
          if (h != named.registers && !may_read(h)) return false;
        }
        return true;
      });
    }
    reads.reset();
    if (!failed.ok() && failed.code() != StatusCode::kNotFound) {
      return respond(ErrorResponse(failed));
    }
    respond(JsonOrError(list));
  });
}

void Service::Explain(const std::string& person, const HttpRequest& request, Respond respond) {
  auto body = ObjectBody(request, {"type", "holdings", "fields"});
  if (!body.ok()) return respond(ErrorResponse(body.status()));
  auto event = EventFromBody(*body, person);
  if (!event.ok()) return respond(ErrorResponse(event.status()));
  // An explanation names what it decides on: only for holdings the person
  // may read.
  WithReader(respond, [this, person, token = BearerToken(request), e = std::move(*event),
                       respond](DataDir* reader) mutable {
    WhenReadable(person, EventNames(e), token, reader, respond, [&] {
      auto d = DecisionData(reader->store(), sequencer_->origin(), std::move(e), clock_->Now());
      respond(JsonOrError(d));
    });
  });
}

}  // namespace strongroom
