"""``python -m kotacerdas.growth zscores IN.csv -o OUT.csv`` (see kotacerdas/growth/cli.py)."""

import sys

from kotacerdas.growth.cli import main

sys.exit(main())
