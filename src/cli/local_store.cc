#include "cli/local_store.h"

#include <algorithm>
#include <future>

#include "auth/credentials.h"
#include "base/encoding.h"
#include "custody/model.h"
#include "custody/queries.h"
#include "custody/receipt.h"
#include "custody/rules.h"
#include "custody/sequencer.h"
#include "custody/signing.h"
#include "ledger/proof.h"
#include "ledger/tiles.h"

namespace strongroom {
namespace {

Result<Output> Explain(Store* store, const std::string& origin, Event event) {
  SR_ASSIGN_OR_RETURN(Json d, DecisionData(store, origin, std::move(event), SystemClock()->Now()));
  return DecisionOutput(std::move(d));
}

}  // namespace

Result<std::unique_ptr<DataDir>> OpenForRead(const std::string& dir) {
  return DataDir::Open(dir, DataDir::Mode::kRead);
}

Result<Output> Submit(const std::string& dir, Event event, const Authority& auth) {
  SR_ASSIGN_OR_RETURN(
      auto data, DataDir::Open(dir, auth.explain ? DataDir::Mode::kRead : DataDir::Mode::kWrite));
  Store* store = data->store();
  if (auth.explain) return Explain(store, data->verifier().name(), std::move(event));
  // The log key first: from then on every projection row read here is
  // checked against its MAC (the credential's person too).
  SR_ASSIGN_OR_RETURN(NoteSigner signer, data->signer(auth.log_passphrase));
  SR_ASSIGN_OR_RETURN(std::string secret,
                      ReadSecret(auth.secret, "credential for " + auth.who + ": "));
  SR_ASSIGN_OR_RETURN(bool anyone, Projection(store).AnyPerson());
  // Until the founding administrator exists nobody can authenticate; the
  // rules accept only them adding themself, with their own credential. A
  // person enrolling has no credential yet: they set it now.
  std::optional<Ed25519PrivateKey> key;
  if (anyone && !auth.enrolling) {
    SR_ASSIGN_OR_RETURN(key, UnlockPerson(store, auth.who, secret));
  }
  std::vector<RowWrite> attachments;
  if (auth.complete) {
    SR_RETURN_IF_ERROR(auth.complete(store, data->verifier().name(), secret, &event, &attachments));
  }
  // The actor signs what they submit, here on their side (an approval or an
  // acknowledgement carries its signatures instead). The founder and a
  // person enrolling sign with the key their credential just sealed; a new
  // key (person.rekey) is signed with the old one.
  if (event.signatures.empty()) {
    if (!key) {
      for (const RowWrite& w : attachments) {
        if (w.table != kCredentialsTable) continue;
        SR_ASSIGN_OR_RETURN(Credential c, CredentialFromRow(w.row));
        SR_ASSIGN_OR_RETURN(key, Unlock(c, secret));
      }
    }
    // (Unsigned only when nobody is enrolled yet and this does not enrol its
    // actor: the rules say why it cannot be the first entry.)
    if (key) SignEvent(data->verifier().name(), *key, SystemRandom(), &event);
  }
  SR_ASSIGN_OR_RETURN(auto seq,
                      Sequencer::Start(store, std::move(signer), SystemClock(), SystemRandom()));
  SR_ASSIGN_OR_RETURN(Receipt r, seq->Submit(std::move(event), std::move(attachments)));
  if (r.outcome == Outcome::kDenied) return PermissionDenied(DeniedSentence(r.reasons, r.index));
  Json receipt = ReceiptJson(r);
  receipt.update(*auth.answer_extra);
  return SubmitOutput(std::move(receipt), "--data " + dir);
}

Result<std::vector<Result<Receipt>>> SubmitAll(const std::string& dir, std::vector<Event> events,
                                               const Authority& auth) {
  SR_ASSIGN_OR_RETURN(auto data, DataDir::Open(dir, DataDir::Mode::kWrite));
  Store* store = data->store();
  SR_ASSIGN_OR_RETURN(NoteSigner signer, data->signer(auth.log_passphrase));
  SR_ASSIGN_OR_RETURN(std::string secret,
                      ReadSecret(auth.secret, "credential for " + auth.who + ": "));
  SR_ASSIGN_OR_RETURN(Ed25519PrivateKey key, UnlockPerson(store, auth.who, secret));
  std::vector<Event*> signing;
  for (Event& e : events) signing.push_back(&e);
  for (size_t at = 0; at < signing.size(); at += kMaxSignedBatch) {
    const size_t n = std::min<size_t>(kMaxSignedBatch, signing.size() - at);
    SignEvents(data->verifier().name(), key, SystemRandom(),
               std::span<Event* const>(signing.data() + at, n));
  }
  SR_ASSIGN_OR_RETURN(auto seq,
                      Sequencer::Start(store, std::move(signer), SystemClock(), SystemRandom()));
  std::vector<std::future<Result<Receipt>>> pending;
  for (Event& e : events) pending.push_back(seq->SubmitAsync(std::move(e)));
  std::vector<Result<Receipt>> out;
  for (auto& p : pending) out.push_back(p.get());
  return out;
}

Output SubmitOutput(Json receipt, const std::string& where) {
  Output out;
  const std::string index = std::to_string(receipt.value("index", uint64_t{0}));
  if (receipt.value("outcome", "") == "pending") {
    const std::string id = receipt.value("request", "");
    std::string needs;
    for (const Json& n : receipt.value("needs", Json::array())) {
      needs += (needs.empty() ? "" : "; ") + n.get<std::string>();
    }
    out.text = "request " + id + " opened (log entry " + index +
               "): needs a second person: " + needs +
               "\na second person approves it with: strongroom request approve " + where +
               " --request " + id + " --actor PERSON";
  } else {
    const std::string holding = receipt.value("holding", "");
    out.text = "recorded as log entry " + index +
               (holding.empty() ? "" : " (holding " + holding + ")") + "; tree size " +
               std::to_string(receipt.value("tree_size", uint64_t{0}));
  }
  if (const std::string code = receipt.value("enrolment_code", ""); !code.empty()) {
    // The one time it is shown: to be handed to the new person out of band.
    // (In the entry's fields, or those of the event a request.open wraps.)
    const Json& entry = receipt["entry"];
    const Json fields = entry.is_object() ? entry.value("fields", Json::object()) : Json::object();
    std::string person = fields.value("person", "");
    if (person.empty()) person = fields.value("fields", Json::object()).value("person", "");
    out.text += "\nenrolment code for " + person + ": " + code + " (good for " +
                std::to_string(receipt.value("enrolment_expires_in_hours", 0)) +
                " hours; give it to them out of band: they set their own credential with "
                "strongroom person enrol " + where + " --actor " + person + ")";
  }
  // The service's answer names its outcome in words already; keep one shape.
  receipt.erase("error");
  receipt.erase("reasons");
  out.data = std::move(receipt);
  return out;
}

Output DecisionOutput(Json decision) {
  Output out;
  out.text = decision.value("decision", "");
  const Json& reasons = decision["reasons"];
  for (size_t i = 0; i < reasons.size(); ++i) {
    out.text += (i ? "; " : ": ") + reasons[i].get<std::string>();
  }
  out.data = std::move(decision);
  return out;
}

Output HoldingChainOutput(Json chain) {
  const Json& holding = chain["holding"];
  std::string text =
      "holding " + holding.value("id", "") + " (" + holding.value("kind", "") +
      "): " + holding.value("title", "") + "\n  status " + holding.value("status", "") + " at " +
      holding.value("location", "") +
      (holding.value("holder", "").empty() ? "" : ", held by " + holding.value("holder", "")) +
      "\n  custody chain:\n";
  bool proofs = false;
  for (const Json& item : chain["chain"]) {
    const Json& e = item["entry"];
    proofs = item.contains("inclusion_proof");
    text += "    #" + std::to_string(item.value("index", uint64_t{0})) + " " + e.value("time", "") +
            " " + e.value("type", "") + " by " + e.value("actor", "") + " " + e["fields"].dump() +
            "\n";
  }
  if (proofs) {
    const std::string note = chain.value("checkpoint", "");
    const size_t line = note.find('\n');
    text += "  every event's inclusion proof verifies against tree size " +
            note.substr(line + 1, note.find('\n', line + 1) - line - 1) + "\n";
  }
  Output out;
  out.text = std::move(text);
  out.data = std::move(chain);
  return out;
}

Output HoldingListOutput(Json list) {
  Output out;
  for (const Json& h : list["holdings"]) {
    out.text += h.value("id", "") + "\t" + h.value("kind", "") + "\t" + h.value("status", "") +
                "\t" + h.value("location", "") + "\t" + h.value("holder", "") + "\t" +
                h.value("title", "") + "\n";
  }
  if (const uint64_t withheld = list.value("withheld", uint64_t{0}); withheld > 0) {
    out.text += "# " + std::to_string(withheld) + " more not shown: not readable by this person\n";
  }
  out.data = std::move(list);
  return out;
}

Output ProofOutput(Json proof) {
  Output out;
  for (const Json& h : proof["proof"]) out.text += h.get<std::string>() + "\n";
  out.data = std::move(proof);
  return out;
}

Output EntryOutput(Json entry) {
  Output out;
  auto text = CanonicalJson(entry);
  out.text = text.ok() ? *text : entry.dump();
  out.data = std::move(entry);
  return out;
}

Output RequestListOutput(Json list) {
  Output o;
  for (const Json& j : list) {
    o.text += j.value("id", "") + " " + j.value("type", "") + " by " + j.value("actor", "") + " " +
              j["holdings"].dump() + " expires " + j.value("expires", "") + "\n";
  }
  if (o.text.empty()) o.text = "no open requests";
  o.data = std::move(list);
  return o;
}

}  // namespace strongroom
