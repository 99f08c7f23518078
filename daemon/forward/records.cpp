#include "forward/records.h"

#include <nlohmann/json.hpp>

#include "common/clip_text.h"
#include "common/clock.h"
#include "common/sha256.h"

namespace leakd {
namespace {

using nlohmann::json;

std::string Dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A text of the endpoint's answer, clipped (common/clip_text.h): the records
// built from it are retried until the broker takes them (forward/parking.h),
// so none may grow past its limit whatever an endpoint or an alert says.
std::string StringField(const json& entry, const char* name) {
  auto it = entry.find(name);
  return it != entry.end() && it->is_string() ? ClipText(it->get_ref<const std::string&>()) : "";
}

}  // namespace

std::string BuildPostBody(const Batch& batch) {
  json body = json::array();
  for (const ForwardItem& item : batch) {
    body.push_back(
        {{"token", item.token}, {"type", item.type}, {"url", item.url}, {"source", item.source}});
  }
  return Dump(body);
}

std::string BuildDeadLetter(const ForwardItem& item, const std::string& route, int status,
                            const std::string& reason, const std::string& detail) {
  return Dump(
      {{"schema", "leakd.forward.dlq.v1"},
       {"status", status},
       {"reason", reason},
       {"detail", detail},
       {"route", route},
       {"fingerprint", ClipText(item.fingerprint)},
       {"redacted", ClipText(item.redacted)},
       {"type", ClipText(item.type)},
       {"url", ClipText(item.url)},
       {"source", ClipText(item.source)},
       {"provider", ClipText(item.provider)},
       {"repo", ClipText(item.repo)},
       {"commit", ClipText(item.commit)},
       {"path", ClipText(item.path)},
       {"line", item.line},
       {"alert",
        {{"topic", item.key.topic}, {"partition", item.key.partition}, {"offset", item.offset}}},
       {"failed_at", NowRfc3339()}});
}

std::vector<RevocationRecord> BuildRevocations(const std::string& body, const Batch& batch,
                                               const std::string& route) {
  std::vector<RevocationRecord> out;
  const json feedback = json::parse(body, nullptr, false);
  if (!feedback.is_array()) return out;
  for (const json& entry : feedback) {
    if (!entry.is_object()) continue;
    std::string hash = StringField(entry, "token_hash");
    const auto raw = entry.find("token_raw");
    if (raw != entry.end() && raw->is_string())
      hash = Sha256Hex(raw->get_ref<const std::string&>());
    if (hash.empty()) continue;
    json record = {{"schema", "leakd.revocation.v1"},
                   {"token_hash", hash},
                   {"token_type", StringField(entry, "token_type")},
                   {"label", StringField(entry, "label")},
                   {"route", route},
                   {"received_at", NowRfc3339()}};
    for (const ForwardItem& item : batch) {
      if (item.fingerprint != hash) continue;
      record["fingerprint"] = item.fingerprint;
      record["url"] = ClipText(item.url);
      record["repo"] = ClipText(item.repo);
      record["path"] = ClipText(item.path);
      record["provider"] = ClipText(item.provider);
      break;
    }
    out.push_back({hash, Dump(record)});
  }
  return out;
}

}  // namespace leakd
