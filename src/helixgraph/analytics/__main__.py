"""An analytics worker process: ``python -m helixgraph.analytics FD`` (see :mod:`.workers`)."""

from __future__ import annotations

import sys

from helixgraph.analytics.workers import worker_main

if __name__ == "__main__":
    worker_main(int(sys.argv[1]))
