// leakd_rule_cost: which rules cost the Hyperscan pass its throughput.
//
// Scans one file (real text, e.g. the blobs of a git history) with the whole
// block database, then with each rule's pattern compiled alone, and prints
// the whole database's rate, the match callbacks each rule raises in it, and
// the rules whose solo scan is slowest. Solo costs do not add up to the whole
// (Hyperscan shares literal matching across patterns), but a rule that is slow
// alone, or raises millions of callbacks, is what slows the whole.
// Usage: leakd_rule_cost FILE [TOP] [RULES_DIR]
//   LEAKD_RULE_COST_WITHOUT=id,prefix*,...  leaves those rules out of the whole database
//   LEAKD_RULE_COST_PATTERN=regex      times that pattern alone (to try a rewrite)
//   LEAKD_RULE_COST_ROUNDS=N           best of N scans of the whole database (default 3)
//   LEAKD_RULE_COST_MARGINAL=N         instead: each rule's cost added to a fixed database of
//                                      N other rules (every k-th), slowest first
//
// Why the marginal mode: a rule Hyperscan cannot anchor on a literal (none,
// or one found everywhere, like "_") runs an automaton over every byte of the
// whole scan, or wakes on every such character. Alone it still looks fast, and
// leaving single rules out of the whole database hides it in the noise of
// rebuilding that database (its literal tables change with every rule).
// Added to a fixed database of other rules, its cost stands out: three such
// rules cost the whole database 30% until 2026-11-27 (README, Performance).
#include <hs/hs.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bench_rules.h"
#include "common/whole_file.h"
#include "rules/rule_set.h"

namespace {

using leakd::Rule;

using Clock = std::chrono::steady_clock;

struct Counts {
  std::vector<uint64_t> per_rule;
};

int CountMatch(unsigned id, unsigned long long, unsigned long long, unsigned, void* context) {
  ++static_cast<Counts*>(context)->per_rule[id];
  return 0;
}

hs_database_t* CompileAll(const std::vector<const char*>& patterns,
                          const std::vector<unsigned>& ids) {
  std::vector<unsigned> flags(patterns.size(), 0);
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(patterns.data(), flags.data(), ids.data(),
                       static_cast<unsigned>(patterns.size()), HS_MODE_BLOCK, nullptr, &db,
                       &err) != HS_SUCCESS) {
    std::fprintf(stderr, "compile failed: %s\n", err && err->message ? err->message : "?");
    hs_free_compile_error(err);
    return nullptr;
  }
  return db;
}

// Best of `rounds` scans of `data`, in seconds; counts go to `counts`.
double TimeScan(const hs_database_t* db, const std::string& data, Counts* counts, int rounds) {
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) return -1;
  double best = 1e9;
  for (int r = 0; r < rounds; ++r) {
    std::fill(counts->per_rule.begin(), counts->per_rule.end(), 0);
    const auto start = Clock::now();
    hs_scan(db, data.data(), static_cast<unsigned>(data.size()), 0, scratch, &CountMatch, counts);
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
  }
  hs_free_scratch(scratch);
  return best;
}

// `id` is listed, or starts with a listed "prefix*".
bool Without(const std::set<std::string>& without, const std::string& id) {
  for (const auto& entry : without) {
    if (entry == id) return true;
    if (!entry.empty() && entry.back() == '*' &&
        id.rfind(entry.substr(0, entry.size() - 1), 0) == 0) {
      return true;
    }
  }
  return false;
}

// MB/s of the database of `base` plus `extra` (kNoExtra: none), best of 3.
constexpr size_t kNoExtra = SIZE_MAX;
double RateWith(const std::vector<const char*>& patterns, const std::vector<unsigned>& ids,
                const std::vector<size_t>& base, size_t extra, const std::string& data,
                Counts* counts) {
  std::vector<const char*> p;
  std::vector<unsigned> i;
  for (size_t k : base) p.push_back(patterns[k]), i.push_back(ids[k]);
  if (extra != kNoExtra) p.push_back(patterns[extra]), i.push_back(ids[extra]);
  hs_database_t* db = CompileAll(p, i);
  if (!db) return 0;
  const double rate = static_cast<double>(data.size()) / 1e6 / TimeScan(db, data, counts, 3);
  hs_free_database(db);
  return rate;
}

