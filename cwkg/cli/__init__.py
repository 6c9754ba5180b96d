"""The `cwkg` command line: one module per command, each a thin shell over the library."""

from __future__ import annotations

import typer

from cwkg.cli import build, evidence, extract, pin, publish, query, serve, validate

app = typer.Typer(
    name="cwkg",
    help="The Children's Workforce Knowledge Graph: build, validate, query and serve it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # click's plain usage errors: one line each, never boxed or re-wrapped
    context_settings={"show_default": True},
)
app.command("build")(build.build)
app.command("evidence")(evidence.evidence)
app.command("serve")(serve.serve)
app.command("validate")(validate.validate)
app.command("query")(query.query)
app.command("extract")(extract.extract)
app.command("publish")(publish.publish)
app.command("pin")(pin.pin)


def main() -> None:
    """Entry point of the console script (and of `python -m cwkg`)."""
    app(prog_name="cwkg")
