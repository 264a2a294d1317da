"""The server's settings, each one a ``smartcity-kg serve`` option."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..languages import DEFAULT as DEFAULT_LANG


@dataclass(frozen=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    data: tuple[str, ...] = field(default=())
    lang: str = DEFAULT_LANG  # default label language of the HTML pages
    timeout: float = 10.0  # seconds a query may run before its worker is killed
    max_rows: int = 10_000  # rows returned unless the client asks for a download
    max_body: int = 1_000_000  # bytes of a request body
    workers: int = 2  # query worker processes = queries running at the same time
    allow_update: bool = False
    token: str | None = None  # bearer token for updates (from --token-env)

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"