// Each rule's cost on top of `n` others: a rule without a literal to anchor
// on adds an automaton over every byte, which shows here as it does in the
// whole database, while the literals of ordinary rules cost little.
void Marginal(const std::vector<const char*>& patterns, const std::vector<unsigned>& ids,
              const leakd::RuleSet& rules, size_t n, size_t top, const std::string& data,
              Counts* counts) {
  std::vector<size_t> base;
  const size_t step = std::max<size_t>(1, patterns.size() / std::max<size_t>(n, 1));
  for (size_t k = 0; k < patterns.size(); k += step) base.push_back(k);
  const double alone = RateWith(patterns, ids, base, kNoExtra, data, counts);
  std::vector<std::pair<double, size_t>> costs;  // seconds added per GB, rule
  for (size_t k = 0; k < patterns.size(); ++k) {
    if (k % step == 0) continue;  // in the base
    const double rate = RateWith(patterns, ids, base, k, data, counts);
    if (rate > 0) costs.emplace_back(1e3 / rate - 1e3 / alone, k);
  }
  std::sort(costs.rbegin(), costs.rend());
  std::printf("\nbase: %zu rules, %.0f MB/s; each rule added to it (ms per GB):\n", base.size(),
              alone);
  for (size_t k = 0; k < std::min(top, costs.size()); ++k) {
    std::printf("%-48s %+8.1f\n", rules[ids[costs[k].second]].id.c_str(), costs[k].first * 1e3);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE [TOP] [RULES_DIR]\n", argv[0]);
    return 2;
  }
  const auto data = leakd::ReadWholeFile(argv[1]);
  if (!data || data->empty()) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  const size_t top = argc > 2 ? std::stoul(argv[2]) : 30;
  const auto rules = leakd::bench::LoadBenchRules(argc > 3 ? argv[3] : LEAKD_BENCH_PATTERNS);
  std::set<std::string> without;
  if (const char* list = std::getenv("LEAKD_RULE_COST_WITHOUT")) {
    std::istringstream in(list);
    for (std::string id; std::getline(in, id, ',');) without.insert(id);
  }
  std::vector<const char*> patterns;
  std::vector<unsigned> ids;
  for (size_t i = 0; i < rules.size(); ++i) {
    if (Without(without, rules[i].id)) continue;
    // What the daemon gives Hyperscan: the prefilter where the rule has one.
    const Rule& rule = rules[i];
    patterns.push_back(rule.prefilter.empty() ? rule.pattern.c_str() : rule.prefilter.c_str());
    ids.push_back(static_cast<unsigned>(i));
  }
  const double mb = static_cast<double>(data->size()) / 1e6;

  Counts whole{std::vector<uint64_t>(rules.size())};
  hs_database_t* all = CompileAll(patterns, ids);
  if (!all) return 1;
  const char* rounds = std::getenv("LEAKD_RULE_COST_ROUNDS");
  const double all_seconds = TimeScan(all, *data, &whole, rounds ? std::atoi(rounds) : 3);
  hs_free_database(all);
  uint64_t callbacks = 0;
  for (auto n : whole.per_rule) callbacks += n;
  std::printf("whole database: %zu rules, %.1f MB in %.3f s = %.0f MB/s, %llu callbacks\n",
              patterns.size(), mb, all_seconds, mb / all_seconds,
              static_cast<unsigned long long>(callbacks));

  if (const char* marginal = std::getenv("LEAKD_RULE_COST_MARGINAL")) {
    Marginal(patterns, ids, rules, std::stoul(marginal), std::max<size_t>(top, 10), *data, &whole);
    return 0;
  }
  if (const char* pattern = std::getenv("LEAKD_RULE_COST_PATTERN")) {
    Counts one{std::vector<uint64_t>(1)};
    hs_database_t* db = CompileAll({pattern}, {0});
    if (!db) return 1;
    const double seconds = TimeScan(db, *data, &one, 3);
    hs_free_database(db);
    std::printf("pattern alone: %.1f ms, %.0f MB/s, %llu callbacks\n", seconds * 1e3, mb / seconds,
                static_cast<unsigned long long>(one.per_rule[0]));
    return 0;
  }

  struct Row {
    size_t rule;
    double seconds;
  };
  std::vector<Row> rows;
  Counts solo{std::vector<uint64_t>(1)};
  for (size_t i = 0; i < rules.size(); ++i) {
    const Rule& rule = rules[i];
    hs_database_t* db =
        CompileAll({rule.prefilter.empty() ? rule.pattern.c_str() : rule.prefilter.c_str()}, {0});
    if (!db) continue;
    rows.push_back({i, TimeScan(db, *data, &solo, 2)});
    hs_free_database(db);
  }
  std::sort(rows.begin(), rows.end(),
            [](const Row& a, const Row& b) { return a.seconds > b.seconds; });
  std::printf("%-48s %9s %9s %12s\n", "rule (slowest alone)", "ms alone", "MB/s", "callbacks");
  for (size_t k = 0; k < std::min(top, rows.size()); ++k) {
    const Row& row = rows[k];
    std::printf("%-48s %9.1f %9.0f %12llu\n", rules[row.rule].id.c_str(), row.seconds * 1e3,
                mb / row.seconds, static_cast<unsigned long long>(whole.per_rule[row.rule]));
  }
  std::vector<size_t> by_callbacks(rules.size());
  for (size_t i = 0; i < rules.size(); ++i) by_callbacks[i] = i;
  std::sort(by_callbacks.begin(), by_callbacks.end(),
            [&](size_t a, size_t b) { return whole.per_rule[a] > whole.per_rule[b]; });
  std::printf("\n%-48s %12s\n", "rule (most callbacks in the whole database)", "callbacks");
  for (size_t k = 0; k < std::min<size_t>(top, by_callbacks.size()); ++k) {
    std::printf("%-48s %12llu\n", rules[by_callbacks[k]].id.c_str(),
                static_cast<unsigned long long>(whole.per_rule[by_callbacks[k]]));
  }
  return 0;
}
