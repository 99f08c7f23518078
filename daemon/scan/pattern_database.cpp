#include "scan/pattern_database.h"

#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "scan/fingerprint.h"

namespace leakd {
namespace fs = std::filesystem;

namespace {

// Hyperscan flags for every rule. No HS_FLAG_SOMLEFTMOST: start-of-match costs
// several times the throughput, and stage 2 recovers the start anyway.
constexpr unsigned kHsFlags = 0;

std::string RuleWhere(const Rule& r) {
  return "rule " + r.id + " (" + r.source_file + ")";
}

struct HsCompileInputs {
  std::vector<const char*> patterns;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
};

hs_database_t* Compile(const RuleSet& rules, const HsCompileInputs& in, unsigned mode) {
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(in.patterns.data(), in.flags.data(), in.ids.data(),
                       static_cast<unsigned>(in.patterns.size()), mode, nullptr, &db,
                       &err) != HS_SUCCESS) {
    std::string message = err && err->message ? err->message : "unknown error";
    const int index = err ? err->expression : -1;
    hs_free_compile_error(err);
    if (index >= 0 && static_cast<size_t>(index) < rules.size()) {
      throw PatternError(RuleWhere(rules[index]) + ": Hyperscan rejects the pattern: " + message);
    }
    throw PatternError("Hyperscan compile failed: " + message);
  }
  return db;
}

std::string CachePath(const std::string& dir, const std::string& key, const char* mode) {
  return (fs::path(dir) / ("leakd-" + std::string(mode) + "-" + key.substr(0, 24) + ".hsdb"))
      .string();
}

hs_database_t* LoadCached(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  std::stringstream bytes;
  bytes << in.rdbuf();
  const std::string data = bytes.str();
  hs_database_t* db = nullptr;
  // A corrupt file or one for another CPU platform fails here; we then recompile.
  if (hs_deserialize_database(data.data(), data.size(), &db) != HS_SUCCESS) return nullptr;
  return db;
}

void StoreCached(const std::string& path, const hs_database_t* db) {
  char* bytes = nullptr;
  size_t length = 0;
  if (hs_serialize_database(db, &bytes, &length) != HS_SUCCESS) return;
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  // Write then rename so a concurrent reader never sees half a file.
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes, static_cast<std::streamsize>(length));
    if (!out) {
      free(bytes);
      fs::remove(tmp, ec);
      return;
    }
  }
  free(bytes);
  fs::rename(tmp, path, ec);
  if (ec) fs::remove(tmp, ec);
}

hs_database_t* CompileOrLoad(const RuleSet& rules, const HsCompileInputs& in, unsigned mode,
                             const char* mode_name, const std::string& cache_dir,
                             const std::string& key, bool* from_cache) {
  const std::string path = cache_dir.empty() ? "" : CachePath(cache_dir, key, mode_name);
  if (!path.empty()) {
    if (hs_database_t* db = LoadCached(path)) {
      *from_cache = true;
      return db;
    }
  }
  *from_cache = false;
  hs_database_t* db = Compile(rules, in, mode);
  if (!path.empty()) StoreCached(path, db);
  return db;
}

}  // namespace

std::shared_ptr<const PatternDatabase> PatternDatabase::Build(std::shared_ptr<const RuleSet> rules,
                                                              const Options& options) {
  const auto start = std::chrono::steady_clock::now();
  std::shared_ptr<PatternDatabase> db(new PatternDatabase());
  db->rules_ = rules;
  db->content_hash_ = rules->ContentHash();

  HsCompileInputs inputs;
  RE2::Options re2_options;
  re2_options.set_encoding(RE2::Options::EncodingLatin1);  // bytes, like Hyperscan
  re2_options.set_log_errors(false);
  re2_options.set_max_mem(8 << 20);

  for (size_t i = 0; i < rules->size(); ++i) {
    const Rule& rule = (*rules)[i];
    CompiledRule compiled;
    compiled.rule = &rule;
    compiled.regex = std::make_unique<RE2>(rule.pattern, re2_options);
    if (!compiled.regex->ok()) {
      throw PatternError(RuleWhere(rule) + ": RE2 rejects the pattern: " + compiled.regex->error());
    }
    if (compiled.regex->NumberOfCapturingGroups() != 1) {
      throw PatternError(RuleWhere(rule) +
                         ": the pattern must have exactly one capture group, has " +
                         std::to_string(compiled.regex->NumberOfCapturingGroups()));
    }
    for (const auto& allow : rule.allowlist) {
      auto re = std::make_unique<RE2>(allow, re2_options);
      if (!re->ok()) throw PatternError(RuleWhere(rule) + ": bad allowlist entry: " + re->error());
      compiled.allowlist.push_back(std::move(re));
    }

    hs_expr_info_t* info = nullptr;
    hs_compile_error_t* err = nullptr;
    if (hs_expression_info(rule.pattern.c_str(), kHsFlags, &info, &err) != HS_SUCCESS) {
      std::string message = err && err->message ? err->message : "unknown error";
      hs_free_compile_error(err);
      throw PatternError(RuleWhere(rule) + ": Hyperscan rejects the pattern: " + message);
    }
    if (info->min_width == 0) {
      free(info);
      throw PatternError(RuleWhere(rule) + ": the pattern can match the empty string");
    }
    compiled.window_capped = info->max_width == UINT_MAX || info->max_width > kMaxWindow;
    compiled.window = compiled.window_capped ? kMaxWindow : info->max_width;
    free(info);
    db->max_window_ = std::max(db->max_window_, compiled.window);

    inputs.patterns.push_back(rule.pattern.c_str());
    inputs.flags.push_back(kHsFlags);
    inputs.ids.push_back(static_cast<unsigned>(i));
    db->compiled_.push_back(std::move(compiled));
  }

  const std::string key = Sha256Hex(db->content_hash_ + '\x1f' + hs_version());
  bool block_cached = false;
  db->block_ =
      CompileOrLoad(*rules, inputs, HS_MODE_BLOCK, "block", options.cache_dir, key, &block_cached);
  bool stream_cached = true;
  if (options.with_stream) {
    db->stream_ = CompileOrLoad(*rules, inputs, HS_MODE_STREAM, "stream", options.cache_dir, key,
                                &stream_cached);
  }
  db->loaded_from_cache_ = block_cached && stream_cached;
  db->build_seconds_ =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return db;
}

PatternDatabase::~PatternDatabase() {
  hs_free_database(block_);
  hs_free_database(stream_);
}

}  // namespace leakd
