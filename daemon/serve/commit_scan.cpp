#include "serve/commit_scan.h"

#include "scan/decoded_scan.h"

namespace leakd {

DecodeError CommitScan::Run(Scanner& scanner, std::string_view payload,
                            const CommitLimits& limits) {
  found_.clear();
  bytes_scanned_ = 0;
  const DecodeError e = parser_.Parse(payload, limits, &event_);
  if (e != DecodeError::kNone) {
    event_ = CommitEvent();  // a partly parsed event is not kept
    return e;
  }
  for (const CommitFile& file : event_.files) {
    const std::string& text = file.is_patch ? file.added.text() : file.content;
    findings_.clear();
    ScanWithDecoding(scanner, text, &findings_);
    bytes_scanned_ += text.size();
    if (findings_.empty()) continue;
    LineIndex lines(text);
    for (Finding& f : findings_) {
      const TextPosition pos = file.is_patch ? file.added.PositionOf(f.offset) : lines.At(f.offset);
      found_.push_back({std::move(f), &file, pos});
    }
  }
  return DecodeError::kNone;
}

}  // namespace leakd
