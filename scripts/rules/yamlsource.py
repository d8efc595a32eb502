"""YAML reading that remembers where each value came from.

A rule error must name the file, the line and the field. PyYAML forgets lines once it builds Python
objects, so we compose the node tree ourselves and keep a map from each value's path to its line.
Duplicate keys, which PyYAML silently overwrites, are reported instead.

Rule files are plain data: no anchor or alias (an alias bomb would take all memory, a self-reference
would never end), no explicit tag, no nesting deeper than MAX_DEPTH; these are refused from the parser's
events, before anything is composed. A number is finite and exact in JSON (at most 2^53, the largest
integer JavaScript reads exactly): ``.inf``, ``.nan`` and a 400-digit figure are refused where written.
"""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import yaml

MAX_DEPTH = 40  # the deepest rule file nests about 12 levels
MAX_INTEGER = 2 ** 53


class RuleError(Exception):
    """A rule file is wrong; ``str(error)`` reads ``file:line: field: message``."""

    def __init__(self, file: str, line: int | None, field: str, message: str):
        self.file, self.line, self.field, self.message = file, line, field, message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {field or '(fichier)'}: {message}")


def path_text(path) -> str:
    """``('steps', 3, 'when')`` -> ``steps[3].when``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class Located:
    """A loaded YAML document and the line of every value in it."""

    def __init__(self, file: str, data, lines: dict):
        self.file, self.data, self.lines = file, data, lines

    def line(self, path) -> int | None:
        """Line of the value at ``path``, or of its nearest parent that has one."""
        path = tuple(path)
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path)

    def error(self, path, message: str) -> RuleError:
        return RuleError(self.file, self.line(path), path_text(path), message)


_CONSTRUCTOR = yaml.SafeLoader("")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _scalar(node: yaml.ScalarNode, file: str, path: tuple):
    try:
        resolved = _CONSTRUCTOR.construct_object(node)
    except (ValueError, yaml.YAMLError):
        raise RuleError(file, node.start_mark.line + 1, path_text(path), f"valeur impossible : {node.value}") from None
    if isinstance(resolved, dt.datetime):
        raise RuleError(file, node.start_mark.line + 1, path_text(path), "une date sans heure est attendue (AAAA-MM-JJ)")
    if isinstance(resolved, dt.date):
        return resolved.isoformat()
    if isinstance(resolved, float) and not math.isfinite(resolved):
        raise RuleError(file, node.start_mark.line + 1, path_text(path), f"nombre non fini : {node.value}")
    if isinstance(resolved, int) and not isinstance(resolved, bool) and abs(resolved) > MAX_INTEGER:
        raise RuleError(file, node.start_mark.line + 1, path_text(path), "nombre trop grand (au plus 2^53)")
    return resolved


def _convert(node, file: str, path: tuple, lines: dict):
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, file, path) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, (str, int, float, bool)):
                raise RuleError(file, key_node.start_mark.line + 1, path_text(path), "clé invalide")
            key = str(key)
            if key in out:
                raise RuleError(file, key_node.start_mark.line + 1, path_text(path + (key,)),
                                "clé en double dans le même bloc")
            lines[path + (key,)] = key_node.start_mark.line + 1
            out[key] = _convert(value_node, file, path + (key,), lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, file, path + (i,), lines) for i, item in enumerate(node.value)]
    return _scalar(node, file, path)


def _plain_data(text: str, file: str) -> None:
    """Refuse, from the parser's events alone, what plain data never needs: anchors and aliases,
    explicit tags, nesting deeper than MAX_DEPTH."""
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise RuleError(file, line, "", "ancre ou alias YAML (&, *) : écrivez la valeur en entier")
        if getattr(event, "tag", None):
            raise RuleError(file, line, "", f"étiquette YAML explicite : {event.tag}")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise RuleError(file, line, "", f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def load(path: Path, root: Path) -> Located:
    """Read one YAML file; syntax errors become ``RuleError`` with their line."""
    file = path.relative_to(root.parent).as_posix() if root.parent in path.parents else str(path)
    try:
        text = path.read_text(encoding="utf-8")
        _plain_data(text, file)
        node = yaml.compose(text, Loader=_LOADER)
    except UnicodeDecodeError:
        raise RuleError(file, None, "", "le fichier n'est pas en UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise RuleError(file, mark.line + 1 if mark else None, "", f"YAML invalide : {problem}") from None
    lines: dict = {}
    data = _convert(node, file, (), lines) if node is not None else None
    return Located(file, data, lines)
