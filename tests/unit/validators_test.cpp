#include "scan/validators.h"

#include <catch2/catch.hpp>

#include "scan/fingerprint.h"
#include "test_support.h"

using namespace leakd;

TEST_CASE("GitHub-style checksum accepts valid tokens and rejects altered ones", "[validators]") {
  const std::string token = testing::GithubToken("ghp_", 1);
  REQUIRE(token.size() == 40);
  CHECK(ValidGithubStyleChecksum(token));
  CHECK(ValidGithubStyleChecksum(testing::GithubToken("npm_", 2)));
  std::string altered = token;
  altered[10] = altered[10] == 'a' ? 'b' : 'a';
  CHECK_FALSE(ValidGithubStyleChecksum(altered));
  CHECK_FALSE(ValidGithubStyleChecksum("ghp_short"));
  CHECK_FALSE(ValidGithubStyleChecksum("no-underscore"));
}

TEST_CASE("checksum is CRC32 in base62, zero padded to six", "[validators]") {
  // zlib crc32("") == 0, so the checksum is all zero digits.
  CHECK(GithubStyleChecksum("") == "000000");
  // The standard CRC-32 check value: crc32("123456789") == 0xCBF43926.
  const std::string c = GithubStyleChecksum("123456789");
  CHECK(c.size() == 6);
  uint64_t value = 0;
  const std::string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  for (char ch : c) value = value * 62 + alphabet.find(ch);
  CHECK(value == 0xCBF43926u);
}

TEST_CASE("Shannon entropy", "[validators]") {
  CHECK(ShannonEntropy("") == 0.0);
  CHECK(ShannonEntropy("aaaa") == 0.0);
  CHECK(ShannonEntropy("abab") == Approx(1.0));
  CHECK(ShannonEntropy("0123456789abcdef") == Approx(4.0));
}

