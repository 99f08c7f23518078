#include "history/alert_publish.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <utility>

#include "common/clock.h"
#include "common/sha256.h"

namespace leakd {
namespace {

// Every delivery's end, counted; waited on until all have ended.
class Tally {
 public:
  void Add(const Delivery& d) {
    std::lock_guard<std::mutex> lock(mu_);
    if (d.status == DeliveryStatus::kAcked) {
      ++result_.acked;
    } else {
      ++(d.status == DeliveryStatus::kRejected ? result_.rejected : result_.aborted);
      if (std::find(result_.reasons.begin(), result_.reasons.end(), d.reason) ==
          result_.reasons.end()) {
        result_.reasons.push_back(d.reason);
      }
    }
    ++ended_;
    ended_cv_.notify_all();
  }
  bool WaitFor(uint64_t count, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    return ended_cv_.wait_for(lock, timeout, [&] { return ended_ >= count; });
  }
  PublishResult Result() {
    std::lock_guard<std::mutex> lock(mu_);
    return result_;
  }

 private:
  std::mutex mu_;
  std::condition_variable ended_cv_;
  uint64_t ended_ = 0;
  PublishResult result_;
};

}  // namespace

OutRecord HistoryAlertRecord(const HistoryFinding& h, const PublishSettings& settings,
                             const std::string& detected_at) {
  AlertContext context;
  context.source = "history";
  context.location = {settings.repo, h.commit, h.path, h.position.line, h.position.column};
  context.origin.topic = "";
  context.origin.partition = -1;
  context.origin.offset = -1;
  context.origin.timestamp_ms = h.commit_time * 1000;
  OutRecord record;
  record.topic = settings.topic;
  record.key = h.finding.rule->provider;
  record.value =
      BuildAlertJson(h.finding, context, settings.token_mode, settings.url_template, detected_at);
  const std::string identity = settings.repo + '\n' + h.commit + '\n' + h.path + '\n' +
                               std::to_string(h.position.line) + ':' +
                               std::to_string(h.position.column) + '\n' + h.finding.fingerprint;
  record.headers.emplace_back("leakd-history-id", Sha256Hex(identity));
  return record;
}

HistoryPublisher::HistoryPublisher(PublishSettings settings)
    : settings_(std::move(settings)), producer_(CreateProducer(settings_.kafka, nullptr)) {
  producer_->Prepare({settings_.topic});
}

HistoryPublisher::~HistoryPublisher() = default;

PublishResult HistoryPublisher::Publish(const std::vector<HistoryFinding>& findings) {
  Tally tally;
  const std::string detected_at = NowRfc3339();
  for (const HistoryFinding& h : findings) {
    producer_->Produce(HistoryAlertRecord(h, settings_, detected_at),
                       [&tally](const Delivery& d) { tally.Add(d); });
  }
  if (!producer_->Flush(settings_.timeout)) producer_->Abort();
  // Abort() ends what is left as kAborted; give those callbacks a moment to run.
  tally.WaitFor(findings.size(), std::chrono::seconds(10));
  // Closed here, before the tally its callbacks count into goes.
  producer_.reset();
  return tally.Result();
}

}  // namespace leakd
