"""The published JSON Schema of eligibility rule files, generated from the model.

It is published beside the dataset's schemas: ``python -m
spcore.framework.generate`` writes it to ``schemas/`` and the bundled
``src/spcore/schemas/``, ``spcore schema export`` includes it, and the drift
test fails when a committed copy differs from what this module generates.
"""

from __future__ import annotations

from typing import Any

from spcore.eligibility.rulefile import EligibilityRules
from spcore.framework.schema_build import DRAFT, schema_id

SCHEMA_NAME = "eligibility-rules"
SCHEMA_ID = schema_id(SCHEMA_NAME)


def rules_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an eligibility rule file."""
    generated = EligibilityRules.model_json_schema(by_alias=True)
    return {"$schema": DRAFT, "$id": SCHEMA_ID, **generated}
