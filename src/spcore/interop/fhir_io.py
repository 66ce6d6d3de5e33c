"""Reading FHIR resources from a file: one resource, a Bundle, or NDJSON.

Whatever the file holds, the reader hands back each resource with where it was
found, and findings for everything it could not use: unreadable files (the
``SPC-F`` codes every spcore reader shares), lines that are not JSON objects,
objects that are not resources, Bundle entries without a resource. It never
raises for bad input.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from spcore.findings import Finding, at_line, error, pointer
from spcore.interop import codes
from spcore.validation import loading

#: Most resources read from one file: far beyond any scheme's quarter, small enough
#: that a hostile file cannot exhaust memory with empty objects.
MAX_RESOURCES = 1_000_000


@attrs.frozen
class Found:
    """A resource and where it was found: ``line`` (1-based, 0 for a JSON file) and a pointer."""

    resource: dict[str, Any]
    line: int
    path: str

    @property
    def where(self) -> str:
        """A short description for messages ("line 3", "/entry/2/resource")."""
        if self.line:
            return f"line {self.line}" + (f" {self.path}" if self.path else "")
        return self.path or "the document"


def is_ndjson(path: str | Path) -> bool:
    """True when the file name says NDJSON (``.ndjson`` or ``.jsonl``)."""
    return Path(path).suffix.lower() in {".ndjson", ".jsonl"}


def _unbundle(
    resource: dict[str, Any], line: int, base: str, findings: list[Finding]
) -> Iterable[Found]:
    """The resource, or each entry's resource when it is a Bundle."""
    if resource.get("resourceType") != "Bundle":
        yield Found(resource, line, base)
        return
    entries = resource.get("entry", [])
    if not isinstance(entries, list):
        findings.append(
            at_line(
                error(codes.BAD_ELEMENT, pointer("entry"), "Bundle.entry must be a list."), line
            )
        )
        return
    for index, entry in enumerate(entries):
        inner = entry.get("resource") if isinstance(entry, dict) else None
        where = f"{base}{pointer('entry', index, 'resource')}"
        if not isinstance(inner, dict):
            findings.append(
                at_line(
                    error(
                        codes.EMPTY_ENTRY,
                        pointer("entry", index),
                        f"Bundle entry {index} holds no resource.",
                    ),
                    line,
                )
            )
            continue
        if not _is_resource(inner, where, line, findings):
            continue
        yield Found(inner, line, where)


def _is_resource(value: Any, where: str, line: int, findings: list[Finding]) -> bool:
    if isinstance(value, dict) and isinstance(value.get("resourceType"), str):
        return True
    findings.append(
        at_line(
            error(
                codes.NOT_A_RESOURCE,
                where,
                "This JSON object is not a FHIR resource: it has no resourceType.",
            ),
            line,
        )
    )
    return False


def read_documents(path: str | Path) -> tuple[list[tuple[int, dict[str, Any]]], list[Finding]]:
    """The top-level JSON objects of a file: ``[(line, object)]`` (line 0 for a JSON file)."""
    if not is_ndjson(path):
        loaded = loading.read_json_file(path)
        if loaded.data is None:
            return [], list(loaded.findings)
        return [(0, loaded.data)], []
    p = Path(path)
    try:
        if p.is_dir():
            return [], [error("SPC-F001", "", f"'{p}' is a folder, not a file.")]
        with p.open("rb") as handle:
            raw = handle.read(loading.MAX_BYTES * 50 + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return [], [error("SPC-F001", "", f"'{p}' cannot be read: {reason}.")]
    if len(raw) > loading.MAX_BYTES * 50:
        return [], [error("SPC-F002", "", "The file is larger than spcore reads at once.")]
    out: list[tuple[int, dict[str, Any]]] = []
    findings: list[Finding] = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            findings.append(
                error("SPC-F006", pointer("lines", number), f"Not UTF-8 text (byte {exc.start}).")
            )
            continue
        loaded = loading.parse_json_text(text)
        if loaded.data is None:
            findings.extend(at_line(f, number) for f in loaded.findings)
            continue
        out.append((number, loaded.data))
    return out, findings


def read_resources(path: str | Path) -> tuple[list[Found], list[Finding]]:
    """Every resource in the file (Bundles opened), and findings for what could not be used."""
    documents, findings = read_documents(path)
    found: list[Found] = []
    for line, document in documents:
        if not _is_resource(document, "", line, findings):
            continue
        for item in _unbundle(document, line, "", findings):
            found.append(item)
            if len(found) > MAX_RESOURCES:
                findings.append(
                    error(
                        codes.TOO_MANY_RESOURCES,
                        "",
                        f"The file holds more than {MAX_RESOURCES:,} resources; split it.",
                    )
                )
                return found[:MAX_RESOURCES], findings
    return found, findings
