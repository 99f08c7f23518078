#include "serve/pipeline.h"

#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "alert/alert.h"
#include "alert/dedupe_window.h"
#include "common/bounded_queue.h"
#include "common/line_index.h"
#include "ingest/commit_event.h"
#include "ingest/gzip.h"
#include "ingest/upload_streams.h"
#include "kafka/offset_tracker.h"
#include "kafka/record_producer.h"
#include "obs/log.h"
#include "scan/fingerprint.h"
#include "scan/scanner.h"

namespace leakd {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// One consumed message and the work still owed for it. `refs` counts the
// processing itself plus each record produced from it (and, for a chunk, the
// upload it belongs to); at zero the offset is complete.
struct MessageState {
  PartitionKey key;
  int64_t offset = 0;
  int64_t timestamp_ms = 0;
  std::atomic<int> refs{1};
  bool dead_lettered = false;                 // worker thread only
  std::unique_ptr<RdKafka::Message> message;  // dropped once processed
};
using StatePtr = std::shared_ptr<MessageState>;

std::string HeaderValue(RdKafka::Message& m, const std::string& name, bool* present) {
  *present = false;
  RdKafka::Headers* headers = m.headers();
  if (!headers) return "";
  for (const auto& h : headers->get(name)) {
    *present = true;
    return std::string(static_cast<const char*>(h.value()), h.value_size());
  }
  return "";
}

std::string OriginText(const MessageState& st) {
  return st.key.topic + "/" + std::to_string(st.key.partition) + "/" + std::to_string(st.offset);
}

}  // namespace

// librdkafka's own log and error events, as leakd's JSON log lines.
// Its statistics (every statistics.interval.ms) feed the consumer-lag gauges
// and broker reachability.
class KafkaLogBridge : public RdKafka::EventCb {
 public:
  explicit KafkaLogBridge(Metrics& metrics) : metrics_(metrics) {}
  std::atomic<bool> broker_up{true};

  void event_cb(RdKafka::Event& event) override {
    switch (event.type()) {
      case RdKafka::Event::EVENT_STATS:
        OnStats(event.str());
        break;
      case RdKafka::Event::EVENT_LOG: {
        const int severity = static_cast<int>(event.severity());  // syslog levels
        const LogLevel level = severity <= 3   ? LogLevel::kError
                               : severity == 4 ? LogLevel::kWarn
                               : severity <= 6 ? LogLevel::kInfo
                                               : LogLevel::kDebug;
        Log(level, "kafka", {{"facility", event.fac()}, {"message", event.str()}});
        break;
      }
      case RdKafka::Event::EVENT_ERROR:
        Log(event.fatal() ? LogLevel::kError : LogLevel::kWarn, "kafka-error",
            {{"error", RdKafka::err2str(event.err())}, {"message", event.str()}});
        break;
      default:
        break;
    }
  }

 private:
  void OnStats(const std::string& json) {
    const auto stats = nlohmann::json::parse(json, nullptr, false);
    if (stats.is_discarded()) return;
    if (stats.value("type", "") == "consumer" && stats.contains("brokers")) {
      bool any_up = false;
      for (const auto& [name, broker] : stats["brokers"].items()) {
        if (broker.value("nodeid", -1) >= 0 && broker.value("state", "") == "UP") any_up = true;
      }
      broker_up = any_up;
    }
    if (!stats.contains("topics")) return;
    for (const auto& [topic, t] : stats["topics"].items()) {
      if (!t.contains("partitions")) continue;
      for (const auto& [id, p] : t["partitions"].items()) {
        const int64_t lag = p.value("consumer_lag", int64_t{-1});
        const int32_t partition = p.value("partition", -1);
        if (partition >= 0 && lag >= 0) metrics_.ConsumerLag(topic, partition, lag);
      }
    }
  }
  Metrics& metrics_;
};

class Pipeline::Impl : public RdKafka::RebalanceCb, public RdKafka::OffsetCommitCb {
 public:
  Impl(ServeConfig config, std::shared_ptr<const PatternDatabase> db, Metrics& metrics)
      : config_(std::move(config)),
        db_(std::move(db)),
        metrics_(metrics),
        log_bridge_(metrics),
        dedupe_(milliseconds(config_.dedupe_window_ms), config_.dedupe_max_entries) {}

