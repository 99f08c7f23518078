// Engine throughput on one thread: raw Hyperscan (same database, empty
// callback) against the whole leakd engine (stages 1-3), on the same corpus in
// the same process, so the ratio holds on a noisy shared machine.
//
//   leakd_engine_bench [--corpus-mb=N] [--corpus-file=PATH] [--write-corpus=PATH]
//                      [benchmark flags]
// --corpus-file: scan that file's bytes instead (real text, nothing planted).
#include <benchmark/benchmark.h>
#include <hs/hs.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <random>

#include "bench_rules.h"
#include "common/whole_file.h"
#include "corpus.h"
#include "scan/decoded_scan.h"
#include "scan/decoded_stream_scan.h"
#include "scan/hyperscan_handles.h"
#include "scan/pattern_database.h"
#include "scan/scanner.h"
#include "scan/stream_scan.h"

namespace {

size_t g_corpus_mb = 100;
std::shared_ptr<const leakd::PatternDatabase> g_db;
leakd::bench::Corpus g_corpus;
size_t g_findings = 0;

int EmptyCallback(unsigned, unsigned long long, unsigned long long, unsigned, void*) {
  return 0;
}

void BM_RawHyperscan(benchmark::State& state) {
  const leakd::HsScratch scratch = leakd::AllocScratch(g_db->block());
  for (auto _ : state) {
    hs_scan(g_db->block(), g_corpus.text.data(), static_cast<unsigned>(g_corpus.text.size()), 0,
            scratch.get(), EmptyCallback, nullptr);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_corpus.text.size()));
}

void BM_LeakdEngine(benchmark::State& state) {
  leakd::Scanner scanner(g_db);
  std::vector<leakd::Finding> findings;
  for (auto _ : state) {
    findings.clear();
    scanner.Scan(g_corpus.text, &findings);
    benchmark::DoNotOptimize(findings.data());
  }
  g_findings = findings.size();
  state.counters["findings"] = static_cast<double>(findings.size());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_corpus.text.size()));
}

// The engine as `leakd scan` and the daemon run it: the block scan and the
// decoding passes (base64 runs, escaped and concatenated string literals).
void BM_LeakdEngineDecoding(benchmark::State& state) {
  leakd::Scanner scanner(g_db);
  std::vector<leakd::Finding> findings;
  for (auto _ : state) {
    findings.clear();
    leakd::ScanWithDecoding(scanner, g_corpus.text, &findings);
    benchmark::DoNotOptimize(findings.data());
  }
  state.counters["findings"] = static_cast<double>(findings.size());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_corpus.text.size()));
}

// `text` through StreamScan in 512 KB pieces, with the decoders beside it
// (DecodedStreamScan) if `decode`, as the daemon scans a chunked upload.
void ScanInPieces(leakd::Scanner& scanner, std::string_view text, bool decode,
                  std::vector<leakd::Finding>* findings) {
  const size_t piece = 512 * 1024;
  leakd::StreamScan stream(*g_db);
  leakd::DecodedStreamScan decoded;
  for (size_t at = 0; at < text.size(); at += piece) {
    const std::string_view bytes = text.substr(at, piece);
    const bool last = at + piece >= text.size();
    std::vector<leakd::Finding> plain;
    stream.Feed(scanner, bytes, &plain);
    if (last) stream.Finish(scanner, &plain);
    // The text is in memory: the bytes before the piece are at hand, as
    // UploadStreams keeps them.
    const size_t before = std::min(at, leakd::DecodedStreamScan::kWindow);
    const std::string_view seen = text.substr(at - before, before + bytes.size());
    if (decode) decoded.Feed(scanner, seen, at - before, before, last, plain, findings);
    findings->insert(findings->end(), plain.begin(), plain.end());
  }
}

// Chunked uploads: the corpus in pieces; range(0) = 1: with the decoders.
void BM_LeakdStream(benchmark::State& state) {
  leakd::Scanner scanner(g_db);
  std::vector<leakd::Finding> findings;
  for (auto _ : state) {
    findings.clear();
    ScanInPieces(scanner, g_corpus.text, state.range(0) != 0, &findings);
  }
  state.counters["findings"] = static_cast<double>(findings.size());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_corpus.text.size()));
}

