"""Open Referral UK (HSDS 3.0) directories of community activity.

:func:`read_directory` reads a directory — one JSON file, or a folder of them
as an Open Referral UK API would serve them — in any of the shapes HSDS 3.0
uses: one object (``/services/{id}``), a list, a page (``{"contents": [...]}``)
or a combined file with ``services``, ``organizations``, ``locations`` and
``taxonomy_terms`` lists. The kind of a single object, list or page is read
from the file name (``organizations.json``, ``locations/…``); anything else is
a service. Organizations, locations and taxonomy terms nested in services are
collected too.

Every object is checked against spcore's statement of the HSDS requirements it
relies on (``interop/data/hsds-requirements.json``: required fields, status
and location-type codes, UUID ids) and, when ``schemas`` names a folder holding
the published HSDS 3.0 or Open Referral UK schema files (``service.json``,
``organization.json``...), against those too, offline. Duplicate ids, links
to organizations or locations the directory lacks, and an empty directory are
findings as well.

:func:`resolve_prescriptions` checks case records' ``directory_id``s against
the directory, and :func:`community_groups_as_services` writes a quarterly
return's community groups as HSDS services, their intervention types and Five
Ways to Wellbeing as taxonomy terms from spcore's CodeSystems.
"""

from __future__ import annotations

import copy
import functools
import uuid
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import referencing
import referencing.jsonschema

from spcore import strict_json
from spcore.findings import Finding, error, pointer, warning
from spcore.framework.codelists import load as load_codelist
from spcore.interop import codes
from spcore.interop.terminology import code_system_url
from spcore.validation import loading

KINDS = ("service", "organization", "location", "taxonomy_term")

#: Where the published schema files ``--schemas`` takes are kept, at the commits spcore's
#: requirements and examples were checked against (openreferral-hsds-3,
#: openreferral-uk-profile-3). Both are licensed CC BY-SA 4.0 by Open Referral.
PUBLISHED_SCHEMAS: dict[str, tuple[str, str, str]] = {
    "HSDS 3.0": (
        "https://github.com/openreferral/specification",
        "279fd2eb3552c349bf698c07c00cc25f5fc8249b",
        "schema",
    ),
    "Open Referral UK (HSDS 3.0 UK profile)": (
        "https://github.com/OpenReferralUK/uk-profile",
        "ecdfabf78944d480d7f580d08b702b08cbec4b09",
        "schema",
    ),
}
#: Most files read from one directory folder.
MAX_FILES = 10_000
#: Most schema findings reported for one object (the rest are counted).
MAX_SCHEMA_FINDINGS = 5


@attrs.frozen
class Entry:
    """One HSDS object and where it was found."""

    kind: str
    data: dict[str, Any]
    source: str
    path: str
    nested: bool = False


@attrs.define
class Directory:
    """A directory read from disk: its objects by kind and id, and what was wrong with it."""

    objects: dict[str, dict[str, Entry]] = attrs.field(factory=lambda: {k: {} for k in KINDS})
    findings: list[Finding] = attrs.field(factory=list)
    files: int = 0

    @property
    def service_ids(self) -> set[str]:
        """The ids of every service."""
        return set(self.objects["service"])


def _kind_from_name(path: Path) -> str:
    name = "/".join(part.lower() for part in path.parts[-2:])
    if "taxonomy_term" in name:
        return "taxonomy_term"
    if "organization" in name or "organisation" in name:
        return "organization"
    if "location" in name and "service_at_location" not in name:
        return "location"
    return "service"


def _located(finding: Finding, source: str) -> Finding:
    return attrs.evolve(finding, message=f"{source}: {finding.message}")


def _objects(document: Any, kind: str) -> Iterator[tuple[str, str, Any]]:
    """(kind, pointer, object) for every top-level object of one parsed file."""
    combined = {f"{k}s": k for k in KINDS}
    if isinstance(document, dict) and "id" not in document and set(document) & set(combined):
        for key, inner_kind in combined.items():
            values = document.get(key)
            if isinstance(values, list):
                for i, value in enumerate(values):
                    yield inner_kind, pointer(key, i), value
        return
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        for i, value in enumerate(document["contents"]):
            yield kind, pointer("contents", i), value
        return
    if isinstance(document, list):
        for i, value in enumerate(document):
            yield kind, pointer(i), value
        return
    yield kind, "", document


def _list(value: Any) -> list[Any]:
    """``value`` when it is a list; anything else (a directory may hold anything) is none."""
    return value if isinstance(value, list) else []


