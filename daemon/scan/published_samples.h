// Published sample credentials: values that vendors print in their
// documentation (AWS's AKIAIOSFODNN7EXAMPLE …). They are not live, but they
// are real-format credentials that people copy into code and tests, so a
// finding of one is reported marked `fixture` rather than dropped as a
// placeholder. Exact values only (and, for identifiers, ARNs holding one of
// AWS's documentation account IDs, 123456789012 …, and the bucket names
// documentation writes, my-bucket, amzn-s3-demo-…): made-up "EXAMPLE" strings stay
// placeholders (scan/validators.h LooksLikePlaceholder). Pure; any thread.
#pragma once

#include <string_view>

namespace leakd {

bool IsPublishedSample(std::string_view secret);

}  // namespace leakd
