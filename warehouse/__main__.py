"""`python -m warehouse ...`: accounts (warehouse/cli.py) and operations (warehouse/ops_cli.py)."""

import sys

if len(sys.argv) > 1 and sys.argv[1] in ("migrate-to", "mantenimiento", "hashes"):
    from warehouse.ops_cli import main
else:
    from warehouse.cli import main

sys.exit(main())
