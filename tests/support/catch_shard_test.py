#!/usr/bin/env python3
"""catch_shard.py against a stand-in for a Catch2 binary: the selected names
reach the binary escaped, a shard whose names the binary does not all match
fails instead of passing with fewer tests, and shards that do not exist fail.
(Escaping against Catch2 itself is checked by every sharded run: each shard
compares the names Catch2 matched with the names it selected.)"""
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

SHARD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "catch_shard.py")

# Lists its names; with --input-file, matches them as Catch2 would (a
# backslash makes the next character literal). DROP: a name it never matches.
FAKE = r'''#!/usr/bin/env python3
import os, sys
def unescape(spec):
    out, escaped = [], False
    for c in spec:
        if c == "\\" and not escaped:
            escaped = True
            continue
        out.append(c)
        escaped = False
    return "".join(out)
names = ["plain", "with, comma", "with [brackets] and \"quotes\"", "star * tilde ~ back\\slash"]
args = sys.argv[1:]
if "--input-file" in args:
    wanted = [unescape(s) for s in open(args[args.index("--input-file") + 1]).read().splitlines()]
    names = [n for n in names if n in wanted and n != os.environ.get("DROP")]
if "--list-test-names-only" in args:
    print("\n".join(names))
    sys.exit(len(names))
print("ran:" + "|".join(names))
'''


class CatchShardTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.fake = os.path.join(self.dir, "fake")
        with open(self.fake, "w") as f:
            f.write(FAKE)
        os.chmod(self.fake, os.stat(self.fake).st_mode | stat.S_IEXEC)

    def tearDown(self):
        shutil.rmtree(self.dir)

    def shard(self, index, count, env=None):
        return subprocess.run([sys.executable, SHARD, self.fake, str(index), str(count)],
                              capture_output=True, text=True, env={**os.environ, **(env or {})})

    def test_every_special_character_is_escaped(self):
        sys.path.insert(0, os.path.dirname(SHARD))
        from catch_shard import escaped
        self.assertEqual(escaped('a,b[c]d"e~f*g\\h'), 'a\\,b\\[c\\]d\\"e\\~f\\*g\\\\h')

    def test_shards_cover_every_name_once(self):
        ran = []
        for i in (1, 2, 3):
            r = self.shard(i, 3)
            self.assertEqual(r.returncode, 0, r.stderr)
            ran += r.stdout.strip().split("ran:")[1].split("|")
        self.assertEqual(sorted(ran), sorted(["plain", "with, comma",
                                              'with [brackets] and "quotes"',
                                              "star * tilde ~ back\\slash"]))

    def test_a_name_the_binary_does_not_match_fails_the_shard(self):
        r = self.shard(2, 3, {"DROP": "with, comma"})
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("matched 0 cases, not the 1 selected", r.stderr)
        self.assertNotIn("ran:", r.stdout)

    def test_a_shard_that_does_not_exist_fails(self):
        self.assertNotEqual(self.shard(4, 3).returncode, 0)
        self.assertNotEqual(self.shard(0, 3).returncode, 0)
        self.assertIn("holds no test case", self.shard(5, 5).stderr)


if __name__ == "__main__":
    unittest.main()
