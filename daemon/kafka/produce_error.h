// Which produce errors are worth retrying. A retriable error (a broker away, a
// leader moving, a timeout) may succeed on a later attempt; a permanent one (a
// record larger than the broker or the client accepts, a topic that does not
// exist or that leakd may not write) fails the same way every time, so
// retrying it forever would wedge whoever waits for the record. A client's own
// fatal error is not the record's fault: the client is replaced and the record
// sent again (kafka/record_producer.h). Pure.
#pragma once

namespace leakd {

// `error` is a librdkafka error code (RdKafka::ErrorCode / rd_kafka_resp_err_t).
bool IsPermanentProduceError(int error);
// The permanent errors that are about the record itself (too large,
// malformed): no retry of that record can succeed, whatever the topic does.
// The others are about the topic or the client's rights (missing, forbidden)
// and pass once someone fixes them.
bool RefusesRecord(int error);

}  // namespace leakd
