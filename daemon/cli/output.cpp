#include "cli/output.h"

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "common/enum_table.h"
#include "scan/fingerprint.h"

namespace leakd {
namespace {

using nlohmann::json;

// Invalid UTF-8 in a path or secret must not abort output: replace it.
std::string Dump(const json& j, int indent = -1) {
  return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

// A history finding's commit, blob and how many other commits and paths carry it.
void AddProvenance(const GitProvenance& git, json* out) {
  (*out)["commit"] = git.commit;
  (*out)["blob"] = git.blob;
  (*out)["author_date"] = git.author_date;
  (*out)["other_commits"] = git.other_commits;
  (*out)["other_paths"] = git.other_paths;
}

json FindingObject(const LocatedFinding& lf, bool reveal) {
  const Finding& f = lf.finding;
  json j = {{"rule", f.rule->id},           {"name", f.rule->name},
            {"provider", f.rule->provider}, {"path", lf.path},
            {"line", lf.position.line},     {"column", lf.position.column},
            {"offset", f.offset},           {"length", f.length},
            {"fingerprint", f.fingerprint}, {"confidence", ConfidenceName(f.confidence)},
            {"redacted", Redact(f.secret)}, {"fixture", f.fixture}};
  if (reveal) j["secret"] = f.secret;
  if (lf.git) AddProvenance(*lf.git, &j);
  return j;
}

// A SARIF result's properties: the finding's, and its commit's for a history.
json ResultProperties(const LocatedFinding& lf) {
  const Finding& f = lf.finding;
  json p = {{"confidence", ConfidenceName(f.confidence)},
            {"provider", f.rule->provider},
            {"fixture", f.fixture}};
  if (lf.git) AddProvenance(*lf.git, &p);
  return p;
}

// A tier's SARIF `level` and GitHub code scanning's `security-severity`
// (critical from 9.0, high from 7.0, medium from 4.0), so that the alerts
// rank as the README's tiers say a platform should act on them: an issuer's
// token first, a password without an issuer after, a crackable hash, then
// an identifier (no credential at all).
struct SarifSeverity {
  const char* level;
  const char* score;
};

SarifSeverity SeverityOf(Confidence c) {
  switch (c) {
    case Confidence::kChecksum:
    case Confidence::kFormat:
      return {"error", "9.0"};
    case Confidence::kContext:
      return {"error", "8.0"};
    case Confidence::kGeneric:
      return {"warning", "6.0"};
    case Confidence::kHash:
      return {"warning", "4.0"};
    case Confidence::kIdentifier:
      return {"note", "2.0"};
  }
  return {"error", "9.0"};
}

json Sarif(const std::vector<LocatedFinding>& findings, const RuleSet& rules, bool reveal) {
  json driver_rules = json::array();
  for (const Rule& r : rules.rules()) {
    json rule = {{"id", r.id},
                 {"name", r.name},
                 {"shortDescription", {{"text", r.name}}},
                 {"defaultConfiguration", {{"level", SeverityOf(r.confidence).level}}},
                 {"properties",
                  {{"provider", r.provider},
                   {"confidence", ConfidenceName(r.confidence)},
                   {"tags", json::array({"security", "secret"})},
                   {"security-severity", SeverityOf(r.confidence).score}}}};
    if (!r.references.empty()) rule["helpUri"] = r.references.front();
    driver_rules.push_back(std::move(rule));
  }
  json results = json::array();
  for (const auto& lf : findings) {
    const Finding& f = lf.finding;
    std::string text = f.rule->name + " (" + Redact(f.secret) + ")";
    if (lf.git) text += " in commit " + lf.git->commit;
    if (reveal) text += ": " + f.secret;
    json fingerprints = {{"leakdFingerprint/v1", f.fingerprint}};
    if (lf.git) fingerprints["commitSha"] = lf.git->commit;
    json result = {
        {"ruleId", f.rule->id},
        {"ruleIndex", f.rule_index},
        {"level", SeverityOf(f.confidence).level},
        {"message", {{"text", text}}},
        {"locations", json::array({{{"physicalLocation",
                                     {{"artifactLocation", {{"uri", lf.path}}},
                                      {"region",
                                       {{"startLine", lf.position.line},
                                        {"startColumn", lf.position.column},
                                        {"endLine", lf.position.line},
                                        {"endColumn", lf.position.column + f.length}}}}}}})},
        {"partialFingerprints", fingerprints},
        {"properties", ResultProperties(lf)}};
    results.push_back(std::move(result));
  }
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", json::array({{{"tool",
                                  {{"driver",
                                    {{"name", "leakd"},
                                     {"version", LEAKD_VERSION},
                                     {"informationUri", "https://github.com/leakd/leakd"},
                                     {"rules", driver_rules}}}}},
                                 {"results", results}}})}};
}

}  // namespace

bool ParseOutputFormat(const std::string& name, OutputFormat* out) {
  static constexpr auto kFormats = MakeEnumTable<OutputFormat>({{OutputFormat::kText, "text"},
                                                                {OutputFormat::kJson, "json"},
                                                                {OutputFormat::kJsonl, "jsonl"},
                                                                {OutputFormat::kSarif, "sarif"}});
  return kFormats.Parse(name, out);
}

void WriteFindings(OutputFormat format, const std::vector<LocatedFinding>& findings,
                   const RuleSet& rules, bool reveal, std::ostream& out) {
  switch (format) {
    case OutputFormat::kText:
      for (const auto& lf : findings) {
        const Finding& f = lf.finding;
        if (lf.git) out << lf.git->commit << ':';
        out << lf.path << ':' << lf.position.line << ':' << lf.position.column << ": " << f.rule->id
            << " [" << ConfidenceName(f.confidence) << "] " << (f.fixture ? "(fixture) " : "")
            << Redact(f.secret) << " sha256:" << f.fingerprint.substr(0, 16);
        if (reveal) out << " secret=" << f.secret;
        out << '\n';
      }
      break;
    case OutputFormat::kJsonl:
      for (const auto& lf : findings) out << Dump(FindingObject(lf, reveal)) << '\n';
      break;
    case OutputFormat::kJson: {
      json all = json::array();
      for (const auto& lf : findings) all.push_back(FindingObject(lf, reveal));
      out << Dump(all, 2) << '\n';
      break;
    }
    case OutputFormat::kSarif:
      out << Dump(Sarif(findings, rules, reveal), 2) << '\n';
      break;
  }
}

bool WriteFindingsTo(const std::string& output_path, OutputFormat format,
                     const std::vector<LocatedFinding>& findings, const RuleSet& rules,
                     bool reveal) {
  std::ofstream file_out;
  std::ostream* out = &std::cout;
  if (!output_path.empty()) {
    file_out.open(output_path, std::ios::trunc);
    if (!file_out) {
      std::cerr << "leakd: cannot write " << output_path << '\n';
      return false;
    }
    out = &file_out;
  }
  WriteFindings(format, findings, rules, reveal, *out);
  out->flush();
  if (!output_path.empty() && !file_out) {  // a full disk; a closed stdout is the reader's choice
    std::cerr << "leakd: cannot write " << output_path << '\n';
    return false;
  }
  return true;
}

}  // namespace leakd
