"""`python -m cwkg`: the command line, for when the `cwkg` script is not on PATH."""

from cwkg.cli import main

main()
