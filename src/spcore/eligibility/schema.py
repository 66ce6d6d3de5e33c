"""The published JSON Schema of eligibility rule files, generated from the model.

Regenerate both committed copies (``schemas/`` and the bundled
``src/spcore/schemas/``) from the repository root with::

    python -c "from spcore.eligibility.schema import write_schemas; write_schemas()"

A test fails when the committed files differ from what this module generates.
The schema is also offered to ``spcore.framework.schema_build.EXTRA_SCHEMAS``
so that ``spcore schema export`` includes it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from spcore.eligibility.rulefile import EligibilityRules

SCHEMA_FILENAME = "eligibility-rules.schema.json"
SCHEMA_ID = f"https://spcore.dev/schema/0.1/{SCHEMA_FILENAME}"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

#: Where the schema is written, relative to the repository root.
SCHEMA_PATHS = (Path("schemas") / SCHEMA_FILENAME, Path("src/spcore/schemas") / SCHEMA_FILENAME)


def rules_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an eligibility rule file."""
    generated = EligibilityRules.model_json_schema(by_alias=True)
    return {"$schema": DRAFT, "$id": SCHEMA_ID, **generated}


def schema_text() -> str:
    """The schema as written to disk: two-space indented JSON and a final newline."""
    return json.dumps(rules_json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schemas(root: str | Path = ".") -> list[Path]:
    """Write both copies of the schema under ``root``; return the paths written."""
    text = schema_text()
    written = []
    for relative in SCHEMA_PATHS:
        target = Path(root) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def _offer_to_framework() -> None:
    # The framework's schema builder collects schemas contributed by other
    # packages; it may not exist in a trimmed install, which is not an error.
    try:
        from spcore.framework.schema_build import EXTRA_SCHEMAS
    except ImportError:
        return
    EXTRA_SCHEMAS.setdefault(SCHEMA_FILENAME.removesuffix(".schema.json"), rules_json_schema)


_offer_to_framework()
