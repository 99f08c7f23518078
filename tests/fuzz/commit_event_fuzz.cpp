// ParseCommitEvent on hostile JSON, under the daemon's limits and under tiny
// ones.
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "ingest/commit_event.h"

using leakd::CommitEvent;
using leakd::CommitLimits;
using leakd::DecodeError;

namespace {

// The codes ParseCommitEvent documents, and no other.
bool Known(DecodeError e) {
  switch (e) {
    case DecodeError::kNone:
    case DecodeError::kInvalidJson:
    case DecodeError::kMissingField:
    case DecodeError::kBadBase64:
    case DecodeError::kMessageTooLarge:
    case DecodeError::kTooManyFiles:
    case DecodeError::kBadPatch:
    case DecodeError::kAmbiguousFile:
      return std::strcmp(leakd::DecodeErrorCode(e), "unknown") != 0;
    default:
      return false;
  }
}

void CheckEvent(const CommitEvent& event, const CommitLimits& limits) {
  FUZZ_CHECK(event.files.size() <= limits.max_files, "more files than max_files");
  for (const auto& file : event.files) {
    if (file.is_patch) {
      FUZZ_CHECK(!file.added.malformed(), "accepted a malformed patch");
      FUZZ_CHECK(file.content.empty(), "a patch with content");
    } else {
      FUZZ_CHECK(file.added.text().empty(), "content with added lines");
      FUZZ_CHECK(file.content.size() <= limits.max_file_bytes,
                 "decoded content of " + std::to_string(file.content.size()) +
                     " bytes over max_file_bytes " + std::to_string(limits.max_file_bytes));
    }
  }
}

bool SameEvent(const CommitEvent& a, const CommitEvent& b) {
  if (a.repo != b.repo || a.commit != b.commit || a.ref != b.ref || a.pusher != b.pusher ||
      a.pushed_at != b.pushed_at || a.files.size() != b.files.size()) {
    return false;
  }
  for (size_t i = 0; i < a.files.size(); ++i) {
    const auto &x = a.files[i], &y = b.files[i];
    if (x.path != y.path || x.is_patch != y.is_patch || x.content != y.content ||
        x.added.text() != y.added.text()) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);

  const CommitLimits defaults;
  CommitEvent event;
  const DecodeError e = leakd::ParseCommitEvent(json, defaults, &event);
  FUZZ_CHECK(Known(e), "unknown error code " + std::to_string(static_cast<int>(e)));
  if (e == DecodeError::kNone) {
    CheckEvent(event, defaults);
    // What is accepted is JSON, in the fields the event does not use too.
    simdjson::dom::parser dom;
    FUZZ_CHECK(!dom.parse(json.data(), json.size()).error(), "accepted invalid JSON");
  } else {
    FUZZ_CHECK(event.files.size() <= defaults.max_files, "files after an error");
  }

  // Deterministic.
  CommitEvent again;
  FUZZ_CHECK(leakd::ParseCommitEvent(json, defaults, &again) == e, "deterministic code");
  if (e == DecodeError::kNone) FUZZ_CHECK(SameEvent(event, again), "deterministic event");

  // Tiny limits: an event accepted under them is accepted, the same, under the
  // defaults; a refusal for size or count is one of the size/count codes.
  CommitLimits tiny;
  tiny.max_message_bytes = 4096;
  tiny.max_files = 2;
  tiny.max_file_bytes = 12;
  CommitEvent small;
  const DecodeError e_tiny = leakd::ParseCommitEvent(json, tiny, &small);
  FUZZ_CHECK(Known(e_tiny), "unknown error code (tiny limits)");
  if (e_tiny == DecodeError::kNone) {
    CheckEvent(small, tiny);
    FUZZ_CHECK(e == DecodeError::kNone && SameEvent(event, small), "limits changed the event");
  }
  if (e == DecodeError::kNone && e_tiny != DecodeError::kNone) {
    FUZZ_CHECK(e_tiny == DecodeError::kMessageTooLarge || e_tiny == DecodeError::kTooManyFiles,
               "tiny limits refused with a code that is not about size");
  }
  return 0;
}