  bool Run(const std::atomic<bool>& stop);
  PipelineStats stats;
  std::atomic<bool> assigned{false};
  std::atomic<int64_t> last_loop_ms{0};  // steady clock, when the consumer loop last turned
  bool broker_up() const { return log_bridge_.broker_up; }

 private:
  struct Worker {
    Worker(std::shared_ptr<const PatternDatabase> db, size_t capacity, milliseconds idle)
        : queue(capacity), scanner(db), uploads(db, idle) {}
    BoundedQueue<StatePtr> queue;
    Scanner scanner;
    UploadStreams uploads;
    std::map<uint64_t, StatePtr> upload_owners;  // chunk messages waiting for their upload
    uint64_t next_owner = 0;
    std::atomic<size_t> open_uploads{0};  // read by the consumer thread for metrics
    std::thread thread;
  };

  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& partitions) override;
  void offset_commit_cb(RdKafka::ErrorCode err,
                        std::vector<RdKafka::TopicPartition*>& offsets) override;
  void WorkerLoop(Worker& w);
  void Process(Worker& w, const StatePtr& st);
  void ProcessCommit(Worker& w, const StatePtr& st);
  void ProcessUpload(Worker& w, const StatePtr& st);
  void Emit(const StatePtr& st, const Finding& finding, const AlertContext& ctx);
  void DeadLetter(const StatePtr& st, DecodeError reason);
  void Release(const StatePtr& st);
  void ReleaseUploadOwners(Worker& w, const std::vector<uint64_t>& owners);
  void ExpireUploads(Worker& w);
  void CommitDone(bool final);
  void SetPaused(bool paused);
  void UpdateGauges();
  size_t WorkerFor(const PartitionKey& key) const {
    return (std::hash<std::string>()(key.topic) * 31 + static_cast<size_t>(key.partition)) %
           workers_.size();
  }

  ServeConfig config_;
  std::shared_ptr<const PatternDatabase> db_;
  Metrics& metrics_;
  KafkaLogBridge log_bridge_;
  std::atomic<size_t> assigned_partitions_{0};
  DedupeWindow dedupe_;
  OffsetTracker tracker_;
  std::unique_ptr<RecordProducer> producer_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::deque<std::pair<size_t, StatePtr>> held_;  // consumer thread only
  bool paused_ = false;                           // consumer thread only
};

// ---- processing (worker threads) -------------------------------------------

void Pipeline::Impl::Release(const StatePtr& st) {
  if (--st->refs == 0) tracker_.Complete(st->key, st->offset);
}

void Pipeline::Impl::Emit(const StatePtr& st, const Finding& f, const AlertContext& ctx) {
  ++stats.findings;
  metrics_.Finding(*f.rule, f.confidence);
  if (!dedupe_.FirstSeen(f.fingerprint, ctx.repo, ctx.path)) {
    ++stats.deduplicated;
    metrics_.AlertDeduplicated();
    return;
  }
  ++st->refs;
  producer_->Produce(
      {config_.alerts_topic,
       f.rule->provider,
       BuildAlertJson(f, ctx, config_.token_mode, config_.url_template, NowRfc3339()),
       {}},
      [this, st, provider = f.rule->provider] {
        ++stats.alerts;
        metrics_.AlertProduced(provider);
        if (st->timestamp_ms > 0) {
          const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
          metrics_.PushToAlertSeconds(std::max<int64_t>(0, now_ms - st->timestamp_ms) / 1000.0);
        }
        Release(st);
      });
  Log(LogLevel::kInfo, "alert",
      {{"rule", f.rule->id},
       {"provider", f.rule->provider},
       {"confidence", ConfidenceName(f.confidence)},
       {"fingerprint", f.fingerprint},
       {"redacted", Redact(f.secret)},
       {"repo", ctx.repo},
       {"path", ctx.path},
       {"line", ctx.line},
       {"origin", OriginText(*st)}});
}

