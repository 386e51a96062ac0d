"""`python -m bank.scaling_out ledger|log|writer`: chapter 07's processes (see `bank.variants.scaling_out`)."""

import sys

from bank.variants.scaling_out import main

if __name__ == "__main__":
    sys.exit(main())
