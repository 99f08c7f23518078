// HttpClient: one signed POST to an issuer's endpoint. Boost.Beast on
// Boost.Asio, TLS through OpenSSL (asio::ssl) with the system CAs or a
// configured CA file, the server's name checked against its certificate
// (SNI and host-name verification). Plain http is allowed (tests, a sidecar).
// Every request has one deadline covering connect, handshake, write and the
// whole response; responses are read up to 1 MiB.
//
// Connections are kept alive and reused (HTTP/1.1): a TLS handshake costs more
// than a small POST. After a response that leaves the connection open, it goes
// back to a pool of at most kIdlePerEndpoint per scheme, host and port, and
// is dropped after kIdleTimeout unused. A reused connection the server has
// closed in the meantime fails before any response: the POST is then sent once
// more on a new connection (the forwarder's delivery is at-least-once anyway).
// Post() is safe from any thread: a connection is used by one call at a time,
// each with its own io_context.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
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

  static constexpr size_t kIdlePerEndpoint = 4;
  static constexpr std::chrono::seconds kIdleTimeout{15};

  // POSTs `body` as application/json with `headers`.
  HttpResult Post(const Url& url, const std::string& body, const HttpHeaders& headers);

  // Connections made so far (each one connect attempt), for tests and benchmarks.
  uint64_t connections_opened() const { return connections_opened_.load(); }

 private:
  struct Connection;
  // A new connection to `url`'s endpoint, not yet connected.
  std::unique_ptr<Connection> Open(const Url& url, HttpResult* error);
  std::unique_ptr<Connection> TakeIdle(const std::string& endpoint);
  void PutIdle(const std::string& endpoint, std::unique_ptr<Connection> connection);

  std::unique_ptr<boost::asio::ssl::context> tls_;
  std::chrono::milliseconds timeout_;
  std::atomic<uint64_t> connections_opened_{0};
  std::mutex mu_;
  std::map<std::string, std::vector<std::unique_ptr<Connection>>> idle_;  // by endpoint
};

}  // namespace leakd
