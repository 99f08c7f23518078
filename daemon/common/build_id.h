// The identity of the code that is running, for the keys of on-disk caches
// that hold what this code computed (compiled databases, parsed rules).
// Invariant: builds of different code never share an identity, so an upgraded
// or rebuilt leakd never loads what other code cached, whether or not the
// version number or a cache format constant changed; every binary built from
// the same code (leakd, the tests, the fuzz targets) shares one. Pure; any
// thread.
#pragma once

#include <string>

namespace leakd {

// LEAKD_VERSION, "+", and 24 hex digits of a SHA-256 over the contents of
// every source file under daemon/ (daemon/source_identity.cmake, at build time).
const std::string& BuildIdentity();

}  // namespace leakd
