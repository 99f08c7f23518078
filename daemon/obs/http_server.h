// HttpServer: the daemon's small HTTP side door for /metrics, /healthz and
// /readyz. One thread, blocking accept, one request per connection, requests
// bounded in size and time: it serves Prometheus and kubelet probes, never the
// data path, and nothing it does can block the data path.
#pragma once

#include <atomic>
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

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const std::string& path)>;

  // Binds "HOST:PORT" (port 0 = any free port) and starts serving. Throws
  // std::runtime_error if the address cannot be bound.
  HttpServer(const std::string& address, Handler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }

 private:
  struct State;
  std::unique_ptr<State> state_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace leakd
