#include "forward/http_client.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>
#include <optional>
#include <stdexcept>

namespace leakd {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

constexpr size_t kMaxResponseBody = 1u << 20;

// One exchange on a connection: (resolve, connect, TLS handshake when it is
// new,) write, read. `Stream` is a tcp_stream or an ssl_stream over one; its
// lowest layer's timer is the deadline.
template <typename Stream>
class Exchange {
 public:
  Exchange(net::io_context& ioc, Stream& stream, const Url& url,
           http::request<http::string_body>& request)
      : resolver_(ioc), stream_(stream), url_(url), request_(request) {
    parser_.body_limit(kMaxResponseBody);
  }

  void Start(bool connected) {
    if (connected) return Write();
    resolver_.async_resolve(url_.host, url_.port, [this](beast::error_code ec, auto results) {
      if (ec) return Fail(ec, "resolve");
      beast::get_lowest_layer(stream_).async_connect(
          results, [this](beast::error_code ec2, const tcp::endpoint&) {
            if (ec2) return Fail(ec2, "connect");
            Handshake();
          });
    });
  }

  HttpResult result;
  bool keep_alive = false;  // the response leaves the connection open

 private:
  void Handshake() {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      Write();
    } else {
      stream_.async_handshake(ssl::stream_base::client, [this](beast::error_code ec) {
        if (ec) return Fail(ec, "tls");
        Write();
      });
    }
  }
  void Write() {
    http::async_write(stream_, request_, [this](beast::error_code ec, size_t) {
      if (ec) return Fail(ec, "write");
      http::async_read(stream_, buffer_, parser_, [this](beast::error_code ec2, size_t) {
        if (ec2) return Fail(ec2, "read");
        result.status = static_cast<int>(parser_.get().result_int());
        keep_alive = parser_.get().keep_alive();
        result.body = std::move(parser_.get().body());
      });
    });
  }
  void Fail(beast::error_code ec, const char* step) {
    result.timed_out = ec == beast::error::timeout;
    result.error = std::string(step) + ": " + ec.message();
  }

  tcp::resolver resolver_;
  Stream& stream_;
  const Url& url_;
  http::request<http::string_body>& request_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> parser_;
};

template <typename Stream>
void CloseStream(Stream& stream) {
  beast::error_code ignored;
  beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(stream).close();
}

}  // namespace

HttpClient::HttpClient(const std::string& ca_file, std::chrono::milliseconds timeout)
    : tls_(std::make_unique<ssl::context>(ssl::context::tls_client)), timeout_(timeout) {
  tls_->set_verify_mode(ssl::verify_peer);
  tls_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  beast::error_code ec;
  if (ca_file.empty()) {
    tls_->set_default_verify_paths(ec);
  } else {
    tls_->load_verify_file(ca_file, ec);
  }
  if (ec) throw std::invalid_argument("ca_file: " + ca_file + ": " + ec.message());
}

HttpClient::~HttpClient() = default;

// A connection with its own io_context (a stream is bound to one), used by
// one Post at a time.
struct HttpClient::Connection {
  net::io_context ioc;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  bool connected = false;
  std::chrono::steady_clock::time_point idle_since;

  // One exchange; true when the connection may be used again.
  bool Run(const Url& url, http::request<http::string_body>& request,
           std::chrono::milliseconds timeout, HttpResult* result) {
    return secure ? RunOn(*secure, url, request, timeout, result)
                  : RunOn(*plain, url, request, timeout, result);
  }
  void Close() {
    if (secure) CloseStream(*secure);
    if (plain) CloseStream(*plain);
  }

 private:
  template <typename Stream>
  bool RunOn(Stream& stream, const Url& url, http::request<http::string_body>& request,
             std::chrono::milliseconds timeout, HttpResult* result) {
    ioc.restart();
    beast::get_lowest_layer(stream).expires_after(timeout);
    Exchange<Stream> exchange(ioc, stream, url, request);
    exchange.Start(connected);
    ioc.run();
    *result = std::move(exchange.result);
    connected = result->status != 0;
    return connected && exchange.keep_alive;
  }
};

std::unique_ptr<HttpClient::Connection> HttpClient::Open(const Url& url, HttpResult* error) {
  auto c = std::make_unique<Connection>();
  ++connections_opened_;
  if (!url.tls) {
    c->plain.emplace(c->ioc);
    return c;
  }
  c->secure.emplace(c->ioc, *tls_);
  if (!SSL_set_tlsext_host_name(c->secure->native_handle(), url.host.c_str())) {
    error->error = "tls: cannot set the server name";
    return nullptr;
  }
  c->secure->set_verify_callback(ssl::host_name_verification(url.host));
  return c;
}

std::unique_ptr<HttpClient::Connection> HttpClient::TakeIdle(const std::string& endpoint) {
  const auto stale = std::chrono::steady_clock::now() - kIdleTimeout;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = idle_.find(endpoint);
  while (it != idle_.end() && !it->second.empty()) {
    std::unique_ptr<Connection> c = std::move(it->second.back());
    it->second.pop_back();
    if (c->idle_since > stale) return c;
  }
  return nullptr;
}

void HttpClient::PutIdle(const std::string& endpoint, std::unique_ptr<Connection> connection) {
  connection->idle_since = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  auto& pool = idle_[endpoint];
  if (pool.size() < kIdlePerEndpoint) pool.push_back(std::move(connection));
}

HttpResult HttpClient::Post(const Url& url, const std::string& body, const HttpHeaders& headers) {
  http::request<http::string_body> request{http::verb::post, url.target, 11};
  const bool default_port = url.port == (url.tls ? "443" : "80");
  const std::string host =
      url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  request.set(http::field::host, default_port ? host : host + ":" + url.port);
  request.set(http::field::user_agent, std::string("leakd-forward/") + LEAKD_VERSION);
  request.set(http::field::content_type, "application/json");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  request.keep_alive(true);

  const std::string endpoint = (url.tls ? "https://" : "http://") + url.host + ":" + url.port;
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<Connection> c = attempt == 0 ? TakeIdle(endpoint) : nullptr;
    const bool reused = c != nullptr;
    HttpResult result;
    if (!c && !(c = Open(url, &result))) return result;
    const bool reusable = c->Run(url, request, timeout_, &result);
    // A kept connection the server closed meanwhile fails before any answer.
    if (reused && result.status == 0 && !result.timed_out) continue;
    if (reusable) {
      PutIdle(endpoint, std::move(c));
    } else {
      c->Close();
    }
    return result;
  }
}

}  // namespace leakd
