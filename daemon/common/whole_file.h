// Whole-file reads and atomic whole-file writes, for the caches (compiled
// pattern databases, parsed rules): a reader never sees half a file, even
// with several processes writing the same entry at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace leakd {

// The file's bytes; nullopt if it cannot be opened or read.
std::optional<std::string> ReadWholeFile(const std::string& path);

// Writes `bytes` to a temporary file beside `path` (creating the directory),
// then renames it over `path`. False (and nothing left behind) on failure.
bool WriteWholeFileAtomically(const std::string& path, std::string_view bytes);

}  // namespace leakd
