// HttpClient: one signed POST to an issuer's endpoint. Boost.Beast on
// Boost.Asio, TLS through OpenSSL (asio::ssl) with the system CAs or a
// configured CA file, the server's name checked against its certificate
// (SNI and host-name verification). Plain http is allowed (tests, a sidecar).
// Every request has one deadline covering connect, handshake, write and the
// whole response; responses are read up to 1 MiB. One connection per request.
// Post() is safe from any thread (each call has its own io_context).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "forward/url.h"

namespace boost::asio::ssl {
class context;
}

namespace leakd {

struct HttpResult {
  int status = 0;     // 0: no response (error says why)
  std::string body;   // the response body
  std::string error;  // transport error text, never request content
  bool timed_out = false;
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  // `ca_file`: PEM bundle to trust instead of the system CAs ("" = system).
  // Throws std::invalid_argument when the CA file cannot be loaded.
  HttpClient(const std::string& ca_file, std::chrono::milliseconds timeout);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // POSTs `body` as application/json with `headers`.
  HttpResult Post(const Url& url, const std::string& body, const HttpHeaders& headers);

 private:
  std::unique_ptr<boost::asio::ssl::context> tls_;
  std::chrono::milliseconds timeout_;
};

}  // namespace leakd
