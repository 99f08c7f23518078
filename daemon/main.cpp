// leakd entry point: parses the command line and hands over to one command.
//   leakd scan PATH…     scan files, directories, stdin
//   leakd scan --git R   scan a git history (optionally --publish its findings)
//   leakd serve          the streaming daemon on Kafka
//   leakd forward        alerts to issuers' endpoints, signed (GitHub's partner protocol)
//   leakd rules list|check
//   leakd unseal         restore the tokens of sealed alerts (stdin → stdout)
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/git_scan_command.h"
#include "cli/rules_command.h"
#include "cli/scan_command.h"
#include "cli/unseal_command.h"
#include "common/size_parse.h"
#include "forward/forward_command.h"
#include "serve/serve_command.h"
#include "serve/serve_config.h"

namespace {

// What `scan --git` adds to `scan`.
struct GitCli {
  std::string path, since, range, publish, repo_name;
  std::vector<std::string> branches;
  leakd::ServeOptions settings;  // --config and --set, for --publish
  double publish_timeout_s = 120;
};

void AddGitOptions(CLI::App* cmd, GitCli* git) {
  cmd->add_option("--git", git->path,
                  "Scan the history of this git repository (bare or not) instead of PATHs");
  cmd->add_option(
      "--branch", git->branches,
      "--git: only what this branch or revision reaches (repeatable; default: all refs)");
  cmd->add_option("--since", git->since,
                  "--git: only commits from this date (2024-01-31, RFC 3339, or @seconds)");
  cmd->add_option("--range", git->range,
                  "--git: scan the commits of A..B as pushes (added lines only)");
  cmd->add_option("--publish", git->publish,
                  "--git: send each finding to the alert topic on these Kafka brokers");
  cmd->add_option("--repo", git->repo_name,
                  "--publish: the alerts' repo (default: the directory's name)");
  cmd->add_option("-c,--config", git->settings.config_file,
                  "--publish: the daemon's YAML config (topics, token mode, Kafka properties)");
  cmd->add_option("--set", git->settings.sets, "--publish: a daemon setting key=value");
  cmd->add_option("--publish-timeout", git->publish_timeout_s,
                  "--publish: seconds to wait for every acknowledgement (default 120)");
}

std::string DefaultRepoName(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  std::string name = path.substr(path.find_last_of('/') + 1);
  if (name.size() > 4 && name.compare(name.size() - 4, 4, ".git") == 0)
    name.resize(name.size() - 4);
  return name;
}

int RunGit(const GitCli& git, const leakd::ScanOptions& scan) {
  if (!scan.paths.empty() || !scan.ignore_file.empty()) {
    std::cerr << "leakd: --git takes no PATH and no --ignore-file\n";
    return 2;
  }
  if (!git.range.empty() && !git.branches.empty()) {
    std::cerr << "leakd: --range and --branch exclude each other\n";
    return 2;
  }
  leakd::GitScanOptions options;
  options.history.path = git.path;
  options.history.revisions = git.branches;
  options.history.range = git.range;
  options.history.threads = scan.threads;
  options.history.max_blob_size = scan.max_file_size;
  options.since = git.since;
  options.engine = scan.engine;
  options.format = scan.format;
  options.reveal = scan.reveal;
  options.output_path = scan.output_path;
  if (!git.publish.empty()) {
    leakd::ServeConfig config;
    try {
      config = leakd::LoadServeConfig(git.settings);
    } catch (const std::exception& e) {
      std::cerr << "leakd: " << e.what() << '\n';
      return 2;
    }
    leakd::PublishSettings publish;
    publish.kafka = leakd::ClientSettingsOf(config);  // the daemon's client settings
    publish.kafka.brokers = git.publish;
    publish.topic = config.alerts_topic;
    publish.token_mode = config.token_mode;
    publish.url_template = config.url_template;
    publish.repo = git.repo_name.empty() ? DefaultRepoName(git.path) : git.repo_name;
    publish.timeout = std::chrono::milliseconds(static_cast<int64_t>(git.publish_timeout_s * 1000));
    options.publish = publish;
  }
  return leakd::RunGitScan(std::move(options));
}

// `scan`: the file mode, or with --git the history mode.
int RunScanCommand(const GitCli& git, const leakd::ScanOptions& scan) {
  if (!git.path.empty()) return RunGit(git, scan);
  if (!git.branches.empty() || !git.since.empty() || !git.range.empty() || !git.publish.empty()) {
    std::cerr << "leakd: --branch, --since, --range and --publish need --git\n";
    return 2;
  }
  if (scan.paths.empty()) {
    std::cerr << "leakd: scan needs a PATH (or --git REPOSITORY)\n";
    return 2;
  }
  return leakd::RunScan(scan);
}

}  // namespace

