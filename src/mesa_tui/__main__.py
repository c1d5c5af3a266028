import sys

from mesa_tui.cli import main

sys.exit(main())
