"""Finding codes of the hub (``SPC-H…``): what only a collection can say about an upload."""

from __future__ import annotations

HUB_CODES: dict[str, str] = {
    "SPC-H001": "The return is for a scheme other than the one uploading it.",
    "SPC-H002": "The upload is larger than the hub accepts.",
    "SPC-H003": "The upload is empty.",
}
