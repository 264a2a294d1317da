"""The one error family the CLI renders.

Anything a user can cause (a bad file, a bad query, an unknown name) raises a subclass of
:class:`SmartCityError`. The CLI prints its message to stderr and exits with ``exit_code``;
library callers catch one type. Programming errors stay ordinary exceptions with tracebacks.
"""

from __future__ import annotations

#: Exit codes, as documented in the README.
EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # Ctrl-C (SIGINT), as shells report a process stopped by it


class SmartCityError(Exception):
    """A problem the user can fix; the message says where and what to do."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(SmartCityError):
    """A file, row, query or value given by the user is malformed or unknown."""

    exit_code = EXIT_USAGE


class Refused(InputError):
    """Well-formed input that is not allowed here (a server refuses SERVICE, LOAD, ...)."""


class CheckFailed(SmartCityError):
    """A check ran and found problems (SHACL violations, an ASK that answered false).

    The CLI prints a non-empty message as an error line; a command that has already reported
    what it found raises it with an empty message, for the exit code alone.
    """

    exit_code = EXIT_CHECK_FAILED


def near_matches(word: str, candidates: list[str] | set[str], n: int = 3) -> list[str]:
    """Names close to ``word``, so an error can say "did you mean ...?"."""
    import difflib

    by_lower = {c.lower(): c for c in candidates}
    hits = difflib.get_close_matches(word.lower(), list(by_lower), n=n, cutoff=0.5)
    hits += [c for c in by_lower if word.lower() in c and c not in hits]
    return [by_lower[h] for h in hits[:n]]


def did_you_mean(word: str, candidates: list[str] | set[str]) -> str:
    """A suffix for error messages: ' Did you mean "x" or "y"?' or ''."""
    hits = near_matches(word, candidates)
    if not hits:
        return ""
    return " Did you mean " + " or ".join(f'"{h}"' for h in hits) + "?"
