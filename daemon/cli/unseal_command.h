// `leakd unseal`: restores the tokens of sealed alerts (token_mode sealed) for
// whoever holds the secret key, and makes key pairs.
//
// Unsealing reads alert JSON lines on `in` and writes each to `out` with
// `token` restored and `token_sealed`/`seal_key_id` removed; a line without
// `token_sealed` is written unchanged, an empty line is skipped. A line that
// cannot be opened (not a JSON object, sealed to another key id, not a sealed
// box for this key) is not written: `err` gets one message naming its line
// number and why (never its content) and the others are still processed.
// Key formats: common/seal_key.h.
#pragma once

#include <iosfwd>
#include <string>

namespace leakd {

// 0 when every line was written, 1 when some could not be opened, 2 when the
// key file cannot be read.
int RunUnseal(const std::string& secret_key_file, std::istream& in, std::ostream& out,
              std::ostream& err);

// Writes DIR/seal.key (mode 0600, base64 of the secret key) and DIR/seal.pub
// (base64 of the public key), creating DIR; refuses to overwrite either.
// Prints the public key and its key id. 0, or 2 on any error.
int RunGenerateKeyPair(const std::string& dir, std::ostream& out, std::ostream& err);

}  // namespace leakd
