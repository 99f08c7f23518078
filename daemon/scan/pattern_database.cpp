#include "scan/pattern_database.h"

#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "common/build_id.h"
#include "common/cache_entries.h"
#include "common/whole_file.h"
#include "scan/fingerprint.h"

namespace leakd {
namespace fs = std::filesystem;

namespace {

// Hyperscan flags for every rule. No HS_FLAG_SOMLEFTMOST: start-of-match costs
// several times the throughput, and stage 2 recovers the start anyway.
constexpr unsigned kHsFlags = 0;

struct HsCompileInputs {
  std::vector<const char*> patterns;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
};

HsDatabase Compile(const RuleSet& rules, const HsCompileInputs& in, unsigned mode) {
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(in.patterns.data(), in.flags.data(), in.ids.data(),
                       static_cast<unsigned>(in.patterns.size()), mode, nullptr, &db,
                       &err) != HS_SUCCESS) {
    std::string message = err && err->message ? err->message : "unknown error";
    const int index = err ? err->expression : -1;
    hs_free_compile_error(err);
    if (index >= 0 && static_cast<size_t>(index) < rules.size()) {
      throw PatternError(RuleWhere(rules[index]) + ": Hyperscan rejects the " +
                         (rules[index].prefilter.empty() ? "pattern" : "prefilter") + ": " +
                         message);
    }
    throw PatternError("Hyperscan compile failed: " + message);
  }
  return HsDatabase(db);
}

std::string CachePath(const std::string& dir, const std::string& key, const char* what) {
  return (fs::path(dir) / ("leakd-" + std::string(what) + "-" + key.substr(0, 24) + ".hsdb"))
      .string();
}

HsDatabase LoadCached(const std::string& path) {
  const auto data = ReadWholeFile(path);
  if (!data) return nullptr;
  hs_database_t* db = nullptr;
  // A corrupt file or one for another CPU platform fails here; we then recompile.
  if (hs_deserialize_database(data->data(), data->size(), &db) != HS_SUCCESS) return nullptr;
  MarkCacheEntryUsed(path);
  return HsDatabase(db);
}

// Writes a cache entry and keeps only the most recently used of its kind
// (common/cache_entries.h). `what` names the kind, as in CachePath.
void StoreEntry(const std::string& dir, const std::string& path, const char* what,
                std::string_view bytes) {
  if (WriteWholeFileAtomically(path, bytes)) {
    PruneCacheEntries(dir, "leakd-" + std::string(what) + "-");
  }
}

void StoreCached(const std::string& dir, const std::string& path, const char* what,
                 const hs_database_t* db) {
  char* bytes = nullptr;
  size_t length = 0;
  if (hs_serialize_database(db, &bytes, &length) != HS_SUCCESS) return;
  const std::unique_ptr<char, decltype(&free)> owned(bytes, &free);
  StoreEntry(dir, path, what, std::string_view(bytes, length));
}

// Each rule's stage-2 window, one "window capped" line per rule: measuring
// them (hs_expression_info) costs as much as the rest of a cached start-up.
std::string EncodeWindows(const std::vector<CompiledRule>& compiled) {
  std::string out;
  for (const auto& c : compiled) {
    out += std::to_string(c.window) + (c.window_capped ? " 1\n" : " 0\n");
  }
  return out;
}

bool DecodeWindows(const std::string& text, std::vector<CompiledRule>* compiled) {
  std::istringstream in(text);
  for (auto& c : *compiled) {
    size_t window = 0;
    int capped = 0;
    if (!(in >> window >> capped) || window == 0 || window > PatternDatabase::kMaxWindow) {
      return false;
    }
    c.window = window;
    c.window_capped = capped != 0;
  }
  std::string extra;
  return !(in >> extra);
}

// What Hyperscan scans for: the rule's prefilter where it has one.
const std::string& HyperscanPattern(const Rule& rule) {
  return rule.prefilter.empty() ? rule.pattern : rule.prefilter;
}

// Hyperscan's analysis of `pattern` (the rule's pattern or prefilter, named
// by `what`). Throws PatternError for a pattern Hyperscan rejects or one that
// can match the empty string.
std::unique_ptr<hs_expr_info_t, decltype(&free)> Analyse(const Rule& rule,
                                                         const std::string& pattern,
                                                         const char* what) {
  hs_expr_info_t* info = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_expression_info(pattern.c_str(), kHsFlags, &info, &err) != HS_SUCCESS) {
    std::string message = err && err->message ? err->message : "unknown error";
    hs_free_compile_error(err);
    throw PatternError(RuleWhere(rule) + ": Hyperscan rejects the " + what + ": " + message);
  }
  std::unique_ptr<hs_expr_info_t, decltype(&free)> owned(info, &free);
  if (info->min_width == 0) {
    throw PatternError(RuleWhere(rule) + ": the " + what + " can match the empty string");
  }
  return owned;
}

