// `leakd rules list` and `leakd rules check`. Each returns an exit status.
#pragma once

#include "scan/engine_config.h"

namespace leakd {

int RunRulesList(const EngineConfig& config, bool json);
// Compiles every pattern (a failure names the rule and file) and checks every
// rule's examples and negative examples. 0 when all hold, 1 otherwise, 2 on error.
int RunRulesCheck(const EngineConfig& config);

}  // namespace leakd
