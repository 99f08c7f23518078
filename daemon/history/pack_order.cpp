#include "history/pack_order.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <string>
#include <tuple>
#include <utility>

#include "common/mapped_file.h"

namespace leakd {
namespace {

constexpr size_t kHeader = 8, kFanout = 256 * 4, kIdSize = 20;

uint32_t Be32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// One version-2 pack index: sorted ids, then CRCs, then 31-bit offsets whose
// top bit points into a table of 64-bit ones.
class PackIndex {
 public:
  bool Open(const std::string& path) {
    path_ = path;
    std::string error;
    if (!file_.Open(path, &error) || file_.size() < kHeader + kFanout) return false;
    base_ = reinterpret_cast<const unsigned char*>(file_.data().data());
    if (std::memcmp(base_, "\377tOc\0\0\0\2", kHeader) != 0) return false;
    count_ = Be32(base_ + kHeader + 255 * 4);
    if (kHeader + kFanout + size_t{count_} * (kIdSize + 8) > file_.size()) return false;
    ids_ = base_ + kHeader + kFanout;
    offsets_ = ids_ + size_t{count_} * (kIdSize + 4);  // past the ids and their CRCs
    large_ = offsets_ + size_t{count_} * 4;
    return true;
  }
  uint32_t count() const { return count_; }
  const std::string& path() const { return path_; }
  // The i-th id (in id order) and its offset; false when the offset is unreadable.
  bool Entry(size_t i, git_oid* id, uint64_t* offset) const {
    std::memcpy(id->id, ids_ + i * kIdSize, kIdSize);
    return Read(i, offset);
  }
  // False when the id is not in this pack.
  bool Offset(const git_oid& id, uint64_t* offset) const {
    const unsigned first = id.id[0];
    size_t lo = first ? Be32(base_ + kHeader + (first - 1) * 4) : 0;
    size_t hi = Be32(base_ + kHeader + first * 4);
    while (lo < hi) {
      const size_t mid = (lo + hi) / 2;
      const int c = std::memcmp(ids_ + mid * kIdSize, id.id, kIdSize);
      if (c == 0) return Read(mid, offset);
      if (c < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
    return false;
  }

 private:
  bool Read(size_t i, uint64_t* offset) const {
    const uint32_t small = Be32(offsets_ + i * 4);
    if (!(small & 0x80000000u)) {
      *offset = small;
      return true;
    }
    const unsigned char* p = large_ + size_t{small & 0x7fffffffu} * 8;
    if (p + 8 > base_ + file_.size()) return false;
    *offset = (uint64_t{Be32(p)} << 32) | Be32(p + 4);
    return true;
  }

  std::string path_;
  MappedFile file_;
  const unsigned char *base_ = nullptr, *ids_ = nullptr, *offsets_ = nullptr, *large_ = nullptr;
  uint32_t count_ = 0;
};

// The repository's own pack indexes that can be read, in name order.
std::vector<PackIndex> OpenPacks(git_repository* repo) {
  namespace fs = std::filesystem;
  std::vector<PackIndex> packs;
  std::error_code ec;
  const fs::path dir = fs::path(git_repository_path(repo)) / "objects" / "pack";
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".idx") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  for (const fs::path& path : paths) {
    packs.emplace_back();
    if (!packs.back().Open(path.string())) packs.pop_back();
  }
  return packs;
}

// The type of each entry of one pack, from the entry headers alone (no
// inflating): a delta has its base's type. kUnknown when the pack cannot be
// read or a chain cannot be followed (a base in another pack, damage).
constexpr int kUnknown = 0;
class EntryTypes {
 public:
  EntryTypes(const PackIndex& index, const std::vector<std::pair<uint64_t, git_oid>>& by_offset)
      : index_(index), entries_(by_offset), memo_(by_offset.size(), kUnresolved) {
    std::string path = index.path();
    path.replace(path.size() - 4, 4, ".pack");
    std::string error;
    if (!pack_.Open(path, &error)) std::fill(memo_.begin(), memo_.end(), kUnknown);
  }

