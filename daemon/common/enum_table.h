// EnumTable: the one place an enum's names are written, read in both
// directions (enum → name for output, name → enum for parsing). A constexpr
// array of pairs; lookups are linear, which beats a map for the handful of
// values an enum here has.
//
// Invariant: each value and each name appears once (the unit test checks the
// tables it knows; a duplicate makes Parse pick the first).
#pragma once

#include <array>
#include <string_view>

namespace leakd {

template <typename E>
struct EnumName {
  E value;
  std::string_view name;
};

template <typename E, size_t N>
struct EnumTable {
  std::array<EnumName<E>, N> entries;

  // The value's name, or `fallback` for a value missing from the table
  // (a cast integer): output never crashes on it.
  constexpr std::string_view Name(E value, std::string_view fallback = "unknown") const {
    for (const auto& [v, name] : entries) {
      if (v == value) return name;
    }
    return fallback;
  }

  // The value named `text` exactly (case-sensitive); false if none.
  constexpr bool Parse(std::string_view text, E* out) const {
    for (const auto& [v, name] : entries) {
      if (name == text) {
        *out = v;
        return true;
      }
    }
    return false;
  }
};

// Deduces N: constexpr auto kNames = MakeEnumTable<Color>({{{Color::kRed, "red"}, …}});
template <typename E, size_t N>
constexpr EnumTable<E, N> MakeEnumTable(const EnumName<E> (&entries)[N]) {
  EnumTable<E, N> table{};
  for (size_t i = 0; i < N; ++i) table.entries[i] = entries[i];
  return table;
}

}  // namespace leakd
