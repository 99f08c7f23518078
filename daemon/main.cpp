// leakd entry point: parses the command line and hands over to one command.
//   leakd scan PATH…     scan files, directories, stdin
//   leakd serve          the streaming daemon on Kafka
//   leakd forward        alerts to issuers' endpoints, signed (GitHub's partner protocol)
//   leakd rules list|check
//   leakd unseal         restore the tokens of sealed alerts (stdin → stdout)
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/rules_command.h"
#include "cli/scan_command.h"
#include "cli/unseal_command.h"
#include "common/size_parse.h"
#include "forward/forward_command.h"
#include "serve/serve_command.h"

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
  scan_cmd->add_option("paths", scan.paths, "Files, directories, or - for stdin")->required();
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
    return leakd::RunScan(scan);
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
