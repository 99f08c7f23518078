// ScanEngines: one worker's scanner and chunked-upload streams, across rule
// reloads (serve/rules_reloader.h).
//
// The current database scans every whole message and every upload that
// starts after it was adopted. An upload already open when a new database is
// adopted finishes on the database it started on (a Hyperscan stream cannot
// change database midway): its streams and their scanner are retired, not
// dropped, and its later chunks go there; a retired set is freed once its last
// upload has closed (finished, gap, expiry or eviction). The upload caps apply
// to each set; retired sets only shrink.
//
// Not thread-safe: owned by one worker.
#pragma once

#include <memory>
#include <vector>

#include "ingest/upload_streams.h"
#include "scan/scanner.h"

namespace leakd {

class ScanEngines {
 public:
  ScanEngines(std::shared_ptr<const PatternDatabase> db, UploadLimits limits);

  // Scans whole messages with the current database.
  Scanner& scanner() { return current_->scanner; }
  const PatternDatabase& database() const { return current_->scanner.database(); }
  // Makes `db` current; open uploads go on with the database they started on.
  void Adopt(std::shared_ptr<const PatternDatabase> db);

  // UploadStreams::Feed on the set that holds upload `key` (the current one
  // for a new upload).
  UploadStreams::ChunkOutcome Feed(const std::string& key, const UploadLabel& label, uint64_t chunk,
                                   bool final, std::string_view bytes, uint64_t new_tag);
  // UploadStreams::Expire on every set.
  UploadStreams::ExpiryOutcome Expire();

  size_t open_uploads() const;
  size_t retired_sets() const { return retired_.size(); }

 private:
  struct Engine {
    Engine(std::shared_ptr<const PatternDatabase> db, UploadLimits limits)
        : scanner(db), uploads(db, limits) {}
    Scanner scanner;
    UploadStreams uploads;
  };
  void DropIdleRetired();

  UploadLimits limits_;
  std::unique_ptr<Engine> current_;
  std::vector<std::unique_ptr<Engine>> retired_;
};

}  // namespace leakd
