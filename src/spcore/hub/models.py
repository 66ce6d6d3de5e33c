"""The hub's tables (SQLAlchemy 2 declarative models).

Accepted returns are never updated or deleted: a resubmission adds a version,
and the newest version of a scheme and quarter is the one in force. Refused
uploads are kept as attempts (counted, with their findings) but their
content is not stored. Passwords and API tokens are stored only as hashes.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> dt.datetime:
    """The current time in UTC (what every timestamp in the hub is)."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """The hub's declarative base; its metadata is what the migrations create."""


class OrgKind(enum.StrEnum):
    """What an organisation is, which decides what its users see."""

    SCHEME = "scheme"
    COMMISSIONER = "commissioner"
    NATIONAL = "national"


class Role(enum.StrEnum):
    """What a user may do within their organisation."""

    SUBMITTER = "submitter"
    VIEWER = "viewer"
    ADMINISTRATOR = "administrator"


class Outcome(enum.StrEnum):
    """What became of an upload."""

    ACCEPTED = "accepted"
    SAME_AS_STORED = "same-as-stored"
    REFUSED = "refused"
    AWAITING_ACKNOWLEDGEMENT = "awaiting-acknowledgement"


def _enum(cls: type[enum.StrEnum], name: str) -> Enum:
    # Stored as the values (not the member names), checked by the database.
    return Enum(cls, name=name, values_callable=lambda c: [m.value for m in c], length=32)


class Organisation(Base):
    """A scheme, a commissioner (ICB) or the national team.

    ``code`` is the scheme identifier of a scheme's returns, or the
    commissioner code its returns give for a commissioner.
    """

    __tablename__ = "organisation"
    __table_args__ = (UniqueConstraint("kind", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrgKind] = mapped_column(_enum(OrgKind, "org_kind"))
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    #: For a scheme: the commissioner code it is registered under.
    commissioner_code: Mapped[str | None] = mapped_column(String(16), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organisation")


class User(Base):
    """A person who signs in to the hub."""

    __tablename__ = "hub_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    role: Mapped[Role] = mapped_column(_enum(Role, "user_role"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="users", lazy="joined")


class SignIn(Base):
    """One signed-in browser session: the cookie carries a random key, the table its digest.

    Keeping sign-ins on the server is what lets signing out (or disabling the
    user) end a session for good: a copied cookie is refused once its sign-in
    has ended, although its signature is still good until it expires.
    """

    __tablename__ = "sign_in"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("hub_user.id"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    user: Mapped[User] = relationship(lazy="joined")


class ApiToken(Base):
    """A token a scheme's system submits returns with (stored as its SHA-256 digest)."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    #: The first characters of the token, shown so a person can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class ReturnVersion(Base):
    """One accepted return of a scheme and quarter; never changed once written."""

    __tablename__ = "return_version"
    __table_args__ = (
        UniqueConstraint("scheme_code", "period", "version"),
        Index("ix_return_version_commissioner", "commissioner_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_code: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    commissioner_code: Mapped[str | None] = mapped_column(String(16))
    #: SHA-256 of the return's canonical JSON (sorted keys, no spaces).
    content_hash: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict[str, object]] = mapped_column(JSON)
    filename: Mapped[str] = mapped_column(String(255))
    original: Mapped[bytes] = mapped_column(LargeBinary)
    report: Mapped[dict[str, object]] = mapped_column(JSON)
    submitted_by: Mapped[str] = mapped_column(String(120))
    via: Mapped[str] = mapped_column(String(16))
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Attempt(Base):
    """Every upload, accepted or not: refused ones count in the status grid."""

    __tablename__ = "attempt"
    __table_args__ = (Index("ix_attempt_scheme_period", "scheme_code", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    #: The scheme and quarter the upload is for, when they could be read.
    scheme_code: Mapped[str] = mapped_column(String(64))
    period: Mapped[str | None] = mapped_column(String(16), default=None)
    filename: Mapped[str] = mapped_column(String(255))
    outcome: Mapped[Outcome] = mapped_column(_enum(Outcome, "attempt_outcome"))
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[dict[str, object]] = mapped_column(JSON)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("return_version.id"), default=None)
    submitted_by: Mapped[str] = mapped_column(String(120))
    via: Mapped[str] = mapped_column(String(16))
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PendingUpload(Base):
    """A valid upload with warnings, held until its submitter acknowledges them."""

    __tablename__ = "pending_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: A random key the acknowledgement form carries (not guessable, unlike ``id``).
    key: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("hub_user.id"))
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"))
    filename: Mapped[str] = mapped_column(String(255))
    original: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEvent(Base):
    """Who did what, when: sign-ins, uploads, downloads, tokens, users."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(120))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), default=None)
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="")


class HubSecret(Base):
    """The key that signs session cookies, shared by every worker on the database."""

    __tablename__ = "hub_secret"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