  int Of(size_t i) {
    std::vector<size_t> chain;
    int type = kUnknown;
    for (size_t at = i;;) {
      if (memo_[at] != kUnresolved) {
        type = memo_[at] == kInChain ? kUnknown : memo_[at];  // kInChain: a cycle
        break;
      }
      chain.push_back(at);
      memo_[at] = kInChain;
      int base_type = kUnknown;
      if (!Step(entries_[at].first, &base_type, &at)) {
        type = base_type;
        break;
      }
    }
    for (size_t k : chain) memo_[k] = static_cast<int8_t>(type);
    return type;
  }

 private:
  static constexpr int8_t kUnresolved = -1, kInChain = -2;
  static constexpr int kOfsDelta = 6, kRefDelta = 7;

  // The entry at `offset`: false with its type (or kUnknown), or true with
  // *base set to the index of the entry its delta is against.
  bool Step(uint64_t offset, int* type, size_t* base) const {
    const auto* data = reinterpret_cast<const unsigned char*>(pack_.data().data());
    const unsigned char* end = data + pack_.size();
    if (offset >= pack_.size()) return false;
    const unsigned char* p = data + offset;
    unsigned c = *p++;
    const int kind = (c >> 4) & 7;
    while (c & 0x80) {  // the size, not needed here
      if (p == end) return false;
      c = *p++;
    }
    uint64_t base_offset = 0;
    if (kind == kOfsDelta) {
      if (p == end) return false;
      c = *p++;
      uint64_t back = c & 0x7f;
      while (c & 0x80) {
        if (p == end || back > (UINT64_MAX >> 8)) return false;
        c = *p++;
        back = ((back + 1) << 7) | (c & 0x7f);
      }
      if (back == 0 || back > offset) return false;
      base_offset = offset - back;
    } else if (kind == kRefDelta) {
      git_oid id;
      if (end - p < GIT_OID_RAWSZ) return false;
      std::memcpy(id.id, p, GIT_OID_RAWSZ);
      if (!index_.Offset(id, &base_offset)) return false;
    } else {
      *type = kind >= GIT_OBJECT_COMMIT && kind <= GIT_OBJECT_TAG ? kind : kUnknown;
      return false;
    }
    auto it = std::lower_bound(entries_.begin(), entries_.end(), base_offset,
                               [](const auto& e, uint64_t o) { return e.first < o; });
    if (it == entries_.end() || it->first != base_offset) return false;
    *base = static_cast<size_t>(it - entries_.begin());
    return true;
  }

  const PackIndex& index_;
  const std::vector<std::pair<uint64_t, git_oid>>& entries_;
  std::vector<int8_t> memo_;
  MappedFile pack_;
};

}  // namespace

std::vector<git_oid> PackedObjects(git_repository* repo) {
  std::vector<git_oid> ids;
  for (const PackIndex& pack : OpenPacks(repo)) {
    std::vector<std::pair<uint64_t, git_oid>> entries;
    entries.reserve(pack.count());
    for (size_t i = 0; i < pack.count(); ++i) {
      git_oid id;
      uint64_t offset = 0;
      if (pack.Entry(i, &id, &offset)) entries.emplace_back(offset, id);
    }
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    EntryTypes types(pack, entries);
    for (size_t i = 0; i < entries.size(); ++i) {
      const int type = types.Of(i);
      if (type == kUnknown || type == GIT_OBJECT_BLOB) ids.push_back(entries[i].second);
    }
  }
  return ids;
}

std::vector<uint32_t> PackOrder(git_repository* repo, const std::vector<git_oid>& ids) {
  const std::vector<PackIndex> packs = OpenPacks(repo);
  struct Key {
    size_t pack;  // packs.size(): in no pack
    uint64_t offset;
  };
  std::vector<Key> keys(ids.size(), Key{packs.size(), 0});
  for (size_t i = 0; i < ids.size(); ++i) {
    for (size_t p = 0; p < packs.size(); ++p) {
      if (packs[p].Offset(ids[i], &keys[i].offset)) {
        keys[i].pack = p;
        break;
      }
    }
  }
  std::vector<uint32_t> order(ids.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return std::tie(keys[a].pack, keys[a].offset) < std::tie(keys[b].pack, keys[b].offset);
  });
  return order;
}

}  // namespace leakd
