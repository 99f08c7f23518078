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
    publish.kafka.brokers = git.publish;
    publish.kafka.common = config.kafka;
    publish.kafka.producer = config.producer;
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"leakd: streaming secret-leak detector"};
  app.set_version_flag("--version", LEAKD_VERSION);
  app.require_subcommand(1);

  leakd::EngineConfig engine;
  auto add_engine_options = [&engine](CLI::App* cmd) {
    cmd->add_option("--rules", engine.rules_path,
                    "Rules file or directory (default: $LEAKD_RULES, ./patterns)");
    cmd->add_option("--cache-dir", engine.cache_dir, "Where compiled pattern databases are cached");
    cmd->add_flag(
        "--no-cache", [&engine](int64_t) { engine.use_cache = false; },
        "Compile the pattern database; do not read or write the cache");
  };

  // scan
  leakd::ScanOptions scan;
  std::string format = "text";
  std::string max_size = "25M";
  CLI::App* scan_cmd = app.add_subcommand("scan", "Scan files, directories or - (stdin)");
  scan_cmd->add_option("paths", scan.paths, "Files, directories, or - for stdin");
  GitCli git;
  AddGitOptions(scan_cmd, &git);
  scan_cmd->add_option("-f,--format", format, "text | json | jsonl | sarif")
      ->check(CLI::IsMember({"text", "json", "jsonl", "sarif"}));
  scan_cmd->add_option("-o,--output", scan.output_path, "Write findings to this file");
  scan_cmd->add_flag("--reveal", scan.reveal, "Include the secret itself in the output");
  scan_cmd->add_option("-j,--threads", scan.threads, "Scan threads (default: all cores)");
  scan_cmd->add_option("--max-file-size", max_size, "Skip larger files (e.g. 512K, 25M, 1G)");
  scan_cmd->add_option("--ignore-file", scan.ignore_file,
                       "Ignore file: fingerprints and path globs, one a line (besides each "
                       "directory's .leakdignore)");
  add_engine_options(scan_cmd);

  // rules
  CLI::App* rules_cmd = app.add_subcommand("rules", "Inspect and check the rule set");
  rules_cmd->require_subcommand(1);
  bool list_json = false;
  CLI::App* list_cmd = rules_cmd->add_subcommand("list", "List the rules");
  list_cmd->add_flag("--json", list_json, "One JSON object per rule");
  add_engine_options(list_cmd);
  CLI::App* check_cmd =
      rules_cmd->add_subcommand("check", "Compile every pattern and check every rule's examples");
  add_engine_options(check_cmd);

  // serve
  leakd::ServeOptions serve;
  std::string brokers, group;
  CLI::App* serve_cmd =
      app.add_subcommand("serve", "Stream commits and uploads from Kafka, publish alerts");
  serve_cmd->add_option("-c,--config", serve.config_file, "YAML config file");
  serve_cmd->add_option("--set", serve.sets,
                        "key=value, repeatable (e.g. workers=4, kafka.security.protocol=SSL)");
  serve_cmd->add_option("--brokers", brokers,
                        "Kafka bootstrap servers (same as --set brokers=...)");
  serve_cmd->add_option("--group", group, "Consumer group (same as --set group_id=...)");
  serve_cmd->add_flag("--embedded-broker", serve.embedded_broker,
                      "Start librdkafka's mock cluster in-process and serve on it (demo, tests)");
  serve_cmd->add_flag("--check-config", serve.check_config,
                      "Load the settings and compile the rules, then exit (0: valid, 2: not)");
  serve_cmd->add_flag("--demo", serve.demo,
                      "With --embedded-broker: push sample traffic, print the alerts, then exit");

  UnsealArgs unseal;
  AddUnsealCommand(app, &unseal);
  // forward
  leakd::ForwardOptions forward;
  std::string forward_brokers, forward_group;
  CLI::App* forward_cmd = app.add_subcommand(
      "forward", "Forward alerts to issuers' endpoints as signed POSTs (GitHub partner format)");
  forward_cmd->add_option("-c,--config", forward.config_file, "YAML config file");
  forward_cmd->add_option("--set", forward.sets,
                          "key=value, repeatable (e.g. routes.0.url=https://..., "
                          "kafka.security.protocol=SSL)");
  forward_cmd->add_option("--brokers", forward_brokers,
                          "Kafka bootstrap servers (same as --set brokers=...)");
  forward_cmd->add_option("--group", forward_group, "Consumer group (same as --set group_id=...)");
  forward_cmd->add_flag("--check-config", forward.check_config,
                        "Load the settings and keys, then exit (0: valid, 2: not)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }

  if (scan_cmd->parsed()) {
    scan.engine = engine;
    leakd::ParseOutputFormat(format, &scan.format);
    if (!leakd::ParseSize(max_size, &scan.max_file_size)) {
      std::cerr << "leakd: --max-file-size: not a size: " << max_size << '\n';
      return 2;
    }
    return RunScanCommand(git, scan);
  }
  if (serve_cmd->parsed()) {
    if (!brokers.empty()) serve.sets.push_back("brokers=" + brokers);
    if (!group.empty()) serve.sets.push_back("group_id=" + group);
    if (serve.demo && !serve.embedded_broker) {
      std::cerr << "leakd: --demo needs --embedded-broker\n";
      return 2;
    }
    return leakd::RunServe(serve);
  }
  if (unseal.cmd->parsed()) return RunUnsealCommand(unseal);
  if (forward_cmd->parsed()) {
    if (!forward_brokers.empty()) forward.sets.push_back("brokers=" + forward_brokers);
    if (!forward_group.empty()) forward.sets.push_back("group_id=" + forward_group);
    return leakd::RunForward(forward);
  }
  if (list_cmd->parsed()) return leakd::RunRulesList(engine, list_json);
  if (check_cmd->parsed()) return leakd::RunRulesCheck(engine);
  return 2;
}
