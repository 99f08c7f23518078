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

}  // namespace leakd
