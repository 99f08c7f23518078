// The forwarder's HTTP client keeps connections alive and reuses them, and
// copes with servers that close them: a loopback HTTP/1.1 server made of raw
// sockets counts the connections it accepts.
#include "forward/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

using namespace leakd;

namespace {

// How the server ends each exchange.
enum class ServerMode {
  kKeepAlive,    // answers and waits for the next request
  kClose,        // answers with Connection: close and closes
  kSilentClose,  // answers as if keeping the connection, then closes it
};

class LoopbackServer {
 public:
  explicit LoopbackServer(ServerMode mode) : mode_(mode) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    REQUIRE(::listen(listener_, 16) == 0);
    acceptor_ = std::thread([this] { Accept(); });
  }
  ~LoopbackServer() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    acceptor_.join();
    for (auto& t : handlers_) t.join();
  }
  int port() const { return port_; }
  int accepted() const { return accepted_.load(); }
  int requests() const { return requests_.load(); }

 private:
  void Accept() {
    for (;;) {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      ++accepted_;
      handlers_.emplace_back([this, fd] { Serve(fd); });
    }
  }
  void Serve(int fd) {
    std::string in;
    char buf[4096];
    for (;;) {
      size_t head_end;
      while ((head_end = in.find("\r\n\r\n")) == std::string::npos) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return (void)::close(fd);
        in.append(buf, static_cast<size_t>(n));
      }
      const size_t cl = in.find("Content-Length: ");
      const size_t body = cl == std::string::npos ? 0 : std::stoul(in.substr(cl + 16));
      while (in.size() < head_end + 4 + body) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return (void)::close(fd);
        in.append(buf, static_cast<size_t>(n));
      }
      in.erase(0, head_end + 4 + body);
      ++requests_;
      const std::string reply = std::string("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n") +
                                (mode_ == ServerMode::kClose ? "Connection: close\r\n" : "") +
                                "\r\n[]";
      ::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
      if (mode_ != ServerMode::kKeepAlive) return (void)::close(fd);
      if (stopping_) return (void)::close(fd);
    }
  }

  ServerMode mode_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<int> accepted_{0}, requests_{0};
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  std::vector<std::thread> handlers_;
};

Url LoopbackUrl(int port) {
  return ParseUrl("http://127.0.0.1:" + std::to_string(port) + "/report");
}

}  // namespace

TEST_CASE("the HTTP client reuses a kept-alive connection", "[forward][http]") {
  LoopbackServer server(ServerMode::kKeepAlive);
  HttpClient client("", std::chrono::milliseconds(5000));
  const Url url = LoopbackUrl(server.port());
  for (int i = 0; i < 5; ++i) {
    const HttpResult r = client.Post(url, "[{\"token\":\"x\"}]", {});
    CHECK(r.status == 200);
    CHECK(r.body == "[]");
  }
  CHECK(server.requests() == 5);
  CHECK(server.accepted() == 1);
  CHECK(client.connections_opened() == 1);
}

TEST_CASE("the HTTP client opens a new connection when the server closes each one",
          "[forward][http]") {
  for (const ServerMode mode : {ServerMode::kClose, ServerMode::kSilentClose}) {
    LoopbackServer server(mode);
    HttpClient client("", std::chrono::milliseconds(5000));
    const Url url = LoopbackUrl(server.port());
    for (int i = 0; i < 4; ++i) CHECK(client.Post(url, "[]", {}).status == 200);
    // Closed with the answer: a new one each time. Closed after an answer
    // that promised to keep it: the next POST fails on it before any answer
    // and is sent once more on a new one; every POST arrives once.
    CHECK(server.requests() == 4);
    CHECK(server.accepted() == 4);
  }
}

TEST_CASE("the HTTP client's pool serves concurrent posts", "[forward][http]") {
  LoopbackServer server(ServerMode::kKeepAlive);
  HttpClient client("", std::chrono::milliseconds(5000));
  const Url url = LoopbackUrl(server.port());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) ok += client.Post(url, "[]", {}).status == 200;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ok == 100);
  CHECK(server.requests() == 100);
  // At most one connection per thread at a time; the pool keeps at most
  // kIdlePerEndpoint between posts.
  CHECK(server.accepted() <= 4 + static_cast<int>(HttpClient::kIdlePerEndpoint));
}
