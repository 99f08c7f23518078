#!/usr/bin/env python3
"""Kingfisher's own rule examples, as JSON lines for recall.py.

Kingfisher (MongoDB's scanner) keeps its rules as YAML files, each rule with
`examples` (and a few `negative_examples`) that its `rules check` verifies.
Its release binary, on PyPI as kingfisher-bin, carries those files in one
gzip member: "KFRULES" 0x01, then per file a u32 name length, a u64 content
length (little-endian), the name and the content. Releases 2.x ship other
scanners' rule sets instead, without examples, so the version is pinned to
the last 1.x (fetch-examples.sh).

  kingfisher-examples.py WHEEL > kingfisher.jsonl
"""
import json
import struct
import sys
import zipfile
import zlib

import yaml

MAGIC = b"KFRULES\x01"
GZIP = b"\x1f\x8b\x08"


def rule_files(binary):
    """{name: YAML text} from the KFRULES member of the binary."""
    at = binary.find(GZIP)
    while at >= 0:
        try:
            blob = zlib.decompressobj(31).decompress(binary[at:])
        except zlib.error:
            blob = b""
        if blob.startswith(MAGIC):
            files, pos = {}, len(MAGIC)
            while pos + 12 <= len(blob):
                name_length, length = struct.unpack_from("<IQ", blob, pos)
                pos += 12
                name = blob[pos:pos + name_length].decode()
                files[name] = blob[pos + name_length:pos + name_length + length].decode()
                pos += name_length + length
            return files
        at = binary.find(GZIP, at + 1)
    sys.exit("kingfisher-examples: no KFRULES member in the binary")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with zipfile.ZipFile(sys.argv[1]) as wheel:
        binary = wheel.read("kingfisher/bin/kingfisher")
    count = 0
    for name, text in sorted(rule_files(binary).items()):
        for rule in (yaml.safe_load(text) or {}).get("rules") or []:
            for label, key in ((True, "examples"), (False, "negative_examples")):
                for example in rule.get(key) or []:
                    print(json.dumps({"peer": "kingfisher", "rule": rule["id"], "positive": label,
                                      "text": example}))
                    count += 1
    if count == 0:
        sys.exit("kingfisher-examples: no examples found")


if __name__ == "__main__":
    main()
