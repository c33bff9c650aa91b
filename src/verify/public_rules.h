// The rules an auditor checks on a log whose entries seal their sensitive
// fields (a published tree, no disclosures): only what the public values
// decide. Who has which personal key, and since when (a founder's key, an
// enrolment with the code committed to when the person was added, a
// rotation signed by the old key); who is suspended or dismissed; which
// two-person requests are open, and that each completion answers one
// exactly (its type, actor, holdings and sealed fields) with signatures of
// active people other than the actor. The custody rules themselves need
// the cleartext and are replayed only by `verify --data`.
#ifndef STRONGROOM_VERIFY_PUBLIC_RULES_H_
#define STRONGROOM_VERIFY_PUBLIC_RULES_H_

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "custody/event.h"
#include "custody/rules.h"

namespace strongroom {

class PublicRules {
 public:
  explicit PublicRules(std::string origin) : origin_(std::move(origin)) {}

  // Checks entry `index` against the public state (problems are appended
  // to `problems`, each a sentence without the index) and gives the
  // signatures to verify (the actor's, or each signer's).
  void Check(uint64_t index, const Event& e, std::vector<std::string>* problems,
             std::vector<ActorSignature>* signatures) const;
  // Records what entry `index` changes in the public state. Called for
  // every entry, sealed or not, so the state is whole when sealed ones come.
  void Apply(uint64_t index, const Event& e);

 private:
  struct Person {
    std::string key;        // raw Ed25519 public key, once enrolled
    std::string enrolment;  // the commitment to their enrolment code
    int64_t enrolment_expires = 0;
    bool suspended = false;
    bool dismissed = false;
  };
  struct Request {
    EventType type;
    std::string actor;
    std::vector<std::string> holdings;
    std::string fields;  // the requested event's fields as the log holds them
    int64_t expires = 0;
    // Opened before sealed fields (schema 3): its fields are in clear, its
    // approval's sealed (under a key of its own), so only the cleartext
    // (verify --data) compares them.
    bool clear = false;
  };
  void CheckPeople(const Event& e, std::vector<std::string>* problems) const;
  void CheckCompletion(const Event& e, std::vector<std::string>* problems,
                       std::vector<ActorSignature>* signatures) const;
  const Person* person(const std::string& id) const;

  std::string origin_;
  std::unordered_map<std::string, Person> people_;
  std::map<int64_t, Request> open_requests_;
};

}  // namespace strongroom

#endif  // STRONGROOM_VERIFY_PUBLIC_RULES_H_
