#include "oversight/detection.h"

#include <algorithm>
#include <map>

#include "base/clock.h"
#include "base/encoding.h"
#include "crypto/sha256.h"

namespace strongroom::oversight {
namespace {

constexpr int64_t kHour = 3600LL * 1000000;
constexpr int64_t kDay = 24 * kHour;

int64_t TimeOf(const std::string& rfc3339) {
  if (rfc3339.empty()) return 0;
  auto t = ParseRfc3339(rfc3339);
  return t.ok() ? *t : 0;
}

bool Gone(const Holding& h) {
  return h.status == HoldingStatus::kDestroyed || h.status == HoldingStatus::kReleased ||
         h.status == HoldingStatus::kWrittenOff;
}

// The person answerable for a holding: whoever has it out, else whoever
// registered it.
std::string Answerable(const Holding& h) { return h.holder.empty() ? h.registered_by : h.holder; }

std::string SeverityOf(const std::string& classification) {
  return classification == "TOP SECRET" ? "high" : "normal";
}

}  // namespace

const Rule* FindRule(std::string_view name) {
  for (const Rule& r : kRules) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

Thresholds ThresholdsOf(const OversightRecord* r, int64_t now) {
  Thresholds t;
  if (!r) return t;
  for (const Json& change : r->body.value("changes", Json::array())) {
    if (TimeOf(change.value("from", "")) > now) continue;
    const std::string name = change.value("threshold", "");
    for (const Threshold& th : kThresholds) {
      if (th.name == name) t.*th.value = change.value("value", t.*th.value);
    }
  }
  return t;
}

Result<Thresholds> ReadThresholds(Store* store, int64_t now) {
  SR_ASSIGN_OR_RETURN(auto row, store->GetRow(kOversightTable, {kThresholdsId}));
  if (!row) return Thresholds{};
  SR_ASSIGN_OR_RETURN(std::string_view text, RowText(*row));
  SR_ASSIGN_OR_RETURN(OversightRecord r, OversightRecordFromText(text));
  return ThresholdsOf(&r, now);
}

std::string DetectionId(const std::string& rule, const std::string& cause) {
  return "DET-" + HexEncode(Sha256(rule + "\n" + cause).view()).substr(0, 16);
}

int64_t DayOf(int64_t time) { return time - ((time % kDay) + kDay) % kDay; }

std::vector<Finding> HoldingFindings(const Holding& h, int64_t now, const Thresholds& t) {
  std::vector<Finding> out;
  // Taken out, handed on, moved or dispatched once it should have gone:
  // each time a finding of its own, about who did it — even once the item
  // is destroyed or released.
  for (const std::string& late : h.late_custody) {
    const size_t space = late.find(' ');
    if (space == std::string::npos || TimeOf(late.substr(0, space)) > now) continue;
    out.push_back({"activity_after_deadline", h.id + "@" + late.substr(0, space), h.id,
                   late.substr(space + 1), h.facility, "high"});
  }
  for (const std::string& late : h.after_hours) {
    const size_t space = late.find(' ');
    if (space == std::string::npos || TimeOf(late.substr(0, space)) > now) continue;
    out.push_back({"checkout_out_of_hours", h.id + "@" + late.substr(0, space), h.id,
                   late.substr(space + 1), h.facility, SeverityOf(h.classification)});
  }
  if (Gone(h)) return out;
  const int64_t due = TimeOf(h.disposition_due);
  // A legal hold stops the disposition deadline.
  if ((h.disposition == "destroy" || h.disposition == "return") && h.legal_hold.empty() && due > 0 &&
      due < now) {
    // Out past its deadline: where losses concentrate (the burn pile).
    out.push_back({"disposition_overdue", h.id + "@" + h.disposition_due, h.id, Answerable(h),
                   h.facility, h.status == HoldingStatus::kCheckedOut ? "high" : "normal"});
  }
  const int64_t back = TimeOf(h.due_back);
  if (h.status == HoldingStatus::kCheckedOut && back > 0 && back < now) {
    out.push_back({"overdue_return", h.id + "@" + h.due_back, h.id, h.holder, h.facility,
                   SeverityOf(h.classification)});
  }
  if (h.status == HoldingStatus::kDistributed) {
    const int64_t return_by = TimeOf(h.return_by);
    if (return_by > 0 && return_by < now) {
      out.push_back({"copy_not_recalled", h.id + "@" + h.return_by, h.id, h.acknowledged_by,
                     h.facility, SeverityOf(h.classification)});
    }
    const int64_t sent = TimeOf(h.distributed_at);
    if (h.acknowledged_by.empty() && sent > 0 && sent + t.copy_ack_days * kDay < now) {
      out.push_back({"copy_unacknowledged", h.id + "@" + h.distributed_at, h.id, "", h.facility,
                     SeverityOf(h.classification)});
    }
  }
  return out;
}

std::vector<Finding> InspectionFindings(const Inspection& v, int64_t now, const Thresholds& t) {
  std::vector<Finding> out;
  if (v.status == "closed") {
    const std::string owner = v.summary.value("finding_owner", "");
    const std::string due_text = v.summary.value("findings_due", "");
    const int64_t due = TimeOf(due_text);
    for (const Json& f : v.summary.value("findings", Json::array())) {
      if (f.value("status", "") != "open") continue;
      const std::string holding = f.value("holding", "");
      const std::string result = f.value("result", "");
      if (result == "missing") {
        out.push_back({"inspection_missing", v.id + ":" + holding, holding, "", v.scope.facility, "high"});
      }
      if (due > 0 && due < now) {
        out.push_back({"finding_overdue", v.id + ":" + holding + "@" + due_text, holding, owner,
                       v.scope.facility, result == "missing" ? "high" : "normal"});
      }
    }
  }
  if (v.status == "cancelled") {
    out.push_back({"inspection_cancelled", v.id, "", v.inspector, v.scope.facility, "high"});
  }
  const int64_t opened = TimeOf(v.opened_at);
  if (v.status == "open" && opened > 0 && now - opened > t.undrawn_hours * kHour) {
    // Opened, its sample computable by the inspector alone, never drawn:
    // the one way an inspector could try samples until one suits them.
    out.push_back({"inspection_not_drawn", v.id, "", v.inspector, v.scope.facility, "high"});
  }
  return out;
}

std::vector<Finding> DispatchFindings(const Dispatch& d, int64_t now, const Thresholds& t) {
  std::vector<Finding> out;
  const int64_t sent = TimeOf(d.dispatched_at);
  const int64_t days = d.classification == "TOP SECRET" ? t.transit_days_top_secret : t.transit_days;
  if (d.status == DispatchStatus::kInTransit && sent > 0 && sent + days * kDay < now) {
    out.push_back({"in_transit_too_long", d.id, "", d.dispatched_by, d.from_facility,
                   SeverityOf(d.classification)});
  }
  if (d.status == DispatchStatus::kReceivedWithDiscrepancies) {
    out.push_back({"receipt_discrepancy", d.id, "", d.dispatched_by, d.to_facility, "high"});
  }
  return out;
}

std::vector<Finding> RequestFindings(const Request& r, const Holding* held) {
  std::vector<Finding> out;
  if (r.status == RequestStatus::kDone && !r.same_enroller.empty()) {
    // About the enroller: the one person who made both sides.
    out.push_back({"same_enroller", r.id, "", r.same_enroller, "", "high"});
  }
  if (r.status == RequestStatus::kOpen && held && !held->legal_hold.empty() &&
      r.holdings.size() == 1 && r.holdings[0] == held->id &&
      (r.type == "holding.destroy" || r.type == "holding.release")) {
    out.push_back({"disposal_under_hold", r.id, held->id, r.actor, held->facility, "high"});
  }
  return out;
}

std::vector<Finding> FacilityFindings(const Facility& f, int64_t now) {
  const int64_t from = TimeOf(f.inventory_counted_from);
  if (f.inventory_days <= 0 || from <= 0) return {};
  const int64_t due = from + f.inventory_days * kDay;
  if (due >= now) return {};
  return {{"inventory_due", f.id + "@" + FormatRfc3339(due), "", "", f.id, "normal"}};
}

std::vector<Finding> DenialFindings(const std::string& person, const std::string& facility,
                                    int64_t day, int64_t denials, const Thresholds& t) {
  if (denials < t.denials_per_day) return {};
  return {{"repeated_denials", person + "@" + FormatRfc3339(day).substr(0, 10), "", person, facility,
           "normal"}};
}

Result<std::vector<Finding>> Due(Store* store, int64_t now) {
  std::vector<Finding> out;
  SR_ASSIGN_OR_RETURN(const Thresholds t, ReadThresholds(store, now));
  auto holdings = [&](std::vector<Filter> filters) -> Status {
    return store->QueryRows(kHoldingsTable, filters, 0, [&](const Row& row) -> Status {
      SR_ASSIGN_OR_RETURN(std::string_view text, RowText(row));
      SR_ASSIGN_OR_RETURN(Holding h, HoldingFromText(text));
      for (Finding& f : HoldingFindings(h, now, t)) out.push_back(std::move(f));
      return OkStatus();
    });
  };
  // Each rule reads the rows its indexed column selects; a holding two
  // queries select gives its findings twice (removed below).
  SR_RETURN_IF_ERROR(holdings({{"disposition_due", int64_t{1}, FilterOp::kGe},
                               {"disposition_due", now, FilterOp::kLt}}));
  SR_RETURN_IF_ERROR(holdings({{"status", std::string("checked_out")},
                               {"due_back", int64_t{1}, FilterOp::kGe},
                               {"due_back", now, FilterOp::kLt}}));
  SR_RETURN_IF_ERROR(holdings({{"status", std::string("distributed")}}));
  // Custody past a deadline or under a pending disposal request (kept for
  // good, also once the deadline has moved or the request has gone).
  SR_RETURN_IF_ERROR(holdings({{"noted", int64_t{1}, FilterOp::kGe}}));
  for (const char* status : {"in_transit", "received_with_discrepancies"}) {
    SR_RETURN_IF_ERROR(store->QueryRows(kDispatchesTable, {{"status", std::string(status)}}, 0,
                                        [&](const Row& row) -> Status {
                                          SR_ASSIGN_OR_RETURN(std::string_view text, RowText(row));
                                          SR_ASSIGN_OR_RETURN(Dispatch d, DispatchFromText(text));
                                          for (Finding& f : DispatchFindings(d, now, t)) {
                                            out.push_back(std::move(f));
                                          }
                                          return OkStatus();
                                        }));
  }
  for (const char* status : {"open", "closed", "cancelled"}) {
    SR_RETURN_IF_ERROR(ForEachOversightRecord(store, kInspectionKind, status, "",
                                              [&](const OversightRecord& r) -> Status {
                                                SR_ASSIGN_OR_RETURN(Inspection v, Inspection::FromRecord(r));
                                                for (Finding& f : InspectionFindings(v, now, t)) {
                                                  out.push_back(std::move(f));
                                                }
                                                return OkStatus();
                                              }));
  }
  // Open requests to dispose of a held item (a hold placed after the
  // request: the request itself would now be refused).
  SR_RETURN_IF_ERROR(store->QueryRows(
      kRequestsTable, {{"status", std::string("open")}}, 0, [&](const Row& row) -> Status {
        SR_ASSIGN_OR_RETURN(std::string_view text, RowText(row));
        SR_ASSIGN_OR_RETURN(Request r, RequestFromText(text));
        if (r.holdings.size() != 1 || (r.type != "holding.destroy" && r.type != "holding.release")) {
          return OkStatus();
        }
        SR_ASSIGN_OR_RETURN(auto held, store->GetRow(kHoldingsTable, {r.holdings[0]}));
        if (!held) return OkStatus();
        SR_ASSIGN_OR_RETURN(std::string_view htext, RowText(*held));
        SR_ASSIGN_OR_RETURN(Holding h, HoldingFromText(htext));
        for (Finding& f : RequestFindings(r, &h)) out.push_back(std::move(f));
        return OkStatus();
      }));
  // Two-person actions whose two people one person added.
  SR_RETURN_IF_ERROR(store->QueryRows(kRequestsTable, {{"noted", int64_t{1}, FilterOp::kGe}}, 0,
                                      [&](const Row& row) -> Status {
                                        SR_ASSIGN_OR_RETURN(std::string_view text, RowText(row));
                                        SR_ASSIGN_OR_RETURN(Request r, RequestFromText(text));
                                        for (Finding& f : RequestFindings(r, nullptr)) {
                                          out.push_back(std::move(f));
                                        }
                                        return OkStatus();
                                      }));
  SR_RETURN_IF_ERROR(store->QueryRows(kFacilitiesTable, {}, 0, [&](const Row& row) -> Status {
    SR_ASSIGN_OR_RETURN(std::string_view text, RowText(row));
    SR_ASSIGN_OR_RETURN(Facility f, FacilityFromText(text));
    for (Finding& finding : FacilityFindings(f, now)) out.push_back(std::move(finding));
    return OkStatus();
  }));
  // Denials, counted per person and UTC day, up to now.
  std::map<std::pair<std::string, int64_t>, int64_t> denials;
  SR_RETURN_IF_ERROR(store->QueryRows(kDenialsTable, {{"at", now, FilterOp::kLe}}, 0,
                                      [&](const Row& row) -> Status {
                                        const auto* actor = std::get_if<std::string>(&row.values.at(1));
                                        const auto* at = std::get_if<int64_t>(&row.values.at(3));
                                        if (!actor || !at) return DataLoss("a denial row is malformed");
                                        ++denials[{*actor, DayOf(*at)}];
                                        return OkStatus();
                                      }));
  Projection people(store);
  for (const auto& [key, count] : denials) {
    if (count < t.denials_per_day) continue;
    SR_RETURN_IF_ERROR(people.LoadPerson(key.first));
    const Person* p = people.person(key.first);
    for (Finding& f : DenialFindings(key.first, p ? p->facility : "", key.second, count, t)) {
      out.push_back(std::move(f));
    }
  }
  auto key = [](const Finding& f) { return std::tie(f.rule, f.cause); };
  std::sort(out.begin(), out.end(), [&](const Finding& a, const Finding& b) { return key(a) < key(b); });
  out.erase(std::unique(out.begin(), out.end(),
                        [&](const Finding& a, const Finding& b) { return key(a) == key(b); }),
            out.end());
  return out;
}

Result<bool> Raised(Store* store, const Finding& f) {
  SR_ASSIGN_OR_RETURN(auto row, store->GetRow(kOversightTable, {DetectionId(f.rule, f.cause)}));
  return row.has_value();
}

Result<std::vector<Finding>> Unraised(Store* store, int64_t now) {
  SR_ASSIGN_OR_RETURN(std::vector<Finding> due, Due(store, now));
  std::vector<Finding> out;
  for (Finding& f : due) {
    SR_ASSIGN_OR_RETURN(const bool raised, Raised(store, f));
    if (!raised) out.push_back(std::move(f));
  }
  return out;
}

Event RaiseEvent(const std::string& actor, const Finding& f) {
  Event e;
  e.type = EventType::kDetectionRaise;
  e.actor = actor;
  if (!f.holding.empty()) e.holdings = {f.holding};
  Json fields = {{"rule", f.rule}, {"cause", f.cause}, {"severity", f.severity}};
  if (!f.facility.empty()) fields["facility"] = f.facility;
  if (!f.subject.empty()) fields["subject"] = f.subject;
  SR_CHECK(SetFields(&e, fields).ok());  // the rules' own values
  return e;
}

}  // namespace strongroom::oversight
