// Whole-file reads and atomic whole-file writes, for the caches (compiled
// pattern databases, parsed rules): a reader never sees half a file, even
// with several processes writing the same entry at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace leakd {

// The file's bytes; nullopt if it cannot be opened or read, or is larger
// than `max_bytes` (a file another process may have filled with anything).
std::optional<std::string> ReadWholeFile(const std::string& path,
                                         size_t max_bytes = static_cast<size_t>(-1));

// Writes `bytes` to a temporary file beside `path` (creating the directory),
// then renames it over `path`. False (and nothing left behind) on failure.
bool WriteWholeFileAtomically(const std::string& path, std::string_view bytes);

}  // namespace leakd
