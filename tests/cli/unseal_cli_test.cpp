// `leakd unseal` and the sealed-mode settings as an operator uses them: a real
// process, real key files, real exit codes.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "alert/alert.h"
#include "common/base64.h"
#include "common/seal_key.h"
#include "scan/fingerprint.h"
#include "seal_test_support.h"

namespace fs = std::filesystem;
using namespace leakd;
using leakd::testing::NewSealKeyPair;

namespace {

struct Run {
  int code;
  std::string out, err;
};

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Dir {
  fs::path root = fs::temp_directory_path() / ("leakd-unseal-" + std::to_string(::getpid()));
  Dir() {
    fs::remove_all(root);
    fs::create_directories(root);
  }
  ~Dir() { fs::remove_all(root); }
  // Runs `leakd ARGS < stdin_text`.
  Run Leakd(const std::string& args, const std::string& stdin_text = "",
            const std::string& env = "") const {
    std::ofstream(root / "in", std::ios::binary) << stdin_text;
    const std::string cmd = env + " " + LEAKD_BINARY + " " + args + " < " + (root / "in").string() +
                            " > " + (root / "out").string() + " 2> " + (root / "err").string();
    const int status = std::system(cmd.c_str());
    return {WEXITSTATUS(status), ReadAll(root / "out"), ReadAll(root / "err")};
  }
};

std::string SealedAlert(const std::string& token, const SealKeyPair& pair) {
  const AlertSealKey key = leakd::testing::AlertKeyOf(pair);
  static Rule rule = [] {
    Rule r;
    r.id = "github.pat";
    r.provider = "github";
    return r;
  }();
  Finding f;
  f.rule = &rule;
  f.secret = token;
  f.fingerprint = Sha256Hex(token);
  AlertContext ctx;
  ctx.source = "commit";
  ctx.location = {"org/repo", "abc", "app.py", 3, 7};
  return BuildAlertJson(f, ctx, TokenMode::kSealed, "{path}", "2026-11-26T00:00:00Z", &key);
}

std::vector<nlohmann::json> JsonLines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

}  // namespace

