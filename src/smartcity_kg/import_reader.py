"""Read the rows of a user's CSV, YAML or JSON file, with positions for error messages.

File-level problems (empty file, wrong encoding or delimiter, unknown or missing columns) raise
:class:`InputError` naming the file, line and column and what to do. Row-level problems (a row
with too many cells) are kept with the row so the importer can report or skip it.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from .collector import paused
from .errors import InputError, did_you_mean
from .files import Stdin, decode_utf8
from .import_templates import TEMPLATES, Template


@dataclass
class Row:
    number: int  # the line in a CSV file (header = 1), the item number in YAML/JSON
    cells: dict[str, str | list[str]]
    problem: str = ""


@dataclass
class Table:
    path: Path | Stdin
    template: Template
    rows: list[Row] = field(default_factory=list)


def read_table(path: Path | Stdin, kind: str | None = None) -> Table:
    """The rows of ``path`` (or standard input) checked against the template ``kind``
    (guessed from the columns)."""
    if isinstance(path, Stdin):  # standard input: its format is named, not an extension
        raw, suffix = path.read_bytes(), "." + path.format
    else:
        path = Path(path)
        if not path.is_file():
            raise InputError(f"{path}: no such file; check the path.")
        raw, suffix = path.read_bytes(), path.suffix.lower()
    if suffix not in (".csv", ".yaml", ".yml", ".json"):
        raise InputError(
            f"{path}: unknown table format {suffix or '(none)'!r}; use .csv, .yaml or .json."
        )
    text = decode_utf8(path, raw, then="import again")
    if not text.strip():
        raise InputError(
            f"{path}: the file is empty; start from 'smartcity-kg template initiatives' "
            "(or figures, memberships) and add one row per item."
        )
    with paused():  # thousands of rows, all kept: nothing for the collector (collector.py)
        if suffix == ".csv":
            headers, rows = _csv_rows(path, text)
        else:
            headers, rows = _tree_rows(path, text, suffix)
    template = _template(path, headers, kind)
    _check_columns(path, headers, template)
    if not rows:
        raise InputError(
            f"{path}: the header is there but no data rows follow; add one row per item below it."
        )
    return Table(path, template, rows)


def _csv_rows(path: Path | Stdin, text: str) -> tuple[list[str], list[Row]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        headers = [h.strip() for h in header]
        if len(headers) == 1 and (";" in headers[0] or "\t" in headers[0]):
            sep = "';'" if ";" in headers[0] else "a tab"
            raise InputError(
                f"{path}:1:1: the header is separated by {sep}, not by ','; save the file as "
                "comma-separated CSV (';' separates several values inside one cell)."
            )
        rows: list[Row] = []
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            if not "".join(cells).strip():  # a blank line: no cell has text
                continue
            row = Row(reader.line_num, dict(zip(headers, cells, strict=False)))
            if len(cells) != len(headers):
                row.problem = (
                    f"the row has {len(cells)} cells but the header has {len(headers)}; "
                    "quote cells that contain ',' or remove the extra cells"
                )
            rows.append(row)
    except csv.Error as err:
        raise InputError(
            f"{path}:{reader.line_num}: {err}; fix the quoting on that line."
        ) from None
    return headers, rows


#: Deepest nesting an import file needs: an optional mapping with a "rows" key, the list of
#: rows, a row (a mapping), a list of values, a value.
MAX_DEPTH = 5


def _tree_rows(path: Path | Stdin, text: str, suffix: str) -> tuple[list[str], list[Row]]:
    data = _read_json(path, text) if suffix == ".json" else _read_yaml(path, text)
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        data = data["rows"]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise InputError(
            f"{path}: expected a list of rows, each a mapping from column to value "
            "(or a mapping with a 'rows' list)."
        )
    headers: list[str] = []
    rows = []
    for number, item in enumerate(data, start=1):
        for key in item:
            if str(key) not in headers:
                headers.append(str(key))
        rows.append(Row(number, {str(k): _cell(path, number, k, v) for k, v in item.items()}))
    return headers, rows


def _too_deep(path: Path | Stdin, where: str = "") -> InputError:
    return InputError(
        f"{path}{where}: the data is nested more than {MAX_DEPTH} levels deep; an import file "
        "is a list of rows, each a mapping from column to a value or a list of values. "
        "Fix the file."
    )


def _read_json(path: Path | Stdin, text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{path}:{err.lineno}:{err.colno}: {err.msg}; fix the JSON.") from None
    except RecursionError:
        # the parser's own limit (about 1000 levels): a clear error, not a traceback
        raise _too_deep(path) from None


def _read_yaml(path: Path | Stdin, text: str):
    import yaml

    try:
        return yaml.load(text, Loader=_loader(yaml, path))  # a SafeLoader subclass
    except yaml.YAMLError as err:
        if isinstance(err, InputError):
            raise
        mark = getattr(err, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(err, "problem", None) or str(err)
        raise InputError(f"{where}: {problem}; fix the YAML.") from None


def _loader(yaml, path: Path | Stdin):
    """A SafeLoader that refuses aliases and deep nesting while composing, before any value is
    built: ``*alias`` lets a few hundred bytes stand for gigabytes ("billion laughs"), and deep
    nesting overflows the composer's recursion. Neither belongs in a table."""

    class TableLoader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                raise _YamlRefused(
                    f"{path}:{mark.line + 1}:{mark.column + 1}: YAML aliases (*name) are "
                    "not accepted in an import file; write the values out in full."
                )
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH:
                    mark = self.peek_event().start_mark
                    where = f":{mark.line + 1}:{mark.column + 1}"
                    raise _YamlRefused(_too_deep(path, where).message)
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    class _YamlRefused(InputError, yaml.YAMLError):
        pass

    return TableLoader


def _cell(path: Path | Stdin, number: int, column, value) -> str | list[str]:
    if value is None:
        return ""
    if isinstance(value, list):
        if any(isinstance(v, list | dict) for v in value):
            raise InputError(
                f"{path}: row {number}, column {column!r}: a list inside a list; give a value "
                "or a list of values."
            )
        return [str(_cell(path, number, column, v)) for v in value if v is not None]
    if isinstance(value, dict):
        raise InputError(
            f"{path}: row {number}, column {column!r}: a mapping is not a cell value; give a "
            "value or a list of values."
        )
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _template(path: Path | Stdin, headers: list[str], kind: str | None) -> Template:
    if kind is not None:
        return TEMPLATES[kind]
    names = set(headers)
    if "member" in names or "metropolitan_region" in names:
        return TEMPLATES["memberships"]
    if "value" in names or "measure" in names:
        return TEMPLATES["figures"]
    return TEMPLATES["initiatives"]


def _check_columns(path: Path | Stdin, headers: list[str], template: Template) -> None:
    known = template.names
    for index, name in enumerate(headers, start=1):
        if name not in known:
            raise InputError(
                f"{path}:1:{index}: unknown column {name!r} for {template.kind}."
                f"{did_you_mean(name, set(known))} The columns are: {', '.join(known)}."
            )
    missing = [c for c in template.required if c not in headers]
    if missing:
        raise InputError(
            f"{path}:1: missing required column(s) {', '.join(missing)} for {template.kind}; "
            f"add them (see 'smartcity-kg template {template.kind}')."
        )
    seen: set[str] = set()
    for index, name in enumerate(headers, start=1):
        if name in seen:
            raise InputError(f"{path}:1:{index}: column {name!r} appears twice; keep one.")
        seen.add(name)
