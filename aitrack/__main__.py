import sys

from aitrack.main import main

sys.exit(main())
