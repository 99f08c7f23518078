#include "obs/http_server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <list>
#include <stdexcept>

#include "common/thread_name.h"

namespace leakd {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class Session;

struct HttpServer::State {
  asio::io_context io;
  tcp::acceptor acceptor{io};
  Handler handler;
  HttpServerLimits limits;
  // Open connections, oldest first (io thread only).
  std::list<std::shared_ptr<Session>> sessions;
};

// One connection: read one request within the deadline, answer, close.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HttpServer::State& state)
      : stream_(std::move(socket)), state_(state) {
    parser_.header_limit(static_cast<uint32_t>(state.limits.max_header_bytes));
  }
  void Start(std::list<std::shared_ptr<Session>>::iterator self) {
    self_ = self;
    stream_.expires_after(state_.limits.request_timeout);
    http::async_read(stream_, buffer_, parser_,
                     [me = shared_from_this()](beast::error_code ec, size_t) { me->OnRead(ec); });
  }
  // Closed from outside, already taken off the list.
  void Evict() {
    finished_ = true;
    Close();
  }
  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

 private:
  void OnRead(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted) {
      return Finish();  // nothing (complete) was asked in time
    }
    response_.version(11);
    if (ec) {
      response_.result(http::status::bad_request);
      response_.set(http::field::content_type, "text/plain; charset=utf-8");
      response_.body() = "bad request\n";
    } else {
      const auto& req = parser_.get();
      std::string target(req.target());
      if (const size_t q = target.find('?'); q != std::string::npos) target.resize(q);
      const bool allowed = req.method() == http::verb::get || req.method() == http::verb::head;
      HttpResponse out =
          allowed ? state_.handler(target)
                  : HttpResponse{405, "text/plain; charset=utf-8", "method not allowed\n"};
      response_.result(static_cast<http::status>(out.status));
      response_.set(http::field::content_type, out.content_type);
      if (req.method() != http::verb::head) response_.body() = std::move(out.body);
    }
    response_.set(http::field::connection, "close");
    response_.prepare_payload();
    stream_.expires_after(state_.limits.write_timeout);
    http::async_write(stream_, response_,
                      [me = shared_from_this()](beast::error_code, size_t) { me->Finish(); });
  }
  void Finish() {
    if (finished_) return;
    finished_ = true;
    Close();
    state_.sessions.erase(self_);  // may destroy *this once the handler returns
  }

  beast::tcp_stream stream_;
  HttpServer::State& state_;
  beast::flat_buffer buffer_{8192};
  http::request_parser<http::empty_body> parser_;
  http::response<http::string_body> response_;
  std::list<std::shared_ptr<Session>>::iterator self_;
  bool finished_ = false;
};

namespace {

void Accept(HttpServer::State& state) {
  state.acceptor.async_accept([&state](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !state.acceptor.is_open()) return;
    if (!ec) {
      // At the cap, the oldest connection makes room: whoever holds sockets
      // open cannot keep a new probe out for longer than one request.
      while (state.sessions.size() >= std::max<size_t>(1, state.limits.max_connections)) {
        auto oldest = state.sessions.front();
        state.sessions.pop_front();
        oldest->Evict();
      }
      auto session = std::make_shared<Session>(std::move(socket), state);
      state.sessions.push_back(session);
      session->Start(std::prev(state.sessions.end()));
    }
    Accept(state);
  });
}

}  // namespace

HttpServer::HttpServer(const std::string& address, Handler handler, HttpServerLimits limits)
    : state_(std::make_shared<State>()) {
  state_->handler = std::move(handler);
  state_->limits = limits;
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos)
    throw std::runtime_error("metrics address must be HOST:PORT: " + address);
  boost::system::error_code ec;
  std::string host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const auto ip = asio::ip::make_address(host, ec);
  if (ec) throw std::runtime_error("metrics address: bad host: " + address);
  const std::string port_text = address.substr(colon + 1);
  if (port_text.empty() || port_text.size() > 5 ||
      port_text.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port_text) > 65535) {
    throw std::runtime_error("metrics address: bad port: " + address);
  }
  const tcp::endpoint endpoint(ip, static_cast<unsigned short>(std::stoi(port_text)));
  state_->acceptor.open(endpoint.protocol());
  state_->acceptor.set_option(asio::socket_base::reuse_address(true));
  state_->acceptor.bind(endpoint, ec);
  if (ec) throw std::runtime_error("metrics address " + address + ": " + ec.message());
  state_->acceptor.listen();
  port_ = state_->acceptor.local_endpoint().port();
  Accept(*state_);
  thread_ = std::thread([state = state_] {
    NameThisThread("leakd-http");
    state->io.run();
  });
}

HttpServer::~HttpServer() {
  asio::post(state_->io, [state = state_] {
    boost::system::error_code ec;
    state->acceptor.close(ec);
    for (auto& s : state->sessions) s->Evict();
    state->io.stop();
  });
  if (thread_.joinable()) thread_.join();
  state_->sessions.clear();
}

}  // namespace leakd
