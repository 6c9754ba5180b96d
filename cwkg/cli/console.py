"""The terminal: one console for output, one for errors, and how a CwkgError ends a command."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console

from cwkg.errors import CwkgError

out = Console()
err = Console(stderr=True, log_path=False)


def fail(exc: CwkgError, code: int = 1) -> NoReturn:
    """Print an error for a person and exit with `code`."""
    err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False, soft_wrap=True)
    raise typer.Exit(code)
