import sys

from agreements.cli import main

sys.exit(main())
