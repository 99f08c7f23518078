#include "serve/worker.h"

#include <malloc.h>

#include <optional>

#include "common/enum_table.h"
#include "common/line_index.h"
#include "common/log.h"
#include "common/thread_name.h"
#include "ingest/gzip.h"
#include "kafka/message_headers.h"
#include "scan/decoded_scan.h"

namespace leakd {
namespace {

// Closing this many expired uploads at once returns their memory to the OS.
constexpr size_t kTrimAfterClosing = 64;

constexpr auto kUploadEnds = MakeEnumTable<UploadEnd>({{UploadEnd::kFinished, "finished"},
                                                       {UploadEnd::kGap, "gap"},
                                                       {UploadEnd::kExpired, "expired"},
                                                       {UploadEnd::kEvicted, "evicted"}});

std::string_view Payload(const RdKafka::Message& m) {
  return m.payload() ? std::string_view(static_cast<const char*>(m.payload()), m.len())
                     : std::string_view();
}

}  // namespace

Worker::Worker(const ServeConfig& config, const DatabaseSlot& slot, Emitter& emitter,
               Metrics& metrics, std::function<void(size_t)> on_scanned, PoisonGuard* guard,
               size_t index)
    : config_(config),
      emitter_(emitter),
      metrics_(metrics),
      on_scanned_(std::move(on_scanned)),
      guard_(guard),
      index_(index),
      queue_(config.queue_capacity),
      slot_(slot),
      generation_(slot.generation()),
      engines_(slot.Get(), {std::chrono::milliseconds(config.upload_idle_timeout_ms),
                            config.max_open_uploads, config.max_upload_bytes}) {}

Worker::~Worker() {
  queue_.Close();
  Join();
}

void Worker::Start() {
  thread_ = std::thread([this] {
    NameThisThread("leakd-worker");
    Loop();
  });
}

void Worker::Join() {
  if (thread_.joinable()) thread_.join();
}

std::chrono::milliseconds Worker::busy_for(Clock::time_point now) const {
  const int64_t since = busy_since_;
  if (since == 0) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch() -
                                                               Clock::duration(since));
}

void Worker::AdoptNewDatabase() {
  generation_ = slot_.generation();  // before Get: a later publish is seen next time
  engines_.Adopt(slot_.Get());
}

void Worker::Loop() {
  while (!stop_taking_) {
    if (auto item = queue_.Pop(std::chrono::milliseconds(100))) {
      if (slot_.generation() != generation_) AdoptNewDatabase();
      Process(*item);
    } else if (queue_.closed_and_empty()) {
      break;
    }
    if (engines_.open_uploads() > 0) ExpireUploads();  // uploads that went quiet
  }
}

void Worker::Process(const StatePtr& st) {
  const auto start = Clock::now();
  busy_since_ = start.time_since_epoch().count();
  std::optional<PoisonGuard::Pass> pass;  // held until the message is processed
  if (guard_) {
    pass.emplace(
        guard_->Enter(index_, {st->origin.topic, st->origin.partition, st->origin.offset}));
  }
  if (pass && pass->poison()) {
    Log(LogLevel::kError, "poison-message",
        {{"origin", OriginText(st->origin)}, {"strikes", pass->strikes()}});
    DeadLetter(st, DecodeError::kPoisonMessage);
  } else {
    Handle(st);
  }
  pass.reset();
  metrics_.ScanSeconds(std::chrono::duration<double>(Clock::now() - start).count());
  metrics_.MessageConsumed(st->key.topic, st->dead_lettered ? "dead_letter" : "ok");
  open_uploads_ = engines_.open_uploads();
  st->message.reset();
  on_scanned_(st->bytes);
  busy_since_ = 0;
  st->done->Release();
}

void Worker::Handle(const StatePtr& st) {
  try {
    if (st->message->err() != RdKafka::ERR_NO_ERROR) {
      // No consumed bytes to park (librdkafka puts its error text in the
      // payload): a notice with the batch's origin.
      st->dead_lettered = true;
      emitter_.DeadLetterNotice({}, st->origin, DecodeError::kUndecodableBatch, st->done);
    } else if (st->message->len() > config_.max_message_bytes) {
      DeadLetter(st, DecodeError::kMessageTooLarge);
    } else if (st->key.topic == config_.commits_topic) {
      ProcessCommit(st);
    } else {
      ProcessUpload(st);
    }
  } catch (const std::exception& e) {
    // A scan error (e.g. Hyperscan out of memory) must not kill the worker: the
    // message is parked for a human, like any input we cannot handle.
    Log(LogLevel::kError, "process-failed",
        {{"origin", OriginText(st->origin)}, {"error", e.what()}});
    DeadLetter(st, DecodeError::kScanFailed);
  }
}

void Worker::DeadLetter(const StatePtr& st, DecodeError reason) {
  st->dead_lettered = true;
  emitter_.DeadLetter(*st->message, st->origin, reason, st->done);
}

