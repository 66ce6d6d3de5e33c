"""Demonstration data: schemes in two ICBs, several quarters of returns, some late or refused.

The returns are built as a scheme would build them: synthetic case records
(:func:`spcore.cases.synth.synth_cases`, nobody's data) added up by
:func:`spcore.aggregation.aggregate` with the scheme's facts, then submitted
through the same path as an upload. The staff, money and volunteer facts are
illustrative demonstration values, not published figures. The commissioner
codes are the ODS codes of two integrated care boards (QWO NHS West Yorkshire
ICB, QOQ NHS Humber and North Yorkshire ICB); the schemes are fictional.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from spcore.aggregation import aggregate
from spcore.aggregation.facts import SchemeFacts
from spcore.cases.synth import SCHEMES, synth_cases
from spcore.framework.periods import FinancialQuarter
from spcore.hub.models import Organisation, OrgKind, Role, User, utcnow
from spcore.hub.security import hash_password
from spcore.hub.submissions import audit, submit

#: The demonstration password of every demonstration user (printed by ``spcore hub demo``).
DEMO_PASSWORD = "hub-demo-password"

#: Synthetic case records drawn for the year (all schemes together).
DEMO_RECORDS = 2400
DEMO_SEED = 2025
DEMO_YEAR = 2025

COMMISSIONERS = {
    "QWO": "NHS West Yorkshire ICB (demonstration)",
    "QOQ": "NHS Humber and North Yorkshire ICB (demonstration)",
}

#: scheme id -> (name, commissioner code, headcount, FTE, volunteers, investment a quarter).
SCHEME_FACTS: dict[str, tuple[str, str, int, float, int, int]] = {
    "NORTHSHIRE-CONNECT": ("Northshire Connect", "QWO", 6, 5.4, 14, 96000),
    "EASTVALE-LINK": ("Eastvale Link", "QWO", 4, 3.5, 9, 61000),
    "RIVERSIDE-SP": ("Riverside Social Prescribing", "QOQ", 5, 4.2, 11, 72000),
    "MOORLAND-WELLBEING": ("Moorland Wellbeing", "QOQ", 3, 2.6, 6, 45000),
}

#: A scheme registered with its ICB that has not yet sent a return (shown as missing).
SILENT_SCHEME = ("HILLTOP-LINK", "Hilltop Link", "QOQ")

#: Returns sent after the due date: (scheme, quarter).
LATE = {("MOORLAND-WELLBEING", 2), ("EASTVALE-LINK", 3)}
#: Quarters a scheme tried and failed to send (every attempt refused).
REFUSED_ONLY = {("MOORLAND-WELLBEING", 4)}
#: Quarters whose first upload was refused before a corrected one was accepted.
REFUSED_FIRST = {("RIVERSIDE-SP", 2), ("NORTHSHIRE-CONNECT", 3)}
#: Quarters resubmitted with a correction (a second version supersedes the first).
RESUBMITTED = {("NORTHSHIRE-CONNECT", 2)}


class DemoError(Exception):
    """The demonstration cannot be loaded (the hub already has organisations)."""


def _facts(code: str, quarter: FinancialQuarter) -> SchemeFacts:
    name, icb, headcount, fte, volunteers, investment = SCHEME_FACTS[code]
    return SchemeFacts.model_validate(
        {
            "scheme": {
                "id": code,
                "name": name,
                "provider": f"{name} Community Partnership",
                "commissioner_code": icb,
                "model": "holistic",
            },
            "prepared_on": str(quarter.end + dt.timedelta(days=10)),
            "link_workers": {"headcount": headcount, "fte": {"value": fte, "unit": "FTE"}},
            "link_worker_salaries": {
                "lowest_annual": {"value": 26000, "unit": "GBP"},
                "highest_annual": {"value": 31000, "unit": "GBP"},
                "pay_bands": ["band-4", "band-5"],
            },
            "volunteers": {
                "count": volunteers,
                "hours_in_quarter": {"value": volunteers * 40, "unit": "hour"},
            },
            "total_investment": {"amount": {"value": investment, "unit": "GBP"}},
        }
    )


def _broken(document: dict[str, Any]) -> dict[str, Any]:
    """A copy with the mistakes a real upload has: a negative count and an unknown age band."""
    copy: dict[str, Any] = json.loads(json.dumps(document))
    copy["outputs"]["people_rejecting_referral"] = -3
    bands = copy["outputs"].get("referred_by_age_band") or {}
    if bands:
        first = next(iter(bands))
        bands["18 to 24"] = bands.pop(first)
    return copy


def _bytes(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def load_demo(sessions: sessionmaker[Session]) -> list[tuple[str, str, str]]:
    """Load the demonstration into an empty hub; the (user, password, role) logins."""
    with sessions.begin() as session:
        if session.scalar(select(func.count()).select_from(Organisation)):
            raise DemoError("the hub already has organisations; load the demo into a new database")
    records = list(synth_cases(DEMO_RECORDS, DEMO_SEED, year=DEMO_YEAR))
    by_scheme: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        by_scheme[record["scheme_id"]].append(record)
    logins: list[tuple[str, str, str]] = []
    orgs: dict[str, Organisation] = {}
    password = hash_password(DEMO_PASSWORD)
    with sessions.begin() as session:
        national = Organisation(
            kind=OrgKind.NATIONAL, code="NATIONAL", name="National team (demonstration)"
        )
        session.add(national)
        for code, name in COMMISSIONERS.items():
            orgs[code] = Organisation(kind=OrgKind.COMMISSIONER, code=code, name=name)
            session.add(orgs[code])
        for code, (name, icb, *_) in SCHEME_FACTS.items():
            orgs[code] = Organisation(
                kind=OrgKind.SCHEME, code=code, name=name, commissioner_code=icb
            )
            session.add(orgs[code])
        silent_code, silent_name, silent_icb = SILENT_SCHEME
        session.add(
            Organisation(
                kind=OrgKind.SCHEME,
                code=silent_code,
                name=silent_name,
                commissioner_code=silent_icb,
            )
        )
        session.flush()

        def user(username: str, org: Organisation, role: Role, what: str) -> None:
            session.add(
                User(username=username, password_hash=password, organisation_id=org.id, role=role)
            )
            logins.append((username, DEMO_PASSWORD, what))

        user(
            "national",
            national,
            Role.ADMINISTRATOR,
            "national team administrator: every scheme, audit log, API tokens",
        )
        user("icb-qwo", orgs["QWO"], Role.VIEWER, "commissioner QWO: Northshire and Eastvale")
        user("icb-qoq", orgs["QOQ"], Role.VIEWER, "commissioner QOQ: Riverside, Moorland, Hilltop")
        for code in SCHEME_FACTS:
            short = code.split("-")[0].lower()
            user(short, orgs[code], Role.SUBMITTER, f"submitter for {code}")
        audit(session, "demo", "demo-loaded", f"{len(SCHEME_FACTS) + 1} schemes")
    if SCHEME_FACTS:
        sessions_scheme_orgs = {code: orgs[code] for code in SCHEME_FACTS}
    now = utcnow()
    for number in (1, 2, 3, 4):
        quarter = FinancialQuarter(DEMO_YEAR, number)
        for code in SCHEME_FACTS:
            if code not in SCHEMES:
                continue
            result = aggregate(by_scheme[code], quarter, _facts(code, quarter))
            if not result.is_valid:
                continue
            days = 45 if (code, number) in LATE else 14
            at = min(
                dt.datetime.combine(quarter.end, dt.time(10), dt.UTC) + dt.timedelta(days=days), now
            )
            name = f"{code.lower()}-{str(quarter).replace(' ', '-')}.json"
            org = sessions_scheme_orgs[code]
            actor = code.split("-")[0].lower()
            with sessions() as session:
                session.add(org)
                if (code, number) in REFUSED_FIRST | REFUSED_ONLY:
                    submit(
                        session,
                        org,
                        _bytes(_broken(result.document)),
                        name,
                        actor=actor,
                        via="web",
                        today=at.date(),
                        max_bytes=10**7,
                        acknowledged=True,
                        at=at - dt.timedelta(days=2),
                    )
                if (code, number) in REFUSED_ONLY:
                    continue
                submit(
                    session,
                    org,
                    _bytes(result.document),
                    name,
                    actor=actor,
                    via="web",
                    today=at.date(),
                    max_bytes=10**7,
                    acknowledged=True,
                    at=at,
                )
                if (code, number) in RESUBMITTED:
                    corrected = json.loads(json.dumps(result.document))
                    corrected["notes"] = "Corrected: volunteer hours recounted."
                    corrected["outputs"]["volunteers"]["hours_in_quarter"]["value"] += 20
                    submit(
                        session,
                        org,
                        _bytes(corrected),
                        name,
                        actor=actor,
                        via="web",
                        today=at.date(),
                        max_bytes=10**7,
                        acknowledged=True,
                        at=at + dt.timedelta(days=5),
                    )
    return logins
