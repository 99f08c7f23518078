#include "scan/published_samples.h"

namespace leakd {

bool IsPublishedSample(std::string_view secret) {
  static constexpr std::string_view kSamples[] = {
      // AWS IAM and SDK documentation.
      "AKIAIOSFODNN7EXAMPLE",
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "AKIAI44QH8DHBEXAMPLE",
      "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
      // Stripe API reference.
      "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
      "pk_test_TYooMQauvdEDq54NiTphI7jx",
  };
  for (std::string_view sample : kSamples) {
    if (secret == sample) return true;
  }
  return false;
}

}  // namespace leakd
