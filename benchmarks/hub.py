"""Benchmark: the hub's validate-and-store over loopback, and the dashboard at national scale.

    .venv/bin/python benchmarks/hub.py [--database URL] [--uploads N] [--clients C]

In one process:

* baseline: ``spcore.validate_return`` of the bundled example return, in
  process, N times (returns per second) — the work every upload must do;
* a real uvicorn server in a thread on 127.0.0.1 (a free port) with a fresh
  database (a SQLite file in a temporary folder unless ``--database`` names an
  empty PostgreSQL database), one scheme and an API token; N uploads of the
  example, each with distinct notes so each is stored as a new version, sent
  by C concurrent clients: accepted submissions per second, and the median
  and 95th-percentile latency; the ratio of the hub's rate to the baseline;
* 200 schemes × 12 quarters of returns written straight into a second fresh
  database, then the signed-in national dashboard and the public page are
  rendered (median of three after a warm-up).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy.orm import sessionmaker

from spcore.framework.periods import FinancialQuarter
from spcore.hub.app import create_app
from spcore.hub.database import make_engine, migrate
from spcore.hub.models import ApiToken, Organisation, OrgKind, ReturnVersion, Role, User
from spcore.hub.security import hash_password, new_token, token_digest
from spcore.hub.settings import HubSettings
from spcore.hub.submissions import content_hash
from spcore.validation import validate_return

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "returns" / "northshire-connect-2025-26-Q2.json"
PASSWORD = "benchmark-password"


def baseline(n: int) -> float:
    """Returns validated per second in process."""
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    validate_return(document)
    start = time.perf_counter()
    for _ in range(n):
        validate_return(document)
    return n / (time.perf_counter() - start)


def _serve(url: str) -> tuple[uvicorn.Server, str]:
    config = uvicorn.Config(
        create_app(HubSettings(database=url, secure_cookies=False)),
        host="127.0.0.1",
        port=0,
        log_level="warning",
        access_log=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


def uploads(url: str, n: int, clients: int) -> dict[str, float]:
    """Upload the example ``n`` times with distinct notes; rate and latencies."""
    migrate(url)
    sessions = sessionmaker(make_engine(url))
    token = new_token()
    with sessions.begin() as session:
        org = Organisation(
            kind=OrgKind.SCHEME, code="NORTHSHIRE-CONNECT", name="Northshire Connect"
        )
        session.add(org)
        session.flush()
        session.add(ApiToken(organisation_id=org.id, prefix=token[:12], digest=token_digest(token)))
    server, base = _serve(url)
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    bodies = []
    for i in range(n):
        doc = copy.deepcopy(document)
        doc["notes"] = f"Benchmark upload {i}"
        bodies.append(json.dumps(doc).encode())
    latencies: list[float] = []
    accepted = 0

    def send(body: bytes) -> None:
        nonlocal accepted
        start = time.perf_counter()
        response = client.post(
            base + "/api/v1/returns",
            headers={"Authorization": f"Bearer {token}"},
            files={"file": ("r.json", body, "application/json")},
            timeout=120,
        )
        latencies.append(time.perf_counter() - start)
        if response.status_code == 201:
            accepted += 1

    with httpx2.Client(limits=httpx2.Limits(max_connections=clients)) as client:
        send(bodies[0])  # warm-up, and the first version
        latencies.clear()
        accepted = 0
        start = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(send, bodies[1:]))
        elapsed = time.perf_counter() - start
    server.should_exit = True
    latencies.sort()
    return {
        "accepted": accepted,
        "sent": n - 1,
        "per_second": accepted / elapsed,
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
    }


def dashboard(url: str, schemes: int, quarters: int) -> dict[str, float]:
    """Render times of the national dashboard and the public page over many returns."""
    migrate(url)
    sessions = sessionmaker(make_engine(url))
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    first = FinancialQuarter(2023, 1)
    with sessions.begin() as session:
        national = Organisation(kind=OrgKind.NATIONAL, code="NATIONAL", name="National")
        session.add(national)
        session.flush()
        session.add(
            User(
                username="national",
                password_hash=hash_password(PASSWORD),
                organisation_id=national.id,
                role=Role.ADMINISTRATOR,
            )
        )
        for s in range(schemes):
            code = f"SCHEME-{s:03d}"
            session.add(
                Organisation(
                    kind=OrgKind.SCHEME,
                    code=code,
                    name=f"Scheme {s}",
                    commissioner_code=("QWO", "QOQ", "QHM")[s % 3],
                )
            )
            for q in range(quarters):
                doc = copy.deepcopy(document)
                quarter = first + q
                doc["scheme"] |= {"id": code, "name": f"Scheme {s}"}
                doc["period"] = str(quarter)
                doc["outputs"]["people_benefiting"] = 100 + (s * 7 + q * 3) % 150
                session.add(
                    ReturnVersion(
                        scheme_code=code,
                        period=str(quarter),
                        version=1,
                        commissioner_code=doc["scheme"]["commissioner_code"],
                        content_hash=content_hash(doc),
                        document=doc,
                        filename="r.json",
                        original=b"{}",
                        report={},
                        submitted_by="benchmark",
                        via="api",
                        submitted_at=dt.datetime.combine(quarter.end, dt.time(9), dt.UTC),
                    )
                )
    now = dt.datetime.combine((first + quarters).start, dt.time(12), dt.UTC)
    client = TestClient(
        create_app(HubSettings(database=url, secure_cookies=False, now=lambda: now))
    )
    page = client.get("/login").text
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"username": "national", "password": PASSWORD, "csrf_token": csrf})
    out = {}
    for name, path in (("dashboard_s", "/dashboard"), ("public_s", "/")):
        response = client.get(path)
        assert response.status_code == 200, response.text[:500]
        times = []
        for _ in range(3):
            start = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - start)
        out[name] = statistics.median(times)
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="an empty PostgreSQL database (default: SQLite)")
    parser.add_argument("--uploads", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--schemes", type=int, default=200)
    parser.add_argument("--quarters", type=int, default=12)
    args = parser.parse_args(argv)
    rate = baseline(args.uploads)
    print(f"baseline: validate_return in process: {rate:,.1f} returns/s")
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite:///{Path(folder) / 'uploads.sqlite3'}"
        result = uploads(url, args.uploads, args.clients)
        kind = url.split(":", 1)[0].split("+", 1)[0]
        print(
            f"{kind}: {result['accepted']:.0f}/{result['sent']:.0f} accepted, "
            f"{result['per_second']:,.1f} accepted/s with {args.clients} clients "
            f"(ratio to baseline {result['per_second'] / rate:.3f}), "
            f"median {result['median_ms']:,.0f} ms, p95 {result['p95_ms']:,.0f} ms"
        )
        board = dashboard(
            f"sqlite:///{Path(folder) / 'dashboard.sqlite3'}", args.schemes, args.quarters
        )
        print(
            f"dashboard, {args.schemes} schemes x {args.quarters} quarters (SQLite): national "
            f"{board['dashboard_s']:.2f} s, public {board['public_s']:.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
