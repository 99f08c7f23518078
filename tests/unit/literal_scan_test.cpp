// Escaped and concatenated string literals (scan/string_literals.h,
// scan/literal_scan.h) through ScanWithDecoding: keys written in JSON and code
// are found with their real bytes, at their place in the original text.
#include <catch2/catch.hpp>

#include "common/base64.h"
#include "common/line_index.h"
#include "common/sha256.h"
#include "scan/decoded_scan.h"
#include "scan/string_escapes.h"
#include "scan/string_literals.h"
#include "test_keys.h"
#include "test_support.h"

using namespace leakd;
using testing::ScanDecoding;

namespace {

// A PKCS#8 PEM key made now, and the secret the PEM rule reports for it in a
// key file: the body between the armour lines, real newlines included.
struct PemKey {
  std::string pem, body;
};

PemKey NewPem() {
  const auto key = testing::NewEcKey("P-384");
  PemKey k{testing::PrivatePem(key.get(), "PrivateKeyInfo"), ""};
  const std::string head = "-----BEGIN PRIVATE KEY-----\n";
  const size_t tail = k.pem.find("-----END PRIVATE KEY-----");
  k.body = k.pem.substr(head.size(), tail - head.size());
  return k;
}

std::vector<std::string> Lines(const std::string& pem) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t nl; (nl = pem.find('\n', start)) != std::string::npos; start = nl + 1) {
    lines.push_back(pem.substr(start, nl - start));
  }
  return lines;
}

// The key as literals, one per line, each ending in \n, joined by `op` (empty:
// adjacency), with `indent` before each continuation line.
std::string Concatenated(const std::string& pem, const std::string& op, const std::string& indent,
                         char quote = '"') {
  std::string out;
  const auto lines = Lines(pem);
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out += (op.empty() ? "" : " " + op) + "\n" + indent;
    out += quote + lines[i] + "\\n" + quote;
  }
  return out;
}

std::string JsonEscapedNewlines(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '\n' ? std::string("\\n") : std::string(1, c);
  return out;
}

// The one private-key finding in `text`, checked: its secret is the key's real
// bytes (with the fingerprint a PEM file gets), and it starts at `at`.
void CheckKeyFound(const std::string& text, const PemKey& key, size_t at) {
  const auto found = ScanDecoding(text);
  REQUIRE(found.size() == 1);
  CHECK(found[0].rule->id == "privatekey.pkcs8");
  CHECK(found[0].secret == key.body);
  CHECK(found[0].fingerprint == Sha256Hex(key.body));
  CHECK(found[0].fingerprint == ScanDecoding(key.pem).at(0).fingerprint);
  CHECK(found[0].offset == at);
  CHECK(found[0].offset + found[0].length <= text.size());
}

}  // namespace

TEST_CASE("a PEM key in a service-account JSON is found with its real newlines", "[decode]") {
  const PemKey key = NewPem();
  const std::string json =
      "{\n  \"type\": \"service_account\",\n  \"project_id\": \"demo\",\n"
      "  \"private_key\": \"" +
      JsonEscapedNewlines(key.pem) +
      "\",\n  \"client_email\": \"ci@demo.iam.gserviceaccount.com\"\n}\n";
  // The body starts after the armour line and its \n escape.
  const size_t body = json.find("-----BEGIN PRIVATE KEY-----\\n") + 29;
  CheckKeyFound(json, key, body);
  const TextPosition at = LineIndex(json).At(body);
  CHECK(at.line == 4);
  CHECK(at.column == 48);
  // The plain scan alone reports the body as written, escapes and all.
  const auto plain = testing::ScanText(json);
  REQUIRE(testing::HasRule(plain, "privatekey.pkcs8"));
  for (const auto& f : plain) CHECK(f.secret != key.body);
}

