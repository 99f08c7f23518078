#include "ingest/commit_event.h"

#include <simdjson.h>

#include "common/base64.h"

namespace leakd {
namespace {

using simdjson::ondemand::object;
using simdjson::ondemand::value;

// A string field that is not a string is missing; one that is not valid JSON
// text (a lone surrogate, a bad escape, invalid UTF-8) is invalid JSON.
DecodeError StringError(simdjson::error_code e) {
  return e == simdjson::INCORRECT_TYPE ? DecodeError::kMissingField : DecodeError::kInvalidJson;
}

// Deeper nesting is refused, as simdjson's full parser refuses it.
constexpr int kMaxDepth = 1024;

// On-Demand does not look at a value nobody reads: `{"x": A}` would pass. A
// field the event does not use is walked through here instead, so malformed
// JSON anywhere in the event is invalid-json, as a full parser would say.
// `depth` bounds the recursion: On-Demand itself checks no depth, and a 1 MB
// event of `[` would otherwise overflow the stack.
bool WellFormed(value v, int depth) {
  if (depth > kMaxDepth) return false;
  simdjson::ondemand::json_type type;
  if (v.type().get(type)) return false;
  switch (type) {
    case simdjson::ondemand::json_type::object: {
      object obj;
      if (v.get_object().get(obj)) return false;
      for (auto field : obj) {
        std::string_view key;
        value inner;
        if (field.unescaped_key().get(key) || field.value().get(inner) ||
            !WellFormed(inner, depth + 1)) {
          return false;
        }
      }
      return true;
    }
    case simdjson::ondemand::json_type::array: {
      simdjson::ondemand::array items;
      if (v.get_array().get(items)) return false;
      for (auto item : items) {
        value inner;
        if (item.get(inner) || !WellFormed(inner, depth + 1)) return false;
      }
      return true;
    }
    case simdjson::ondemand::json_type::string: {
      std::string_view text;
      return !v.get_string().get(text);
    }
    case simdjson::ondemand::json_type::number: {
      simdjson::ondemand::number number;
      return !v.get_number().get(number);
    }
    case simdjson::ondemand::json_type::boolean: {
      bool b;
      return !v.get_bool().get(b);
    }
    case simdjson::ondemand::json_type::null: {
      bool is_null = false;
      return !v.is_null().get(is_null) && is_null;
    }
  }
  return false;
}

// An unused field's value, at `depth` (1: a field of the event): kNone if it
// is well-formed JSON.
DecodeError SkipUnused(simdjson::simdjson_result<simdjson::ondemand::field>& field, int depth) {
  value v;
  if (field.value().get(v) || !WellFormed(v, depth + 1)) return DecodeError::kInvalidJson;
  return DecodeError::kNone;
}

DecodeError ParseFile(value file_value, const CommitLimits& limits, CommitFile* file) {
  object obj;
  if (file_value.get_object().get(obj)) return DecodeError::kMissingField;
  bool has_path = false, has_patch = false, has_content = false;
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return DecodeError::kInvalidJson;
    std::string_view text;
    if (key != "path" && key != "patch" && key != "content_b64") {
      // A file's field: the event, its `files`, the file, the field.
      if (DecodeError e = SkipUnused(field, 3); e != DecodeError::kNone) return e;
      continue;
    }
    if (auto e = field.value().get_string().get(text)) return StringError(e);
    if (key == "path") {
      file->path.assign(text);
      has_path = true;
    } else if (key == "patch") {
      file->added = AddedLines::FromPatch(text);
      if (file->added.malformed()) return DecodeError::kBadPatch;
      file->is_patch = true;
      has_patch = true;
    } else {
      // Decoded first, then held to the limit: no estimate from the text's
      // length is a bound (padding, and the whitespace base64 may hold), and
      // the text is already within max_message_bytes.
      auto decoded = DecodeBase64(text);
      if (!decoded) return DecodeError::kBadBase64;
      if (decoded->size() > limits.max_file_bytes) return DecodeError::kMessageTooLarge;
      file->content = std::move(*decoded);
      has_content = true;
    }
  }
  if (has_patch && has_content) return DecodeError::kAmbiguousFile;
  if (!has_path || !(has_patch || has_content)) return DecodeError::kMissingField;
  return DecodeError::kNone;
}

void Reset(CommitEvent* out) {
  out->repo.clear();
  out->commit.clear();
  out->ref.clear();
  out->pusher.clear();
  out->pushed_at.clear();
  out->files.clear();
}

DecodeError ParseDocument(simdjson::ondemand::document& doc, const CommitLimits& limits,
                          CommitEvent* out);

}  // namespace

