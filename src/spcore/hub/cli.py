"""``spcore hub``: run the national collection and dashboard.

    spcore hub migrate [--database URL]
    spcore hub serve [--database URL] [--host 127.0.0.1] [--port 8000] [--workers N]
    spcore hub demo [--database URL]
    spcore hub org add KIND CODE NAME [--commissioner CODE]
    spcore hub user add USERNAME --org CODE --role ROLE   (password: $SPCORE_HUB_PASSWORD or asked)
    spcore hub user list | user disable USERNAME
    spcore hub token create --scheme CODE [--label TEXT] | token list | token revoke PREFIX

Every command takes ``--database`` (default: ``SPCORE_HUB_DATABASE``, else the
SQLite file ``spcore-hub.sqlite3`` in the current folder). The web and
database libraries come with ``pip install 'spcore[hub]'``; without them the
commands say so and exit with status 2.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from spcore.cli import EXIT_OK, CliError

#: Environment variable a new user's password may be given in (for scripts).
PASSWORD_ENV = "SPCORE_HUB_PASSWORD"


def register(subparsers: Any) -> None:
    """Add the ``hub`` sub-command and its own sub-commands."""
    hub = subparsers.add_parser(
        "hub",
        help="run the national collection and dashboard of returns (needs spcore[hub])",
        description=(
            "The spcore hub: schemes upload quarterly returns, commissioners and the national "
            "team see the status and the figures, the public sees aggregates."
        ),
    )
    commands = hub.add_subparsers(dest="hub_command", metavar="COMMAND")
    commands.required = True

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = commands.add_parser(
            name, help=help_text, description=help_text
        )
        parser.add_argument(
            "--database",
            metavar="URL",
            help="SQLAlchemy URL, e.g. postgresql+psycopg://user@localhost/hub "
            "(default: $SPCORE_HUB_DATABASE, else sqlite:///spcore-hub.sqlite3)",
        )
        return parser

    add("migrate", "create the database or upgrade it to this version").set_defaults(
        handler=_migrate
    )
    serve = add("serve", "serve the hub over HTTP (migrates an embedded SQLite database first)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (1)")
    serve.add_argument(
        "--due-days",
        type=int,
        default=None,
        help="days after a quarter ends its return is due (default 30)",
    )
    serve.add_argument(
        "--secure-cookies",
        choices=("auto", "yes", "no"),
        default="auto",
        help="mark the session cookie Secure: auto = unless serving on loopback (behind no "
        "TLS proxy)",
    )
    serve.set_defaults(handler=_serve)
    demo = add("demo", "load demonstration schemes, users and returns (into an empty hub)")
    demo.set_defaults(handler=_demo)

    org = add("org", "add or list organisations")
    org.add_argument("action", choices=("add", "list"))
    org.add_argument("kind", nargs="?", choices=("scheme", "commissioner", "national"))
    org.add_argument("code", nargs="?", help="scheme identifier or commissioner code")
    org.add_argument("name", nargs="?")
    org.add_argument("--commissioner", help="for a scheme: its commissioner code")
    org.set_defaults(handler=_org)

    user = add("user", "add, list or disable users")
    user.add_argument("action", choices=("add", "list", "disable"))
    user.add_argument("username", nargs="?")
    user.add_argument("--org", help="the organisation's code (scheme id, commissioner code)")
    user.add_argument("--role", choices=("submitter", "viewer", "administrator"))
    user.set_defaults(handler=_user)

    token = add("token", "create, list or revoke a scheme's API tokens")
    token.add_argument("action", choices=("create", "list", "revoke"))
    token.add_argument("prefix", nargs="?", help="for revoke: the token's prefix")
    token.add_argument("--scheme", help="for create: the scheme identifier")
    token.add_argument("--label", default="", help="for create: what the token is for")
    token.set_defaults(handler=_token)


def _require_extra() -> None:
    try:
        import alembic  # noqa: F401
        import fastapi  # noqa: F401
        import sqlalchemy  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise CliError(
            f"the hub needs its extra libraries ({exc.name} is missing): pip install 'spcore[hub]'"
        ) from None


def _url(args: argparse.Namespace) -> str:
    _require_extra()
    from spcore.hub.settings import database_url

    return database_url(args.database)


def _shown(url: str) -> str:
    """A database URL fit to print: any password replaced."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _migrate(args: argparse.Namespace) -> int:
    url = _url(args)
    from sqlalchemy.exc import SQLAlchemyError

    from spcore.hub.database import migrate

    try:
        before, after = migrate(url)
    except SQLAlchemyError as exc:
        raise CliError(f"cannot migrate {_shown(url)}: {type(exc).__name__}") from None
    if before == after:
        print(f"{_shown(url)}: already at migration {after}")
    else:
        print(f"{_shown(url)}: migrated from {before or 'an empty database'} to {after}")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    url = _url(args)
    import uvicorn

    from spcore.hub.database import migrate
    from spcore.hub.settings import DEFAULT_DUE_DAYS, LOOPBACK_HOSTS

    if url.startswith("sqlite"):
        migrate(url)  # the embedded database is created and kept up to date on start
    secure = {"yes": True, "no": False}.get(args.secure_cookies, args.host not in LOOPBACK_HOSTS)
    # Workers are separate processes: they build the app from the environment.
    os.environ["SPCORE_HUB_DATABASE"] = url
    os.environ["SPCORE_HUB_SECURE_COOKIES"] = "1" if secure else "0"
    os.environ["SPCORE_HUB_DUE_DAYS"] = str(args.due_days or DEFAULT_DUE_DAYS)
    print(f"spcore hub on http://{args.host}:{args.port}/ ({_shown(url)})", file=sys.stderr)
    uvicorn.run(
        "spcore.hub.server:app_from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="info",
        access_log=False,  # an access log would record query strings; the audit log is kept instead
        server_header=False,
    )
    return EXIT_OK


