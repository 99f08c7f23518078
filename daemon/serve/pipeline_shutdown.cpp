#include "common/log.h"
#include "serve/pipeline_impl.h"

namespace leakd {

using Clock = PipelineClock;
using std::chrono::milliseconds;

// ---- shutdown ----------------------------------------------------------------

void Pipeline::Impl::DrainWorkers(Clock::time_point until) {
  router_->DropHeld();  // never handed over: uncommitted, so delivered again after restart
  for (auto& w : workers_) w->queue().Close();
  while (Clock::now() < until && router_->queued() > 0) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  for (auto& w : workers_) w->StopTaking();
  for (auto& w : workers_) w->Join();
}

bool Pipeline::Impl::FinalCommit(Clock::time_point until) {
  const uint64_t before = commit_callbacks_;
  CommitDone(true);
  while (Clock::now() < until && commit_callbacks_ == before) {
    std::unique_ptr<RdKafka::Message> m(consumer_->consume(10));  // paused: serves callbacks only
  }
  return commit_callbacks_ != before;
}

// librdkafka's close() leaves the group, which waits for a broker: with every
// broker down it would not return in time. It gets what is left of the
// deadline; past that the process exits without it (the group notices the
// member gone after session.timeout.ms).
void Pipeline::Impl::Close(Clock::time_point until) {
  auto closed = std::make_shared<std::atomic<bool>>(false);
  RdKafka::KafkaConsumer* consumer = consumer_.get();
  std::thread closer([consumer, closed] {
    consumer->close();
    *closed = true;
  });
  while (!*closed && Clock::now() < until) std::this_thread::sleep_for(milliseconds(5));
  if (*closed) {
    closer.join();
    return;
  }
  closer.detach();
  close_timed_out = true;
  consumer_.release();  // still in use by the closer; the process exits now
  Log(LogLevel::kWarn, "close-timed-out");
}

bool Pipeline::Impl::Shutdown() {
  const auto start = Clock::now();
  const milliseconds budget(config_.shutdown_deadline_ms);
  if (reloader_) reloader_->RequestStop();  // no reload starts now; one running may be left
  Log(LogLevel::kInfo, "draining",
      {{"in_flight", tracker_.InFlight()}, {"queued", router_->queued()}});
  SetPaused(true);
  DrainWorkers(start + budget / 2);
  const bool flushed = producer_->Flush(
      std::chrono::duration_cast<milliseconds>(start + budget * 7 / 10 - Clock::now()));
  producer_->Abort();  // the rest stays uncommitted: delivered again after restart
  const bool committed = FinalCommit(start + budget * 9 / 10);
  const size_t left = tracker_.InFlight();
  Close(start + budget);
  Log(LogLevel::kInfo, "stopped",
      {{"consumed", stats.consumed.load()},
       {"flushed", flushed},
       {"committed", committed},
       {"uncommitted", left},
       {"seconds", std::chrono::duration<double>(Clock::now() - start).count()}});
  return flushed && committed && left == 0;
}

}  // namespace leakd