def _nested(entry: Entry) -> Iterator[Entry]:
    """Organizations, locations and taxonomy terms held inside a service."""
    data = entry.data
    if entry.kind == "organization":
        for i, service in enumerate(_list(data.get("services"))):
            if isinstance(service, dict):
                where = f"{entry.path}{pointer('services', i)}"
                yield Entry("service", service, entry.source, where, True)
        return
    if entry.kind != "service":
        return
    if isinstance(data.get("organization"), dict):
        yield Entry(
            "organization", data["organization"], entry.source, f"{entry.path}/organization", True
        )
    for i, sal in enumerate(_list(data.get("service_at_locations"))):
        if isinstance(sal, dict) and isinstance(sal.get("location"), dict):
            where = f"{entry.path}{pointer('service_at_locations', i, 'location')}"
            yield Entry("location", sal["location"], entry.source, where, True)
    for i, attribute in enumerate(_list(data.get("attributes"))):
        if isinstance(attribute, dict) and isinstance(attribute.get("taxonomy_term"), dict):
            where = f"{entry.path}{pointer('attributes', i, 'taxonomy_term')}"
            yield Entry("taxonomy_term", attribute["taxonomy_term"], entry.source, where, True)


@functools.cache
def _requirements() -> dict[str, Any]:
    text = (
        resources.files("spcore.interop")
        .joinpath("data", "hsds-requirements.json")
        .read_text(encoding="utf-8")
    )
    loaded: dict[str, Any] = strict_json.loads(text)
    return loaded


def _validator(
    schema: dict[str, Any], registry: referencing.Registry[Any] | None = None
) -> jsonschema.protocols.Validator:
    cls = jsonschema.Draft202012Validator
    if registry is None:
        return cls(schema, format_checker=cls.FORMAT_CHECKER)
    return cls(schema, registry=registry, format_checker=cls.FORMAT_CHECKER)


@functools.cache
def _built_in(kind: str) -> jsonschema.protocols.Validator:
    schema = dict(_requirements())
    return _validator({**schema, "$ref": f"#/$defs/{kind}"})


def published_validators(
    folder: Path,
) -> tuple[dict[str, jsonschema.protocols.Validator], list[Finding]]:
    """Validators for the published schema files in ``folder`` (offline; relative $refs resolve).

    ``folder`` is the ``schema/`` folder of the HSDS specification or of the
    Open Referral UK profile, or a copy of either repository (its ``schema/``
    folder is used); see :data:`PUBLISHED_SCHEMAS`.
    """
    if folder.is_dir() and not any(folder.glob("*.json")) and (folder / "schema").is_dir():
        folder = folder / "schema"
    base = "file:///hsds/schema/"
    resources_: list[tuple[str, referencing.Resource[Any]]] = []
    findings: list[Finding] = []
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    for file in files:
        loaded = loading.read_json_file(file)
        if loaded.data is None:
            findings.extend(_located(f, str(file)) for f in loaded.findings)
            continue
        resource = referencing.Resource.from_contents(
            loaded.data, default_specification=referencing.jsonschema.DRAFT202012
        )
        resources_.append((base + file.name, resource))
    registry: referencing.Registry[Any] = referencing.Registry().with_resources(resources_)
    validators: dict[str, jsonschema.protocols.Validator] = {}
    for kind in KINDS:
        if any(uri == f"{base}{kind}.json" for uri, _ in resources_):
            validators[kind] = _validator({"$ref": f"{base}{kind}.json"}, registry)
    if not validators:
        findings.append(
            error(
                codes.DIRECTORY_UNREADABLE,
                "",
                f"{folder} holds none of the HSDS schema files "
                f"({', '.join(k + '.json' for k in KINDS)}).",
            )
        )
    return validators, findings


def _schema_findings(
    entry: Entry, validator: jsonschema.protocols.Validator, label: str
) -> list[Finding]:
    out = []
    try:
        problems = sorted(validator.iter_errors(entry.data), key=lambda e: list(e.absolute_path))
    except (referencing.exceptions.Unresolvable, RecursionError) as exc:
        return [
            error(
                codes.DIRECTORY_UNREADABLE,
                entry.path,
                f"{entry.source}: the {label} schema cannot be used: {type(exc).__name__}.",
            )
        ]
    for problem in problems[:MAX_SCHEMA_FINDINGS]:
        where = entry.path + pointer(*problem.absolute_path)
        out.append(
            error(
                codes.DIRECTORY_SCHEMA,
                where,
                f"{entry.source}: the {entry.kind} breaks the {label}: {problem.message[:200]}.",
            )
        )
    return out


