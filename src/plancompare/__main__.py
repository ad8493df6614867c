"""`python -m plancompare`: the same as the `plancompare` command."""

from .cli import main

raise SystemExit(main())
