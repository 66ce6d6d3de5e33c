"""A scheme's API tokens: made, listed and revoked, from the command line or the web.

A token is shown once, when it is made; the hub keeps only its SHA-256
digest and its first :data:`~spcore.hub.security.SHOWN_PREFIX_LENGTH`
characters, by which people tell tokens apart. Every change is written to the
audit log under the organisation the token belongs to.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from spcore.hub.models import ApiToken, Organisation, OrgKind, utcnow
from spcore.hub.security import SHOWN_PREFIX_LENGTH, new_token, token_digest
from spcore.hub.submissions import audit

#: Longest label a token may carry (the column's width).
MAX_LABEL = 200


def create(session: Session, scheme: Organisation, label: str, *, actor: str) -> str:
    """Make a token for ``scheme`` and log it; the token itself, to be shown once.

    Raises:
        ValueError: ``scheme`` is not a scheme (only schemes submit returns), or the
            label is longer than :data:`MAX_LABEL`.
    """
    if scheme.kind is not OrgKind.SCHEME:
        raise ValueError(f"{scheme.code} is not a scheme; only schemes submit returns")
    if len(label) > MAX_LABEL:
        raise ValueError(f"a token's label is at most {MAX_LABEL} characters")
    token = new_token()
    prefix = shown(token)
    session.add(
        ApiToken(organisation_id=scheme.id, prefix=prefix, digest=token_digest(token), label=label)
    )
    audit(session, actor, "token-created", prefix, scheme.id)
    return token


def shown(token: str) -> str:
    """The characters of ``token`` the hub keeps and shows, to tell tokens apart."""
    return token[:SHOWN_PREFIX_LENGTH]


def revoke(session: Session, token: ApiToken, *, actor: str) -> None:
    """Revoke ``token`` from now on and log it (revoking it again changes nothing)."""
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    audit(session, actor, "token-revoked", token.prefix, token.organisation_id)


def of(session: Session, schemes: Sequence[Organisation] | None = None) -> list[ApiToken]:
    """The tokens of ``schemes`` (every token when ``None``), oldest first."""
    query = select(ApiToken).order_by(ApiToken.id)
    if schemes is not None:
        query = query.where(ApiToken.organisation_id.in_([s.id for s in schemes]))
    return list(session.scalars(query))


def by_prefix(session: Session, prefix: str) -> list[ApiToken]:
    """The tokens whose shown characters are ``prefix`` (a trailing ``…`` ignored)."""
    return list(session.scalars(select(ApiToken).where(ApiToken.prefix == prefix.rstrip("…"))))
