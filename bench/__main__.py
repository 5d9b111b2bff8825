"""``python -m bench``: build a national-scale store, start the bot and a bare app, load both.

``python -m bench faults``: the fault scenarios instead (kill -9, a PostgreSQL outage, slow
clients; see ``bench/faults.py``).

``python -m bench import``: only the import of 357 rows (``bench/import_rows.py``).
"""

from __future__ import annotations

import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["faults"]:
        from bench.faults import main as faults

        sys.exit(faults(sys.argv[2:]))
    if sys.argv[1:2] == ["import"]:
        from bench.import_rows import main as import_rows

        sys.exit(import_rows(sys.argv[2:]))
    from bench.run import main

    sys.exit(main())