TEST_CASE(
    "a literal over 64 KiB is decoded in parts: a key in it is found once, wherever the cuts fall",
    "[decode]") {
  // One JSON string of ~200 KB (an embedded file, a source map's
  // sourcesContent) holding an escaped PEM key. Parts of kMaxLiteralBytes
  // start every kMaxLiteralBytes - kLiteralPartOverlap bytes inside the
  // literal; the key is put across each part's end, its share's end and the
  // next part's start, and next to them.
  const PemKey key = NewPem();
  const std::string escaped = JsonEscapedNewlines(key.pem);
  std::string filler;
  while (filler.size() < 210 * 1024) filler += "the quick brown fox jumps over the lazy dog. ";
  const std::string head = "{\"blob\": \"";
  const size_t inside = head.size();  // the literal's first byte
  const size_t step = kMaxLiteralBytes - kLiteralPartOverlap;
  std::vector<size_t> cuts;
  for (size_t part = 0; part < 3; ++part) {
    const size_t end = inside + part * step + kMaxLiteralBytes;
    cuts.insert(cuts.end(), {end, end - kLiteralPartOverlap / 2, end - kLiteralPartOverlap});
  }
  for (const size_t cut : cuts) {
    for (const size_t before : {size_t{0}, size_t{1}, size_t{29}, size_t{100}, escaped.size() - 1,
                                escaped.size(), escaped.size() + 1}) {
      const size_t at = cut - before;  // where the escaped key starts
      const std::string text = head + filler.substr(0, at - inside) + escaped +
                               filler.substr(0, 200 * 1024 - (at - inside)) + "\"}\n";
      INFO("key at " << at << ", " << before << " bytes before the cut at " << cut);
      CheckKeyFound(text, key, at + 29);  // the body starts after the armour line and its \n
    }
  }
}

TEST_CASE("a PEM key as concatenated literals is found in Python, Java, JS and PHP", "[decode]") {
  const PemKey key = NewPem();
  const std::string first_body_line = Lines(key.pem)[1];
  SECTION("Python, implicit adjacency in parentheses") {
    const std::string py = "KEY = (\n    " + Concatenated(key.pem, "", "    ") + "\n)\n";
    CheckKeyFound(py, key, py.find(first_body_line));
  }
  SECTION("Java and JavaScript, +") {
    const std::string java = "String key = " + Concatenated(key.pem, "+", "    ") + ";\n";
    CheckKeyFound(java, key, java.find(first_body_line));
  }
  SECTION("PHP, . and single quotes") {
    const std::string php = "<?php\n$key = " + Concatenated(key.pem, ".", "  ", '\'') + ";\n";
    CheckKeyFound(php, key, php.find(first_body_line));
  }
  SECTION("C, adjacency") {
    const std::string c = "static const char *k = " + Concatenated(key.pem, "", "") + ";";
    CheckKeyFound(c, key, c.find(first_body_line));
  }
}

TEST_CASE("a token cut into two literals is found whole", "[decode]") {
  const std::string token = testing::GithubToken("ghp_", 51);
  const std::string js = "const auth = \"" + token.substr(0, 4) + "\" +\n  \"" + token.substr(4) +
                         "\"; // split so scanners miss it\n";
  CHECK_FALSE(testing::HasRule(testing::ScanText(js), "github.pat"));
  const auto found = ScanDecoding(js);
  REQUIRE(found.size() == 1);
  CHECK(found[0].rule->id == "github.pat");
  CHECK(found[0].secret == token);
  CHECK(found[0].fingerprint == Sha256Hex(token));
  // From its first character to its last, in the original bytes.
  CHECK(found[0].offset == 14);
  CHECK(js.substr(found[0].offset, found[0].length) ==
        token.substr(0, 4) + "\" +\n  \"" + token.substr(4));
  const TextPosition at = LineIndex(js).At(found[0].offset);
  CHECK(at.line == 1);
  CHECK(at.column == 15);
}