// An input that is mostly findings (a credentials dump, a config export):
// range(0) thousand lines of `name = "random value"`, each a generic finding.
// Time per finding must stay flat as the input grows: merging and judging
// findings against each other once cost n² (9 s for 16 MB of such lines).
// range(1) = 0: a whole input (ScanWithDecoding); 1: a chunked upload with
// the decoders, each value holding a `\x41` escape (so each line's secret is
// found by the literal decoder, as `A`).
void BM_ManyFindings(benchmark::State& state) {
  const bool chunked = state.range(1) != 0;
  std::mt19937 rng(42);
  const char* names[] = {"password", "db_pass", "api_key", "secret", "auth_token", "passwd"};
  const std::string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string text;
  for (int64_t i = 0; i < state.range(0) * 1000; ++i) {
    std::string value;
    for (int k = 0; k < 20; ++k) value += alphabet[rng() % alphabet.size()];
    if (chunked) value.insert(10, "\\x41");
    text += std::string(names[rng() % 6]) + " = \"" + value + "\"\n";
  }
  leakd::Scanner scanner(g_db);
  std::vector<leakd::Finding> findings;
  for (auto _ : state) {
    findings.clear();
    if (chunked) {
      ScanInPieces(scanner, text, true, &findings);
    } else {
      leakd::ScanWithDecoding(scanner, text, &findings);
    }
    benchmark::DoNotOptimize(findings.data());
  }
  state.counters["findings"] = static_cast<double>(findings.size());
  state.counters["us_per_finding"] = benchmark::Counter(
      static_cast<double>(findings.size()),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert,
      benchmark::Counter::kIs1000);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

BENCHMARK(BM_RawHyperscan)->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK(BM_LeakdEngine)->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK(BM_LeakdEngineDecoding)->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK(BM_LeakdStream)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK(BM_ManyFindings)
    ->Args({10, 0})
    ->Args({40, 0})
    ->Args({10, 1})
    ->Args({40, 1})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(1.0);

// Remembers each benchmark's throughput to print the ratio at the end.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& run : runs) {
      auto it = run.counters.find("bytes_per_second");
      if (it != run.counters.end()) rates_[run.benchmark_name()] = it->second;
    }
    ConsoleReporter::ReportRuns(runs);
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    const double raw = Rate("BM_RawHyperscan");
    const double engine = Rate("BM_LeakdEngine/");
    const double decoding = Rate("BM_LeakdEngineDecoding");
    if (raw > 0 && engine == 0) std::printf("\nraw hyperscan: %.0f MB/s\n", raw / 1e6);
    if (raw > 0 && engine > 0) {
      std::printf(
          "\nrules: %zu  corpus: %.1f MB, %zu planted  findings: %zu\n"
          "raw hyperscan: %.0f MB/s  leakd engine: %.0f MB/s  engine/raw: %.2fx\n",
          g_db->size(), g_corpus.text.size() / 1e6, g_corpus.planted, g_findings, raw / 1e6,
          engine / 1e6, engine / raw);
    }
    if (decoding > 0) {
      std::printf("leakd engine with decoding: %.0f MB/s\n", decoding / 1e6);
    }
  }

 private:
  // Bytes per second of the benchmark whose name starts with `prefix`, or 0.
  double Rate(const std::string& prefix) const {
    for (const auto& [name, rate] : rates_) {
      if (name.rfind(prefix, 0) == 0) return rate;
    }
    return 0;
  }
  std::map<std::string, double> rates_;
};

}  // namespace

int main(int argc, char** argv) {
  std::string write_corpus, corpus_file;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--corpus-mb=", 12) == 0) {
      g_corpus_mb = std::stoul(argv[i] + 12);
    } else if (std::strncmp(argv[i], "--corpus-file=", 14) == 0) {
      corpus_file = argv[i] + 14;
    } else if (std::strncmp(argv[i], "--write-corpus=", 15) == 0) {
      write_corpus = argv[i] + 15;
    } else {
      rest.push_back(argv[i]);
    }
  }
  auto rules = std::make_shared<const leakd::RuleSet>(leakd::bench::LoadBenchRules());
  leakd::PatternDatabase::Options options;
  options.with_stream = true;
  g_db = leakd::PatternDatabase::Build(rules, options);
  if (corpus_file.empty()) {
    g_corpus = leakd::bench::BuildCorpus(g_corpus_mb << 20, 300, *rules);
  } else if (auto bytes = leakd::ReadWholeFile(corpus_file)) {
    g_corpus.text = std::move(*bytes);
  } else {
    std::fprintf(stderr, "cannot read %s\n", corpus_file.c_str());
    return 2;
  }
  if (!write_corpus.empty()) {
    std::ofstream(write_corpus, std::ios::binary) << g_corpus.text;
    std::printf("wrote %zu bytes with %zu planted secrets to %s\n", g_corpus.text.size(),
                g_corpus.planted, write_corpus.c_str());
    return 0;
  }
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  return 0;
}
