"""``python -m bench``: build a national-scale store, start the bot and a bare app, load both."""

from __future__ import annotations

import sys

from bench.run import main

if __name__ == "__main__":
    sys.exit(main())
