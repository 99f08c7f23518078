#include "forward/parking.h"

#include "common/clip_text.h"
#include "common/log.h"
#include "forward/records.h"

namespace leakd {

void Parking::Park(const ForwardItem& item, const std::string& route, int status,
                   const std::string& reason, const std::string& detail,
                   std::function<void()> done) {
  OutRecord record{topic_,
                   item.fingerprint.empty()
                       ? std::nullopt
                       : std::optional<std::string>(ClipText(item.fingerprint)),
                   BuildDeadLetter(item, route, status, reason, detail),
                   {{"leakd-error", reason}, {"leakd-status", std::to_string(status)}}};
  Log(LogLevel::kWarn, "forward-dead-letter",
      {{"route", route},
       {"status", status},
       {"reason", reason},
       {"fingerprint", item.fingerprint},
       {"redacted", item.redacted},
       {"alert_partition", item.key.partition},
       {"alert_offset", item.offset}});
  // Parking is the last resort for this alert: a refusal of the topic
  // (missing, forbidden) is retried until the topic takes it, the offset
  // held. The record is clipped small (records.h), so a refusal of the
  // record itself means a broker limit below any alert: said, and passed.
  producer_.Produce(
      std::move(record),
      [this, reason, done = std::move(done), fp = item.fingerprint](const Delivery& d) {
        if (d.status == DeliveryStatus::kAborted) return;  // shutdown: redelivered
        if (d.status == DeliveryStatus::kRejected) {
          Log(LogLevel::kError, "forward-dead-letter-refused",
              {{"fingerprint", fp}, {"error", d.reason}});
        } else {
          metrics_.DeadLetter(reason);
        }
        done();
      },
      OnRefusal::kRetry);
}

}  // namespace leakd
