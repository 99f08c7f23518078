// Fixture paths: files that hold test data, examples or documentation rather
// than configuration (tests/, fixtures/, docs/, *_test.go, .env.example …).
// A secret found there is still reported, marked `fixture`, so that a reader
// or an alert consumer can rank it below one in live configuration: a real key
// pasted into a test is still a leak. Pure function; any thread.
#pragma once

#include <string_view>

namespace leakd {

// True if `path` ('/'-separated; relative to the repository or scan root, so
// that a checkout under /home/me/tests/ is not all fixtures) names a test,
// fixture, example, sample or documentation file or lies in such a folder.
bool IsFixturePath(std::string_view path);

}  // namespace leakd
