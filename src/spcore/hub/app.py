"""The hub's web application (FastAPI): pages, uploads, downloads and the API.

Built by :func:`create_app` from :class:`~spcore.hub.settings.HubSettings`.
All state is in the database (including the key that signs session cookies),
so any number of workers can serve the same database behind a load balancer.

Security, in one place:

* sessions are Starlette's signed cookies (itsdangerous), ``HttpOnly``,
  ``SameSite=Strict``, and ``Secure`` unless the hub serves plain HTTP on
  loopback, carrying only the random key of a sign-in kept on the server
  (:mod:`spcore.hub.signins`), so signing out ends the session everywhere;
* failed sign-ins are limited per user name (``SIGN_IN_ATTEMPTS`` within
  ``SIGN_IN_WINDOW``);
* every form carries a CSRF token kept in the session (OWASP synchroniser
  token) and every POST from a browser is refused without it;
* every response has security headers (:data:`SECURITY_HEADERS`);
* uploads larger than the limit are refused before they are read;
* everything shown is escaped by Jinja2's autoescaping or the report renderer;
* passwords and tokens never reach a log, a page or an error message.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spcore._version import __version__
from spcore.hub import access, opendata, signins, tokens
from spcore.hub.dashboard import in_force_documents, in_force_rows, status_grid
from spcore.hub.database import current_revision, ensure_secret, head_revision, make_engine
from spcore.hub.models import (
    ApiToken,
    Attempt,
    AuditEvent,
    Organisation,
    OrgKind,
    Outcome,
    PendingUpload,
    ReturnVersion,
    User,
)
from spcore.hub.security import new_csrf_token, same_token, token_digest, verify_password
from spcore.hub.settings import MAX_QUARTERS_SHOWN, SESSION_MAX_AGE, SIGN_IN_WINDOW, HubSettings
from spcore.hub.submissions import Submission, audit, submit
from spcore.hub.views import dashboard_view
from spcore.validation.render_html import render_html

log = logging.getLogger("spcore.hub")

#: Headers on every response (OWASP Secure Headers Project recommendations).
#: Styles may be inline because the validation report and the SVG charts carry
#: their own; scripts come only from the hub itself.
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

#: Bytes a multipart request may carry beyond the file itself (field names, the
#: CSRF token, boundaries).
FORM_OVERHEAD = 64 * 1024

SESSION_COOKIE = "spcore_hub_session"

#: The largest id a path may name (the largest 32-bit integer, PostgreSQL's ``integer``).
MAX_ID = 2**31 - 1

_HERE = resources.files("spcore.hub")


class DatabaseNotReadyError(RuntimeError):
    """The database is not at the newest migration; ``spcore hub migrate`` is needed."""


class BodyLimit:
    """Refuse a request whose body is larger than ``limit`` bytes, before it is read.

    Checked on the declared ``Content-Length`` and again while the body
    streams in (a chunked upload has no length), so an oversized upload costs
    no more than ``limit`` bytes of reading.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.limit + 1
                if declared > self.limit:
                    await _too_large(send)
                    return
        seen = 0
        responded = False

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLargeError
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal responded
            if message["type"] == "http.response.start":
                responded = True
            await send(message)

        try:
            await self.app(scope, limited, tracking_send)
        except _TooLargeError:
            if not responded:
                await _too_large(send)


class _TooLargeError(Exception):
    pass


