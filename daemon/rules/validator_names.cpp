#include "rules/validator_names.h"

#include "common/enum_table.h"

namespace leakd {
namespace {
constexpr auto kValidators =
    MakeEnumTable<ValidatorKind>({{ValidatorKind::kNone, ""},
                                  {ValidatorKind::kGithubCrc32, "github-crc32"},
                                  {ValidatorKind::kJwt, "jwt"},
                                  {ValidatorKind::kBasicAuth, "basic-auth"},
                                  {ValidatorKind::kGenericSecret, "generic-secret"},
                                  {ValidatorKind::kLiteralSecret, "literal-secret"}});
}  // namespace

bool ParseValidatorName(const std::string& name, ValidatorKind* out) {
  return kValidators.Parse(name, out);
}

bool IsKnownValidator(const std::string& name) {
  ValidatorKind kind;
  return !name.empty() && ParseValidatorName(name, &kind);
}

}  // namespace leakd
