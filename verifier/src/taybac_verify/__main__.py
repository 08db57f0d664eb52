"""`python -m taybac_verify <lot URL or bundle file> …`: the same as the `taybac-verify` command."""

import sys

from taybac_verify.verifier import main

if __name__ == "__main__":
    sys.exit(main())