def _files(path: Path, directory: Directory) -> list[Path]:
    if path.is_dir():
        found = sorted(p for p in path.rglob("*.json") if p.is_file())
        if len(found) > MAX_FILES:
            directory.findings.append(
                error(
                    codes.DIRECTORY_UNREADABLE,
                    "",
                    f"{path} holds more than {MAX_FILES:,} JSON files; only the first are read.",
                )
            )
        return found[:MAX_FILES]
    return [path]


def read_directory(path: str | Path, schemas: str | Path | None = None) -> Directory:
    """Read and check a directory (a JSON file, or a folder of them); see the module docstring."""
    root = Path(path)
    directory = Directory()
    validators: dict[str, jsonschema.protocols.Validator] = {}
    if schemas is not None:
        validators, problems = published_validators(Path(schemas))
        directory.findings.extend(problems)
    if not root.exists():
        directory.findings.append(error(codes.DIRECTORY_UNREADABLE, "", f"{root} does not exist."))
        return directory
    for file in _files(root, directory):
        directory.files += 1
        source = str(file.relative_to(root)) if root.is_dir() else file.name
        loaded = loading.read_json_file(file) if file.suffix.lower() == ".json" else None
        document: Any
        if loaded is None or loaded.data is None:
            if loaded is not None and any(f.code == "SPC-F005" for f in loaded.findings):
                # A top-level list: it parsed, so read it again wrapped in an object to keep
                # the strict reader's checks (duplicate keys, NaN, depth).
                text = file.read_text(encoding="utf-8-sig")
                wrapped = loading.parse_json_text('{"list": ' + text + "}")
                document = wrapped.data["list"] if wrapped.data is not None else None
            else:
                problems = list(loaded.findings) if loaded is not None else []
                message = problems[0].message if problems else "not a .json file"
                directory.findings.append(
                    error(codes.DIRECTORY_UNREADABLE, "", f"{source}: {message}")
                )
                continue
        else:
            document = loaded.data
        for kind, where, value in _objects(document, _kind_from_name(file)):
            if not isinstance(value, dict):
                directory.findings.append(
                    error(
                        codes.DIRECTORY_SCHEMA, where, f"{source}: expected an HSDS {kind} object."
                    )
                )
                continue
            entry = Entry(kind, value, source, where)
            _add(directory, entry, validators)
            for inner in _nested(entry):
                _add(directory, inner, validators)
    _links(directory)
    if not directory.objects["service"]:
        directory.findings.append(
            warning(codes.DIRECTORY_NO_SERVICES, "", f"{root} holds no services.")
        )
    return directory


def _add(
    directory: Directory, entry: Entry, validators: dict[str, jsonschema.protocols.Validator]
) -> None:
    directory.findings.extend(
        _schema_findings(entry, _built_in(entry.kind), "HSDS 3.0 requirements")
    )
    if entry.kind in validators:
        directory.findings.extend(
            _schema_findings(entry, validators[entry.kind], "published schema")
        )
    ident = entry.data.get("id")
    if not isinstance(ident, str):
        return
    known = directory.objects[entry.kind]
    if ident in known:
        if not entry.nested and not known[ident].nested:
            directory.findings.append(
                error(
                    codes.DIRECTORY_DUPLICATE_ID,
                    entry.path,
                    f"{entry.source}: {entry.kind} id {ident} also appears in "
                    f"{known[ident].source}.",
                )
            )
        if known[ident].nested and not entry.nested:
            known[ident] = entry
        return
    known[ident] = entry


def _links(directory: Directory) -> None:
    organizations = directory.objects["organization"]
    locations = directory.objects["location"]
    for entry in directory.objects["service"].values():
        org = entry.data.get("organization_id")
        if isinstance(org, str) and organizations and org not in organizations:
            directory.findings.append(
                error(
                    codes.DIRECTORY_BROKEN_LINK,
                    f"{entry.path}/organization_id",
                    f"{entry.source}: service {entry.data.get('id')} names organization "
                    f"{org[:60]}, which the directory lacks.",
                )
            )
        for i, sal in enumerate(_list(entry.data.get("service_at_locations"))):
            loc = sal.get("location_id") if isinstance(sal, dict) else None
            if isinstance(loc, str) and locations and loc not in locations:
                directory.findings.append(
                    error(
                        codes.DIRECTORY_BROKEN_LINK,
                        f"{entry.path}{pointer('service_at_locations', i, 'location_id')}",
                        f"{entry.source}: location {loc[:60]} is not in the directory.",
                    )
                )


