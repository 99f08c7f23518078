#include "obs/http_server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <stdexcept>

namespace leakd {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

struct HttpServer::State {
  asio::io_context io;
  tcp::acceptor acceptor{io};
  Handler handler;
  std::atomic<bool> stopping{false};
};

HttpServer::HttpServer(const std::string& address, Handler handler)
    : state_(std::make_unique<State>()) {
  state_->handler = std::move(handler);
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos)
    throw std::runtime_error("metrics address must be HOST:PORT: " + address);
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(address.substr(0, colon), ec);
  if (ec) throw std::runtime_error("metrics address: bad host: " + address);
  const tcp::endpoint endpoint(ip,
                               static_cast<unsigned short>(std::stoi(address.substr(colon + 1))));
  state_->acceptor.open(endpoint.protocol());
  state_->acceptor.set_option(asio::socket_base::reuse_address(true));
  state_->acceptor.bind(endpoint, ec);
  if (ec) throw std::runtime_error("metrics address " + address + ": " + ec.message());
  state_->acceptor.listen();
  port_ = state_->acceptor.local_endpoint().port();

  thread_ = std::thread([state = state_.get()] {
    while (!state->stopping) {
      tcp::socket socket(state->io);
      boost::system::error_code accept_ec;
      state->acceptor.accept(socket, accept_ec);
      if (state->stopping) break;  // the destructor's wake-up connection
      if (accept_ec) continue;     // a transient error
      // A slow or silent client cannot hold the thread: 5 s for the request.
      struct timeval tv {
        5, 0
      };
      setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      boost::beast::flat_buffer buffer(8192);
      http::request_parser<http::empty_body> parser;
      parser.header_limit(8192);
      boost::system::error_code read_ec;
      http::read(socket, buffer, parser, read_ec);
      http::response<http::string_body> res;
      if (read_ec) {
        res.result(http::status::bad_request);
        res.body() = "bad request\n";
      } else {
        const auto& req = parser.get();
        std::string target(req.target());
        if (const size_t q = target.find('?'); q != std::string::npos) target.resize(q);
        HttpResponse out =
            req.method() == http::verb::get || req.method() == http::verb::head
                ? state->handler(target)
                : HttpResponse{405, "text/plain; charset=utf-8", "method not allowed\n"};
        res.result(static_cast<http::status>(out.status));
        res.set(http::field::content_type, out.content_type);
        if (req.method() != http::verb::head) res.body() = std::move(out.body);
      }
      res.set(http::field::connection, "close");
      res.prepare_payload();
      boost::system::error_code write_ec;
      http::write(socket, res, write_ec);
      socket.shutdown(tcp::socket::shutdown_both, write_ec);
    }
  });
}

HttpServer::~HttpServer() {
  state_->stopping = true;
  boost::system::error_code ec;
  // Closing the acceptor from here is not enough to wake a blocking accept on
  // every platform: connect to ourselves so the loop sees `stopping`.
  auto bound = state_->acceptor.local_endpoint(ec).address();
  if (bound.is_unspecified())
    bound = bound.is_v6() ? asio::ip::address(asio::ip::address_v6::loopback())
                          : asio::ip::address(asio::ip::address_v4::loopback());
  tcp::socket wake(state_->io);
  wake.connect(tcp::endpoint(bound, static_cast<unsigned short>(port_)), ec);
  if (thread_.joinable()) thread_.join();
  state_->acceptor.close(ec);
}

}  // namespace leakd
