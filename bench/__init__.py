"""Performance harness for SITU OK (``make bench`` → ``python -m bench``).

The harness builds a PostgreSQL database with a million audit events, serves the project with gunicorn,
drives a handful of declared HTTP scenarios from 127.0.0.1 and measures the XLSX export against raw
writers. See ``bench/README.md``.
"""