def resolve_prescriptions(record: dict[str, Any], directory: Directory) -> list[Finding]:
    """A finding for each social prescription whose ``directory_id`` names no service."""
    out = []
    support = record.get("support_offered") or {}
    for i, sp in enumerate(support.get("social_prescriptions") or []):
        ident = sp.get("directory_id") if isinstance(sp, dict) else None
        if ident is None or ident in directory.objects["service"]:
            continue
        out.append(
            error(
                codes.DIRECTORY_UNKNOWN_ID,
                pointer("support_offered", "social_prescriptions", i, "directory_id"),
                f"The directory id {str(ident)[:60]!r} of case {record.get('case_id')} is "
                "not a service in the directory.",
            )
        )
    return out


def fill_from_directory(
    record: dict[str, Any], directory: Directory
) -> tuple[dict[str, Any], list[Finding]]:
    """A copy of ``record`` with each resolved prescription's Five Ways filled from the directory.

    The directory's services carry spcore's intervention-type and Five Ways
    CodeSystems as HSDS taxonomies (see :func:`community_groups_as_services`).
    Five Ways already recorded are kept; an intervention type the directory does
    not list for the service is a warning (``SPC-D007``), never overwritten.
    """
    out = copy.deepcopy(dict(record))
    findings = resolve_prescriptions(record, directory)
    support = out.get("support_offered") or {}
    for i, sp in enumerate(support.get("social_prescriptions") or []):
        ident = sp.get("directory_id")
        if ident not in directory.objects["service"]:
            continue
        kinds = service_terms(directory, ident, "intervention-type")
        if kinds and sp.get("intervention_type") not in kinds:
            findings.append(
                warning(
                    codes.DIRECTORY_TYPE_DIFFERS,
                    pointer("support_offered", "social_prescriptions", i, "intervention_type"),
                    f"The directory lists {', '.join(kinds)} for service {ident}, not "
                    f"{sp.get('intervention_type')}.",
                )
            )
        ways = service_terms(directory, ident, "five-ways-to-wellbeing")
        if ways and sp.get("five_ways") is None:
            sp["five_ways"] = ways
    return out, findings


def service_terms(directory: Directory, service_id: str, codelist: str) -> list[str]:
    """The codes of spcore's ``codelist`` taxonomy a directory service is tagged with."""
    entry = directory.objects["service"].get(service_id)
    if entry is None:
        return []
    taxonomy = code_system_url(codelist)
    out = []
    for attribute in _list(entry.data.get("attributes")):
        term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
        if (
            isinstance(term, dict)
            and term.get("taxonomy") == taxonomy
            and isinstance(term.get("term"), str)
        ):
            out.append(term["term"])
    return out


def _term(service_id: str, codelist: str, code: str) -> dict[str, Any]:
    entry = load_codelist(codelist)[code]
    system = code_system_url(codelist)
    term_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{system}#{code}"))
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{service_id}/{system}#{code}")),
        "link_id": service_id,
        "link_type": "service",
        "taxonomy_term_id": term_id,
        "taxonomy_term": {
            "id": term_id,
            "name": entry.title,
            "description": entry.description,
            "taxonomy": system,
            "term": code,
        },
    }


def _service_id(scheme: str, name: str, directory_id: str | None) -> str:
    if directory_id is not None:
        try:
            return str(uuid.UUID(directory_id))
        except ValueError:
            pass
    return str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"https://spcore.dev/community-group/{scheme}/{name}")
    )


def community_groups_as_services(return_data: dict[str, Any]) -> dict[str, Any]:
    """The community groups of a quarterly return as one page of HSDS services."""
    scheme = str((return_data.get("scheme") or {}).get("id", ""))
    groups = ((return_data.get("outputs") or {}).get("community_groups") or {}).get("groups") or []
    services = []
    for group in groups:
        ident = _service_id(scheme, group["name"], group.get("directory_id"))
        service: dict[str, Any] = {"id": ident, "name": group["name"], "status": "active"}
        attributes = [
            _term(ident, "intervention-type", c) for c in group.get("intervention_types") or []
        ]
        attributes += [
            _term(ident, "five-ways-to-wellbeing", c) for c in group.get("five_ways") or []
        ]
        if attributes:
            service["attributes"] = attributes
        services.append(service)
    return {
        "total_items": len(services),
        "total_pages": 1,
        "page_number": 1,
        "size": len(services),
        "first_page": True,
        "last_page": True,
        "empty": not services,
        "contents": services,
    }


def summarise(directory: Directory) -> dict[str, int]:
    """How many objects of each kind the directory holds."""
    return {f"{kind}s": len(entries) for kind, entries in directory.objects.items()}
