"""Choose where queries run: the embedded engine, a persistent store, or a remote endpoint.

Every backend answers ``run(query, params, source=...)`` with the neutral result model, so a
command written against it works the same on all three.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Protocol

from .binding import Term
from .errors import InputError


class Backend(Protocol):
    def run(
        self, query: str, params: Mapping[str, Term] | None = None, *, source: str = "query"
    ): ...


class Choice:
    """The backend a command asked for; it is opened on first use, so argument errors come first.

    ``kb`` is the local dataset (embedded or store) for commands that need all triples;
    it raises a clear error for a remote endpoint.
    """

    def __init__(
        self,
        data: Sequence[Path] = (),
        store: Path | None = None,
        endpoint: str | None = None,
        auth_env: str | None = None,
        timeout: float = 60.0,
    ) -> None:
        if store is not None and endpoint:
            raise InputError("give --store DIR or --endpoint URL, not both.")
        if data and (store is not None or endpoint):
            where = f"--store {store}" if store is not None else f"--endpoint {endpoint}"
            raise InputError(
                f"--data cannot be added to {where}; load the files into it first "
                "('smartcity-kg load --store DIR FILE...' or 'smartcity-kg publish')."
            )
        if auth_env and not endpoint:
            raise InputError("--auth-env only applies with --endpoint URL.")
        self.data, self.store, self.endpoint = tuple(data), store, endpoint
        self.auth_env, self.timeout = auth_env, timeout

    @property
    def is_remote(self) -> bool:
        return bool(self.endpoint)

    @cached_property
    def engine(self):
        if self.endpoint:
            from .remote import Endpoint, credentials

            return Endpoint(self.endpoint, credentials(self.auth_env), timeout=self.timeout)
        return self.kb

    @cached_property
    def kb(self):
        from .store import KnowledgeBase

        if self.endpoint:
            raise InputError(
                f"this command needs the triples themselves and cannot run on --endpoint "
                f"{self.endpoint}; use --store DIR or the embedded knowledge base."
            )
        if self.store is not None:
            return KnowledgeBase.open(self.store)
        return KnowledgeBase.load(self.data)

    def run(self, query: str, params: Mapping[str, Term] | None = None, *, source: str = "query"):
        return self.engine.run(query, params, source=source)
