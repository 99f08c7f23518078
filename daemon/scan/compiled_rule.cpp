#include "scan/compiled_rule.h"

#include "scan/re2_dialect.h"

namespace leakd {
namespace {

RE2::Options Re2Options() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingLatin1);  // bytes, like Hyperscan
  options.set_log_errors(false);
  options.set_max_mem(8 << 20);
  return options;
}

}  // namespace

std::string RuleWhere(const Rule& r) {
  return "rule " + r.id + " (" + r.source_file + ")";
}

CompiledRule::CompiledRule(const Rule* r) : rule(r), stage2_(std::make_unique<Stage2>()) {
  ValidatorKind kind = ValidatorKind::kNone;
  // RuleSet refused unknown names at load; a kind missing here fails closed.
  if (ParseValidatorName(r->validator, &kind)) {
    validator = ValidatorFor(kind);
  } else {
    validator = [](std::string_view, std::string_view) { return false; };
  }
}

const CompiledRule::Stage2& CompiledRule::stage2() const {
  std::call_once(stage2_->once, [this] {
    const RE2::Options options = Re2Options();
    stage2_->pattern = std::make_unique<LazyRegex>(Re2Dialect(rule->pattern), options);
    if (!rule->capture.empty()) {
      stage2_->capture = std::make_unique<LazyRegex>(Re2Dialect(rule->capture), options);
    }
    for (const auto& allow : rule->allowlist) {
      stage2_->allowlist.push_back(std::make_unique<LazyRegex>(Re2Dialect(allow), options));
    }
  });
  return *stage2_;
}

// A pattern that does not compile (only possible for a cache entry written by
// another RE2 version) is an RE2 that is not ok(): it matches nothing.
const RE2& CompiledRule::regex() const {
  return stage2().pattern->re2();
}

bool CompiledRule::SearchesWarm() const {
  return stage2().pattern->SearchesWarm();
}

bool CompiledRule::MatchSecret(const re2::StringPiece& text, size_t pos, size_t end,
                               RE2::Anchor anchor, re2::StringPiece groups[2]) const {
  const Stage2& s = stage2();
  const auto match = [&](int wanted) {
    return anchor == RE2::UNANCHORED ? s.pattern->Find(std::string_view(text.data(), text.size()),
                                                       pos, end, groups, wanted)
                                     : regex().Match(text, pos, end, anchor, groups, wanted);
  };
  if (!s.capture) return match(2);
  if (!match(1)) return false;
  const size_t from = static_cast<size_t>(groups[0].data() - text.data());
  const size_t to = from + groups[0].size();
  // The match alone is the capture's text: its `^` and `$` are the match's ends.
  const std::string_view whole(groups[0].data(), groups[0].size());
  re2::StringPiece taken[2];
  if (s.capture->Find(whole, 0, whole.size(), taken, 2) && taken[1].data() != nullptr) {
    groups[1] = taken[1];
    return true;
  }
  // A capture that misses a match of the pattern breaks its contract
  // (`leakd rules check` reports it): the pattern decides.
  return regex().Match(text, from, to, RE2::ANCHOR_BOTH, groups, 2);
}

bool CompiledRule::Allowlisted(std::string_view secret) const {
  for (const auto& allow : stage2().allowlist) {
    if (allow->FoundIn(secret)) return true;
  }
  return false;
}

void CompiledRule::CompileNow() const {
  const Stage2& s = stage2();
  // Every program a search of this LazyRegex may use, or the error prefixed.
  const auto compile = [this](const LazyRegex& regex, const std::string& what) {
    if (const std::string error = regex.Error(); !error.empty()) {
      throw PatternError(RuleWhere(*rule) + what + error);
    }
  };
  compile(*s.pattern, ": RE2 rejects the pattern: ");
  if (regex().NumberOfCapturingGroups() != 1) {
    throw PatternError(RuleWhere(*rule) +
                       ": the pattern must have exactly one capture group, has " +
                       std::to_string(regex().NumberOfCapturingGroups()));
  }
  if (s.capture) {
    compile(*s.capture, ": the capture must compile and have one group: ");
    if (s.capture->re2().NumberOfCapturingGroups() != 1) {
      throw PatternError(RuleWhere(*rule) + ": the capture must compile and have one group");
    }
  }
  for (const auto& allow : s.allowlist) compile(*allow, ": bad allowlist entry: ");
}

}  // namespace leakd
