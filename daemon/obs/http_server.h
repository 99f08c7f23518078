// HttpServer: the daemon's small HTTP side door for /metrics, /healthz and
// /readyz. Asynchronous (Boost.Asio/Beast) on one thread, so no client can
// hold it: every connection has a deadline for its request (read timeout)
// and for its whole life, and at most `max_connections` are open at once (the
// oldest is closed to admit a new one, so a flood of idle sockets cannot
// lock kubelet's probes out). One request per connection; GET and HEAD only.
// It serves Prometheus and kubelet probes, never the data path.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace leakd {

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

struct HttpServerLimits {
  std::chrono::milliseconds request_timeout{5000};  // to read the request
  std::chrono::milliseconds write_timeout{10000};   // to write the response
  size_t max_connections = 64;
  size_t max_header_bytes = 8192;
};

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const std::string& path)>;

  // Binds "HOST:PORT" (port 0 = any free port) and starts serving. Throws
  // std::runtime_error if the address cannot be bound.
  HttpServer(const std::string& address, Handler handler, HttpServerLimits limits = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }

  struct State;  // defined in the .cpp; public so its connection type can name it

 private:
  std::shared_ptr<State> state_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace leakd
