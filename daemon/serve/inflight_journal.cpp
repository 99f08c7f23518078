#include "serve/inflight_journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <tuple>

#include "common/whole_file.h"

namespace leakd {
namespace {

constexpr char kMagic[8] = {'L', 'E', 'A', 'K', 'D', 'J', '0', '1'};
constexpr uint32_t kFree = 0;
constexpr uint32_t kBusy = 0x42555359;  // "BUSY": a stray byte is not read as busy
constexpr size_t kMaxTopic = 256;       // Kafka allows 249 characters
constexpr size_t kMaxSlots = 4096;
constexpr int kMaxFiles = 64;

struct Header {
  char magic[8];
  uint32_t slot_count;
  uint32_t slot_bytes;
};

[[noreturn]] void Fail(const std::string& what, const std::string& path) {
  throw std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

struct InflightJournal::Slot {
  uint32_t state;
  uint32_t topic_len;
  int32_t partition;
  int32_t reserved;
  int64_t offset;
  char topic[kMaxTopic];
};

bool InflightEntry::operator<(const InflightEntry& o) const {
  return std::tie(topic, partition, offset) < std::tie(o.topic, o.partition, o.offset);
}

bool InflightEntry::operator==(const InflightEntry& o) const {
  return topic == o.topic && partition == o.partition && offset == o.offset;
}

std::string JournalFileStem(const std::string& name) {
  std::string stem = name.empty() ? "leakd" : name;
  for (char& c : stem) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '_' || c == '-';
    if (!plain) c = '_';
  }
  if (stem.size() > 128) stem.resize(128);
  if (stem[0] == '.') stem[0] = '_';  // never "." or ".."
  return stem;
}

std::unique_ptr<InflightJournal> InflightJournal::Open(const std::string& dir,
                                                       const std::string& name) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create state_dir " + dir + ": " + ec.message());
  const std::string stem = dir + "/" + JournalFileStem(name) + ".";
  for (int n = 0; n < kMaxFiles; ++n) {
    const std::string path = stem + std::to_string(n) + ".inflight";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) Fail("cannot open", path);
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
      return std::unique_ptr<InflightJournal>(new InflightJournal(fd, path));
    }
    const int lock_errno = errno;
    ::close(fd);
    errno = lock_errno;
    if (lock_errno != EWOULDBLOCK) Fail("cannot lock", path);
  }
  errno = EWOULDBLOCK;
  Fail("every journal is held by a live process:", stem + "*.inflight");
}

InflightJournal::InflightJournal(int fd, std::string path) : fd_(fd), path_(std::move(path)) {
  // Bounded: a journal is never larger than kMaxSlots slots.
  const std::string bytes =
      ReadWholeFile(path_, sizeof(Header) + kMaxSlots * sizeof(Slot)).value_or("");
  if (bytes.size() < sizeof(Header)) return;
  Header h;
  std::memcpy(&h, bytes.data(), sizeof h);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0 || h.slot_bytes != sizeof(Slot) ||
      h.slot_count > kMaxSlots || bytes.size() != sizeof(Header) + h.slot_count * sizeof(Slot)) {
    return;
  }
  for (uint32_t i = 0; i < h.slot_count; ++i) {
    Slot s;
    std::memcpy(&s, bytes.data() + sizeof(Header) + i * sizeof(Slot), sizeof s);
    if (s.state != kBusy || s.topic_len == 0 || s.topic_len > kMaxTopic || s.partition < 0 ||
        s.offset < 0) {
      continue;
    }
    recovered_.push_back({std::string(s.topic, s.topic_len), s.partition, s.offset});
  }
}

InflightJournal::~InflightJournal() {
  Unmap();
  ::close(fd_);  // releases the lock
}

void InflightJournal::Unmap() {
  if (map_) munmap(map_, map_bytes_);
  map_ = nullptr;
  slots_ = nullptr;
  slot_count_ = 0;
}

void InflightJournal::Reset(size_t slots) {
  Unmap();
  slots = std::min(std::max<size_t>(slots, 1), kMaxSlots);
  const size_t bytes = sizeof(Header) + slots * sizeof(Slot);
  if (ftruncate(fd_, 0) != 0) Fail("cannot size", path_);
  // Blocks allocated now: a store into a hole of a mapped file on a full disk
  // is a SIGBUS, which is the crash this file exists to survive.
  if (const int e = posix_fallocate(fd_, 0, static_cast<off_t>(bytes)); e != 0) {
    errno = e;
    Fail("cannot allocate", path_);
  }
  void* map = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
  if (map == MAP_FAILED) Fail("cannot map", path_);
  map_ = map;
  map_bytes_ = bytes;
  Header h;
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.slot_count = static_cast<uint32_t>(slots);
  h.slot_bytes = sizeof(Slot);
  std::memcpy(map_, &h, sizeof h);  // the slots are zero (kFree) after ftruncate
  slots_ = reinterpret_cast<Slot*>(static_cast<char*>(map_) + sizeof(Header));
  slot_count_ = slots;
  recovered_.clear();
}

// The busy mark is cleared first and written last, with compiler fences
// between it and the fields. A killed thread stops between two instructions
// and every store before that point reaches the page cache, so the
// compiler's order is the only one that matters: a death between any two
// stores leaves either a free slot or a complete entry.
void InflightJournal::Begin(size_t slot, const InflightEntry& entry) {
  if (slot >= slot_count_) return;
  Slot& s = slots_[slot];
  *reinterpret_cast<volatile uint32_t*>(&s.state) = kFree;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  const size_t len = std::min(entry.topic.size(), kMaxTopic);
  if (s.topic_len != len || std::memcmp(s.topic, entry.topic.data(), len) != 0) {
    std::memcpy(s.topic, entry.topic.data(), len);
    s.topic_len = static_cast<uint32_t>(len);
  }
  s.partition = entry.partition;
  s.offset = entry.offset;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  *reinterpret_cast<volatile uint32_t*>(&s.state) = kBusy;
}

void InflightJournal::End(size_t slot) {
  if (slot >= slot_count_) return;
  *reinterpret_cast<volatile uint32_t*>(&slots_[slot].state) = kFree;
}

}  // namespace leakd
