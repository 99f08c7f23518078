#include "serve/strike_book.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "common/whole_file.h"

namespace leakd {
namespace {

constexpr size_t kMaxLine = 512;  // a topic has at most 249 characters
constexpr unsigned kMaxStrikes = 1000;

// "3\t0\t42\tleakd.commits" → entry and strikes; false for anything else.
bool ParseLine(const std::string& line, InflightEntry* entry, unsigned* strikes) {
  if (line.size() > kMaxLine) return false;
  std::istringstream in(line);
  long long count = 0, partition = 0, offset = 0;
  std::string topic;
  if (!(in >> count >> partition >> offset)) return false;
  if (in.get() != '\t' || !std::getline(in, topic)) return false;
  if (count < 1 || count > kMaxStrikes || partition < 0 || partition > INT32_MAX || offset < 0 ||
      topic.empty() || topic.find('\t') != std::string::npos) {
    return false;
  }
  *entry = {topic, static_cast<int32_t>(partition), static_cast<int64_t>(offset)};
  *strikes = static_cast<unsigned>(count);
  return true;
}

}  // namespace

void StrikeBook::Load() {
  strikes_.clear();
  // Bounded before it is read: a book of kMaxEntries lines is ~300 KB, and a
  // getline over a hostile file would have held any line whole.
  std::istringstream in(ReadWholeFile(path_, 4 * kMaxEntries * kMaxLine).value_or(""));
  std::string line;
  for (size_t lines = 0; lines < 4 * kMaxEntries && std::getline(in, line); ++lines) {
    InflightEntry entry;
    unsigned count = 0;
    if (ParseLine(line, &entry, &count)) strikes_[entry] = std::max(strikes_[entry], count);
  }
  Bound();
}

void StrikeBook::Save() const {
  std::string text;
  for (const auto& [entry, count] : strikes_) {
    text += std::to_string(count) + '\t' + std::to_string(entry.partition) + '\t' +
            std::to_string(entry.offset) + '\t' + entry.topic + '\n';
  }
  if (!WriteWholeFileAtomically(path_, text)) throw std::runtime_error("cannot write " + path_);
}

void StrikeBook::Strike(const std::vector<InflightEntry>& entries) {
  for (const InflightEntry& e : entries) {
    unsigned& count = strikes_[e];
    count = std::min(count + 1, kMaxStrikes);
  }
  Bound();
}

unsigned StrikeBook::Count(const InflightEntry& entry) const {
  auto it = strikes_.find(entry);
  return it == strikes_.end() ? 0 : it->second;
}

bool StrikeBook::Clear(const InflightEntry& entry) {
  return strikes_.erase(entry) > 0;
}

void StrikeBook::Bound() {
  while (strikes_.size() > kMaxEntries) {
    auto weakest = std::min_element(strikes_.begin(), strikes_.end(), [](auto& a, auto& b) {
      return a.second != b.second ? a.second < b.second : a.first.offset < b.first.offset;
    });
    strikes_.erase(weakest);
  }
}

}  // namespace leakd
