"""The application factory uvicorn's workers call (settings from the environment)."""

from __future__ import annotations

import os

from fastapi import FastAPI

from spcore.hub.app import create_app
from spcore.hub.settings import DEFAULT_DUE_DAYS, HubSettings, database_url


def app_from_environment() -> FastAPI:
    """The hub app configured by ``SPCORE_HUB_*`` variables (set by ``spcore hub serve``)."""
    return create_app(
        HubSettings(
            database=database_url(),
            secure_cookies=os.environ.get("SPCORE_HUB_SECURE_COOKIES", "1") != "0",
            due_days=int(os.environ.get("SPCORE_HUB_DUE_DAYS", DEFAULT_DUE_DAYS)),
        )
    )
