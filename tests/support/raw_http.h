// Raw HTTP over loopback for tests: a connected socket, and one request's
// whole response read until the server closes. The daemon's HTTP tests send
// malformed and idle requests, so nothing here parses or checks what is sent.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

namespace leakd::testing {

// A socket connected to 127.0.0.1:port, or -1.
inline int ConnectLoopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends `request` as is and returns all the server sent until it closed;
// nothing when no server listens.
inline std::optional<std::string> RawHttpExchange(int port, const std::string& request) {
  const int fd = ConnectLoopback(port);
  if (fd < 0) return std::nullopt;
  ::send(fd, request.data(), request.size(), 0);
  std::string response;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
    response.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return response;
}

// A plain HTTP/1.1 GET: (status, body); status 0 when nothing answers.
inline std::pair<int, std::string> HttpGet(int port, const std::string& path) {
  const auto response = RawHttpExchange(
      port, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  if (!response) return {0, ""};
  const size_t space = response->find(' ');
  const size_t body = response->find("\r\n\r\n");
  if (space == std::string::npos || body == std::string::npos) return {0, ""};
  return {std::atoi(response->c_str() + space + 1), response->substr(body + 4)};
}

}  // namespace leakd::testing
