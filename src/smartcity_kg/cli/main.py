"""The ``smartcity-kg`` group. Subcommands are imported only when used, so start-up stays fast."""

from __future__ import annotations

import importlib
import sys

import click

from .. import __version__
from ..errors import SmartCityError

#: command name -> "module:function" under smartcity_kg.cli
COMMANDS = {
    "analyze": "analyze:analyze",
    "export": "export:export",
    "generate": "generate:generate",
    "import": "importer:import_",
    "template": "importer:template",
    "reason": "reason:reason",
    "release": "release:release",
    "diff": "diff:diff",
    "load": "load:load",
    "publish": "publish:publish",
    "queries": "query:queries",
    "serve": "serve:serve",
    "query": "query:query",
    "stats": "stats:stats",
    "validate": "validate:validate",
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(f"{__package__}.{module}"), attr)

    def resolve_command(self, ctx, args):
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            from ..errors import did_you_mean

            ctx.fail(f"No such command {name!r}.{did_you_mean(name, set(COMMANDS))}")
        return super().resolve_command(ctx, args)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="smartcity-kg")
def cli() -> None:
    """A Smart City topic knowledge graph: query, check and export it.

    Exit codes: 0 ok, 1 a check found problems (SHACL violations, an ASK answered false,
    a *-violation query returned rows), 2 usage or input error.
    """


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one line on stderr and a documented exit code."""
    try:
        cli.main(args=argv, prog_name="smartcity-kg", standalone_mode=False)
    except SmartCityError as err:  # a failed check may have said everything already
        if err.message:
            click.echo(f"Error: {err.message}", err=True)
        sys.exit(err.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except click.exceptions.Exit as err:
        sys.exit(err.exit_code)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
