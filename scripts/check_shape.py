#!/usr/bin/env python3
"""The shape the project holds its own code to (run as the ctest `code_shape`):
no file in daemon/ over 350 lines, no function over 60 lines.

Functions are found on clang-formatted code: a definition starts at column 0
(namespaces are not indented) and its body ends at the first later line that
is a lone `}` at column 0. Member functions defined inside a class body are
one-liners by the project's habit and are not measured.

Exceptions are listed in the README's design section under "Shape exceptions",
one per line as `- path: why` (file) or `- path:Function: why` (function);
this script reads them from there, so an exception without a reason cannot exist.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
MAX_FILE_LINES = 350
MAX_FUNCTION_LINES = 60
NOT_FUNCTION = re.compile(r"^(#|//|/\*|\*|namespace\b|class\b|struct\b|enum\b|union\b|"
                          r"template\b|using\b|typedef\b|extern\b|static_assert\b|\})")


def exceptions():
    text = (ROOT / "README.md").read_text()
    section = text.split("Shape exceptions", 1)
    if len(section) < 2:
        return set()
    allowed = set()
    for line in section[1].splitlines()[1:]:
        if line.startswith("#"):
            break
        m = re.match(r"^- `([^`]+)`:", line)
        if m:
            allowed.add(m.group(1))
    return allowed


def functions(lines):
    """(name, first line number, body lines) of each top-level definition."""
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line or line[0].isspace() or NOT_FUNCTION.match(line):
            i += 1
            continue
        start = i
        signature = line
        while not signature.rstrip().endswith(("{", ";", "}")) and i + 1 < len(lines):
            i += 1
            signature += " " + lines[i].strip()
        if signature.rstrip().endswith("{") and "(" in signature and "=" not in signature.split("(")[0]:
            open_line = i
            while i + 1 < len(lines) and lines[i + 1] != "}":
                i += 1
            name = re.findall(r"([A-Za-z_][\w:~]*)\s*\(", signature)
            yield (name[0] if name else "?"), start + 1, i - open_line
        i += 1


def main():
    allowed = exceptions()
    problems = []
    for path in sorted((ROOT / "daemon").rglob("*")):
        if path.suffix not in (".cpp", ".h"):
            continue
        rel = path.relative_to(ROOT).as_posix()
        lines = path.read_text().split("\n")
        if len(lines) - 1 > MAX_FILE_LINES and rel not in allowed:
            problems.append(f"{rel}: {len(lines) - 1} lines (limit {MAX_FILE_LINES})")
        if path.suffix != ".cpp":
            continue
        for name, line_no, length in functions(lines):
            if length > MAX_FUNCTION_LINES and f"{rel}:{name}" not in allowed:
                problems.append(f"{rel}:{line_no}: {name} has {length} lines "
                                f"(limit {MAX_FUNCTION_LINES})")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} shape problem(s); fix them, or say why in the README's "
              "\"Shape exceptions\"", file=sys.stderr)
        return 1
    print("shape ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
