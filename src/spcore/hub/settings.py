"""Every setting of the hub in one commented place, with where each default comes from."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

import attrs

#: The environment variable naming the database (a SQLAlchemy URL).
DATABASE_ENV = "SPCORE_HUB_DATABASE"

#: The embedded database used when no URL is given: one SQLite file in the
#: current folder, created and migrated on first start.
DEFAULT_DATABASE = "sqlite:///spcore-hub.sqlite3"

#: Largest upload accepted, in bytes. The spreadsheet readers have their own
#: limits (spcore.spreadsheets.limits); this one stops a request before any
#: reading. A return is a few kilobytes as JSON and under 100 KB as a workbook.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024

#: Days after a quarter ends by which its return is due. The framework sets no
#: deadline (nhse-cof-2018 asks only for "regular" uploads), so this is the
#: operator's choice; a return first accepted after the due date is "late".
DEFAULT_DUE_DAYS = 30

#: How long a login lasts without signing in again, in seconds (8 hours: a
#: working day).
SESSION_MAX_AGE = 8 * 60 * 60

#: Failed sign-ins for one user name, within SIGN_IN_WINDOW, after which the
#: hub refuses further attempts for that name until the window has passed.
#: NIST SP 800-63B (nist-800-63b, section 5.2.2, "Rate Limiting (Throttling)")
#: requires a limit of no more than 100 consecutive failures; 10 in a quarter
#: of an hour keeps online guessing to under a thousand tries a day while a
#: person who mistypes a few times is never stopped.
SIGN_IN_ATTEMPTS = 10

#: The window failed sign-ins are counted over (and the wait once refused).
SIGN_IN_WINDOW = dt.timedelta(minutes=15)

#: Quarters shown in the status grid and the trends at most.
MAX_QUARTERS_SHOWN = 12

#: Loopback host names: on these, plain HTTP is the only way in and the
#: session cookie cannot be marked Secure (browsers would not send it).
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def database_url(given: str | None = None) -> str:
    """The database URL: the one given, else ``SPCORE_HUB_DATABASE``, else the SQLite file."""
    return given or os.environ.get(DATABASE_ENV) or DEFAULT_DATABASE


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@attrs.frozen
class HubSettings:
    """How one hub process runs.

    Attributes:
        database: the SQLAlchemy URL of the database.
        secure_cookies: mark the session cookie ``Secure`` (HTTPS only). Off
            only when serving plain HTTP on loopback.
        due_days: days after a quarter's end its return is due.
        max_upload_bytes: largest upload read.
        now: the clock for submission times, statuses and validation (fixed in tests).
    """

    database: str = attrs.field(factory=database_url)
    secure_cookies: bool = True
    due_days: int = DEFAULT_DUE_DAYS
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    now: Callable[[], dt.datetime] = _now

    def today(self) -> dt.date:
        """Today's date by the hub's clock (UTC)."""
        return self.now().date()
