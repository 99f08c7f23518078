// Parses sizes such as "4096", "512K", "25M", "1G" (binary units).
#pragma once

#include <cstdint>
#include <string>

namespace leakd {
bool ParseSize(const std::string& text, uint64_t* bytes);
}  // namespace leakd
