import sys

from weidai_train.cli import main

sys.exit(main(sys.argv[1:]))