TEST_CASE("leakd unseal --generate-keypair writes a 0600 secret key and refuses to overwrite",
          "[cli][unseal]") {
  Dir dir;
  const std::string keys = (dir.root / "keys").string();
  const Run gen = dir.Leakd("unseal --generate-keypair " + keys);
  REQUIRE(gen.code == 0);
  struct stat st {};
  REQUIRE(::stat((keys + "/seal.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  const SealKeyPair secret = ReadSealSecretKeyFile(keys + "/seal.key");
  CHECK(ParseSealPublicKey(ReadAll(keys + "/seal.pub")) == secret.public_key);
  CHECK(gen.out.find(secret.key_id) != std::string::npos);
  CHECK(gen.out.find(EncodeBase64(secret.secret_key)) == std::string::npos);  // never printed
  const Run again = dir.Leakd("unseal --generate-keypair " + keys);
  CHECK(again.code == 2);
  CHECK(again.err.find("seal.key") != std::string::npos);
  CHECK(ReadSealSecretKeyFile(keys + "/seal.key").secret_key == secret.secret_key);
}

TEST_CASE("leakd unseal restores tokens; a line it cannot open is named by number, not content",
          "[cli][unseal]") {
  Dir dir;
  const SealKeyPair key = NewSealKeyPair();
  const SealKeyPair other = NewSealKeyPair();
  std::ofstream(dir.root / "seal.key") << EncodeBase64(key.secret_key) << "\n";
  const std::string t1 = "ghp_AAAAbbbbCCCCddddEEEEffffGGGGhhhh0001";
  const std::string t2 = "ghp_AAAAbbbbCCCCddddEEEEffffGGGGhhhh0002";
  const std::string t3 = "ghp_AAAAbbbbCCCCddddEEEEffffGGGGhhhh0003";
  auto tampered = nlohmann::json::parse(SealedAlert(t3, key));
  std::string box = *DecodeBase64(tampered["token_sealed"].get<std::string>());
  box[5] ^= 0x20;
  tampered["token_sealed"] = EncodeBase64(box);
  const std::string plain = R"({"schema":"leakd.alert.v1","type":"x","fingerprint":"f"})";
  const std::string input = SealedAlert(t1, key) + "\n" +             // 1 ok
                            "{not json CONTENT-MUST-NOT-ECHO\n" +     // 2
                            SealedAlert("ghp_other", other) + "\n" +  // 3 other key id
                            tampered.dump() + "\n" +                  // 4 bad ciphertext
                            "\n" + plain + "\n" +                     // 5 blank, 6 no seal
                            SealedAlert(t2, key) + "\n" +             // 7 ok
                            // 8: a sealed alert that also holds 300,000 nested arrays (writing
                            // it back out recursed once per level, past the stack)
                            "{\"x\":" + std::string(300000, '[') + std::string(300000, ']') + "," +
                            SealedAlert(t3, key).substr(1) + "\n";
  const Run r = dir.Leakd("unseal --secret-key-file " + (dir.root / "seal.key").string(), input);
  CHECK(r.code == 1);
  const auto lines = JsonLines(r.out);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0]["token"] == t1);
  CHECK(lines[0]["fingerprint"] == Sha256Hex(t1));
  CHECK(lines[0]["path"] == "app.py");
  CHECK_FALSE(lines[0].contains("token_sealed"));
  CHECK_FALSE(lines[0].contains("seal_key_id"));
  CHECK(lines[1] == nlohmann::json::parse(plain));
  CHECK(lines[2]["token"] == t2);
  INFO(r.err);
  CHECK(r.err.find("line 2:") != std::string::npos);
  CHECK(r.err.find("line 3: sealed to another key") != std::string::npos);
  CHECK(r.err.find("line 4: token_sealed does not open") != std::string::npos);
  CHECK(r.err.find("line 8: nested deeper than an alert") != std::string::npos);
  CHECK(r.err.find("line 1:") == std::string::npos);
  CHECK(r.err.find("line 5") == std::string::npos);
  CHECK(r.err.find("CONTENT-MUST-NOT-ECHO") == std::string::npos);
  CHECK(r.err.find("ghp_") == std::string::npos);

  const Run clean = dir.Leakd("unseal --secret-key-file " + (dir.root / "seal.key").string(),
                              SealedAlert(t1, key) + "\n");
  CHECK(clean.code == 0);
  CHECK(JsonLines(clean.out).at(0)["token"] == t1);
  CHECK(dir.Leakd("unseal --secret-key-file /nonexistent/seal.key", "").code == 2);
  CHECK(dir.Leakd("unseal", "").code == 2);
}

TEST_CASE("token_mode sealed needs a well-formed seal_public_key: exit 2 with a clear message",
          "[cli][unseal]") {
  Dir dir;
  const std::string base =
      std::string("serve --check-config --set rules=") + LEAKD_TEST_PATTERNS + " ";
  const std::string good = EncodeBase64(NewSealKeyPair().public_key);
  const Run missing = dir.Leakd(base + "--set token_mode=sealed");
  CHECK(missing.code == 2);
  CHECK(missing.err.find("seal_public_key") != std::string::npos);
  const Run short_key = dir.Leakd(
      base + "--set token_mode=sealed --set seal_public_key=" + EncodeBase64(std::string(16, 'k')));
  CHECK(short_key.code == 2);
  CHECK(short_key.err.find("seal_public_key: 16 bytes") != std::string::npos);
  CHECK(dir.Leakd(base + "--set token_mode=sealed --set seal_public_key=" + good).code == 0);
  // The same settings from the environment and from YAML.
  CHECK(dir.Leakd(base, "", "LEAKD_TOKEN_MODE=sealed LEAKD_SEAL_PUBLIC_KEY=" + good).code == 0);
  const Run bad_env = dir.Leakd(base, "", "LEAKD_TOKEN_MODE=sealed LEAKD_SEAL_PUBLIC_KEY=AAAA");
  CHECK(bad_env.code == 2);
  CHECK(bad_env.err.find("seal_public_key: 3 bytes") != std::string::npos);
  std::ofstream(dir.root / "leakd.yaml") << "token_mode: sealed\nseal_public_key: " << good << "\n";
  CHECK(dir.Leakd(base + "--config " + (dir.root / "leakd.yaml").string()).code == 0);
  std::ofstream(dir.root / "bad.yaml") << "token_mode: sealed\nseal_public_key: '!!'\n";
  const Run bad_yaml = dir.Leakd(base + "--config " + (dir.root / "bad.yaml").string());
  CHECK(bad_yaml.code == 2);
  CHECK(bad_yaml.err.find("not base64") != std::string::npos);
}
