// The parts of an endpoint URL that an HTTP client needs. Only http:// and
// https://, a host (name, IPv4, or [IPv6]), an optional port, and a path with
// an optional query. No user info (credentials do not belong in a URL that
// is logged). Pure; any thread.
#pragma once

#include <string>

namespace leakd {

struct Url {
  bool tls = false;
  std::string host;    // without brackets
  std::string port;    // "443" / "80" when not given
  std::string target;  // path and query, "/" when empty
};

// Throws std::invalid_argument saying what is wrong.
Url ParseUrl(const std::string& text);

}  // namespace leakd
