#include "custody/kinds/describe.h"

#include "custody/model.h"

namespace strongroom {

std::string DescribeValue(const FieldSpec& f) {
  switch (f.type) {
    case FieldType::kId:
      return "ID";
    case FieldType::kText:
      return "text";
    case FieldType::kTime:
      return "RFC 3339 time";
    case FieldType::kLevel: {
      std::string all;
      for (const auto& level : Levels()) (all += all.empty() ? "" : " / ") += level;
      return all;
    }
    case FieldType::kIdList:
      return "[ID]";
    case FieldType::kLongIdList:
      return "[ID] (up to 4096)";
    case FieldType::kDigest:
      return "hex SHA-256";
    case FieldType::kTextList:
      return "[text]";
    case FieldType::kCount:
      return "count";
    case FieldType::kIndex:
      return "log index";
    case FieldType::kBool:
      return "true/false";
    case FieldType::kStringMap:
      return "{ID: text}";
    case FieldType::kKey:
      return "base64 Ed25519 key";
    case FieldType::kObject:
      return "object";
    case FieldType::kChoice: {
      std::string all;
      for (auto c : f.choices) (all += all.empty() ? "" : " / ") += c;
      return all;
    }
  }
  return "";
}

std::string DescribeField(const FieldSpec& f) {
  std::string out = DescribeValue(f);
  if (!f.note.empty()) (out += "; ") += f.note;
  return out;
}

std::string EntryFormatTable() {
  std::string out =
      "| type | holdings | fields (required **bold**, sealed *italic*) | rules |\n"
      "|---|---|---|---|\n";
  for (const EventKind* k : AllKinds()) {
    std::string holdings = std::to_string(k->min_holdings);
    if (k->max_holdings != k->min_holdings) holdings += "-" + std::to_string(k->max_holdings);
    std::string fields;
    for (const FieldSpec& f : k->fields) {
      if (!fields.empty()) fields += ", ";
      const std::string name = f.sealed ? "*" + std::string(f.name) + "*" : std::string(f.name);
      (fields += f.required ? "**" + name + "**" : name) += " (" + DescribeField(f) + ")";
    }
    out += "| `" + std::string(k->name) + "` | " + holdings + " | " +
           (fields.empty() ? "—" : fields) + " | " + std::string(k->note) + " |\n";
  }
  return out;
}

}  // namespace strongroom
