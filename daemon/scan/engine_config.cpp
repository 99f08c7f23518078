#include "scan/engine_config.h"

#include <cstdlib>
#include <filesystem>

namespace leakd {
namespace fs = std::filesystem;

namespace {
std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}
}  // namespace

std::string DefaultRulesPath() {
  std::error_code ec;
  for (const std::string& candidate :
       {Env("LEAKD_RULES"), std::string("patterns"), std::string(LEAKD_SOURCE_PATTERNS_DIR),
        std::string("/usr/share/leakd/patterns")}) {
    if (!candidate.empty() && fs::exists(candidate, ec)) return candidate;
  }
  return "patterns";
}

std::string DefaultCacheDir() {
  if (auto v = Env("LEAKD_CACHE_DIR"); !v.empty()) return v;
  if (auto v = Env("XDG_CACHE_HOME"); !v.empty()) return v + "/leakd";
  if (auto v = Env("HOME"); !v.empty()) return v + "/.cache/leakd";
  return "/tmp/leakd-cache";
}

std::shared_ptr<const PatternDatabase> LoadEngine(const EngineConfig& config) {
  const std::string path = config.rules_path.empty() ? DefaultRulesPath() : config.rules_path;
  PatternDatabase::Options options;
  options.with_stream = config.with_stream;
  if (config.use_cache)
    options.cache_dir = config.cache_dir.empty() ? DefaultCacheDir() : config.cache_dir;
  RuleSet all = RuleSet::LoadFrom(path, options.cache_dir);
  auto rules = std::make_shared<const RuleSet>(
      config.identifiers ? std::move(all) : all.Without(Confidence::kIdentifier));
  auto db = PatternDatabase::Build(rules, options);
  if (config.compile_stage2_now) {
    for (size_t i = 0; i < db->size(); ++i) db->compiled(i).CompileNow();
  }
  return db;
}

}  // namespace leakd
