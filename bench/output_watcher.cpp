#include "output_watcher.h"

#include <cstdlib>
#include <cstring>
#include <string_view>

namespace leakd::bench {
namespace {

// The push time of a stamped record, or -1. Both leakd's alerts and the
// relayed events are compact JSON (nlohmann) with a "commit" field.
int64_t StampOf(const RdKafka::Message& m) {
  if (!m.payload()) return -1;
  const std::string_view v(static_cast<const char*>(m.payload()), m.len());
  static constexpr std::string_view kField = "\"commit\":\"t";
  const size_t at = v.find(kField);
  if (at == std::string_view::npos) return -1;
  int64_t us = 0;
  for (size_t i = at + kField.size(); i < v.size() && v[i] >= '0' && v[i] <= '9'; ++i)
    us = us * 10 + (v[i] - '0');
  return us;
}

}  // namespace

OutputWatcher::OutputWatcher(const std::string& brokers, const std::string& topic, int partitions,
                             const std::string& fetch_wait_ms) {
  auto conf = MakeKafkaConf({{"bootstrap.servers", brokers},
                             {"group.id", "bench-watch"},
                             {"enable.auto.commit", "false"},
                             {"socket.nagle.disable", "true"},
                             {"fetch.wait.max.ms", fetch_wait_ms}});
  std::string err;
  consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (!consumer_) throw KafkaError("watcher: " + err);
  std::vector<RdKafka::TopicPartition*> parts;
  for (int p = 0; p < partitions; ++p)
    parts.push_back(RdKafka::TopicPartition::create(topic, p, RdKafka::Topic::OFFSET_BEGINNING));
  consumer_->assign(parts);
  RdKafka::TopicPartition::destroy(parts);
  thread_ = std::thread([this] { Loop(); });
}

OutputWatcher::~OutputWatcher() {
  stop_ = true;
  thread_.join();
  consumer_->close();
}

void OutputWatcher::Loop() {
  while (!stop_) {
    std::unique_ptr<RdKafka::Message> m(consumer_->consume(20));
    if (m->err() != RdKafka::ERR_NO_ERROR) continue;
    const int64_t now = NowUs();
    const int64_t stamp = StampOf(*m);
    if (stamp > 0) {
      std::lock_guard<std::mutex> lock(mu_);
      latencies_ms_.push_back((now - stamp) / 1000.0);
    }
    if (records_ == 0) first_arrival_us_ = now;
    last_arrival_us_ = now;
    ++records_;
  }
}

std::vector<double> OutputWatcher::TakeLatencies() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::exchange(latencies_ms_, {});
}

bool OutputWatcher::WaitForRecords(size_t count, std::chrono::seconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  while (records_ < count) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

}  // namespace leakd::bench
