"""The ``smartcity-kg`` group. Subcommands are imported only when used, so start-up stays fast."""

from __future__ import annotations

import importlib
import sys

import click

from .. import __version__
from ..errors import EXIT_INTERRUPTED, SmartCityError

#: command name -> "module:function" under smartcity_kg.cli, in the order of a workflow (the
#: order ``smartcity-kg --help`` lists them): ask, check, look, add data, compare, share, serve,
#: maintain.
COMMANDS = {
    # ask and look
    "query": "query:query",
    "queries": "query:queries",
    # check and count
    "validate": "validate:validate",
    "stats": "stats:stats",
    # pictures, graph files and analyses
    "export": "export:export",
    "analyze": "analyze:analyze",
    # add your own data
    "template": "importer:template",
    "import": "importer:import_",
    "reason": "reason:reason",
    "diff": "diff:diff",
    # store, share and serve
    "load": "load:load",
    "publish": "publish:publish",
    "serve": "serve:serve",
    "site": "site:site",
    "release": "release:release",
    # maintain the knowledge base
    "generate": "generate:generate",
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)  # workflow order, not alphabetical

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

    \b
    Exit codes:
      0    ok
      1    a check found problems (SHACL violations, an ASK answered false, a *-violation
           query returned rows, diff found differences, import rows with problems)
      2    usage or input error (a bad option, file, query, format or language)
      130  interrupted (Ctrl-C)

    Labels are German unless --lang en is given. Each command's --help has examples.

    \b
    Examples:
      smartcity-kg query topic-areas --lang en
      smartcity-kg validate --data mine.ttl
      smartcity-kg export --view topics -o topics.svg
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
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except click.exceptions.Exit as err:
        sys.exit(err.exit_code)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
