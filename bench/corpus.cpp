#include "corpus.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace leakd::bench {
namespace fs = std::filesystem;

Corpus BuildCorpus(size_t bytes, size_t plant_count, const RuleSet& rules) {
  std::vector<fs::path> headers;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator("/usr/include", ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->is_regular_file(ec) && it->path().extension() == ".h") headers.push_back(it->path());
  }
  std::sort(headers.begin(), headers.end());
  Corpus corpus;
  corpus.text.reserve(bytes + (1 << 20));
  while (corpus.text.size() < bytes && !headers.empty()) {
    for (const auto& h : headers) {
      std::ifstream in(h, std::ios::binary);
      std::stringstream s;
      s << in.rdbuf();
      corpus.text += s.str();
      if (corpus.text.size() >= bytes) break;
    }
  }
  corpus.text.resize(bytes);
  // Plant on line boundaries so that each example keeps its own context.
  const size_t stride = bytes / (plant_count + 1);
  for (size_t i = 0; i < plant_count; ++i) {
    const Rule& rule = rules[i % rules.size()];
    const std::string insert = "\n" + rule.examples.front() + "\n";
    size_t at = corpus.text.find('\n', (i + 1) * stride);
    if (at == std::string::npos || at + insert.size() > corpus.text.size()) break;
    corpus.text.replace(at, insert.size(), insert);
    ++corpus.planted;
  }
  return corpus;
}

}  // namespace leakd::bench
