#include "serve_load.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <thread>

#include "scan/validators.h"

namespace leakd::bench {

int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch())
      .count();
}

std::string Token(std::mt19937& rng) {
  // A checksummed token is never taken for a placeholder (scan/scanner.cpp),
  // so every token drawn here is alerted on.
  const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string body;
  for (int i = 0; i < 30; ++i) body += a[rng() % 62];
  return GithubStyleToken("ghp_", body);
}

std::string Filler(size_t n) {
  std::string s;
  while (s.size() < n) s += " counter += step  # accumulate the running total for the report\n";
  s.resize(n);
  return s;
}

std::string CommitEvent(const std::string& commit, const std::string& added) {
  std::string patch = "@@ -1 +1,2 @@\n ctx\n";
  size_t from = 0;
  while (from < added.size()) {
    size_t nl = added.find('\n', from);
    if (nl == std::string::npos) nl = added.size();
    patch += "+" + added.substr(from, nl - from) + "\n";
    from = nl + 1;
  }
  nlohmann::json files = nlohmann::json::array();
  files.push_back({{"path", "src/app.py"}, {"patch", patch}});
  return nlohmann::json{{"repo", "bench/repo"}, {"commit", commit}, {"files", files}}.dump();
}

std::string StampedEvent(std::mt19937& rng) {
  return CommitEvent("t" + std::to_string(NowUs()), Filler(400) + "TOKEN=\"" + Token(rng) + "\"");
}

std::string BulkEvent(std::mt19937& rng, bool with_token) {
  return CommitEvent("x", Filler(3900) + "\nTOKEN=\"" +
                              (with_token ? Token(rng) : Filler(40).substr(1, 40)) + "\"");
}

OutRecord UploadChunk(std::mt19937& rng, const std::string& topic, int index, size_t bytes) {
  const std::string id = "up" + std::to_string(index / 3);
  std::vector<std::pair<std::string, std::string>> h = {{"repo", "bench/repo"},
                                                        {"path", "weights" + id + ".txt"},
                                                        {"upload-id", id},
                                                        {"chunk", std::to_string(index % 3)}};
  if (index % 3 == 2) h.emplace_back("final", "true");
  std::string value = Filler(bytes / 2) + "\nTOKEN=\"" + Token(rng) + "\"\n";
  value += Filler(bytes - value.size());
  return {topic, id, std::move(value), std::move(h)};
}

Percentiles Summarize(std::vector<double> v) {
  if (v.empty()) return {};
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<size_t>(q * v.size()))]; };
  return {at(0.50), at(0.99), v.back()};
}

void PushAtRate(RecordProducer& pusher, const std::string& topic, int rate, int total,
                std::mt19937& rng) {
  const auto start = Clock::now();
  for (int i = 0; i < total; ++i) {
    std::this_thread::sleep_until(start +
                                  std::chrono::microseconds(static_cast<int64_t>(1e6 * i / rate)));
    pusher.Produce({topic, "k" + std::to_string(i), StampedEvent(rng), {}}, nullptr);
  }
}

}  // namespace leakd::bench
