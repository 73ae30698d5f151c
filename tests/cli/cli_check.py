"""What the CLI tests (tests/cli/*.sh) share: the CLI under test, check() and the exit code.

Each script runs `PYTHONPATH=tests/cli python3 - PATH/TO/playground-cli`; check() prints one
"ok"/"FAIL" line per fact, and finish() exits 1 if any failed.
"""
import os
import sys

cli = sys.argv[1]
# Hang guards, not speed checks: a sanitizer build (CMake sets the scale) runs tens of times slower.
TIMEOUT_SCALE = float(os.environ.get("PP_TEST_TIMEOUT_SCALE", "1"))
_failures = 0


def check(name, ok, detail=""):
    global _failures
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f"\n     {detail}"))
    _failures += 0 if ok else 1


def finish():
    if _failures:
        print(f"{_failures} failure(s)")
    sys.exit(1 if _failures else 0)
