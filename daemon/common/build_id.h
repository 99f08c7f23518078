// The identity of the running program's build, for keys of on-disk caches
// that hold what this build computed (compiled databases, parsed rules).
// Invariant: two builds of different code never share an identity, so an
// upgraded leakd never loads what an older one cached, whether or not its
// version number or a cache format constant changed. Pure; any thread.
#pragma once

#include <string>

namespace leakd {

// The GNU build ID of the main program (the linker's hash of its contents;
// Debian's toolchain writes one into every binary), in lowercase hex, with
// LEAKD_VERSION before it. Without a build ID note: LEAKD_VERSION alone.
const std::string& BuildIdentity();

// The GNU build ID among the notes of a PT_NOTE segment (its `size` bytes), in
// hex; "" when there is none or the notes are malformed. BuildIdentity reads
// the main program's segments with it; tests feed it notes of their own.
std::string GnuBuildIdHex(const void* notes, size_t size);

}  // namespace leakd