// Stage 2's bound for one rule: the longest match of its pattern (the real
// match ends where a prefilter match ends, and is no longer than this).
void MeasureWindow(const Rule& rule, CompiledRule* compiled) {
  const auto info = Analyse(rule, rule.pattern, "pattern");
  if (!rule.prefilter.empty()) Analyse(rule, rule.prefilter, "prefilter");
  compiled->window_capped =
      info->max_width == UINT_MAX || info->max_width > PatternDatabase::kMaxWindow;
  compiled->window = compiled->window_capped ? PatternDatabase::kMaxWindow : info->max_width;
}

}  // namespace

std::shared_ptr<const PatternDatabase> PatternDatabase::Build(std::shared_ptr<const RuleSet> rules,
                                                              const Options& options) {
  const auto start = std::chrono::steady_clock::now();
  std::shared_ptr<PatternDatabase> db(new PatternDatabase());
  db->rules_ = rules;
  db->content_hash_ = rules->ContentHash();
  for (const Rule& rule : rules->rules()) db->compiled_.emplace_back(&rule);

  // Other code may compile the same rules differently (flags, the window
  // cap): its entries are not this code's.
  const std::string key =
      Sha256Hex(db->content_hash_ + '\x1f' + hs_version() + '\x1f' + BuildIdentity());
  const auto path = [&](const char* what) {
    return options.cache_dir.empty() ? std::string() : CachePath(options.cache_dir, key, what);
  };
  db->block_ = LoadCached(path("block"));
  if (options.with_stream) db->stream_ = LoadCached(path("stream"));
  const auto windows = path("windows").empty() ? std::nullopt : ReadWholeFile(path("windows"));
  if (windows) MarkCacheEntryUsed(path("windows"));
  db->loaded_from_cache_ = db->block_ && (db->stream_ || !options.with_stream) && windows &&
                           DecodeWindows(*windows, &db->compiled_);
  if (!db->loaded_from_cache_) db->CompileMissing(options, path("block"), path("stream"));
  if (!db->loaded_from_cache_ && !options.cache_dir.empty()) {
    StoreEntry(options.cache_dir, path("windows"), "windows", EncodeWindows(db->compiled_));
  }
  for (const auto& c : db->compiled_) db->max_window_ = std::max(db->max_window_, c.window);
  db->build_seconds_ =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return db;
}

// Checks every rule (Hyperscan's analysis, RE2) before anything is compiled
// or cached: a cache entry vouches that its rules compile. Then compiles the
// databases the cache did not hold.
void PatternDatabase::CompileMissing(const Options& options, const std::string& block_path,
                                     const std::string& stream_path) {
  HsCompileInputs inputs;
  for (size_t i = 0; i < compiled_.size(); ++i) {
    MeasureWindow(*compiled_[i].rule, &compiled_[i]);
    compiled_[i].CompileNow();
    inputs.patterns.push_back(HyperscanPattern(*compiled_[i].rule).c_str());
    inputs.flags.push_back(kHsFlags);
    inputs.ids.push_back(static_cast<unsigned>(i));
  }
  if (!block_) {
    block_ = Compile(*rules_, inputs, HS_MODE_BLOCK);
    if (!block_path.empty()) StoreCached(options.cache_dir, block_path, "block", block_.get());
  }
  if (options.with_stream && !stream_) {
    stream_ = Compile(*rules_, inputs, HS_MODE_STREAM);
    if (!stream_path.empty()) StoreCached(options.cache_dir, stream_path, "stream", stream_.get());
  }
}

PatternDatabase::~PatternDatabase() = default;

}  // namespace leakd
