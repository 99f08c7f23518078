#include "common/build_id.h"

#include <elf.h>
#include <link.h>

#include <cstring>

namespace leakd {

std::string GnuBuildIdHex(const void* notes, size_t size) {
  static const char kHex[] = "0123456789abcdef";
  const auto* p = static_cast<const unsigned char*>(notes);
  const auto align4 = [](size_t n) { return (n + 3) & ~size_t{3}; };
  size_t at = 0;
  while (at + sizeof(ElfW(Nhdr)) <= size) {
    ElfW(Nhdr) header;
    std::memcpy(&header, p + at, sizeof header);
    const size_t name_at = at + sizeof header;
    const size_t desc_at = name_at + align4(header.n_namesz);
    const size_t next = desc_at + align4(header.n_descsz);
    if (desc_at > size || header.n_descsz > size - desc_at || next < desc_at) return "";
    if (header.n_type == NT_GNU_BUILD_ID && header.n_namesz == 4 &&
        std::memcmp(p + name_at, "GNU", 4) == 0) {
      std::string hex;
      for (size_t i = 0; i < header.n_descsz; ++i) {
        hex += kHex[p[desc_at + i] >> 4];
        hex += kHex[p[desc_at + i] & 15];
      }
      return hex;
    }
    at = next;
  }
  return "";
}

namespace {

// dl_iterate_phdr lists the main program first.
int ReadMainProgram(struct dl_phdr_info* info, size_t, void* out) {
  for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& segment = info->dlpi_phdr[i];
    if (segment.p_type != PT_NOTE) continue;
    const void* notes = reinterpret_cast<const void*>(info->dlpi_addr + segment.p_vaddr);
    std::string id = GnuBuildIdHex(notes, segment.p_memsz);
    if (!id.empty()) {
      *static_cast<std::string*>(out) = std::move(id);
      break;
    }
  }
  return 1;  // the main program only
}

}  // namespace

const std::string& BuildIdentity() {
  static const std::string identity = [] {
    std::string id;
    dl_iterate_phdr(ReadMainProgram, &id);
    return std::string(LEAKD_VERSION) + (id.empty() ? "" : "+" + id);
  }();
  return identity;
}

}  // namespace leakd