TEST_CASE("\\u, \\x and \\/ escapes inside a token are decoded", "[decode]") {
  const std::string token = testing::GithubToken("ghp_", 52);
  const char* hex = "0123456789abcdef";
  const auto c14 = static_cast<unsigned char>(token[14]);
  const std::string json = std::string("{\"token\": \"ghp\\u005f") + token.substr(4, 10) + "\\x" +
                           hex[c14 >> 4] + hex[c14 & 15] + token.substr(15) + "\"}";
  const auto found = ScanDecoding(json);
  REQUIRE(found.size() == 1);
  CHECK(found[0].rule->id == "github.pat");
  CHECK(found[0].secret == token);
  CHECK(found[0].offset == json.find("ghp"));
  CHECK(found[0].offset + found[0].length == json.rfind('"'));
  const auto chains = FindLiteralChains(json);
  REQUIRE(chains.size() == 1);
  CHECK(chains[0].bytes == token);
  CHECK(chains[0].Source(3).first == json.find("\\u005f"));
  CHECK(chains[0].Source(3).second == json.find("\\u005f") + 6);
  CHECK(chains[0].Source(4).first == json.find("\\u005f") + 6);  // plain again
  const auto slash = FindLiteralChains("u = \"https:\\/\\/example.org\\/x\"");
  REQUIRE(slash.size() == 1);
  CHECK(slash[0].bytes == "https://example.org/x");
}

TEST_CASE("an .env text held in a JSON string is read line by line", "[decode]") {
  // A config file's text as one JSON value: its lines are joined by \n
  // escapes, so the unquoted-assignment rule sees the first line open a string.
  const std::string json =
      "{\"config.ini\": \"API_TOKEN=Rk7vLq2pXw9Tz\\nDEBUG=false\\nDB_PASSWORD=Vt6pLz3Qw9Km\\n\"}";
  CHECK(testing::ScanText(json).empty());
  const auto found = ScanDecoding(json);
  REQUIRE(found.size() == 2);
  CHECK(found[0].rule->id == "generic.unquoted-assignment");
  CHECK(found[0].secret == "Rk7vLq2pXw9Tz");
  CHECK(found[0].offset == json.find("Rk7v"));
  CHECK(found[0].length == 13);
  CHECK(found[1].secret == "Vt6pLz3Qw9Km");
  CHECK(found[1].offset == json.find("Vt6p"));
}

TEST_CASE("a secret the plain scan already reports in a literal is reported once", "[decode]") {
  const std::string token = testing::GithubToken("ghp_", 53);
  const std::string c = "printf(\"token=%s\\n\", \"" + token + "\\nnext line\");\n";
  const auto plain = testing::ScanText(c);
  REQUIRE(plain.size() == 1);
  const auto found = ScanDecoding(c);
  REQUIRE(found.size() == 1);
  CHECK(found[0].offset == plain[0].offset);
  CHECK(found[0].length == plain[0].length);
  CHECK(found[0].fingerprint == plain[0].fingerprint);
}

TEST_CASE("an allow marker on the line of concatenated literals holds", "[decode]") {
  const std::string token = testing::GithubToken("ghp_", 54);
  const std::string py =
      "t = \"" + token.substr(0, 10) + "\" \"" + token.substr(10) + "\"  # leakd:allow\n";
  CHECK(ScanDecoding(py).empty());
  CHECK(ScanDecoding("t = \"" + token.substr(0, 10) + "\" \"" + token.substr(10) + "\"\n").size() ==
        1);
}

TEST_CASE("a base64 service-account JSON in a Kubernetes Secret is decoded twice", "[decode]") {
  const PemKey key = NewPem();
  const std::string json = "{\"private_key\": \"" + JsonEscapedNewlines(key.pem) + "\"}";
  const std::string b64 = EncodeBase64(json);
  const std::string manifest = "kind: Secret\ndata:\n  key.json: " + b64 + "\n";
  const auto found = ScanDecoding(manifest);
  REQUIRE(found.size() == 1);
  CHECK(found[0].secret == key.body);
  CHECK(manifest.substr(found[0].offset, found[0].length) == b64);
}

