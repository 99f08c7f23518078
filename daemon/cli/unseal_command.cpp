#include "cli/unseal_command.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "common/base64.h"
#include "common/seal_key.h"

namespace leakd {
namespace {

// An alert nests three levels deep; a line nested deeper than this is not
// one, and writing it back out (nlohmann's dump recurses) could overflow the
// stack, whereas parsing does not.
constexpr int kMaxAlertDepth = 32;

// Unseals one alert line in place; "" on success, else why it failed.
std::string UnsealLine(const std::string& line, const SealKeyPair& key, std::string* out) {
  bool too_deep = false;
  nlohmann::json j = nlohmann::json::parse(
      line,
      [&too_deep](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
        too_deep |= depth > kMaxAlertDepth;
        return true;
      },
      false);
  if (j.is_discarded() || !j.is_object()) return "not a JSON object";
  if (too_deep) return "nested deeper than an alert";
  auto sealed = j.find("token_sealed");
  if (sealed == j.end()) {
    *out = line;
    return "";
  }
  if (!sealed->is_string()) return "token_sealed is not a string";
  auto id = j.find("seal_key_id");
  if (id != j.end() && (!id->is_string() || id->get<std::string>() != key.key_id)) {
    return "sealed to another key (seal_key_id differs from " + key.key_id + ")";
  }
  auto token = OpenSealed(sealed->get<std::string>(), key);
  if (!token) return "token_sealed does not open with this key";
  j.erase("token_sealed");
  j.erase("seal_key_id");
  j["token"] = *token;
  *out = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return "";
}

// Creates `path` with `mode`, failing if it exists; writes `text`.
void WriteNewFile(const std::string& path, const std::string& text, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) throw std::runtime_error(path + ": cannot create (" + std::strerror(errno) + ")");
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::fchmod(fd, mode);  // whatever the umask
  if (::close(fd) != 0 || !ok) throw std::runtime_error(path + ": write failed");
}

SealKeyPair NewKeyPair() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  unsigned char pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];
  crypto_box_keypair(pk, sk);
  std::string secret(reinterpret_cast<const char*>(sk), sizeof sk);
  sodium_memzero(sk, sizeof sk);
  SealKeyPair pair = ParseSealSecretKey(EncodeBase64(secret), "generated key");
  sodium_memzero(secret.data(), secret.size());
  return pair;
}

}  // namespace

int RunUnseal(const std::string& secret_key_file, std::istream& in, std::ostream& out,
              std::ostream& err) {
  SealKeyPair key;
  try {
    key = ReadSealSecretKeyFile(secret_key_file);
  } catch (const std::exception& e) {
    err << "leakd: " << e.what() << '\n';
    return 2;
  }
  size_t failed = 0, number = 0;
  std::string line, unsealed;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const std::string why = UnsealLine(line, key, &unsealed);
    if (why.empty()) {
      out << unsealed << '\n';
    } else {
      ++failed;
      err << "leakd: unseal: line " << number << ": " << why << '\n';
    }
  }
  out.flush();
  if (failed) err << "leakd: unseal: " << failed << " line(s) could not be opened\n";
  return failed ? 1 : 0;
}

int RunGenerateKeyPair(const std::string& dir, std::ostream& out, std::ostream& err) {
  try {
    std::filesystem::create_directories(dir);
    const SealKeyPair key = NewKeyPair();
    const std::string pub = EncodeBase64(key.public_key);
    WriteNewFile(dir + "/seal.key", EncodeBase64(key.secret_key) + "\n", 0600);
    WriteNewFile(dir + "/seal.pub", pub + "\n", 0644);
    out << "seal_public_key: " << pub << "\nseal_key_id: " << key.key_id << '\n';
    return 0;
  } catch (const std::exception& e) {
    err << "leakd: " << e.what() << '\n';
    return 2;
  }
}

}  // namespace leakd
