#include "forward/http_client.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>
#include <stdexcept>

namespace leakd {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

constexpr size_t kMaxResponseBody = 1u << 20;

// One exchange: resolve, connect, (TLS handshake), write, read. `Stream` is a
// tcp_stream or an ssl_stream over one; its lowest layer's timer is the deadline.
template <typename Stream>
class Exchange {
 public:
  Exchange(net::io_context& ioc, Stream& stream, const Url& url,
           http::request<http::string_body>& request)
      : resolver_(ioc), stream_(stream), url_(url), request_(request) {
    parser_.body_limit(kMaxResponseBody);
  }

  void Start() {
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
HttpResult Run(net::io_context& ioc, Stream& stream, const Url& url,
               http::request<http::string_body>& request, std::chrono::milliseconds timeout) {
  beast::get_lowest_layer(stream).expires_after(timeout);
  Exchange<Stream> exchange(ioc, stream, url, request);
  exchange.Start();
  ioc.run();
  beast::error_code ignored;
  beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
  return std::move(exchange.result);
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

HttpResult HttpClient::Post(const Url& url, const std::string& body, const HttpHeaders& headers) {
  http::request<http::string_body> request{http::verb::post, url.target, 11};
  const bool default_port = url.port == (url.tls ? "443" : "80");
  const std::string host =
      url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  request.set(http::field::host, default_port ? host : host + ":" + url.port);
  request.set(http::field::user_agent, std::string("leakd-forward/") + LEAKD_VERSION);
  request.set(http::field::content_type, "application/json");
  request.set(http::field::connection, "close");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  net::io_context ioc;
  if (!url.tls) {
    beast::tcp_stream stream(ioc);
    return Run(ioc, stream, url, request, timeout_);
  }
  beast::ssl_stream<beast::tcp_stream> stream(ioc, *tls_);
  if (!SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str())) {
    HttpResult r;
    r.error = "tls: cannot set the server name";
    return r;
  }
  stream.set_verify_callback(ssl::host_name_verification(url.host));
  return Run(ioc, stream, url, request, timeout_);
}

}  // namespace leakd
