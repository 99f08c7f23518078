// RecordProducer::Produce on librdkafka's mock cluster: the CPU a caller (a
// scan worker) spends handing one alert-sized record over, and the time until
// every record of a batch is acknowledged. What it guards: the produce path
// takes a shared lock (so that a client that fails for good can be replaced,
// kafka/record_producer.h) and counts retries; neither may cost the workers.
//
//   leakd_produce_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <atomic>
#include <string>

#include "kafka/embedded_broker.h"
#include "kafka/record_producer.h"

namespace {

using namespace leakd;

// Records of 1 KB (an alert with its log fields is ~700 bytes – 1 KB), in
// batches of 10,000, each batch flushed: items per second include the acks.
void BM_Produce(benchmark::State& state) {
  EmbeddedBroker broker(1);
  broker.CreateTopic("alerts", 4);
  RecordProducer producer({{"bootstrap.servers", broker.bootstraps()}});
  producer.Prepare({"alerts"});
  producer.Produce({"alerts", "k", std::string("warm-up"), {}}, nullptr);
  producer.Flush(std::chrono::seconds(10));
  const std::string value(1024, 'v');
  std::atomic<int64_t> acked{0};
  const DeliveryCallback count = [&](const Delivery& d) {
    if (d.status == DeliveryStatus::kAcked) ++acked;
  };
  constexpr int kBatch = 10000;
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) producer.Produce({"alerts", "github", value, {}}, count);
    if (!producer.Flush(std::chrono::seconds(60))) state.SkipWithError("records not acknowledged");
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["acked"] = static_cast<double>(acked.load());
}
BENCHMARK(BM_Produce)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2);

}  // namespace

BENCHMARK_MAIN();
