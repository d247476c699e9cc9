"""``python -m longtu``: the same as the ``longtu`` command."""

import sys

from longtu.cli.main import main

sys.exit(main())
