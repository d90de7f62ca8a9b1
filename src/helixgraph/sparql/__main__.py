"""A SPARQL worker process:
``python -m helixgraph.sparql FD STORE [--writable | --memory-bytes N]``."""

from __future__ import annotations

import sys

from helixgraph.sparql.pool import worker_main

if __name__ == "__main__":
    options = sys.argv[3:]
    memory = int(options[options.index("--memory-bytes") + 1]) if "--memory-bytes" in options else 0
    worker_main(int(sys.argv[1]), sys.argv[2], "--writable" in options, memory)