TEST_CASE("literals worth a second scan, and those that are not", "[decode]") {
  // Plain literals, formats with a newline at the end, JSON keys: nothing.
  CHECK(FindLiteralChains("x = \"plain value here\"; y = 'another one'").empty());
  CHECK(FindLiteralChains("printf(\"Usage: %s [options]\\n\", argv[0]);").empty());
  CHECK(FindLiteralChains("{\"a\": \"b\", \"c\": [\"d\", \"e\"]}").empty());
  CHECK(FindLiteralChains("s = \"ab\" + \"c\"").empty());  // under kMinChainBytes
  // Raw strings keep their backslashes; triple quotes are skipped.
  const auto raw = FindLiteralChains("p = r\"C:\\new\\table\" + \"x\"");
  REQUIRE(raw.size() == 1);
  CHECK(raw[0].bytes == "C:\\new\\tablex");
  CHECK(FindLiteralChains("doc = \"\"\"first\\nsecond line here\"\"\"").empty());
  // A quote with no partner on its line is no literal; the next one is.
  const auto apostrophe = FindLiteralChains("# don't\nk = \"line one\\nline two\"");
  REQUIRE(apostrophe.size() == 1);
  CHECK(apostrophe[0].bytes == "line one\nline two");
  // An operator that is not between two literals ends the chain.
  CHECK(FindLiteralChains("a = \"abcdefgh\" + b + \"ijklmnop\"").empty());
  // A backslash-newline inside a literal continues it.
  const auto continued = FindLiteralChains("s = \"first half \\\nsecond half\";");
  REQUIRE(continued.size() == 1);
  CHECK(continued[0].bytes == "first half second half");
}

// The quotes, backslashes and newlines that end a run of plain bytes are found
// 16 or 64 bytes at a time: each is placed at every offset of such a block.
TEST_CASE("literals are read the same wherever they fall in a block", "[decode]") {
  for (size_t pad = 0; pad < 70; ++pad) {
    for (size_t run = 0; run < 40; ++run) {
      for (const char q : {'"', '\''}) {
        const std::string plain(run, 'a');
        const std::string text = std::string(pad, 'x') + "k = " + q + plain + "\\u0041b" + q +
                                 " +\n " + q + "cdefghij" + q + ";";
        const auto chains = FindLiteralChains(text);
        REQUIRE(chains.size() == 1);
        CHECK(chains[0].begin == pad + 4);
        CHECK(chains[0].end == text.size() - 1);
        CHECK(chains[0].bytes == plain + "Ab" + "cdefghij");
        CHECK(chains[0].literals == 2);
        // Cut by a newline, the first is no literal: the next line's is read alone.
        const std::string head = std::string(pad, 'x') + "k = " + q + plain + "\nv = ";
        const auto cut = FindLiteralChains(head + q + "cdefghij\\x41" + q);
        REQUIRE(cut.size() == 1);
        CHECK(cut[0].begin == head.size());
        CHECK(cut[0].bytes == "cdefghijA");
      }
    }
  }
}

// A text cut from a longer line (a chunked upload's window) may end inside a
// literal: the finder says which, and reads what there is of it when asked.
TEST_CASE("a text that ends inside a literal: which one, and read to the cut", "[decode]") {
  const auto open_at_end = [](std::string_view text) {
    LiteralChainFinder finder(text);
    while (finder.Next(nullptr)) {
    }
    return finder.open_at_end();
  };
  const std::string text = "a = \"done\"; b = 'it''s' + \"open\\tsince here";
  const auto open = open_at_end(text);
  REQUIRE(open.has_value());
  CHECK(open->quote == text.find("\"open"));
  CHECK_FALSE(open->raw);
  CHECK_FALSE(open->escaped);
  // The first literal left open counts, not a quote inside it.
  CHECK(open_at_end("x = \"it's open")->quote == 4);
  // A raw one; a cut right after a backslash; a newline closes nothing.
  CHECK(open_at_end("p = r'C:\\dir")->raw);
  CHECK(open_at_end("s = \"abc\\")->escaped);
  CHECK_FALSE(open_at_end("s = \"no end on its line\nnext = 1").has_value());
  CHECK_FALSE(open_at_end("s = \"closed\"").has_value());

  // Read to the cut when it opened before close_open_before; not otherwise.
  const std::string cut = "k = 'v' + \"-----BEGIN\\nMIIE";
  const auto chains = [](std::string_view t, size_t close_before) {
    LiteralChainFinder finder(t, close_before);
    std::vector<LiteralChain> out;
    for (LiteralChain c; finder.Next(&c);) out.push_back(std::move(c));
    return out;
  };
  const size_t quote = cut.find('"');
  CHECK(chains(cut, quote).empty());
  const auto read = chains(cut, quote + 1);
  REQUIRE(read.size() == 1);
  CHECK(read[0].begin == quote);
  CHECK(read[0].end == cut.size());
  CHECK(read[0].bytes == "-----BEGIN\nMIIE");
  CHECK(read[0].Source(read[0].bytes.size() - 1).second == cut.size());
  // FindLiteralChains never does: a whole input's open literal is no literal.
  CHECK(FindLiteralChains(cut).empty());
}