void Worker::ProcessCommit(const StatePtr& st) {
  CommitLimits limits;
  limits.max_message_bytes = config_.max_message_bytes;
  limits.max_files = config_.max_files;
  limits.max_file_bytes = config_.max_decompressed_bytes;
  const DecodeError e = commit_scan_.Run(engines_.scanner(), Payload(*st->message), limits);
  metrics_.BytesScanned(commit_scan_.bytes_scanned());
  if (e != DecodeError::kNone) return DeadLetter(st, e);
  const CommitEvent& event = commit_scan_.event();
  for (const PlacedFinding& p : commit_scan_.found()) {
    AlertContext ctx;
    ctx.source = "commit";
    ctx.location = {event.repo, event.commit, p.file->path, p.position.line, p.position.column};
    ctx.origin = st->origin;
    emitter_.Alert(p.finding, ctx, st->done);
  }
}

void Worker::ProcessUpload(const StatePtr& st) {
  UploadHeaders h;
  if (const DecodeError e = DecodeUploadHeaders(HeadersOf(*st->message), &h);
      e != DecodeError::kNone) {
    return DeadLetter(st, e);
  }
  std::string_view bytes = Payload(*st->message);
  std::string inflated;
  if (h.gzip) {
    const DecodeError e = GunzipBounded(bytes, config_.max_decompressed_bytes, &inflated);
    if (e != DecodeError::kNone) return DeadLetter(st, e);
    bytes = inflated;
  }
  metrics_.BytesScanned(bytes.size());
  if (h.chunk) return ProcessChunk(st, h, bytes);

  std::vector<Finding> findings;  // a whole file in one message
  ScanWithDecoding(engines_.scanner(), bytes, &findings);
  if (findings.empty()) return;
  LineIndex lines(bytes);
  for (const Finding& f : findings) {
    const TextPosition pos = lines.At(f.offset);
    AlertContext ctx;
    ctx.source = "upload";
    ctx.location = {h.repo, "", h.path, pos.line, pos.column};
    ctx.origin = st->origin;
    emitter_.Alert(f, ctx, st->done);
  }
}

void Worker::ProcessChunk(const StatePtr& st, const UploadHeaders& h, std::string_view bytes) {
  const UploadChunk& chunk = *h.chunk;
  // Namespaced by repo so two repositories cannot collide on an upload id.
  const std::string key = h.repo + '\x1f' + chunk.upload_id;
  const uint64_t tag = next_tag_++;
  auto outcome = engines_.Feed(key, {h.repo, h.path}, chunk.index, chunk.final, bytes, tag);
  using Kind = UploadStreams::ChunkOutcome::Kind;
  if (outcome.kind == Kind::kScanned || outcome.kind == Kind::kFinished) {
    if (outcome.tag == tag) {  // this chunk started the upload
      auto chunks = std::make_shared<std::vector<CompletionPtr>>();
      UploadGroup group;
      group.chunks = chunks;
      group.done = std::make_shared<Completion>([chunks] {
        for (const auto& c : *chunks) c->Release();
      });
      group.identity = {{"repo", h.repo}, {"path", h.path}, {"upload-id", chunk.upload_id}};
      groups_.emplace(tag, std::move(group));
      if (outcome.orphan) {
        Log(LogLevel::kInfo, "upload-partial",
            {{"origin", OriginText(st->origin)}, {"chunk", chunk.index}});
      }
    }
    UploadGroup& group = groups_.at(outcome.tag);
    st->done->Hold();  // released when the upload is complete
    group.chunks->push_back(st->done);
    group.last_origin = st->origin;
  }
  // Alerts first: they hold the upload open before it may complete below.
  EmitUploadFindings(outcome.findings);
  CloseUploads(outcome.closed);
  if (outcome.kind == Kind::kGap) DeadLetter(st, DecodeError::kChunkGap);
}

void Worker::EmitUploadFindings(const std::vector<LocatedStreamFinding>& found) {
  for (const auto& lf : found) {
    auto group = groups_.find(lf.tag);
    if (group == groups_.end()) continue;  // cannot happen: groups outlive their findings
    AlertContext ctx;
    ctx.source = "upload";
    ctx.location = {lf.label.repo, "", lf.label.path, lf.position.line, lf.position.column};
    ctx.origin = group->second.last_origin;
    emitter_.Alert(lf.finding, ctx, group->second.done);
  }
}

void Worker::CloseUploads(const std::vector<ClosedUpload>& closed) {
  for (const ClosedUpload& c : closed) {
    auto it = groups_.find(c.tag);
    if (it == groups_.end()) continue;
    UploadGroup& group = it->second;
    metrics_.UploadClosed(std::string(kUploadEnds.Name(c.end)));
    if (c.end == UploadEnd::kEvicted) {
      emitter_.DeadLetterNotice(group.identity, group.last_origin, DecodeError::kUploadEvicted,
                                group.done);
    } else if (c.end == UploadEnd::kExpired) {
      Log(LogLevel::kWarn, "upload-expired",
          {{"origin", OriginText(group.last_origin)}, {"chunks", group.chunks->size()}});
    }
    group.done->Release();  // the upload is no longer open
    groups_.erase(it);
  }
}

void Worker::ExpireUploads() {
  auto outcome = engines_.Expire();
  if (outcome.closed.empty()) return;
  EmitUploadFindings(outcome.findings);
  CloseUploads(outcome.closed);
  open_uploads_ = engines_.open_uploads();
  if (outcome.closed.size() >= kTrimAfterClosing) malloc_trim(0);
}

}  // namespace leakd