namespace {

struct UnsealArgs {
  CLI::App* cmd = nullptr;
  std::string secret_key_file, keypair_dir;
};

void AddUnsealCommand(CLI::App& app, UnsealArgs* args) {
  args->cmd = app.add_subcommand(
      "unseal", "Read sealed alert JSON lines on stdin, write them with `token` restored");
  auto* key = args->cmd->add_option("--secret-key-file", args->secret_key_file,
                                    "File with base64 of the 32-byte X25519 secret key");
  args->cmd
      ->add_option("--generate-keypair", args->keypair_dir,
                   "Write DIR/seal.key (0600) and DIR/seal.pub, print the public key, exit")
      ->excludes(key);
}

int RunUnsealCommand(const UnsealArgs& args) {
  if (!args.keypair_dir.empty())
    return leakd::RunGenerateKeyPair(args.keypair_dir, std::cout, std::cerr);
  if (args.secret_key_file.empty()) {
    std::cerr << "leakd: unseal needs --secret-key-file (or --generate-keypair DIR)\n";
    return 2;
  }
  return leakd::RunUnseal(args.secret_key_file, std::cin, std::cout, std::cerr);
}

// The rule set's options, shared by every command that loads rules.
void AddEngineOptions(CLI::App* cmd, leakd::EngineConfig* engine) {
  cmd->add_option("--rules", engine->rules_path,
                  "Rules file or directory (default: $LEAKD_RULES, ./patterns)");
  cmd->add_option("--cache-dir", engine->cache_dir, "Where compiled pattern databases are cached");
  cmd->add_flag(
      "--no-cache", [engine](int64_t) { engine->use_cache = false; },
      "Compile the pattern database; do not read or write the cache");
}

struct ScanArgs {
  CLI::App* cmd = nullptr;
  leakd::ScanOptions scan;
  std::string format = "text", max_size = "25M";
  GitCli git;
};

void AddScanCommand(CLI::App& app, leakd::EngineConfig* engine, ScanArgs* a) {
  a->cmd = app.add_subcommand("scan", "Scan files, directories or - (stdin)");
  a->cmd->add_option("paths", a->scan.paths, "Files, directories, or - for stdin");
  AddGitOptions(a->cmd, &a->git);
  a->cmd->add_option("-f,--format", a->format, "text | json | jsonl | sarif")
      ->check(CLI::IsMember({"text", "json", "jsonl", "sarif"}));
  a->cmd->add_option("-o,--output", a->scan.output_path, "Write findings to this file");
  a->cmd->add_flag("--reveal", a->scan.reveal, "Include the secret itself in the output");
  a->cmd->add_option("-j,--threads", a->scan.threads, "Scan threads (default: all cores)");
  a->cmd->add_option("--max-file-size", a->max_size, "Skip larger files (e.g. 512K, 25M, 1G)");
  a->cmd->add_flag("--identifiers", engine->identifiers,
                   "Also report identifiers (AWS account IDs, ARNs, buckets, OAuth client IDs): "
                   "the `identifier` tier, not credentials");
  a->cmd->add_option("--ignore-file", a->scan.ignore_file,
                     "Ignore file: fingerprints and path globs, one a line (besides each "
                     "directory's .leakdignore)");
  AddEngineOptions(a->cmd, engine);
}

int RunScanArgs(ScanArgs& a, const leakd::EngineConfig& engine) {
  a.scan.engine = engine;
  leakd::ParseOutputFormat(a.format, &a.scan.format);
  if (!leakd::ParseSize(a.max_size, &a.scan.max_file_size)) {
    std::cerr << "leakd: --max-file-size: not a size: " << a.max_size << '\n';
    return 2;
  }
  return RunScanCommand(a.git, a.scan);
}

struct RulesArgs {
  CLI::App *list = nullptr, *check = nullptr;
  bool list_json = false;
};

void AddRulesCommand(CLI::App& app, leakd::EngineConfig* engine, RulesArgs* a) {
  CLI::App* rules = app.add_subcommand("rules", "Inspect and check the rule set");
  rules->require_subcommand(1);
  a->list = rules->add_subcommand("list", "List the rules");
  a->list->add_flag("--json", a->list_json, "One JSON object per rule");
  AddEngineOptions(a->list, engine);
  a->check =
      rules->add_subcommand("check", "Compile every pattern and check every rule's examples");
  AddEngineOptions(a->check, engine);
}

// serve and forward: a Kafka consumer with YAML, LEAKD_* and --set settings.
struct KafkaCommandArgs {
  CLI::App* cmd = nullptr;
  std::string brokers, group;
  // --brokers and --group are shorthands for their settings.
  void AddShorthands(std::vector<std::string>* sets) const {
    if (!brokers.empty()) sets->push_back("brokers=" + brokers);
    if (!group.empty()) sets->push_back("group_id=" + group);
  }
};

void AddKafkaOptions(KafkaCommandArgs* a, std::string* config_file, std::vector<std::string>* sets,
                     const char* set_example) {
  a->cmd->add_option("-c,--config", *config_file, "YAML config file");
  a->cmd->add_option("--set", *sets,
                     std::string("key=value, repeatable (e.g. ") + set_example + ")");
  a->cmd->add_option("--brokers", a->brokers,
                     "Kafka bootstrap servers (same as --set brokers=...)");
  a->cmd->add_option("--group", a->group, "Consumer group (same as --set group_id=...)");
}

struct ServeArgs : KafkaCommandArgs {
  leakd::ServeOptions serve;
};

void AddServeCommand(CLI::App& app, ServeArgs* a) {
  a->cmd = app.add_subcommand("serve", "Stream commits and uploads from Kafka, publish alerts");
  AddKafkaOptions(a, &a->serve.config_file, &a->serve.sets,
                  "workers=4, kafka.security.protocol=SSL");
  a->cmd->add_flag("--embedded-broker", a->serve.embedded_broker,
                   "Start librdkafka's mock cluster in-process and serve on it (demo, tests)");
  a->cmd->add_flag("--check-config", a->serve.check_config,
                   "Load the settings and compile the rules, then exit (0: valid, 2: not)");
  a->cmd->add_flag("--demo", a->serve.demo,
                   "With --embedded-broker: push sample traffic, print the alerts, then exit");
}

int RunServeArgs(ServeArgs& a) {
  a.AddShorthands(&a.serve.sets);
  if (a.serve.demo && !a.serve.embedded_broker) {
    std::cerr << "leakd: --demo needs --embedded-broker\n";
    return 2;
  }
  return leakd::RunServe(a.serve);
}

struct ForwardArgs : KafkaCommandArgs {
  leakd::ForwardOptions forward;
};

void AddForwardCommand(CLI::App& app, ForwardArgs* a) {
  a->cmd = app.add_subcommand(
      "forward", "Forward alerts to issuers' endpoints as signed POSTs (GitHub partner format)");
  AddKafkaOptions(a, &a->forward.config_file, &a->forward.sets,
                  "routes.0.url=https://..., kafka.security.protocol=SSL");
  a->cmd->add_flag("--check-config", a->forward.check_config,
                   "Load the settings and keys, then exit (0: valid, 2: not)");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"leakd: streaming secret-leak detector"};
  app.set_version_flag("--version", LEAKD_VERSION);
  app.require_subcommand(1);
  leakd::EngineConfig engine;
  ScanArgs scan;
  AddScanCommand(app, &engine, &scan);
  RulesArgs rules;
  AddRulesCommand(app, &engine, &rules);
  ServeArgs serve;
  AddServeCommand(app, &serve);
  ForwardArgs forward;
  AddForwardCommand(app, &forward);
  UnsealArgs unseal;
  AddUnsealCommand(app, &unseal);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (scan.cmd->parsed()) return RunScanArgs(scan, engine);
  if (serve.cmd->parsed()) return RunServeArgs(serve);
  if (forward.cmd->parsed()) {
    forward.AddShorthands(&forward.forward.sets);
    return leakd::RunForward(forward.forward);
  }
  if (unseal.cmd->parsed()) return RunUnsealCommand(unseal);
  if (rules.list->parsed()) return leakd::RunRulesList(engine, rules.list_json);
  if (rules.check->parsed()) return leakd::RunRulesCheck(engine);
  return 2;
}
