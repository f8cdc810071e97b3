"""``python -m cchc``: the command line, as the ``cchc`` script runs it."""
from cchc.cli import main

main()
