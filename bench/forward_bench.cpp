// leakd forward's throughput and added latency, in one process: the mock
// cluster, the Forwarder (the code `leakd forward` runs) and a local receiver
// (Boost.Beast, answers "[]" at once). Each number comes with a baseline
// measured in the same run, on the same machine, and the ratio:
//
//   throughput  alerts already on the topic, forwarded as fast as it goes
//               (tokens/s), against the same receiver POSTed the same
//               batches directly by the same HTTP client, unsigned, with the
//               same concurrency: the ratio is what Kafka, the signature
//               and the bookkeeping cost on top of the HTTP transport.
//   latency     alerts produced at a fixed rate; produce -> token in a POST
//               the receiver got (p50/p99), against produce -> consumed by a
//               plain consumer of the same topic: the ratio is what the
//               forwarder adds to a Kafka hop (batch_delay_ms included).
//
//   leakd_forward_bench [--tokens=N] [--rate=N] [--seconds=N] [--batch-delay-ms=N]
#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "test_keys.h"
#include "common/log.h"
#include "forward/forwarder.h"
#include "forward/http_client.h"
#include "kafka/embedded_broker.h"
#include "kafka/kafka_error.h"
#include "kafka/record_producer.h"

using namespace leakd;
using Clock = std::chrono::steady_clock;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch())
      .count();
}

// Records, for every token POSTed, the time it arrived (the "url" field
// carries the produce time in µs after '#').
class LocalReceiver {
 public:
  LocalReceiver() : acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] { Accept(); });
  }
  ~LocalReceiver() {
    stop_ = true;
    boost::system::error_code ec;
    tcp::socket s(ioc_);
    s.connect(acceptor_.local_endpoint(), ec);  // wakes accept()
    thread_.join();
  }
  int port() const { return acceptor_.local_endpoint().port(); }
  size_t tokens() const { return tokens_; }
  std::vector<double> TakeLatenciesMs() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::move(latencies_ms_);
  }

 private:
  void Accept() {
    while (!stop_) {
      tcp::socket socket(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stop_) continue;
      std::thread([this, s = std::move(socket)]() mutable { Serve(std::move(s)); }).detach();
    }
  }
  void Serve(tcp::socket socket) {
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    boost::system::error_code ec;
    http::read(socket, buffer, req, ec);
    if (ec) return;
    const int64_t now = NowUs();
    const auto body = nlohmann::json::parse(req.body(), nullptr, false);
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& e : body) {
        const std::string url = e.value("url", "");
        const size_t hash = url.find('#');
        if (hash != std::string::npos)
          latencies_ms_.push_back((now - std::atoll(url.c_str() + hash + 1)) / 1000.0);
      }
    }
    tokens_ += body.size();
    http::response<http::string_body> res{http::status::ok, 11};
    res.set(http::field::content_type, "application/json");
    res.body() = "[]";
    res.prepare_payload();
    http::write(socket, res, ec);
  }

  boost::asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<size_t> tokens_{0};
  std::mutex mu_;
  std::vector<double> latencies_ms_;
};

std::string AlertJson(int i, int64_t produced_us) {
  char token[64];
  std::snprintf(token, sizeof token, "ghp_bench%031d", i);
  return nlohmann::json{
      {"schema", "leakd.alert.v1"},
      {"type", "github.pat"},
      {"url", "https://bench.test/o/r/blob/c/app.py#" + std::to_string(produced_us)},
      {"source", "commit"},
      {"provider", "github"},
      {"token", token},
      {"repo", "o/r"},
      {"path", "app.py"},
      {"line", 1}}
      .dump();
}

struct Percentiles {
  double p50 = 0, p99 = 0;
};
Percentiles Summarize(std::vector<double> v) {
  if (v.empty()) return {};
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<size_t>(q * v.size()))]; };
  return {at(0.50), at(0.99)};
}

struct Options {
  int tokens = 20000, rate = 500, seconds = 5, batch_delay_ms = 50;
  size_t batch_max = 100;
  unsigned in_flight = 4;
};

