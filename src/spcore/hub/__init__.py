"""The spcore hub: the national collection and dashboard of quarterly returns.

nhse-cof-2018 ('Phase 2') plans "a national dashboard to enable local social
prescribing connector schemes to regularly upload their outputs and
outcomes". The hub is that service, built on the library: schemes upload
returns (checked by :func:`spcore.validate_return`), accepted returns are kept
as immutable versions, commissioners and the national team see the status of
every scheme and quarter, and the public sees aggregates that have passed the
small-number rule.

Install with ``pip install 'spcore[hub]'``; run with ``spcore hub serve``.
Nothing here is imported by the rest of spcore, so the base install does not
need the web and database libraries.
"""
