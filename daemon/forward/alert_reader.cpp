#include "forward/alert_reader.h"

#include <nlohmann/json.hpp>

#include "common/sha256.h"
#include "scan/fingerprint.h"

namespace leakd {
namespace {

using nlohmann::json;

std::string Text(const json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

void ReadIdentity(const json& j, ForwardItem* item) {
  item->type = Text(j, "type");
  item->url = Text(j, "url");
  item->source = Text(j, "source");
  item->provider = Text(j, "provider");
  item->fingerprint = Text(j, "fingerprint");
  item->repo = Text(j, "repo");
  item->commit = Text(j, "commit");
  item->path = Text(j, "path");
  auto line = j.find("line");
  if (line != j.end() && line->is_number_unsigned()) item->line = line->get<uint64_t>();
}

// The token of a sealed alert, or the reason it cannot be had.
bool Unseal(const json& j, const SealKeyPair* key, AlertRead* out) {
  if (!key) {
    out->reason = "sealed-no-key";
    return false;
  }
  const std::string key_id = Text(j, "seal_key_id");
  if (!key_id.empty() && key_id != key->key_id) {
    out->reason = "seal-key-mismatch";
    return false;
  }
  auto plain = OpenSealed(Text(j, "token_sealed"), *key);
  if (!plain) {
    out->reason = "unseal-failed";
    return false;
  }
  out->item.token = std::move(*plain);
  return true;
}

}  // namespace

AlertRead ReadAlert(std::string_view text, const SealKeyPair* seal_key) {
  AlertRead out;
  const json j = json::parse(text, nullptr, false);
  if (!j.is_object() || Text(j, "type").empty()) {
    out.reason = "invalid-alert";
    return out;
  }
  ReadIdentity(j, &out.item);
  if (j.contains("token") && j["token"].is_string()) {
    out.item.token = j["token"].get<std::string>();
  } else if (j.contains("token_sealed")) {
    if (!Unseal(j, seal_key, &out)) return out;
  } else {
    out.reason = "no-token";
    return out;
  }
  if (out.item.token.empty()) {
    out.reason = "no-token";
    return out;
  }
  // What the alert says is trusted for identity, but the DLQ and the
  // revocation records match on the real token's hash, and the logs carry the
  // real token's redacted form: an alert's `redacted` (from any producer)
  // could hold more of the secret than a redacted form may.
  out.item.fingerprint = Sha256Hex(out.item.token);
  out.item.redacted = Redact(out.item.token);
  out.ok = true;
  return out;
}

}  // namespace leakd