TEST_CASE("placeholders and documentation examples are recognised", "[validators]") {
  CHECK(LooksLikePlaceholder("AKIAIOSFODNN7EXAMPLE"));
  CHECK(LooksLikePlaceholder("hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
  CHECK(LooksLikePlaceholder("YOUR_TOKEN_HERE"));
  CHECK(LooksLikePlaceholder("ghp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
  CHECK(LooksLikePlaceholder("sk_live_${STRIPE_KEY}"));
  CHECK(LooksLikePlaceholder("NRAK-123456789ABCDEFGHIJKLMNOPQ"));
  CHECK_FALSE(LooksLikePlaceholder("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"));
  CHECK_FALSE(LooksLikePlaceholder(testing::GithubToken("ghp_", 3)));
}

TEST_CASE("two ascending sequences typed interleaved are a made-up value", "[validators]") {
  CHECK(LooksLikePlaceholder("AIK_CI_a1B2c3D4e5F6g7H8i9J0k1L2"));
  CHECK(LooksLikePlaceholder("1a2b3c4d5e6f7890abcdef1234567890"));
  CHECK(LooksLikePlaceholder("NF-a1B2c3D4Zq8Lm2Xw7Tr5Ks9Vb3Nh6Pj"));
  CHECK(LooksLikePlaceholder("key_aabbccddeeff0099"));
  // Seven characters of it are not enough, and a digit does not run on into ':'.
  CHECK_FALSE(LooksLikePlaceholder("ajkey_a1b2c3dQz8Lm2Xw7Tr5Ks9Vb3Nh6"));
  CHECK_FALSE(LooksLikePlaceholder("x8y9:z;Qm3vZ8kLr2Xw7TqP"));
  CHECK_FALSE(LooksLikePlaceholder("ajkey_01kpe3gbb3ek3asrwvfsmtjtam"));
}

TEST_CASE("JWT structure and basic-auth validators", "[validators]") {
  CHECK(ValidJwtStructure("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.sig"));
  CHECK_FALSE(ValidJwtStructure("eyJub3QiOiJqc29uIGFsZyJ9.eyJzdWIiOiIxIn0.sig"));  // no alg
  CHECK_FALSE(ValidJwtStructure("nodot"));
  CHECK(ValidBasicAuthCredentials("Y2k6V200dFpyOFFlNUxw"));  // ci:Wm4tZr8Qe5Lp
  CHECK(ValidBasicAuthCredentials("ZGVwbG95Ym90Ojc3U1R3QkVxdGlZejRCZktodEYzcGJsNQ=="));
  CHECK_FALSE(ValidBasicAuthCredentials("dXNlcnBhc3M="));  // userpass
  CHECK_FALSE(ValidBasicAuthCredentials("!!!"));
  // Well-formed, but the password is a stand-in: documentation's examples.
  CHECK_FALSE(ValidBasicAuthCredentials("dXNlcjpwYXNz"));          // user:pass
  CHECK_FALSE(ValidBasicAuthCredentials("dXNlcjpwYXNzd29yZA=="));  // user:password
  CHECK_FALSE(ValidBasicAuthCredentials("ZGVwbG95OmRlcGxveQ=="));  // deploy:deploy
  CHECK_FALSE(ValidBasicAuthCredentials("YWRtaW46Y2hhbmdlbWU="));  // admin:changeme
  CHECK_FALSE(
      ValidBasicAuthCredentials("Y2k6JHtSRUdJU1RSWV9QQVNTV09SRH0="));  // ci:${REGISTRY_PASSWORD}
}

TEST_CASE("fingerprints are SHA-256 hex and redaction hides most of the secret", "[fingerprint]") {
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Redact("hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh") == "hf_Ab\xE2\x80\xA6(37)");
  CHECK(Redact("abcdefgh") == "ab\xE2\x80\xA6(8)");
  CHECK(Redact("") == "\xE2\x80\xA6(0)");
  // Non-printable bytes never reach a terminal or log.
  CHECK(Redact(std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8)) == "??\xE2\x80\xA6(8)");
}

TEST_CASE("generic-secret keeps literal credentials that look random", "[validators]") {
  for (const char* value : {"hT9vQ2mZ8wLs", "Rk7#vLq2pX", "c8Fq2LmZ7xRt9VbN4kPw",
                            "8d1c4f7a9b2e6d3c5f8a1b4e7d2c9f6a", "SqiBCrtHkySmYEaT", "qv7kz2m9xw41",
                            // A random password with a dot is no dotted identifier.
                            "Uv.g827vXH7kdKV", "L9a.phXRSvgmIiG0v"}) {
    INFO(value);
    CHECK(RunValidator("generic-secret", value));
  }
  // Dotted names stay references, digits and all.
  for (const char* value : {"settings.DB_PASSWORD", "self.password2", "v1beta1.TokenRequest",
                            "config.auth.secretKey", "this.i18nKey", "cfg.s3Bucket"}) {
    INFO(value);
    CHECK_FALSE(RunValidator("generic-secret", value));
  }
}

TEST_CASE("generic-secret drops references, code, defaults and words", "[validators]") {
  for (const char* value : {"$DB_PASSWORD",
                            "${DB_PASSWORD}",
                            "%DB_PASS%",
                            "{{.Password}}",
                            "<password>",
                            "process.env.DB_PASSWORD",
                            "os.environ[PW]",
                            "getenv(PW)",
                            "settings.SECRET_KEY",
                            "DB_PASSWORD",
                            "get_password()",
                            "None",
                            "undefined",
                            "hashedPassword",
                            "changeme123",
                            "postgres",
                            "Admin1234",
                            "12345678",
                            "camelCaseName",
                            "ExclusiveStartShardId",
                            "hunter22",
                            "/Users/me/key",
                            "%s/%s/aws4",
                            "Jobs[-1].JobId",
                            "short1A",
                            "{__relative_name__}",
                            "auth-request-type/at",
                            "user:pass"}) {
    INFO(value);
    CHECK_FALSE(RunValidator("generic-secret", value));
  }
}

TEST_CASE("generic-secret and literal-secret keep text only: no control bytes, UTF-8",
          "[validators]") {
  // A random value of the kind both keep, then the same with one byte of binary
  // noise inside (what a compiled file holds between two quotes).
  const std::string value = "Wm4tZr8QeKd2Lm9Xv7Tn";
  REQUIRE(RunValidator("generic-secret", value));
  REQUIRE(RunValidator("literal-secret", value));
  for (const std::string& bad : {value + '\x0f', value + '\x7f', value + std::string(1, '\0'),
                                 value + "\xc3", value + "\xa1\x99", value + "\xc0\xaf"}) {
    INFO(bad.size());
    CHECK_FALSE(RunValidator("generic-secret", bad));
    CHECK_FALSE(RunValidator("literal-secret", bad));
  }
  // A password with letters beyond ASCII is text.
  CHECK(RunValidator("generic-secret", value + "\xc3\xa4"));
  CHECK(RunValidator("literal-secret", "p\xc3\xa4sswort7"));
}

TEST_CASE("generic-secret reads the user name and the key name around the value", "[validators]") {
  CHECK_FALSE(RunValidator("generic-secret", "Appuser7x", "postgres://appuser7x:Appuser7x@db"));
  CHECK(RunValidator("generic-secret", "Rk7vLq2pX9", "postgres://appuser7x:Rk7vLq2pX9@db"));
  CHECK_FALSE(RunValidator("generic-secret", "q5GwEl5bMGjKq6Ym",
                           "<nextToken>q5GwEl5bMGjKq6Ym</nextToken>"));
  CHECK_FALSE(RunValidator("generic-secret", "Zx9vQ2mZ8wLs", "\"page_token\": \"Zx9vQ2mZ8wLs\""));
  CHECK(RunValidator("generic-secret", "Zx9vQ2mZ8wLs", "\"access_token\": \"Zx9vQ2mZ8wLs\""));
  // Request ids and verification tokens of cloud APIs (botocore's and aws-sdk's examples).
  CHECK_FALSE(RunValidator("generic-secret", "1d2129a1-3d38-460a-9756-e5b91fddb951",
                           "\"clientRequestToken\": \"1d2129a1-3d38-460a-9756-e5b91fddb951\""));
  CHECK_FALSE(RunValidator("generic-secret", "abcd12f2-46da-4fdb-b8d5-fbd4c466928f",
                           "\"ChangeToken\": \"abcd12f2-46da-4fdb-b8d5-fbd4c466928f\""));
  CHECK_FALSE(RunValidator("generic-secret", "QTKknzFg2J4ygwa+XvHAxUl1hyHoY0gVfZdfjIedHZ0=",
                           "<VerificationToken>QTKknzFg2J4ygwa+XvHAxUl1hyHoY0gVfZdfjIedHZ0="));
  CHECK(RunValidator("generic-secret", "1d2129a1-3d38-460a-9756-e5b91fddb951",
                     "\"refresh_token\": \"1d2129a1-3d38-460a-9756-e5b91fddb951\""));
}

namespace {

// A value as a validator judges it in its context: kept or dropped.
struct Judged {
  const char* validator;
  const char* value;
  const char* context;
  bool kept;
};

void CheckJudged(std::initializer_list<Judged> cases) {
  for (const Judged& c : cases) {
    INFO(c.validator << " " << c.value << " in " << c.context);
    CHECK(RunValidator(c.validator, c.value, c.context) == c.kept);
  }
}

}  // namespace

TEST_CASE("a URI password is judged percent-decoded, and a doubled word is a stand-in",
          "[validators]") {
  CheckJudged({
      // requests' tests: http://user:pass%20pass@host, http://user:pass%23pass@host.
      {"generic-secret", "pass%20pass", "http://user:pass%20pass@host", false},
      {"generic-secret", "pass%23pass", "http://user:pass%23pass@host", false},
      {"literal-secret", "admin-admin", "-u admin-admin", false},
      {"literal-secret", "test test", "password = 'test test'", false},
      // A real password keeps its escapes; a doubled word with digits is no stand-in.
      {"generic-secret", "Rk7v%40Lq2pX9", "https://deploy:Rk7v%40Lq2pX9@host", true},
      {"literal-secret", "blue42-blue42", "password = 'blue42-blue42'", true},
      {"generic-secret", "%zzRk7vLq2pX9", "https://deploy:%zzRk7vLq2pX9@host", true},
  });
}

TEST_CASE("a value named after its key is a stand-in", "[validators]") {
  CheckJudged({
      {"generic-secret", "secret123", "\"secret\": \"secret123\"", false},
      {"generic-secret", "access123", "\"access_key\": \"access123\"", false},
      {"generic-secret", "token123!", "\"x_auth_token\": \"token123!\"", false},
      // Another word, letters after the digits, or pass under password: kept.
      {"generic-secret", "Vault42!", "\"secret\": \"Vault42!\"", true},
      {"generic-secret", "accessible9!", "\"access_key\": \"accessible9!\"", true},
      {"generic-secret", "access12ab!", "\"access_key\": \"access12ab!\"", true},
      {"literal-secret", "pass123", "password pass123", true},
  });
}

TEST_CASE("literal-secret keeps weak literal passwords but not stand-ins", "[validators]") {
  // Words and short passwords generic-secret drops for want of randomness.
  for (const char* value : {"whiteduke", "braksha", "dev_admin", "open sesame"}) {
    INFO(value);
    CHECK_FALSE(RunValidator("generic-secret", value));
    CHECK(RunValidator("literal-secret", value));
  }
  for (const char* value : {"$Password",
                            "%nothing%",
                            "PASSWORD",
                            "SOME_PASSWORD",
                            "<password>",
                            "secret",
                            "password",
                            "changeme",
                            "mypass",
                            "admin",
                            "short",
                            "{{ .Pass }}",
                            "myPassword",
                            "thisismypassword",
                            "your_password",
                            "YOURPASSWORD",
                            "some-secret-value",
                            "aaaaaaaa",
                            "abcdefgh",
                            "87654321",
                            "#{datastore['DBPASSWORD']}",
                            "$(cat /run/secrets/db)",
                            "super"}) {
    INFO(value);
    CHECK_FALSE(RunValidator("literal-secret", value));
  }
  CHECK_FALSE(RunValidator("literal-secret", "deploy", "-u deploy:deploy"));
  // The login of the same credential, and the key name itself.
  CHECK_FALSE(RunValidator("literal-secret", "deploy7", "login deploy7 password deploy7"));
  CHECK_FALSE(RunValidator("literal-secret", "smtp_pass", "smtp_pass = \"smtp_pass\""));
  CHECK(RunValidator("literal-secret", "team10", "password == \"team10\""));
  CHECK(RunValidator("literal-secret", "pass123", "login visionmedia\n  password pass123"));
}

TEST_CASE("generic-secret keeps weak real passwords, not stand-ins", "[validators]") {
  // A `$` inside is no reference; word + digits is no placeholder unless the
  // word is a password word; letters with a password symbol; 8 characters of
  // letters and digits with three of each.
  for (const char* value :
       {"super$ecret", "Pass123!@#", "4ian1234", "development#product", "Secret123", "blu3$harbor",
        "un!techwhooah", "test_pass123", "Vpn1-pass", "123P4ssW0rd@@"}) {
    INFO(value);
    CHECK(RunValidator("generic-secret", value));
  }
  for (const char* value : {"secret", "password", "myPassword", "SOME_PASSWORD", "password123!",
                            "Password1!", "changeme123", "v1alpha1", "client_secret",
                            "secretKeyRef", "aaaaaaaaaaaa", "$SUPER_SECRET", "${super$ecret}"}) {
    INFO(value);
    CHECK_FALSE(RunValidator("generic-secret", value));
  }
  // Named stand-ins, short hex ids, cmd variables, repeated units (precision corpus).
  for (const char* value :
       {"smtp_pass", "fake_pass", "wsman_pwd", "somepass", "verybadpass", "pa$$w0rd", "p@ss#word",
        "str0ngp@ssword", "smartvm", "infoblox1", "Cyberark1", "netapp123", "blabla1", "ghp_tok123",
        "hf_oauth_123", "%HOMEPATH%\\x", "!UNDERSCORE!", "GR?XGR?XGR?XGR?X", "abcdefg!"}) {
    INFO(value);
    CHECK_FALSE(RunValidator("generic-secret", value));
    CHECK_FALSE(RunValidator("literal-secret", value));
  }
  CHECK_FALSE(RunValidator("generic-secret", "6d1b722e"));  // a short hex id
  // A long random value of every class is not code, even with [ ] ( $_.
  const char* jwt_secret = "Kq7`D'}/vYR)T;W\\5]EBrf;_&k>qX??]G&3CF=;@vyrVBp[$_hK4^?{qT/EglJe";
  CHECK(RunValidator("generic-secret", jwt_secret));
  CHECK_FALSE(RunValidator("generic-secret", "Kq7`D'}/vYR)T;W5]EBrf;_&k>${JWT_SECRET}qX??]G&3CF"));
}