void Pipeline::Impl::DeadLetter(const StatePtr& st, DecodeError reason) {
  RdKafka::Message& m = *st->message;
  OutRecord record;
  record.topic = config_.dlq_topic;
  if (m.key()) record.key = *m.key();
  // A message over the size limit would be refused by the broker again: its
  // value is left out and the record says so.
  const bool truncate = reason == DecodeError::kMessageTooLarge;
  if (!truncate) record.value.assign(static_cast<const char*>(m.payload()), m.len());
  if (RdKafka::Headers* headers = m.headers()) {
    for (const auto& h : headers->get_all()) {
      record.headers.emplace_back(h.key(),
                                  std::string(static_cast<const char*>(h.value()), h.value_size()));
    }
  }
  record.headers.emplace_back("leakd-error", DecodeErrorCode(reason));
  record.headers.emplace_back("leakd-origin", OriginText(*st));
  if (truncate) record.headers.emplace_back("leakd-original-size", std::to_string(m.len()));
  ++st->refs;
  producer_->Produce(std::move(record), [this, st] { Release(st); });
  ++stats.dead_letters;
  st->dead_lettered = true;
  metrics_.DeadLetter(DecodeErrorCode(reason));
  Log(LogLevel::kWarn, "dead-letter",
      {{"reason", DecodeErrorCode(reason)}, {"origin", OriginText(*st)}});
}

void Pipeline::Impl::ProcessCommit(Worker& w, const StatePtr& st) {
  RdKafka::Message& m = *st->message;
  CommitLimits limits;
  limits.max_message_bytes = config_.max_message_bytes;
  limits.max_files = config_.max_files;
  limits.max_file_bytes = config_.max_decompressed_bytes;
  CommitEvent event;
  const DecodeError e = ParseCommitEvent(
      std::string_view(static_cast<const char*>(m.payload()), m.len()), limits, &event);
  if (e != DecodeError::kNone) return DeadLetter(st, e);

  std::vector<Finding> findings;
  for (const CommitFile& file : event.files) {
    const std::string& text = file.is_patch ? file.added.text() : file.content;
    findings.clear();
    w.scanner.Scan(text, &findings);
    stats.bytes_scanned += text.size();
    metrics_.BytesScanned(text.size());
    LineIndex lines(text);
    for (const Finding& f : findings) {
      const TextPosition pos = file.is_patch ? file.added.PositionOf(f.offset) : lines.At(f.offset);
      Emit(st, f,
           {"commit", event.repo, event.commit, file.path, pos.line, pos.column, st->key.topic,
            st->key.partition, st->offset, st->timestamp_ms});
    }
  }
}

void Pipeline::Impl::ReleaseUploadOwners(Worker& w, const std::vector<uint64_t>& owners) {
  for (uint64_t owner : owners) {
    auto it = w.upload_owners.find(owner);
    if (it == w.upload_owners.end()) continue;
    Release(it->second);
    w.upload_owners.erase(it);
  }
}

void Pipeline::Impl::ProcessUpload(Worker& w, const StatePtr& st) {
  RdKafka::Message& m = *st->message;
  bool has_repo, has_path, has_encoding, has_id, has_chunk, has_final;
  const std::string repo = HeaderValue(m, "repo", &has_repo);
  const std::string path = HeaderValue(m, "path", &has_path);
  const std::string encoding = HeaderValue(m, "content-encoding", &has_encoding);
  const std::string upload_id = HeaderValue(m, "upload-id", &has_id);
  const std::string chunk_text = HeaderValue(m, "chunk", &has_chunk);
  const bool final = HeaderValue(m, "final", &has_final) == "true";
  if (!has_repo || !has_path) return DeadLetter(st, DecodeError::kBadHeader);

  std::string_view bytes(static_cast<const char*>(m.payload()), m.len());
  std::string inflated;
  if (has_encoding && encoding != "identity") {
    if (encoding != "gzip") return DeadLetter(st, DecodeError::kUnsupportedEncoding);
    const DecodeError e = GunzipBounded(bytes, config_.max_decompressed_bytes, &inflated);
    if (e != DecodeError::kNone) return DeadLetter(st, e);
    bytes = inflated;
  }
  stats.bytes_scanned += bytes.size();
  metrics_.BytesScanned(bytes.size());
  const auto context = [&](const TextPosition& pos) {
    return AlertContext{"upload",
                        repo,
                        "",
                        path,
                        pos.line,
                        pos.column,
                        st->key.topic,
                        st->key.partition,
                        st->offset,
                        st->timestamp_ms};
  };

  if (!has_id) {  // a whole file in one message
    std::vector<Finding> findings;
    w.scanner.Scan(bytes, &findings);
    LineIndex lines(bytes);
    for (const Finding& f : findings) Emit(st, f, context(lines.At(f.offset)));
    return;
  }

  uint64_t chunk = 0;
  if (!has_chunk || chunk_text.empty() ||
      chunk_text.find_first_not_of("0123456789") != std::string::npos || chunk_text.size() > 18) {
    return DeadLetter(st, DecodeError::kBadHeader);
  }
  chunk = std::stoull(chunk_text);
  // Namespaced by repo so two repositories cannot collide on an upload id.
  const std::string key = repo + '\x1f' + upload_id;
  const uint64_t owner = w.next_owner++;
  w.upload_owners.emplace(owner, st);
  ++st->refs;  // held by the upload until it ends
  std::vector<LocatedStreamFinding> found;
  std::vector<uint64_t> finished;
  const auto result =
      w.uploads.Feed(w.scanner, key, {repo, path}, chunk, final, bytes, owner, &found, &finished);
  for (const auto& lf : found) Emit(st, lf.finding, context(lf.position));
  ReleaseUploadOwners(w, finished);
  if (result == UploadStreams::ChunkResult::kDuplicate ||
      result == UploadStreams::ChunkResult::kGap) {
    ReleaseUploadOwners(w, {owner});  // this chunk was not taken into an upload
  }
  if (result == UploadStreams::ChunkResult::kGap) DeadLetter(st, DecodeError::kChunkGap);
}

