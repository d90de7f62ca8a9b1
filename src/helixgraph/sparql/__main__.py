"""A SPARQL worker process: ``python -m helixgraph.sparql FD STORE [--writable]``."""

from __future__ import annotations

import sys

from helixgraph.sparql.pool import worker_main

if __name__ == "__main__":
    worker_main(int(sys.argv[1]), sys.argv[2], "--writable" in sys.argv[3:])
