"""Sign-ins kept on the server, and the limit on failed sign-ins.

The session cookie (signed by Starlette) carries only a random key; the
``sign_in`` table keeps the key's SHA-256 digest, when the sign-in started
and when it ended. A request is signed in only while its sign-in has not
ended, is younger than ``SESSION_MAX_AGE`` and belongs to an active user, so
signing out, or disabling the user, ends the session on every copy of the
cookie at once.

Failed sign-ins are counted from the audit log (``sign-in-failed`` events),
per user name, over ``SIGN_IN_WINDOW``: once ``SIGN_IN_ATTEMPTS`` have
failed, the hub refuses further attempts for that name without checking
the password until the oldest failure leaves the window.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from spcore.hub.models import AuditEvent, SignIn, User
from spcore.hub.security import token_digest
from spcore.hub.settings import SESSION_MAX_AGE, SIGN_IN_ATTEMPTS, SIGN_IN_WINDOW

#: The audit action of a failed sign-in (what the limit counts).
FAILED = "sign-in-failed"

#: The audit action of an attempt refused because too many failed.
REFUSED = "sign-in-refused"


def start(session: Session, user: User, now: dt.datetime) -> str:
    """Record a new sign-in of ``user`` and return the key its cookie carries."""
    key = secrets.token_urlsafe(32)
    session.add(SignIn(digest=token_digest(key), user_id=user.id, started_at=now))
    return key


def current(session: Session, key: object, now: dt.datetime) -> User | None:
    """The user signed in by ``key``, or None if it is unknown, ended, expired or disabled."""
    if not isinstance(key, str) or not key:
        return None
    found = session.scalar(
        select(SignIn).where(
            SignIn.digest == token_digest(key),
            SignIn.ended_at.is_(None),
            SignIn.started_at > now - dt.timedelta(seconds=SESSION_MAX_AGE),
        )
    )
    if found is None or not found.user.active:
        return None
    return found.user


def end(session: Session, key: object, now: dt.datetime) -> None:
    """End the sign-in of ``key`` (nothing if there is none)."""
    if isinstance(key, str) and key:
        session.execute(
            update(SignIn)
            .where(SignIn.digest == token_digest(key), SignIn.ended_at.is_(None))
            .values(ended_at=now)
        )


def end_all(session: Session, user: User, now: dt.datetime) -> int:
    """End every sign-in of ``user``; the number ended."""
    result = session.execute(
        update(SignIn)
        .where(SignIn.user_id == user.id, SignIn.ended_at.is_(None))
        .values(ended_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def recent_failures(session: Session, username: str, now: dt.datetime) -> int:
    """Failed sign-ins for ``username`` within the window before ``now``."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.action == FAILED,
                AuditEvent.actor == username,
                AuditEvent.at > now - SIGN_IN_WINDOW,
            )
        )
        or 0
    )


def refused(session: Session, username: str, now: dt.datetime) -> bool:
    """True when ``username`` has failed to sign in too often to be tried again yet."""
    return recent_failures(session, username, now) >= SIGN_IN_ATTEMPTS