void Pipeline::Impl::Process(Worker& w, const StatePtr& st) {
  const auto start = Clock::now();
  try {
    if (st->message->len() > config_.max_message_bytes) {
      DeadLetter(st, DecodeError::kMessageTooLarge);
    } else if (st->key.topic == config_.commits_topic) {
      ProcessCommit(w, st);
    } else {
      ProcessUpload(w, st);
    }
  } catch (const std::exception& e) {
    // A scan error (e.g. Hyperscan out of memory) must not kill the worker: the
    // message is parked for a human, like any input we cannot handle.
    Log(LogLevel::kError, "process-failed", {{"origin", OriginText(*st)}, {"error", e.what()}});
    DeadLetter(st, DecodeError::kScanFailed);
  }
  metrics_.ScanSeconds(std::chrono::duration<double>(Clock::now() - start).count());
  metrics_.MessageConsumed(st->key.topic, st->dead_lettered ? "dead_letter" : "ok");
  w.open_uploads = w.uploads.open_uploads();
  st->message.reset();
  ++stats.processed;
  Release(st);
}

void Pipeline::Impl::WorkerLoop(Worker& w) {
  for (;;) {
    auto item = w.queue.Pop(milliseconds(100));
    if (item) {
      Process(w, *item);
    } else if (w.queue.closed_and_empty()) {
      break;
    }
    // Uploads that went quiet are scanned to their end and released.
    if (w.uploads.open_uploads() > 0) ExpireUploads(w);
  }
}

void Pipeline::Impl::ExpireUploads(Worker& w) {
  std::vector<LocatedStreamFinding> found;
  const auto owners = w.uploads.Expire(w.scanner, &found);
  for (const auto& lf : found) {
    auto owner = w.upload_owners.find(lf.owner);
    if (owner == w.upload_owners.end()) continue;
    const StatePtr& st = owner->second;
    Emit(st, lf.finding,
         {"upload", lf.label.repo, "", lf.label.path, lf.position.line, lf.position.column,
          st->key.topic, st->key.partition, st->offset, st->timestamp_ms});
  }
  if (!owners.empty()) Log(LogLevel::kWarn, "upload-expired", {{"chunks", owners.size()}});
  ReleaseUploadOwners(w, owners);
}

// ---- consumer thread --------------------------------------------------------

void Pipeline::Impl::rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                                  std::vector<RdKafka::TopicPartition*>& partitions) {
  const bool cooperative = consumer->rebalance_protocol() == "COOPERATIVE";
  if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
    Log(LogLevel::kInfo, "partitions-assigned", {{"count", partitions.size()}});
    assigned_partitions_ =
        cooperative ? assigned_partitions_ + partitions.size() : partitions.size();
    if (cooperative) {
      consumer->incremental_assign(partitions);
    } else {
      consumer->assign(partitions);
    }
    assigned = true;
    if (paused_) consumer->pause(partitions);
    return;
  }
  // Revoked: commit what is done for these partitions before giving them up.
  // Their in-flight messages still finish, but will not be committed by us.
  std::vector<RdKafka::TopicPartition*> commits;
  for (const auto* tp : partitions) {
    const PartitionKey key{tp->topic(), tp->partition()};
    const int64_t done = tracker_.Committable(key);
    if (done >= 0)
      commits.push_back(RdKafka::TopicPartition::create(key.topic, key.partition, done));
    tracker_.Forget(key);
    held_.erase(std::remove_if(held_.begin(), held_.end(),
                               [&](const auto& h) { return h.second->key == key; }),
                held_.end());
  }
  if (!commits.empty()) {
    consumer->commitSync(commits);
    ++stats.commits;
  }
  RdKafka::TopicPartition::destroy(commits);
  Log(LogLevel::kInfo, "partitions-revoked", {{"count", partitions.size()}});
  assigned_partitions_ = cooperative && assigned_partitions_ >= partitions.size()
                             ? assigned_partitions_ - partitions.size()
                             : 0;
  if (cooperative) {
    consumer->incremental_unassign(partitions);
  } else {
    consumer->unassign();
  }
}

