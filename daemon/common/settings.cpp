#include "common/settings.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

extern char** environ;

namespace leakd {
namespace {

void Flatten(const std::string& name, const YAML::Node& node, const SettingSink& set) {
  if (node.IsScalar()) {
    set(name, node.as<std::string>());
  } else if (node.IsMap()) {
    for (const auto& entry : node) {
      Flatten(name + "." + entry.first.as<std::string>(), entry.second, set);
    }
  } else if (node.IsSequence()) {
    const bool scalars =
        std::all_of(node.begin(), node.end(), [](const YAML::Node& n) { return n.IsScalar(); });
    if (scalars) {
      std::string joined;
      for (const auto& item : node) joined += (joined.empty() ? "" : ",") + item.as<std::string>();
      set(name, joined);
    } else {
      for (size_t i = 0; i < node.size(); ++i)
        Flatten(name + "." + std::to_string(i), node[i], set);
    }
  } else {
    set(name, "");  // `key:` with no value
  }
}

}  // namespace

void LoadYamlSettings(const std::string& path, const SettingSink& set) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    throw std::invalid_argument(path + ": " + e.what());
  }
  if (!root.IsMap()) throw std::invalid_argument(path + ": expected a mapping");
  for (const auto& entry : root) Flatten(entry.first.as<std::string>(), entry.second, set);
}

void LoadEnvironmentSettings(const std::vector<std::string>& environment, const SettingSink& set,
                             const std::function<bool(const std::string&)>& known) {
  for (const std::string& var : environment) {
    if (var.rfind("LEAKD_", 0) != 0) continue;
    const size_t eq = var.find('=');
    if (eq == std::string::npos) continue;
    std::string name = var.substr(6, eq - 6);
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    const std::string value = var.substr(eq + 1);
    bool done = false;
    for (const std::string group : {"kafka_", "consumer_", "producer_"}) {
      if (name.rfind(group, 0) == 0) {
        std::string prop = name.substr(group.size());
        std::replace(prop.begin(), prop.end(), '_', '.');
        set(group.substr(0, group.size() - 1) + "." + prop, value);
        done = true;
        break;
      }
    }
    if (!done && known(name)) set(name, value);
  }
}

void ApplySetArguments(const std::vector<std::string>& sets, const SettingSink& set) {
  for (const std::string& s : sets) {
    const size_t eq = s.find('=');
    if (eq == std::string::npos) throw std::invalid_argument("--set expects key=value, got " + s);
    set(s.substr(0, eq), s.substr(eq + 1));
  }
}

std::vector<std::string> ProcessEnvironment() {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  return env;
}

}  // namespace leakd