ForwardConfig Config(const Options& o, const std::string& brokers, int port, const char* group,
                     const char* topic) {
  ForwardConfig c;
  c.alerts_topic = topic;
  c.brokers = brokers;
  c.group_id = group;
  RouteConfig r;
  r.name = "bench";
  r.providers = {"github"};
  r.url = "http://127.0.0.1:" + std::to_string(port) + "/tokens";
  r.batch_max = o.batch_max;
  r.batch_delay_ms = static_cast<uint64_t>(o.batch_delay_ms);
  r.max_in_flight = o.in_flight;
  c.routes = {r};
  c.signing_key = "(in memory)";
  c.shutdown_deadline_ms = 5000;
  return c;
}

// Forwards until `done()` or the timeout; returns the seconds from the
// first token the receiver got (`started()`) to `done()`: the group join is
// not part of the throughput.
double RunForwarder(const ForwardConfig& config, const Signer& signer,
                    const std::function<bool()>& started, const std::function<bool()>& done,
                    std::chrono::seconds timeout) {
  ForwardMetrics metrics;
  Forwarder forwarder(config, signer, nullptr, metrics);
  std::atomic<bool> stop{false};
  const auto launched = Clock::now();
  std::thread run([&] { forwarder.Run(stop); });
  while (!started() && Clock::now() - launched < timeout)
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  const auto start = Clock::now();
  while (!done() && Clock::now() - launched < timeout)
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  stop = true;
  run.join();
  return seconds;
}

// The same batches POSTed straight to the receiver, unsigned: tokens/s.
double BaselinePosts(const Options& o, int port, int tokens) {
  HttpClient client("", std::chrono::milliseconds(10000));
  const Url url = ParseUrl("http://127.0.0.1:" + std::to_string(port) + "/tokens");
  std::string body = "[";
  for (size_t i = 0; i < o.batch_max; ++i) {
    const auto a = nlohmann::json::parse(AlertJson(static_cast<int>(i), NowUs()));
    body += (i ? "," : "") + nlohmann::json{{"token", a["token"]},
                                            {"type", a["type"]},
                                            {"url", a["url"]},
                                            {"source", a["source"]}}
                                 .dump();
  }
  body += "]";
  const int posts = static_cast<int>((tokens + o.batch_max - 1) / o.batch_max);
  std::atomic<int> next{0};
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < o.in_flight; ++t) {
    threads.emplace_back([&] {
      while (next++ < posts) client.Post(url, body, {});
    });
  }
  for (auto& t : threads) t.join();
  return posts * o.batch_max / std::chrono::duration<double>(Clock::now() - start).count();
}

// Produce -> consumed by a plain consumer, at the same rate: ms p50/p99.
Percentiles BaselineKafkaHop(const Options& o, const std::string& brokers, RecordProducer& p) {
  auto conf = MakeKafkaConf({{"bootstrap.servers", brokers},
                             {"group.id", "bench-hop"},
                             {"fetch.wait.max.ms", "5"},
                             {"auto.offset.reset", "latest"}});
  std::string err;
  std::unique_ptr<RdKafka::KafkaConsumer> c(RdKafka::KafkaConsumer::create(conf.get(), err));
  c->subscribe({"bench.hop"});
  for (int i = 0; i < 100; ++i) delete c->consume(50);  // join the group
  std::vector<double> ms;
  const int total = o.rate * o.seconds;
  std::thread producer([&] {
    for (int i = 0; i < total; ++i) {
      p.Produce({"bench.hop", std::nullopt, std::to_string(NowUs()), {}}, nullptr);
      std::this_thread::sleep_for(std::chrono::microseconds(1000000 / o.rate));
    }
  });
  const auto deadline = Clock::now() + std::chrono::seconds(o.seconds + 10);
  while (static_cast<int>(ms.size()) < total && Clock::now() < deadline) {
    std::unique_ptr<RdKafka::Message> m(c->consume(50));
    if (m->err() == RdKafka::ERR_NO_ERROR)
      ms.push_back((NowUs() - std::atoll(static_cast<const char*>(m->payload()))) / 1000.0);
  }
  producer.join();
  c->close();
  return Summarize(ms);
}