void Pipeline::Impl::offset_commit_cb(RdKafka::ErrorCode err,
                                      std::vector<RdKafka::TopicPartition*>& offsets) {
  for (const auto* tp : offsets) {
    if (err == RdKafka::ERR_NO_ERROR && tp->err() == RdKafka::ERR_NO_ERROR) continue;
    tracker_.CommitFailed({tp->topic(), tp->partition()});
    Log(LogLevel::kWarn, "commit-failed",
        {{"topic", tp->topic()},
         {"partition", tp->partition()},
         {"error", RdKafka::err2str(err != RdKafka::ERR_NO_ERROR ? err : tp->err())}});
  }
}

// Commits what is done: periodically the partitions that advanced (async; a
// failure is reported to offset_commit_cb and retried), and at shutdown every
// partition, synchronously.
void Pipeline::Impl::CommitDone(bool final) {
  const auto done = final ? tracker_.AllCommittable() : tracker_.TakeCommittable();
  if (done.empty()) return;
  std::vector<RdKafka::TopicPartition*> tps;
  for (const auto& [key, offset] : done) {
    tps.push_back(RdKafka::TopicPartition::create(key.topic, key.partition, offset));
  }
  const RdKafka::ErrorCode rc = final ? consumer_->commitSync(tps) : consumer_->commitAsync(tps);
  if (rc != RdKafka::ERR_NO_ERROR) offset_commit_cb(rc, tps);
  ++stats.commits;
  RdKafka::TopicPartition::destroy(tps);
}

void Pipeline::Impl::UpdateGauges() {
  size_t depth = held_.size(), uploads = 0;
  for (const auto& w : workers_) {
    depth += w->queue.size();
    uploads += w->open_uploads;
  }
  metrics_.QueueDepth(depth);
  metrics_.OpenUploads(uploads);
  metrics_.AssignedPartitions(assigned_partitions_);
  metrics_.PausedPartitions(paused_ ? assigned_partitions_.load() : 0);
  metrics_.AddDeliveryFailures(producer_->delivery_failures());
}

void Pipeline::Impl::SetPaused(bool paused) {
  if (paused == paused_) return;
  std::vector<RdKafka::TopicPartition*> parts;
  consumer_->assignment(parts);
  if (paused) {
    consumer_->pause(parts);
    ++stats.pauses;
  } else {
    consumer_->resume(parts);
  }
  RdKafka::TopicPartition::destroy(parts);
  paused_ = paused;
}

