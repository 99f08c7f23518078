// The HTTP side door cannot be blocked by any client: idle sockets, slow
// requests and floods of connections leave /healthz answering.
#include "obs/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "raw_http.h"

using namespace leakd;

namespace {

int Connect(int port) {
  const int fd = testing::ConnectLoopback(port);
  REQUIRE(fd >= 0);
  return fd;
}

std::string Exchange(int port, const std::string& request) {
  const auto response = testing::RawHttpExchange(port, request);
  REQUIRE(response);
  return *response;
}

std::string Get(int port, const std::string& path) {
  return Exchange(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
}

HttpServer::Handler Echo() {
  return [](const std::string& path) { return HttpResponse{200, "text/plain", "path=" + path}; };
}

}  // namespace

TEST_CASE("requests are answered and bad ones refused", "[http]") {
  HttpServer server("127.0.0.1:0", Echo());
  CHECK(Get(server.port(), "/healthz?x=1").find("path=/healthz") != std::string::npos);
  CHECK(Exchange(server.port(), "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
            .find("405") != std::string::npos);
  CHECK(Exchange(server.port(), "garbage\r\n\r\n").find("400") != std::string::npos);
  const std::string huge = "GET / HTTP/1.1\r\nX: " + std::string(100000, 'a') + "\r\n\r\n";
  CHECK(Exchange(server.port(), huge).find("400") != std::string::npos);
  CHECK_THROWS(HttpServer("127.0.0.1:99999", Echo()));
  CHECK_THROWS(HttpServer("nohost", Echo()));
}

TEST_CASE("an idle connection does not block other requests, and is closed at the timeout",
          "[http]") {
  HttpServerLimits limits;
  limits.request_timeout = std::chrono::milliseconds(300);
  HttpServer server("127.0.0.1:0", Echo(), limits);
  const int idle = Connect(server.port());
  ::send(idle, "GET /he", 7, 0);  // half a request, then silence
  CHECK(Get(server.port(), "/healthz").find("200 OK") != std::string::npos);
  // The idle one is closed by the server once its deadline passes.
  timeval tv{3, 0};
  setsockopt(idle, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[16];
  const auto start = std::chrono::steady_clock::now();
  CHECK(::recv(idle, buf, sizeof buf, 0) == 0);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
  ::close(idle);
}

TEST_CASE("a flood of idle connections cannot lock probes out", "[http]") {
  HttpServerLimits limits;
  limits.max_connections = 8;
  HttpServer server("127.0.0.1:0", Echo(), limits);
  std::vector<int> idle;
  for (int i = 0; i < 50; ++i) idle.push_back(Connect(server.port()));
  CHECK(Get(server.port(), "/readyz").find("path=/readyz") != std::string::npos);
  for (int fd : idle) ::close(fd);
}