// Alerts at a fixed rate: produce -> POST received, against a Kafka hop.
void LatencyPhase(const Options& o, EmbeddedBroker& broker, RecordProducer& producer,
                  LocalReceiver& receiver, const Signer& signer) {
  const Percentiles hop = BaselineKafkaHop(o, broker.bootstraps(), producer);
  const int total = o.rate * o.seconds;
  std::atomic<bool> producing{true};
  const size_t start_tokens = receiver.tokens();
  std::thread feed([&] {
    std::this_thread::sleep_for(std::chrono::seconds(7));  // the group joins first (~3 s)
    for (int i = 0; i < total; ++i) {
      producer.Produce({"bench.latency", "github", AlertJson(i, NowUs()), {}}, nullptr);
      std::this_thread::sleep_for(std::chrono::microseconds(1000000 / o.rate));
    }
    producing = false;
  });
  RunForwarder(
      Config(o, broker.bootstraps(), receiver.port(), "bench-latency", "bench.latency"), signer,
      [] { return true; },
      [&] { return !producing && receiver.tokens() - start_tokens >= size_t(total); },
      std::chrono::seconds(o.seconds + 60));
  feed.join();
  const std::vector<double> lat = receiver.TakeLatenciesMs();
  const Percentiles fw = Summarize(lat);
  std::printf(
      "| latency at %d alerts/s | tokens | p50 ms | p99 ms | baseline Kafka hop p50 / p99 ms |"
      " ratio p50 / p99 |\n|---|---|---|---|---|---|\n"
      "| alert -> POST received | %zu of %d | %.2f | %.2f | %.2f / %.2f | %.1fx / %.1fx |\n",
      o.rate, lat.size(), total, fw.p50, fw.p99, hop.p50, hop.p99, fw.p50 / hop.p50,
      fw.p99 / hop.p99);
}

int ArgValue(int argc, char** argv, const char* name, int fallback) {
  const size_t n = std::strlen(name);
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], name, n) == 0 && argv[i][n] == '=') return std::atoi(argv[i] + n + 1);
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  o.tokens = ArgValue(argc, argv, "--tokens", o.tokens);
  o.rate = ArgValue(argc, argv, "--rate", o.rate);
  o.seconds = ArgValue(argc, argv, "--seconds", o.seconds);
  o.batch_delay_ms = ArgValue(argc, argv, "--batch-delay-ms", o.batch_delay_ms);
  SetLogLevel(LogLevel::kError);
  auto key = testing::NewEcKey();
  const Signer signer = Signer::FromPem(testing::PrivatePem(key.get(), "PrivateKeyInfo"), "bench");
  EmbeddedBroker broker(1);
  broker.CreateTopic("leakd.alerts", 4);
  broker.CreateTopic("bench.hop", 1);
  broker.CreateTopic("bench.latency", 4);
  RecordProducer producer({{"bootstrap.servers", broker.bootstraps()}, {"linger.ms", "1"}});
  LocalReceiver receiver;
  std::printf("leakd forward bench: batch_max %zu, batch_delay_ms %d, max_in_flight %u\n\n",
              o.batch_max, o.batch_delay_ms, o.in_flight);

  // Throughput.
  for (int i = 0; i < o.tokens; ++i)
    producer.Produce({"leakd.alerts", "github", AlertJson(i, 0), {}}, nullptr);
  producer.Flush(std::chrono::seconds(30));
  const double base = BaselinePosts(o, receiver.port(), o.tokens);
  const size_t before = receiver.tokens();
  const double seconds = RunForwarder(
      Config(o, broker.bootstraps(), receiver.port(), "bench-throughput", "leakd.alerts"), signer,
      [&] { return receiver.tokens() > before; },
      [&] { return receiver.tokens() - before >= static_cast<size_t>(o.tokens); },
      std::chrono::seconds(120));
  const double forwarded = static_cast<double>(receiver.tokens() - before);
  std::printf(
      "| throughput | tokens | tokens/s | baseline (direct POSTs) tokens/s | ratio |\n"
      "|---|---|---|---|---|\n| forward | %.0f of %d | %.0f | %.0f | %.2fx |\n\n",
      forwarded, o.tokens, forwarded / seconds, base, forwarded / seconds / base);
  receiver.TakeLatenciesMs();

  LatencyPhase(o, broker, producer, receiver, signer);
  return 0;
}
