#include "rules/rule_cache.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "common/build_id.h"
#include "common/cache_entries.h"
#include "common/sha256.h"
#include "common/whole_file.h"
#include "rules/rule_set.h"

namespace leakd {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMagic = "leakd-rules-v6\n";  // v6: the identifier tier

void PutU32(std::string* out, uint32_t v) {
  char bytes[4];
  std::memcpy(bytes, &v, 4);
  out->append(bytes, 4);
}

void PutString(std::string* out, const std::string& s) {
  PutU32(out, static_cast<uint32_t>(s.size()));
  out->append(s);
}

void PutList(std::string* out, const std::vector<std::string>& list) {
  PutU32(out, static_cast<uint32_t>(list.size()));
  for (const auto& s : list) PutString(out, s);
}

// Reads what Put* wrote; every read is bounds-checked and a failed one
// sticks, so a corrupt entry decodes to nullopt rather than to garbage.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}
  bool ok() const { return ok_; }
  uint32_t U32() {
    uint32_t v = 0;
    if (!Take(4)) return 0;
    std::memcpy(&v, taken_.data(), 4);
    return v;
  }
  std::string String() {
    const uint32_t n = U32();
    return Take(n) ? std::string(taken_) : std::string();
  }
  std::vector<std::string> List() {
    std::vector<std::string> list;
    const uint32_t n = U32();
    for (uint32_t i = 0; ok_ && i < n; ++i) list.push_back(String());
    return list;
  }

 private:
  bool Take(size_t n) {
    if (!ok_ || rest_.size() < n) return ok_ = false;
    taken_ = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return true;
  }
  std::string_view rest_, taken_;
  bool ok_ = true;
};

constexpr const char* kEntryPrefix = "leakd-rules-";

std::string EntryPath(const std::string& dir, const std::string& key) {
  return (fs::path(dir) / (kEntryPrefix + key.substr(0, 24) + ".bin")).string();
}

}  // namespace

std::vector<std::string> ListRuleFiles(const std::string& path) {
  std::vector<std::string> files;
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    files.push_back(path);
  } else if (fs::is_directory(path, ec)) {
    for (fs::recursive_directory_iterator it(path), end; it != end; ++it) {
      // Hidden entries are skipped: .git, and the ..data and ..<timestamp>
      // folders behind a Kubernetes ConfigMap volume, whose files the
      // top-level symlinks already name (each rule would load twice).
      if (it->path().filename().string().rfind('.', 0) == 0) {
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      const auto ext = it->path().extension();
      if (it->is_regular_file() && (ext == ".yaml" || ext == ".yml")) {
        files.push_back(it->path().string());
      }
    }
  } else {
    throw RuleError("rules path not found: " + path);
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string RuleFilesKey(const std::vector<std::string>& files) {
  // The code too: other code may parse the same files differently (the loader
  // derives fields, such as keyword-led prefilters), whatever kMagic says.
  std::string material = std::string(kMagic) + BuildIdentity() + '\x1e';
  for (const auto& f : files) {
    struct stat st {};
    if (::stat(f.c_str(), &st) != 0) return "";  // vanished: no key, no cache
    material += f + '\x1f' + std::to_string(st.st_size) + '\x1f' + std::to_string(st.st_ino) +
                '\x1f' + std::to_string(st.st_mtim.tv_sec) + '.' +
                std::to_string(st.st_mtim.tv_nsec) + '\x1e';
  }
  return Sha256Hex(material);
}

std::string EncodeRules(const std::vector<Rule>& rules) {
  std::string out(kMagic);
  PutU32(&out, static_cast<uint32_t>(rules.size()));
  for (const Rule& r : rules) {
    for (const std::string* s : {&r.id, &r.name, &r.provider, &r.pattern, &r.prefilter, &r.capture,
                                 &r.validator, &r.source_file}) {
      PutString(&out, *s);
    }
    for (const auto* list :
         {&r.keywords, &r.allowlist, &r.examples, &r.negative_examples, &r.references}) {
      PutList(&out, *list);
    }
    std::string entropy(sizeof r.min_entropy, '\0');  // the exact bits
    std::memcpy(entropy.data(), &r.min_entropy, sizeof r.min_entropy);
    PutString(&out, entropy);
    PutU32(&out, static_cast<uint32_t>(r.confidence));
    PutU32(&out, r.placeholder_check ? 1 : 0);
    PutU32(&out, r.keyword_led ? 1 : 0);
  }
  return out;
}

std::optional<std::vector<Rule>> DecodeRules(std::string_view bytes) {
  if (bytes.substr(0, kMagic.size()) != kMagic) return std::nullopt;
  Reader in(bytes.substr(kMagic.size()));
  const uint32_t count = in.U32();
  std::vector<Rule> rules;
  for (uint32_t i = 0; in.ok() && i < count; ++i) {
    Rule r;
    for (std::string* s : {&r.id, &r.name, &r.provider, &r.pattern, &r.prefilter, &r.capture,
                           &r.validator, &r.source_file}) {
      *s = in.String();
    }
    for (auto* list :
         {&r.keywords, &r.allowlist, &r.examples, &r.negative_examples, &r.references}) {
      *list = in.List();
    }
    const std::string entropy = in.String();
    if (entropy.size() != sizeof r.min_entropy) return std::nullopt;
    std::memcpy(&r.min_entropy, entropy.data(), sizeof r.min_entropy);
    const uint32_t confidence = in.U32();
    if (confidence > static_cast<uint32_t>(Confidence::kChecksum)) return std::nullopt;
    r.confidence = static_cast<Confidence>(confidence);
    r.placeholder_check = in.U32() != 0;
    r.keyword_led = in.U32() != 0;
    rules.push_back(std::move(r));
  }
  if (!in.ok()) return std::nullopt;
  return rules;
}

std::optional<std::vector<Rule>> LoadCachedRules(const std::string& cache_dir,
                                                 const std::string& key) {
  if (cache_dir.empty() || key.empty()) return std::nullopt;
  const std::string path = EntryPath(cache_dir, key);
  const auto bytes = ReadWholeFile(path);
  if (!bytes) return std::nullopt;
  auto rules = DecodeRules(*bytes);
  if (rules) MarkCacheEntryUsed(path);
  return rules;
}

void StoreCachedRules(const std::string& cache_dir, const std::string& key,
                      const std::vector<Rule>& rules) {
  if (cache_dir.empty() || key.empty()) return;
  if (WriteWholeFileAtomically(EntryPath(cache_dir, key), EncodeRules(rules))) {
    PruneCacheEntries(cache_dir, kEntryPrefix);
  }
}

}  // namespace leakd