def _session(url: str) -> Any:
    from sqlalchemy.orm import sessionmaker

    from spcore.hub.database import current_revision, head_revision, make_engine

    engine = make_engine(url)
    if current_revision(engine) != head_revision():
        raise CliError(f"{_shown(url)} is not migrated; run 'spcore hub migrate' first")
    return sessionmaker(engine, expire_on_commit=False)


def _demo(args: argparse.Namespace) -> int:
    url = _url(args)
    from spcore.hub.database import migrate
    from spcore.hub.demo import DemoError, load_demo

    migrate(url)
    try:
        logins = load_demo(_session(url))
    except DemoError as exc:
        raise CliError(str(exc)) from None
    print(f"Demonstration data loaded into {_shown(url)}.")
    print("Sign in at http://127.0.0.1:8000/login after 'spcore hub serve' as:")
    for username, password, what in logins:
        print(f"  {username:<22} password {password:<14} {what}")
    return EXIT_OK


def _org(args: argparse.Namespace) -> int:
    url = _url(args)
    from sqlalchemy import select
    from sqlalchemy.exc import IntegrityError

    from spcore.hub.models import Organisation, OrgKind

    sessions = _session(url)
    with sessions.begin() as session:
        if args.action == "list":
            for org in session.scalars(
                select(Organisation).order_by(Organisation.kind, Organisation.code)
            ):
                print(f"{org.kind.value:<13} {org.code:<24} {org.name}")
            return EXIT_OK
        if not (args.kind and args.code and args.name):
            raise CliError("org add needs KIND CODE NAME")
        session.add(
            Organisation(
                kind=OrgKind(args.kind),
                code=args.code,
                name=args.name,
                commissioner_code=args.commissioner,
            )
        )
        try:
            session.flush()
        except IntegrityError:
            raise CliError(f"there is already a {args.kind} with code {args.code}") from None
    print(f"added {args.kind} {args.code}")
    return EXIT_OK


def _find_org(session: Any, code: str) -> Any:
    from sqlalchemy import select

    from spcore.hub.models import Organisation

    found = session.scalars(select(Organisation).where(Organisation.code == code)).all()
    if len(found) != 1:
        raise CliError(f"no single organisation has code {code!r} (see 'spcore hub org list')")
    return found[0]


def _user(args: argparse.Namespace) -> int:
    url = _url(args)
    from sqlalchemy import select
    from sqlalchemy.exc import IntegrityError

    from spcore.hub import signins
    from spcore.hub.models import Role, User, utcnow
    from spcore.hub.security import hash_password
    from spcore.hub.submissions import audit
    from spcore.wording import count

    sessions = _session(url)
    with sessions.begin() as session:
        if args.action == "list":
            for user in session.scalars(select(User).order_by(User.username)):
                state = "" if user.active else " (disabled)"
                print(f"{user.username:<24} {user.role.value:<14} {user.organisation.code}{state}")
            return EXIT_OK
        if not args.username:
            raise CliError(f"user {args.action} needs a USERNAME")
        if args.action == "disable":
            user = session.scalar(select(User).where(User.username == args.username))
            if user is None:
                raise CliError(f"no user {args.username!r}")
            user.active = False
            ended = signins.end_all(session, user, utcnow())
            audit(session, "cli", "user-disabled", args.username, user.organisation_id)
            print(f"disabled {args.username} (signed out of {count(ended, 'session')})")
            return EXIT_OK
        if not (args.org and args.role):
            raise CliError("user add needs --org and --role")
        org = _find_org(session, args.org)
        password = os.environ.get(PASSWORD_ENV) or getpass.getpass("Password: ")
        if len(password) < 12:
            raise CliError("the password must be at least 12 characters")
        session.add(
            User(
                username=args.username,
                password_hash=hash_password(password),
                organisation_id=org.id,
                role=Role(args.role),
            )
        )
        try:
            session.flush()
        except IntegrityError:
            raise CliError(f"there is already a user {args.username!r}") from None
        audit(session, "cli", "user-added", f"{args.username} ({args.role})", org.id)
    print(f"added {args.username} ({args.role} of {args.org})")
    return EXIT_OK


def _token(args: argparse.Namespace) -> int:
    url = _url(args)
    from spcore.hub import tokens

    sessions = _session(url)
    with sessions.begin() as session:
        if args.action == "list":
            for kept in tokens.of(session):
                state = f"revoked {kept.revoked_at:%Y-%m-%d}" if kept.revoked_at else "active"
                print(f"{kept.prefix}…  {kept.organisation.code:<24} {state:<18} {kept.label}")
            return EXIT_OK
        if args.action == "revoke":
            if not args.prefix:
                raise CliError(
                    "token revoke needs the token's PREFIX (see 'spcore hub token list')"
                )
            found = tokens.by_prefix(session, args.prefix)
            if len(found) != 1:
                raise CliError(f"no single token has prefix {args.prefix!r}")
            tokens.revoke(session, found[0], actor="cli")
            print(f"revoked {found[0].prefix}…")
            return EXIT_OK
        if not args.scheme:
            raise CliError("token create needs --scheme")
        try:
            token = tokens.create(session, _find_org(session, args.scheme), args.label, actor="cli")
        except ValueError as exc:
            raise CliError(str(exc)) from None
    print(token)
    print(
        f"The token for {args.scheme} is shown once; keep it secret. Revoke it with "
        f"'spcore hub token revoke {tokens.shown(token)}'.",
        file=sys.stderr,
    )
    return EXIT_OK
