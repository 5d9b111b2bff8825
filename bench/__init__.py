"""End-to-end benchmark of the HTTP mode: ``python -m bench`` (see ``bench/README.md``)."""
