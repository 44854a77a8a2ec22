"""Interpreter wrapper for the benchmark: runs `python ARGS...` as a child, waits for it, and appends
the child's peak resident set size (ru_maxrss of RUSAGE_CHILDREN, KiB on Linux) to $BENCH_RSS_OUT.

Set as ansible_python_interpreter (through a two-line shell script the benchmark writes), it
measures the module process itself: AnsiballZ runs the module inside that one process.
"""

import os
import resource
import subprocess
import sys


def main() -> int:
    code = subprocess.call([sys.executable] + sys.argv[1:])
    out = os.environ.get("BENCH_RSS_OUT")
    if out:
        with open(out, "a", encoding="utf-8") as handle:
            handle.write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return code


if __name__ == "__main__":
    sys.exit(main())
