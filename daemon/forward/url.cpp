#include "forward/url.h"

#include <cctype>
#include <stdexcept>

namespace leakd {

Url ParseUrl(const std::string& text) {
  Url url;
  size_t rest = 0;
  if (text.rfind("https://", 0) == 0) {
    url.tls = true;
    rest = 8;
  } else if (text.rfind("http://", 0) == 0) {
    rest = 7;
  } else {
    throw std::invalid_argument("url: must start with https:// or http://: " + text);
  }
  const size_t slash = text.find_first_of("/?", rest);
  const std::string authority =
      text.substr(rest, slash == std::string::npos ? std::string::npos : slash - rest);
  url.target = slash == std::string::npos ? "/" : text.substr(slash);
  if (url.target[0] == '?') url.target = "/" + url.target;
  if (authority.find('@') != std::string::npos)
    throw std::invalid_argument("url: no user info allowed: " + text.substr(0, rest) + "…");
  std::string port;
  if (!authority.empty() && authority[0] == '[') {
    const size_t close = authority.find(']');
    if (close == std::string::npos) throw std::invalid_argument("url: unclosed [: " + text);
    url.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') throw std::invalid_argument("url: bad host: " + text);
      port = authority.substr(close + 2);
    }
  } else {
    const size_t colon = authority.find(':');
    url.host = authority.substr(0, colon);
    if (colon != std::string::npos) port = authority.substr(colon + 1);
  }
  if (url.host.empty()) throw std::invalid_argument("url: no host: " + text);
  for (char c : port) {
    if (!std::isdigit(static_cast<unsigned char>(c)))
      throw std::invalid_argument("url: bad port: " + text);
  }
  if (!port.empty() && (port.size() > 5 || std::stoul(port) > 65535 || std::stoul(port) == 0))
    throw std::invalid_argument("url: bad port: " + text);
  url.port = port.empty() ? (url.tls ? "443" : "80") : port;
  for (char c : url.target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      throw std::invalid_argument("url: space or control character in the path");
  }
  return url;
}

}  // namespace leakd
