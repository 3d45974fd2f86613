"""Reference-count calls per request in a callgrind dump, by calling function.

Usage: refcounts.py CALLGRIND_DUMP REQUESTS [TOP=12]

Retains and releases are atomic read-modify-writes: ~20 cycles each where an ordinary
instruction costs a fraction of one, so instruction counts undervalue them (see
docs/ARCHITECTURE.md, "Reference counts are the hidden cost"). Counts the `calls=` lines of
the dump that target swift_retain/release and their bridge/unknown/_n variants, and charges
each to the function that made the call (calls made by swift_bridgeObjectRetain & co. to
swift_retain are not counted twice).
"""
import collections
import re
import sys

TARGETS = {"swift_retain", "swift_release", "swift_retain_n", "swift_release_n",
           "swift_bridgeObjectRetain", "swift_bridgeObjectRelease",
           "swift_bridgeObjectRetain_n", "swift_bridgeObjectRelease_n",
           "swift_unknownObjectRetain", "swift_unknownObjectRelease"}


def main() -> None:
    path, requests = sys.argv[1], int(sys.argv[2])
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    names: dict[str, str] = {}

    def name(token: str) -> str:
        # callgrind compresses names: "(12) full name" the first time, "(12)" afterwards.
        m = re.match(r"\((\d+)\)(?: (.*))?", token)
        if not m:
            return token
        if m.group(2):
            names[m.group(1)] = m.group(2)
        return names.get(m.group(1), m.group(1))

    caller = callee = None
    by_caller: collections.Counter[str] = collections.Counter()
    with open(path) as dump:
        for line in dump:
            if line.startswith("fn="):
                caller = name(line[3:].strip())
            elif line.startswith("cfn="):
                callee = name(line[4:].strip())
            elif line.startswith("calls=") and callee in TARGETS and caller not in TARGETS:
                by_caller[caller] += int(line[6:].split()[0])
    total = sum(by_caller.values())
    print(f"reference-count calls: {total / requests:.1f} per request")
    for function, calls in by_caller.most_common(top):
        print(f"{calls / requests:8.1f}  {function[:110]}")


if __name__ == "__main__":
    main()
