// Path globs as .gitignore and .gitleaksignore write them, for `leakd scan`'s
// ignore files. Pure functions; any thread.
//
//   *    any run of characters except '/'
//   **   any run of characters, '/' included ("a/**/b", "**/fixtures", "dist/**")
//   ?    one character except '/'
//   other characters match themselves.
#pragma once

#include <string_view>

namespace leakd {

// True if the whole of `path` matches `glob`.
bool MatchesGlob(std::string_view glob, std::string_view path);

// True if `relative_path` (from the scan root, '/'-separated) is ignored by one
// ignore-file line, read the .gitignore way: a leading '/' or a '/' inside
// anchors the glob at the root, else it matches a file or directory name at any
// depth; a trailing '/' matches directories only; a directory that matches
// ignores everything under it.
bool IgnoresPath(std::string_view ignore_line, std::string_view relative_path);

}  // namespace leakd
