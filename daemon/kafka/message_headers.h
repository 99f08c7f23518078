// A consumed message's headers as (name, value) pairs, in order, duplicates
// kept: what the upload decoder reads and what a dead letter carries on.
// A header with a null value comes back with an empty one. Any thread.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace RdKafka {
class Message;
}

namespace leakd {

std::vector<std::pair<std::string, std::string>> HeadersOf(RdKafka::Message& message);

}  // namespace leakd
