#include "oversight/detection.h"

#include <algorithm>

#include "base/clock.h"
#include "base/encoding.h"
#include "crypto/sha256.h"

namespace strongroom::oversight {
namespace {

int64_t TimeOf(const std::string& rfc3339) {
  if (rfc3339.empty()) return 0;
  auto t = ParseRfc3339(rfc3339);
  return t.ok() ? *t : 0;
}

bool Gone(const Holding& h) {
  return h.status == HoldingStatus::kDestroyed || h.status == HoldingStatus::kReleased;
}

// The person answerable for a holding: whoever has it out, else whoever
// registered it.
std::string Answerable(const Holding& h) { return h.holder.empty() ? h.registered_by : h.holder; }

}  // namespace

std::string DetectionId(const std::string& rule, const std::string& cause) {
  return "DET-" + HexEncode(Sha256(rule + "\n" + cause).view()).substr(0, 16);
}

std::vector<Finding> HoldingFindings(const Holding& h, int64_t now) {
  std::vector<Finding> out;
  if (Gone(h)) return out;
  const int64_t due = TimeOf(h.disposition_due);
  if ((h.disposition == "destroy" || h.disposition == "return") && due > 0 && due < now) {
    // Out past its deadline: where losses concentrate (the burn pile).
    out.push_back({"disposition_overdue", h.id + "@" + h.disposition_due, h.id, Answerable(h),
                   h.facility, h.status == HoldingStatus::kCheckedOut ? "high" : "normal"});
  }
  const int64_t back = TimeOf(h.due_back);
  if (h.status == HoldingStatus::kCheckedOut && back > 0 && back < now) {
    out.push_back({"overdue_return", h.id + "@" + h.due_back, h.id, h.holder, h.facility,
                   h.classification == "TOP SECRET" ? "high" : "normal"});
  }
  return out;
}

std::vector<Finding> InspectionFindings(const Inspection& v, int64_t now) {
  std::vector<Finding> out;
  if (v.status == "closed") {
    for (const Json& f : v.summary.value("findings", Json::array())) {
      if (f.value("result", "") == "missing" && f.value("status", "") == "open") {
        const std::string holding = f.value("holding", "");
        out.push_back({"inspection_missing", v.id + ":" + holding, holding, "", v.scope.facility, "high"});
      }
    }
  }
  const int64_t opened = TimeOf(v.opened_at);
  if (v.status == "open" && opened > 0 && now - opened > kUndrawnMicros) {
    // Opened, its sample computable by the inspector alone, never drawn:
    // the one way an inspector could try samples until one suits them.
    out.push_back({"inspection_not_drawn", v.id, "", v.inspector, v.scope.facility, "high"});
  }
  return out;
}

Result<std::vector<Finding>> Due(Store* store, int64_t now) {
  std::vector<Finding> out;
  auto holdings = [&](std::vector<Filter> filters) -> Status {
    return store->QueryRows(kHoldingsTable, filters, 0, [&](const Row& row) -> Status {
      SR_ASSIGN_OR_RETURN(std::string_view text, RowText(row));
      SR_ASSIGN_OR_RETURN(Holding h, HoldingFromText(text));
      for (Finding& f : HoldingFindings(h, now)) out.push_back(std::move(f));
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
  for (const char* status : {"open", "closed"}) {
    SR_RETURN_IF_ERROR(ForEachOversightRecord(store, kInspectionKind, status, "",
                                              [&](const OversightRecord& r) -> Status {
                                                SR_ASSIGN_OR_RETURN(Inspection v, Inspection::FromRecord(r));
                                                for (Finding& f : InspectionFindings(v, now)) {
                                                  out.push_back(std::move(f));
                                                }
                                                return OkStatus();
                                              }));
  }
  auto key = [](const Finding& f) { return std::tie(f.rule, f.cause); };
  std::sort(out.begin(), out.end(), [&](const Finding& a, const Finding& b) { return key(a) < key(b); });
  out.erase(std::unique(out.begin(), out.end(),
                        [&](const Finding& a, const Finding& b) { return key(a) == key(b); }),
            out.end());
  return out;
}

}  // namespace strongroom::oversight