async def _too_large(send: Send) -> None:
    body = b'{"detail":"The request is larger than the hub accepts."}'
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *((k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _report_parts(reports_html: str) -> tuple[str, str]:
    """The validation report's stylesheet and its body, to show it inside a hub page."""
    style = reports_html.split("<style>", 1)[1].split("</style>", 1)[0]
    body = reports_html.split("<main>", 1)[1].split("</main>", 1)[0]
    return style, body


def create_app(settings: HubSettings | None = None) -> FastAPI:
    """The hub application for ``settings`` (the database must be migrated).

    Raises:
        DatabaseNotReadyError: the database is empty or at an older migration.
    """
    settings = settings or HubSettings()
    engine = make_engine(settings.database)
    head = head_revision()
    current = current_revision(engine)
    if current != head:
        engine.dispose()
        raise DatabaseNotReadyError(
            f"the database is at migration {current or 'none'}, not {head}; "
            "run 'spcore hub migrate' first"
        )
    sessions = sessionmaker(engine, expire_on_commit=False)
    with sessions.begin() as db:
        secret = ensure_secret(db)

    app = FastAPI(
        title="spcore hub",
        version=__version__,
        description=(
            "The national collection of social prescribing quarterly returns. Systems submit "
            "returns with a scheme's API token (`Authorization: Bearer spc_…`)."
        ),
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = sessions
    templates = Jinja2Templates(directory=str(_HERE / "templates"))
    templates.env.globals["version"] = __version__
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")

    # ------------------------------------------------------------ middleware

    @app.middleware("http")
    async def headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if settings.secure_cookies:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        if request.url.path != "/" and not request.url.path.startswith(("/static", "/open-data")):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="strict",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes + FORM_OVERHEAD)

    # ------------------------------------------------------------ helpers

    def signed_in(request: Request, session: Session) -> User | None:
        return signins.current(session, request.session.get("sid"), settings.now())

    def csrf_token(request: Request) -> str:
        token = request.session.get("csrf")
        if not isinstance(token, str):
            token = new_csrf_token()
            request.session["csrf"] = token
        return token

    def check_csrf(request: Request, given: str | None) -> None:
        if not same_token(request.session.get("csrf"), given):
            raise HTTPException(403, "The form has expired or did not come from this site.")

    def page(
        request: Request,
        name: str,
        user: User | None,
        status_code: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        return templates.TemplateResponse(
            request,
            name,
            {"user": user, "csrf_token": csrf_token(request), **context},
            status_code=status_code,
        )

    def require_user(request: Request, session: Session) -> User:
        user = signed_in(request, session)
        if user is None:
            target = quote(request.url.path, safe="/")
            raise HTTPException(303, headers={"Location": f"/login?next={target}"})
        return user

    def today() -> dt.date:
        return settings.today()

    # ------------------------------------------------------------ error pages

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 303 and exc.headers:
            return RedirectResponse(exc.headers["Location"], status_code=303)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)
        return templates.TemplateResponse(
            request,
            "error.html",
            {"user": None, "status": exc.status_code, "detail": exc.detail, "csrf_token": ""},
            status_code=exc.status_code,
        )

    # ------------------------------------------------------------ public pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, session: DB) -> HTMLResponse:
        user = signed_in(request, session)
        schemes = access.visible_schemes(session, _national(session))
        codes = [s.code for s in schemes]
        by_quarter = in_force_documents(session, codes)
        grid = status_grid(session, schemes, today(), settings.due_days, MAX_QUARTERS_SHOWN)
        view = dashboard_view(by_quarter, grid.quarters, public=True)
        return page(request, "home.html", user, view=view, public=True)

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_form(request: Request, session: DB, next: str = "/dashboard") -> HTMLResponse:
        return page(request, "login.html", signed_in(request, session), next=_local(next))

    @app.post("/login", include_in_schema=False)
    def login(
        request: Request,
        session: DB,
        username: Annotated[str, Form(max_length=100)],
        password: Annotated[str, Form(max_length=1000)],
        csrf_token: Annotated[str, Form(max_length=200)] = "",
        next: Annotated[str, Form(max_length=500)] = "/dashboard",
    ) -> Response:
        check_csrf(request, csrf_token)
        now = settings.now()
        actor = username[:100]
        # Refused before the password is checked, so guessing gains nothing; the same
        # answer whether or not the user name exists.
        refused = signins.refused(session, actor, now)
        user = None if refused else session.scalar(select(User).where(User.username == username))
        if refused or not verify_password(user.password_hash if user else None, password):
            user = None
        if user is None or not user.active:
            audit(session, actor, signins.REFUSED if refused else signins.FAILED, at=now)
            session.commit()
            return page(
                request,
                "login.html",
                None,
                status_code=429 if refused else 401,
                next=_local(next),
                refused=refused,
                failed=not refused,
                wait_minutes=int(SIGN_IN_WINDOW.total_seconds() // 60),
            )
        signins.end(session, request.session.get("sid"), now)
        request.session.clear()  # a new session on sign-in (no fixation)
        request.session["sid"] = signins.start(session, user, now)
        request.session["csrf"] = new_csrf_token()
        audit(session, user.username, "signed-in", organisation_id=user.organisation_id, at=now)
        session.commit()
        return RedirectResponse(_local(next), status_code=303)

    @app.post("/logout", include_in_schema=False)
    def logout(
        request: Request,
        session: DB,
        csrf_token: Annotated[str, Form(max_length=200)] = "",
    ) -> Response:
        check_csrf(request, csrf_token)
        user = signed_in(request, session)
        if user is not None:
            audit(session, user.username, "signed-out", organisation_id=user.organisation_id)
        # Ended on the server: a copy of the cookie no longer signs anyone in.
        signins.end(session, request.session.get("sid"), settings.now())
        session.commit()
        request.session.clear()
        return RedirectResponse("/", status_code=303)

    # ------------------------------------------------------------ dashboard

    @app.get("/dashboard", response_class=HTMLResponse, include_in_schema=False)
    def dashboard(request: Request, session: DB) -> HTMLResponse:
        user = require_user(request, session)
        schemes = access.visible_schemes(session, user.organisation)
        grid = status_grid(session, schemes, today(), settings.due_days, MAX_QUARTERS_SHOWN)
        by_quarter = in_force_documents(session, [s.code for s in schemes])
        view = dashboard_view(by_quarter, grid.quarters, public=False)
        groups: dict[str, list[Organisation]] = {}
        for scheme in schemes:
            groups.setdefault(scheme.commissioner_code or "(none)", []).append(scheme)
        commissioners = {
            o.code: o.name
            for o in session.scalars(
                select(Organisation).where(Organisation.kind == OrgKind.COMMISSIONER)
            )
        }
        return page(
            request,
            "dashboard.html",
            user,
            grid=grid,
            groups=sorted(groups.items()),
            commissioners=commissioners,
            view=view,
            public=False,
        )

    @app.get("/schemes/{code}", response_class=HTMLResponse, include_in_schema=False)
    def scheme_page(request: Request, session: DB, code: str) -> HTMLResponse:
        user = require_user(request, session)
        scheme = _visible_scheme(session, user, code)
        versions = session.scalars(
            select(ReturnVersion)
            .where(ReturnVersion.scheme_code == scheme.code)
            .order_by(ReturnVersion.period.desc(), ReturnVersion.version.desc())
        ).all()
        versions = [v for v in versions if access.may_see_version(user.organisation, v)]
        attempts = session.scalars(
            select(Attempt)
            .where(Attempt.organisation_id == scheme.id)
            .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
            .limit(100)
        ).all()
        return page(
            request, "scheme.html", user, scheme=scheme, versions=versions, attempts=attempts
        )

    def _visible_scheme(session: Session, user: User, code: str) -> Organisation:
        scheme = session.scalar(
            access.scheme_filter(user.organisation).where(Organisation.code == code)
        )
        if scheme is None:
            # The same answer whether the scheme does not exist or is someone else's.
            raise HTTPException(404, "There is no such scheme for you to see.")
        return scheme

    @app.get("/versions/{version_id}/{kind}", include_in_schema=False)
    def download(
        request: Request,
        session: DB,
        version_id: Annotated[int, PathParam(ge=1, le=MAX_ID)],
        kind: str,
    ) -> Response:
        user = require_user(request, session)
        version = session.get(ReturnVersion, version_id)
        if version is None or not access.may_see_version(user.organisation, version):
            raise HTTPException(404, "There is no such version for you to see.")
        audit(
            session,
            user.username,
            "downloaded",
            f"{version.scheme_code} {version.period} v{version.version} {kind}",
            user.organisation_id,
        )
        session.commit()
        stem = f"{version.scheme_code}-{version.period.replace(' ', '-')}-v{version.version}"
        if kind == "original":
            suffix = Path(version.filename).suffix.lower() or ".json"
            return Response(
                version.original,
                media_type="application/octet-stream",
                headers={"Content-Disposition": f'attachment; filename="{stem}{suffix}"'},
            )
        if kind == "json":
            return JSONResponse(
                version.document,
                headers={"Content-Disposition": f'attachment; filename="{stem}.json"'},
            )
        raise HTTPException(404, "Versions download as 'original' or 'json'.")

    # ------------------------------------------------------------ uploading
    # The endpoints are plain functions: FastAPI runs them in worker threads,
    # so checking and storing a return never holds up the event loop.

    @app.get("/upload", response_class=HTMLResponse, include_in_schema=False)
    def upload_form(request: Request, session: DB) -> HTMLResponse:
        user = require_user(request, session)
        _require_submitter(user)
        return page(request, "upload.html", user, limit=settings.max_upload_bytes)

    def _require_submitter(user: User) -> None:
        if not access.may_submit(user):
            raise HTTPException(
                403, "Only a scheme's submitters and administrators upload returns."
            )

    def _result_page(
        request: Request, user: User, result: Submission, pending_key: str | None = None
    ) -> HTMLResponse:
        style, body = _report_parts(render_html([result.checked.report]))
        status = {Outcome.REFUSED: 422, Outcome.AWAITING_ACKNOWLEDGEMENT: 200}.get(
            result.outcome, 200
        )
        return page(
            request,
            "result.html",
            user,
            status_code=status,
            result=result,
            report_style=style,
            report_body=body,
            pending_key=pending_key,
        )

    @app.post("/upload", response_class=HTMLResponse, include_in_schema=False)
    def upload(
        request: Request,
        session: DB,
        file: Annotated[UploadFile, File()],
        csrf_token: Annotated[str, Form(max_length=200)] = "",
    ) -> HTMLResponse:
        check_csrf(request, csrf_token)
        user = require_user(request, session)
        _require_submitter(user)
        data = file.file.read(settings.max_upload_bytes + 1)
        result = submit(
            session,
            user.organisation,
            data,
            file.filename,
            actor=user.username,
            via="web",
            today=today(),
            max_bytes=settings.max_upload_bytes,
            acknowledged=False,
            at=settings.now(),
        )
        key = None
        if result.outcome is Outcome.AWAITING_ACKNOWLEDGEMENT:
            key = _hold(session, user, result, data)
        return _result_page(request, user, result, key)

    def _hold(session: Session, user: User, result: Submission, data: bytes) -> str:
        from secrets import token_urlsafe

        key = token_urlsafe(32)
        session.add(
            PendingUpload(
                key=key,
                user_id=user.id,
                attempt_id=result.attempt_id,
                filename=result.checked.filename,
                original=data,
            )
        )
        session.commit()
        return key

    @app.post("/upload/acknowledge", response_class=HTMLResponse, include_in_schema=False)
    def acknowledge(
        request: Request,
        session: DB,
        key: Annotated[str, Form(max_length=100)],
        csrf_token: Annotated[str, Form(max_length=200)] = "",
    ) -> HTMLResponse:
        check_csrf(request, csrf_token)
        user = require_user(request, session)
        _require_submitter(user)
        pending = session.scalar(
            select(PendingUpload).where(PendingUpload.key == key, PendingUpload.user_id == user.id)
        )
        if pending is None:
            raise HTTPException(404, "That upload is no longer waiting; upload the file again.")
        data, filename = pending.original, pending.filename
        session.delete(pending)
        session.commit()
        result = submit(
            session,
            user.organisation,
            data,
            filename,
            actor=user.username,
            via="web",
            today=today(),
            max_bytes=settings.max_upload_bytes,
            acknowledged=True,
            at=settings.now(),
        )
        return _result_page(request, user, result)

    # ------------------------------------------------------------ API tokens

    def _token_manager(request: Request, session: Session) -> tuple[User, list[Organisation]]:
        user = require_user(request, session)
        if not access.may_manage_tokens(user):
            raise HTTPException(
                403, "Only administrators of a scheme or of the national team manage API tokens."
            )
        return user, access.token_schemes(session, user)

    def _tokens_page(
        request: Request,
        session: Session,
        user: User,
        schemes: list[Organisation],
        made: tuple[str, str] | None = None,
        status_code: int = 200,
        problem: str = "",
    ) -> HTMLResponse:
        response = page(
            request,
            "tokens.html",
            user,
            status_code=status_code,
            schemes=schemes,
            tokens=tokens.of(session, schemes),
            made=made,
            problem=problem,
            max_label=tokens.MAX_LABEL,
        )
        # The page that shows a new token once must not be kept by the browser or a proxy.
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/tokens", response_class=HTMLResponse, include_in_schema=False)
    def tokens_page(request: Request, session: DB) -> HTMLResponse:
        user, schemes = _token_manager(request, session)
        return _tokens_page(request, session, user, schemes)

    @app.post("/tokens", response_class=HTMLResponse, include_in_schema=False)
    def make_token(
        request: Request,
        session: DB,
        scheme: Annotated[str, Form(max_length=100)] = "",
        label: Annotated[str, Form(max_length=1000)] = "",
        csrf_token: Annotated[str, Form(max_length=200)] = "",
    ) -> HTMLResponse:
        check_csrf(request, csrf_token)
        user, schemes = _token_manager(request, session)
        if not scheme and len(schemes) == 1:
            scheme = schemes[0].code  # a scheme's administrator: the only scheme there is
        owner = next((s for s in schemes if s.code == scheme), None)
        if owner is None:  # another scheme's code is refused as one that does not exist
            return _tokens_page(
                request, session, user, schemes, status_code=422, problem="Choose a scheme."
            )
        label = label.strip()
        if len(label) > tokens.MAX_LABEL:
            problem = f"A label is at most {tokens.MAX_LABEL} characters."
            return _tokens_page(request, session, user, schemes, status_code=422, problem=problem)
        token = tokens.create(session, owner, label, actor=user.username)
        session.commit()
        return _tokens_page(request, session, user, schemes, made=(owner.code, token))

    @app.post("/tokens/revoke", include_in_schema=False)
    def revoke_token(
        request: Request,
        session: DB,
        token_id: Annotated[int, Form(ge=1, le=2**31 - 1)],  # the id column is a 32-bit integer
        csrf_token: Annotated[str, Form(max_length=200)] = "",
    ) -> Response:
        check_csrf(request, csrf_token)
        user, schemes = _token_manager(request, session)
        found = session.get(ApiToken, token_id)
        if found is None or found.organisation_id not in {s.id for s in schemes}:
            raise HTTPException(404, "There is no such token.")
        tokens.revoke(session, found, actor=user.username)
        session.commit()
        return RedirectResponse("/tokens", status_code=303)

    # ------------------------------------------------------------ audit log

    @app.get("/audit", response_class=HTMLResponse, include_in_schema=False)
    def audit_log(request: Request, session: DB) -> HTMLResponse:
        user = require_user(request, session)
        if not access.may_read_audit(user):
            raise HTTPException(403, "Only administrators read the audit log.")
        query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(500)
        if user.organisation.kind is not OrgKind.NATIONAL:
            query = query.where(AuditEvent.organisation_id == user.organisation_id)
        return page(request, "audit.html", user, events=session.scalars(query).all())

    # ------------------------------------------------------------ open data

    def _open_data(
        session: Session,
    ) -> tuple[list[str], list[dict[str, Any]], list[dict[str, Any]]]:
        codes = [s.code for s in access.visible_schemes(session, _national(session))]
        entries = [
            (period, version, opendata.public_document(document))
            for _, period, version, document in in_force_rows(session, codes)
        ]
        columns, wide = opendata.wide_rows(entries)
        return columns, wide, opendata.long_rows(entries)

    @app.get("/open-data", response_class=HTMLResponse, include_in_schema=False)
    def open_data_page(request: Request, session: DB) -> HTMLResponse:
        return page(
            request,
            "opendata.html",
            signed_in(request, session),
            dictionary=opendata.data_dictionary(),
        )

    @app.get("/open-data/{name}", include_in_schema=False)
    def open_data_file(session: DB, name: str) -> Response:
        if name == "dictionary.csv":
            rows = opendata.data_dictionary()
            return _attachment(opendata.to_csv(list(rows[0]), rows), name, "text/csv")
        columns, wide, long = _open_data(session)
        if name == "national-wide.csv":
            return _attachment(opendata.to_csv(columns, wide), name, "text/csv")
        if name == "national-long.csv":
            return _attachment(opendata.to_csv(opendata.LONG_COLUMNS, long), name, "text/csv")
        if name == "national.json":
            return _attachment(opendata.to_json(columns, wide, long), name, "application/json")
        if name == "national.xlsx":
            return _attachment(
                opendata.to_xlsx(columns, wide, long),
                name,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        raise HTTPException(404, "No such open data file.")

    # ------------------------------------------------------------ API

    @app.post(
        "/api/v1/returns",
        tags=["returns"],
        summary="Submit a quarterly return",
        responses={
            201: {"description": "Accepted and stored as a new version."},
            200: {"description": "The same as the version in force: nothing new stored."},
            401: {"description": "No valid API token."},
            409: {"description": "Valid, with warnings not acknowledged: not stored."},
            413: {"description": "Larger than the hub accepts."},
            422: {"description": "Refused: the return has errors (the report says which)."},
        },
    )
    def api_submit(
        session: DB,
        who: TokenOrg,
        file: Annotated[UploadFile, File(description="The return: .json, .xlsx or .csv")],
        acknowledge_warnings: Annotated[bool, Form()] = False,
    ) -> JSONResponse:
        """Validate a return and store it as a new version of its scheme and quarter.

        The response carries the validation report in the shape of
        `spcore validate --format json` (`report`), the outcome, and for a stored
        return its version number and content hash.
        """
        organisation, actor = who
        if organisation.kind is not OrgKind.SCHEME:
            raise HTTPException(403, "Only a scheme's token submits returns.")
        data = file.file.read(settings.max_upload_bytes + 1)
        result = submit(
            session,
            organisation,
            data,
            file.filename,
            actor=actor,
            via="api",
            today=today(),
            max_bytes=settings.max_upload_bytes,
            acknowledged=acknowledge_warnings,
            at=settings.now(),
        )
        status = {
            Outcome.ACCEPTED: 201,
            Outcome.SAME_AS_STORED: 200,
            Outcome.REFUSED: 422,
            Outcome.AWAITING_ACKNOWLEDGEMENT: 409,
        }[result.outcome]
        return JSONResponse(_submission_json(result), status)

    @app.get("/api/v1/returns", tags=["returns"], summary="List the scheme's stored versions")
    def api_list(session: DB, who: TokenOrg) -> list[dict[str, Any]]:
        """Every stored version of the token's scheme, newest quarter and version first."""
        organisation, _ = who
        versions = session.scalars(
            select(ReturnVersion)
            .where(ReturnVersion.scheme_code == organisation.code)
            .order_by(ReturnVersion.period.desc(), ReturnVersion.version.desc())
        ).all()
        return [_version_json(v) for v in versions]

    @app.get("/api/v1/open-data", tags=["open data"], summary="The national open dataset")
    def api_open_data(session: DB) -> Response:
        """Both tables (wide and long) and the data dictionary, small-number rule applied."""
        columns, wide, long = _open_data(session)
        return Response(opendata.to_json(columns, wide, long), media_type="application/json")

    @app.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(request: Request, session: DB) -> HTMLResponse:
        return page(request, "api.html", signed_in(request, session), schema=app.openapi())

    return app


def _db(request: Request) -> Iterator[Session]:
    """A database session for one request."""
    with request.app.state.sessions() as session:
        yield session


DB = Annotated[Session, Depends(_db)]

_bearer = HTTPBearer(auto_error=False, description="A scheme's API token (spc_…).")


def _api_org(
    session: DB,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> tuple[Organisation, str]:
    """The organisation whose API token the request carries, and how to name it in the log."""
    if credentials is None:
        raise HTTPException(401, "Send a scheme's API token.", {"WWW-Authenticate": "Bearer"})
    token = session.scalar(
        select(ApiToken).where(ApiToken.digest == token_digest(credentials.credentials))
    )
    if token is None or token.revoked_at is not None:
        raise HTTPException(401, "The API token is not valid.", {"WWW-Authenticate": "Bearer"})
    return token.organisation, f"token:{token.prefix}"


TokenOrg = Annotated[tuple[Organisation, str], Depends(_api_org)]


def _national(session: Session) -> Organisation:
    """A stand-in for the national view (every scheme) used by public pages."""
    return Organisation(kind=OrgKind.NATIONAL, code="", name="public")


def _local(target: str) -> str:
    """A redirect target kept on this site (an absolute or protocol-relative URL becomes /)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/dashboard"
    return target


def _attachment(body: str | bytes, name: str, media_type: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _version_json(version: ReturnVersion) -> dict[str, Any]:
    return {
        "scheme": version.scheme_code,
        "period": version.period,
        "version": version.version,
        "content_hash": version.content_hash,
        "submitted_by": version.submitted_by,
        "submitted_at": version.submitted_at.isoformat(),
        "filename": version.filename,
    }


def _submission_json(result: Submission) -> dict[str, Any]:
    body: dict[str, Any] = {
        "outcome": result.outcome.value,
        "scheme": result.checked.scheme_code,
        "period": result.checked.period,
        "report": result.checked.report.to_dict(),
    }
    if result.version is not None:
        body |= {"version": result.version.version, "content_hash": result.version.content_hash}
    return body
