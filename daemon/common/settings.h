// The settings conventions shared by `leakd serve` and `leakd forward`: from
// (lowest to highest precedence) built-in defaults, a YAML file, LEAKD_*
// environment variables and command-line --set key=value. Each command keeps
// its own table of setting names; this file only turns the three sources into
// (name, value) calls on it.
//
// YAML is flattened into dotted names: a scalar `workers: 4` is ("workers",
// "4"); a mapping `kafka: {sasl.mechanism: X}` is ("kafka.sasl.mechanism", X);
// a list of scalars `providers: [a, b]` is ("providers", "a,b"); a list of
// mappings `routes: [{url: U}]` is ("routes.0.url", U). Pure; any thread.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace leakd {

// Applies one setting; throws std::invalid_argument naming it when it is
// unknown or its value is bad.
using SettingSink = std::function<void(const std::string& name, const std::string& value)>;

// Reads a YAML file whose top level is a mapping. Throws std::invalid_argument
// naming the file when it cannot be read or parsed.
void LoadYamlSettings(const std::string& path, const SettingSink& set);

// Applies LEAKD_* variables ("NAME=value" strings). LEAKD_KAFKA_X_Y,
// LEAKD_CONSUMER_X_Y and LEAKD_PRODUCER_X_Y become kafka.x.y (and so on);
// other LEAKD_NAME variables become `name` when `known(name)` holds, and are
// ignored otherwise (they belong to other tools).
void LoadEnvironmentSettings(const std::vector<std::string>& environment, const SettingSink& set,
                             const std::function<bool(const std::string&)>& known);

// Applies "key=value" strings (repeatable --set). Throws std::invalid_argument
// on one without '='.
void ApplySetArguments(const std::vector<std::string>& sets, const SettingSink& set);

// This process's environment, as "NAME=value" strings.
std::vector<std::string> ProcessEnvironment();

}  // namespace leakd
