// MappedFile: a read-only view of a whole file, memory-mapped so that scanning
// a large file costs no copy. Owned by one thread; movable, not copyable.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace leakd {

class MappedFile {
 public:
  MappedFile() = default;
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // Maps `path`. On failure returns false and sets `error` (no secret inside:
  // only the path and the system's reason).
  bool Open(const std::string& path, std::string* error);
  std::string_view data() const { return {static_cast<const char*>(addr_), size_}; }
  size_t size() const { return size_; }

 private:
  void Close();
  void* addr_ = nullptr;
  size_t size_ = 0;
};

}  // namespace leakd