bool Pipeline::Impl::Run(const std::atomic<bool>& stop) {
  KafkaProperties consumer_props = {
      {"bootstrap.servers", config_.brokers},
      {"group.id", config_.group_id},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"auto.offset.reset", "earliest"},
      {"partition.assignment.strategy", "cooperative-sticky"},
      {"fetch.wait.max.ms", "5"},
      {"socket.nagle.disable", "true"},
      {"fetch.message.max.bytes", std::to_string(config_.max_message_bytes + 4096)}};
  KafkaProperties producer_props = {{"bootstrap.servers", config_.brokers}};
  for (const auto& [k, v] : config_.kafka) consumer_props[k] = producer_props[k] = v;
  for (const auto& [k, v] : config_.consumer) consumer_props[k] = v;
  for (const auto& [k, v] : config_.producer) producer_props[k] = v;

  producer_ = std::make_unique<RecordProducer>(producer_props);
  auto conf = MakeKafkaConf(consumer_props);
  std::string err;
  if (conf->set("rebalance_cb", static_cast<RdKafka::RebalanceCb*>(this), err) !=
      RdKafka::Conf::CONF_OK) {
    throw KafkaError(err);
  }
  consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (!consumer_) throw KafkaError("cannot create consumer: " + err);
  if (consumer_->subscribe({config_.commits_topic, config_.uploads_topic}) !=
      RdKafka::ERR_NO_ERROR) {
    throw KafkaError("cannot subscribe");
  }

  const unsigned n =
      config_.workers ? config_.workers : std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < n; ++i) {
    workers_.push_back(std::make_unique<Worker>(db_, config_.queue_capacity,
                                                milliseconds(config_.upload_idle_timeout_ms)));
  }
  for (auto& w : workers_) w->thread = std::thread([this, &w] { WorkerLoop(*w); });
  Log(LogLevel::kInfo, "serving",
      {{"brokers", config_.brokers},
       {"group", config_.group_id},
       {"workers", n},
       {"rules", db_->size()}});

  auto last_commit = Clock::now();
  while (!stop) {
    // Hand over what the full queues could not take; resume when all is taken.
    while (!held_.empty() && workers_[held_.front().first]->queue.TryPush(held_.front().second)) {
      held_.pop_front();
    }
    if (held_.empty()) SetPaused(false);

    std::unique_ptr<RdKafka::Message> m(consumer_->consume(paused_ ? 20 : 100));
    if (m->err() == RdKafka::ERR_NO_ERROR) {
      auto st = std::make_shared<MessageState>();
      st->key = {m->topic_name(), m->partition()};
      st->offset = m->offset();
      st->timestamp_ms = m->timestamp().timestamp;
      st->message = std::move(m);
      tracker_.Track(st->key, st->offset);
      ++stats.consumed;
      const size_t target = WorkerFor(st->key);
      // Messages of a partition must keep their order: once one is held, later
      // ones of any partition wait behind it.
      if (!held_.empty() || !workers_[target]->queue.TryPush(st)) {
        held_.emplace_back(target, std::move(st));
        SetPaused(true);
      }
    } else if (m->err() != RdKafka::ERR__TIMED_OUT && m->err() != RdKafka::ERR__PARTITION_EOF) {
      Log(LogLevel::kWarn, "consume-error", {{"error", m->errstr()}});
    }
    last_loop_ms =
        std::chrono::duration_cast<milliseconds>(Clock::now().time_since_epoch()).count();
    if (Clock::now() - last_commit >= milliseconds(config_.commit_interval_ms)) {
      CommitDone(false);
      last_commit = Clock::now();
      UpdateGauges();
    }
  }

  // Shutdown: stop fetching, drain, flush, commit.
  const auto deadline = Clock::now() + milliseconds(config_.shutdown_deadline_ms);
  Log(LogLevel::kInfo, "draining", {{"in_flight", tracker_.InFlight()}, {"held", held_.size()}});
  held_.clear();  // never handed over: uncommitted, so redelivered after restart
  for (auto& w : workers_) w->queue.Close();
  for (auto& w : workers_) w->thread.join();
  const auto remaining = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
  const bool flushed = producer_->Flush(std::max(milliseconds(100), remaining));
  CommitDone(true);
  const size_t left = tracker_.InFlight();
  consumer_->close();
  Log(LogLevel::kInfo, "stopped",
      {{"consumed", stats.consumed.load()},
       {"alerts", stats.alerts.load()},
       {"dead_letters", stats.dead_letters.load()},
       {"flushed", flushed},
       {"uncommitted", left}});
  return flushed && left == 0;
}

Pipeline::Pipeline(ServeConfig config, std::shared_ptr<const PatternDatabase> db, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(db), metrics)) {}
Pipeline::~Pipeline() = default;
bool Pipeline::Run(const std::atomic<bool>& stop) {
  return impl_->Run(stop);
}
const PipelineStats& Pipeline::stats() const {
  return impl_->stats;
}
bool Pipeline::assigned() const {
  return impl_->assigned;
}

bool Pipeline::Alive() const {
  const int64_t now =
      std::chrono::duration_cast<milliseconds>(Clock::now().time_since_epoch()).count();
  const int64_t last = impl_->last_loop_ms;
  return last == 0 || now - last < 60000;  // 0: still starting
}

bool Pipeline::Ready(std::string* why) const {
  if (!impl_->assigned) {
    *why = "waiting to join the consumer group";
  } else if (!impl_->broker_up()) {
    *why = "no broker reachable";
  } else if (!Alive()) {
    *why = "consumer loop stalled";
  } else {
    return true;
  }
  return false;
}

}  // namespace leakd