struct CommitEventParser::Buffers {
  simdjson::ondemand::parser parser;
  std::string padded;  // the event, then SIMDJSON_PADDING bytes
};

CommitEventParser::CommitEventParser() : buffers_(std::make_unique<Buffers>()) {}
CommitEventParser::~CommitEventParser() = default;

DecodeError CommitEventParser::Parse(std::string_view json, const CommitLimits& limits,
                                     CommitEvent* out) {
  Reset(out);
  if (json.size() > limits.max_message_bytes) return DecodeError::kMessageTooLarge;
  std::string& padded = buffers_->padded;
  padded.assign(json);
  padded.resize(json.size() + simdjson::SIMDJSON_PADDING);
  simdjson::ondemand::document doc;
  DecodeError e = DecodeError::kInvalidJson;
  if (!buffers_->parser.iterate(padded.data(), json.size(), padded.size()).get(doc)) {
    e = ParseDocument(doc, limits, out);
  }
  if (json.size() > kKeptBytes) buffers_ = std::make_unique<Buffers>();
  return e;
}

DecodeError ParseCommitEvent(std::string_view json, const CommitLimits& limits, CommitEvent* out) {
  CommitEventParser parser;
  return parser.Parse(json, limits, out);
}

namespace {

DecodeError ParseDocument(simdjson::ondemand::document& doc, const CommitLimits& limits,
                          CommitEvent* out) {
  object root;
  if (doc.get_object().get(root)) return DecodeError::kInvalidJson;

  bool has_repo = false, has_files = false;
  for (auto field : root) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return DecodeError::kInvalidJson;
    if (key == "files") {
      simdjson::ondemand::array files;
      if (field.value().get_array().get(files)) return DecodeError::kMissingField;
      for (auto item : files) {
        value v;
        if (item.get(v)) return DecodeError::kInvalidJson;
        if (out->files.size() >= limits.max_files) return DecodeError::kTooManyFiles;
        CommitFile file;
        if (DecodeError e = ParseFile(v, limits, &file); e != DecodeError::kNone) return e;
        out->files.push_back(std::move(file));
      }
      has_files = true;
      continue;
    }
    std::string* target = key == "repo"        ? &out->repo
                          : key == "commit"    ? &out->commit
                          : key == "ref"       ? &out->ref
                          : key == "pusher"    ? &out->pusher
                          : key == "pushed_at" ? &out->pushed_at
                                               : nullptr;
    if (!target) {  // unknown fields are ignored, if well-formed
      if (DecodeError e = SkipUnused(field, 1); e != DecodeError::kNone) return e;
      continue;
    }
    std::string_view text;
    if (auto e = field.value().get_string().get(text)) return StringError(e);
    target->assign(text);
    has_repo |= key == "repo";
  }
  // On-Demand validates lazily: make sure nothing follows the object (the
  // iterator reports a location only while it is still inside the input).
  const char* trailing = nullptr;
  if (doc.current_location().get(trailing) == simdjson::SUCCESS) return DecodeError::kInvalidJson;
  if (!has_repo || !has_files) return DecodeError::kMissingField;
  return DecodeError::kNone;
}

}  // namespace
}  // namespace leakd
