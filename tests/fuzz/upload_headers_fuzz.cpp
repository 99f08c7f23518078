// DecodeUploadHeaders on a header list built from the input: names from the
// known set (in any case) or arbitrary, values arbitrary or interesting.
// Checked against the rules of ingest/upload_headers.h, and for independence
// from header order.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "fuzz_support.h"
#include "ingest/upload_headers.h"

using leakd::DecodeError;
using leakd::MessageHeaders;
using leakd::UploadHeaders;

namespace {

const char* const kNames[] = {"repo",  "path",  "content-encoding", "upload-id",
                              "chunk", "final", "content-type",     "x-trace"};
const char* const kValues[] = {"",         "0",     "1",     "007",  "18446744073709551615",
                               "true",     "TRUE",  "false", "gzip", "GZip",
                               "identity", "br",    "+1",    " 1",   "999999999999999999",
                               "org/repo", "a.txt", "1e3"};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string RandomCase(FuzzedDataProvider& in, std::string s) {
  for (char& c : s) {
    if (in.ConsumeBool()) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  MessageHeaders headers;
  const size_t count = in.ConsumeIntegralInRange<size_t>(0, 10);
  for (size_t i = 0; i < count && in.remaining_bytes() > 0; ++i) {
    std::string name = in.ConsumeBool() ? RandomCase(in, in.PickValueInArray(kNames))
                                        : in.ConsumeRandomLengthString(24);
    std::string value = in.ConsumeBool() ? std::string(in.PickValueInArray(kValues))
                                         : in.ConsumeRandomLengthString(40);
    headers.emplace_back(std::move(name), std::move(value));
  }

  UploadHeaders out;
  out.repo = "stale";
  const DecodeError e = leakd::DecodeUploadHeaders(headers, &out);
  FUZZ_CHECK(e == DecodeError::kNone || e == DecodeError::kBadHeader ||
                 e == DecodeError::kUnsupportedEncoding,
             "unexpected code");

  // Header order does not matter.
  MessageHeaders reversed(headers.rbegin(), headers.rend());
  UploadHeaders out_reversed;
  FUZZ_CHECK(leakd::DecodeUploadHeaders(reversed, &out_reversed) == e, "order changed the code");

  // The rules, as the header file states them.
  std::map<std::string, std::string> known;
  bool duplicate = false;
  for (const auto& [name, value] : headers) {
    const std::string lower = Lower(name);
    if (std::find(std::begin(kNames), std::begin(kNames) + 6, lower) == std::begin(kNames) + 6) {
      continue;
    }
    duplicate |= !known.emplace(lower, value).second;
  }
  const auto has = [&](const char* n) { return known.count(n) > 0; };
  if (duplicate) {
    FUZZ_CHECK(e == DecodeError::kBadHeader, "a known header twice was accepted");
    return 0;
  }
  if (!has("repo") || !has("path") || known["repo"].empty() || known["path"].empty()) {
    FUZZ_CHECK(e == DecodeError::kBadHeader, "no repo or path, yet accepted");
    return 0;
  }
  const std::string encoding = has("content-encoding") ? Lower(known["content-encoding"]) : "";
  if (has("content-encoding") && encoding != "gzip" && encoding != "identity") {
    FUZZ_CHECK(e == DecodeError::kUnsupportedEncoding, "unknown encoding accepted");
    return 0;
  }
  if (e != DecodeError::kNone) {
    // Only the chunk headers are left to be wrong.
    FUZZ_CHECK(e == DecodeError::kBadHeader && (has("upload-id") || has("chunk") || has("final")),
               "refused a plain upload");
    return 0;
  }
  FUZZ_CHECK(out.repo == known["repo"] && out.path == known["path"], "repo/path");
  FUZZ_CHECK(out.gzip == (encoding == "gzip"), "gzip flag");
  FUZZ_CHECK(out.chunk.has_value() == has("upload-id"), "chunk iff upload-id");
  FUZZ_CHECK(!out.chunk || has("chunk"), "chunk without a chunk header");
  if (out.chunk) {
    const std::string& digits = known["chunk"];
    FUZZ_CHECK(!digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos,
               "chunk is not decimal");
    FUZZ_CHECK(std::to_string(out.chunk->index) ==
                   digits.substr(std::min(digits.find_first_not_of('0'), digits.size() - 1)),
               "chunk index");
    FUZZ_CHECK(out.chunk->upload_id == known["upload-id"] && !out.chunk->upload_id.empty(),
               "upload id");
    FUZZ_CHECK(out.chunk->final == (has("final") && Lower(known["final"]) == "true"), "final");
  } else {
    FUZZ_CHECK(!has("chunk") && !has("final"), "chunk or final without upload-id");
  }
  return 0;
}
