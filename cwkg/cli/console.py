"""The terminal: one console for output, one for errors, the settings from options, and the exit codes.

Exit codes, the same for every command (README, "Command line"):
    0  done: the graph conforms, the query answered, the server stopped cleanly
    1  the check failed (violations, missing evidence, an unpinned statement, an uncovered
       candidate) or the thing asked for does not exist (a canned query, a source id)
    2  bad usage or unreadable input: an unknown option value, a bad CWKG_* variable, a
       missing or unparsable file, no store where one is needed
    3  could not start: the server cannot listen or open its store, a remote store does not answer
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import typer
from pydantic import ValidationError as PydanticValidationError
from pydantic_settings import SettingsError
from rich.console import Console

from cwkg.config import ROOT, Settings, settings_errors
from cwkg.errors import (
    BuildError,
    ConfigError,
    CwkgError,
    DataError,
    NotFound,
    ParseError,
    QuerySyntaxError,
    SourceError,
    StoreUnreachable,
    ValidationError,
)
from cwkg.queries import ParameterError

__all__ = [
    "EXIT_CANNOT_START",
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "err",
    "existing_store",
    "exit_code",
    "default_of",
    "fail",
    "load_settings",
    "out",
]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_CANNOT_START = 0, 1, 2, 3

#: The one table from error to exit code; the first class the error is an instance of wins.
EXIT_CODES: tuple[tuple[type[CwkgError], int], ...] = (
    (ParameterError, EXIT_USAGE),
    (ConfigError, EXIT_USAGE),
    (ParseError, EXIT_USAGE),
    (QuerySyntaxError, EXIT_USAGE),
    (SourceError, EXIT_USAGE),
    (StoreUnreachable, EXIT_CANNOT_START),
    (NotFound, EXIT_FAILED),
    (DataError, EXIT_FAILED),
    (BuildError, EXIT_FAILED),
    (ValidationError, EXIT_FAILED),
    (CwkgError, EXIT_FAILED),
)

#: Options whose name is not the setting's: option (as a keyword) -> Settings field.
_FIELDS = {"sources": "sources_dir", "dist": "dist_dir", "data": "data_dir", "shapes": "shapes_dir"}

out = Console()
err = Console(stderr=True, log_path=False)


def exit_code(exc: CwkgError) -> int:
    """The exit code for an error, from EXIT_CODES."""
    return next(code for cls, code in EXIT_CODES if isinstance(exc, cls))


def fail(exc: CwkgError, code: int | None = None) -> NoReturn:
    """Print an error for a person (one paragraph, never re-wrapped) and exit with `code` or its table code."""
    err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False, soft_wrap=True)
    raise typer.Exit(exit_code(exc) if code is None else code)


def load_settings(**given: Any) -> Settings:
    """The settings with the options given (keywords named as the options; None = not given).

    A bad value, from an option or a CWKG_* variable, ends the command as click ends it for its own
    options: one line naming the option or variable, the value and what is allowed, exit 2.
    """
    overrides = {_FIELDS.get(k, k): v for k, v in given.items() if v is not None}
    options = {_FIELDS.get(k, k): "--" + k.replace("_", "-") for k, v in given.items() if v is not None}
    try:
        return Settings.from_options(**overrides)
    except (PydanticValidationError, SettingsError) as exc:
        (where, problem), *more = settings_errors(exc, options)
        rest = "".join(f"\nInvalid value for {_hint(w)}: {p}" for w, p in more)
        raise typer.BadParameter(problem + rest, param_hint=_hint(where)) from None


def _hint(where: str) -> str:
    """An option in quotes, as click names its own; a variable as it is."""
    return where if where.startswith("CWKG_") else f"'{where}'"


def default_of(field: str) -> str:
    """How --help shows a setting's default: its value, and the CWKG_ variable that changes it."""
    value = Settings.model_fields[field].get_default(call_default_factory=True)
    if isinstance(value, Path | str) and Path(value).is_relative_to(ROOT):
        value = Path(value).relative_to(ROOT)
    return f"{value}; CWKG_{field.upper()}"


def existing_store(settings: Settings, given: bool) -> Path:
    """The folder of the built embedded store, or a ConfigError (exit 2) saying how to get one."""
    path = Path(settings.store)
    if settings.remote_store:
        raise ConfigError(
            f"{settings.store} is a remote store; this command reads the embedded store (a folder)"
        )
    if not (path / "CURRENT").is_file():  # RocksDB's marker: an empty or foreign folder is no store
        hint = (
            f"give the folder of a built store (`cwkg build --store {path}` makes one)"
            if given
            else "run `cwkg build` first"
        )
        raise ConfigError(f"no store at {path}: {hint}")
    return path