TEST_CASE("literal chains are bounded on hostile input", "[decode]") {
  // 1,000 literals in one chain: cut into chains of at most kMaxChainLiterals.
  std::string many;
  for (int i = 0; i < 1000; ++i) many += "\"abcdefgh\" + ";
  many += "\"end\"";
  const auto chains = FindLiteralChains(many);
  REQUIRE(chains.size() == 4);
  for (const auto& c : chains) CHECK(c.literals <= kMaxChainLiterals);
  CHECK(chains[0].literals == kMaxChainLiterals);
  // A literal longer than kMaxLiteralBytes with nothing worth decoding (a
  // final \n) is not decoded, and it ends no chain.
  const std::string long_literal = "\"" + std::string(kMaxLiteralBytes, 'a') + "\\n\" + \"b\"";
  CHECK(FindLiteralChains(long_literal).empty());
  // A long one worth decoding is decoded in parts, and its inside is not read
  // again from its escaped quotes: they would start chains ("abcdefgh\n" +
  // "ijkl"), and reading from each would be quadratic.
  std::string inner;
  while (inner.size() <= 3 * kMaxLiteralBytes) inner += "\\\"abcdefgh\\n\\\" + \\\"ijkl";
  const std::string j = "j = \"" + inner + "\";";
  const auto parts = FindLiteralChains(j);
  REQUIRE(parts.size() == 4);
  CHECK(parts.front().begin == 4);
  CHECK(parts.back().end == j.size() - 1);
  for (const auto& c : parts) {
    CHECK(c.literals == 1);
    CHECK(c.quote == '"');
    CHECK(c.end - c.begin <= kMaxLiteralBytes + 2);
    CHECK(c.bytes.find("abcdefgh\n\" + \"ijkl") != std::string::npos);
  }
  // Nor the inside of a literal with no end on its line.
  std::string unterminated = "k = \"";
  for (int i = 0; i < 200000; ++i) unterminated += "\\\"abcdefgh\\n\\\" + ";
  CHECK(FindLiteralChains(unterminated + "\n").empty());
  // Every mapping points into the input, in order.
  std::string hostile;
  for (int i = 0; i < 20000; ++i) hostile += i % 3 ? "\"\\u00\\x4" : "'\\\n\" . '";
  const auto hostile_chains = FindLiteralChains(hostile);
  CHECK_FALSE(hostile_chains.empty());
  for (const auto& c : hostile_chains) {
    for (size_t k = 0; k < c.bytes.size(); ++k) {
      const auto [from, to] = c.Source(k);
      CHECK(from < to);
      CHECK(to <= c.end);
      CHECK(from >= c.begin);
    }
  }
  CHECK_NOTHROW(ScanDecoding(hostile));
}

TEST_CASE("escapes: what each stands for, and what is no escape", "[decode]") {
  const auto bytes = [](const std::string& text) { return ReadEscape(text, 0).bytes; };
  CHECK(bytes("\\n") == "\n");
  CHECK(bytes("\\/") == "/");
  CHECK(bytes("\\x41") == "A");
  CHECK(bytes("\\u0041") == "A");
  CHECK(bytes("\\u00e9") == "\xC3\xA9");  // UTF-8
  CHECK(ReadEscape("\\u00e9", 0).length == 6);
  CHECK(ReadEscape("\\ud800", 0).kind == EscapeKind::kNone);  // half a surrogate pair
  CHECK(ReadEscape("\\x4g", 0).kind == EscapeKind::kNone);
  CHECK(ReadEscape("\\u004", 0).kind == EscapeKind::kNone);  // cut short by the end
  CHECK(ReadEscape("\\q", 0).kind == EscapeKind::kNone);
  CHECK(ReadEscape("\\\r\n", 0).kind == EscapeKind::kContinuation);
  CHECK(ReadEscape("\\\r\n", 0).length == 3);
}
