"""`python -m workshop` runs the command line."""

import sys

from workshop.cli import main

sys.exit(main())
