"""Who sees what: a scheme its own returns, a commissioner its schemes, the national team all.

A commissioner's schemes are those whose returns give its commissioner code
(nhse-cof-2018: commissioners hold the schemes they fund to account), and the
schemes registered under that code before they first submit.
"""

from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from spcore.hub.models import Organisation, OrgKind, ReturnVersion, Role, User


def scheme_filter(org: Organisation) -> Select[Organisation]:
    """The scheme organisations ``org`` may see."""
    query = select(Organisation).where(Organisation.kind == OrgKind.SCHEME)
    if org.kind is OrgKind.SCHEME:
        return query.where(Organisation.id == org.id)
    if org.kind is OrgKind.COMMISSIONER:
        seen = select(ReturnVersion.scheme_code).where(ReturnVersion.commissioner_code == org.code)
        return query.where(
            or_(Organisation.commissioner_code == org.code, Organisation.code.in_(seen))
        )
    return query


def visible_schemes(session: Session, org: Organisation) -> list[Organisation]:
    """The schemes ``org`` may see, by code."""
    return list(session.scalars(scheme_filter(org).order_by(Organisation.code)))


def may_see_version(org: Organisation, version: ReturnVersion) -> bool:
    """True when ``org`` may see (and download) ``version``."""
    if org.kind is OrgKind.NATIONAL:
        return True
    if org.kind is OrgKind.SCHEME:
        return version.scheme_code == org.code
    return version.commissioner_code == org.code


def may_submit(user: User) -> bool:
    """True when ``user`` may upload returns: a scheme's submitter or administrator."""
    return user.organisation.kind is OrgKind.SCHEME and user.role in (
        Role.SUBMITTER,
        Role.ADMINISTRATOR,
    )


def may_read_audit(user: User) -> bool:
    """True when ``user`` may read the audit log: administrators (national: every event)."""
    return user.role is Role.ADMINISTRATOR


def may_manage_tokens(user: User) -> bool:
    """True when ``user`` may make and revoke API tokens: an administrator of a scheme
    (for that scheme) or of the national team (for every scheme)."""
    return user.role is Role.ADMINISTRATOR and user.organisation.kind in (
        OrgKind.SCHEME,
        OrgKind.NATIONAL,
    )


def token_schemes(session: Session, user: User) -> list[Organisation]:
    """The schemes whose API tokens ``user`` manages (none unless :func:`may_manage_tokens`)."""
    if not may_manage_tokens(user):
        return []
    return visible_schemes(session, user.organisation)
