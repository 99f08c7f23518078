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

bool Pipeline::Impl::Shutdown() {
  const auto start = Clock::now();
  const milliseconds budget(config_.shutdown_deadline_ms);
  if (reloader_) reloader_->RequestStop();  // no reload starts now; one running may be left
  Log(LogLevel::kInfo, "draining",
      {{"in_flight", group_.tracker().InFlight()}, {"queued", router_->queued()}});
  SetPaused(true);
  DrainWorkers(start + budget / 2);
  const bool flushed = producer_->Flush(
      std::chrono::duration_cast<milliseconds>(start + budget * 7 / 10 - Clock::now()));
  producer_->Abort();  // the rest stays uncommitted: delivered again after restart
  const bool committed = group_.CommitAllBy(start + budget * 9 / 10);
  const size_t left = group_.tracker().InFlight();
  if (!CloseConsumerBy(&consumer_, start + budget, group_.DestroyWouldAbort()))
    consumer_kept_open = true;
  Log(LogLevel::kInfo, "stopped",
      {{"consumed", stats.consumed.load()},
       {"flushed", flushed},
       {"committed", committed},
       {"uncommitted", left},
       {"seconds", std::chrono::duration<double>(Clock::now() - start).count()}});
  return flushed && committed && left == 0;
}

}  // namespace leakd
