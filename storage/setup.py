"""Bring a store to a working state: schema, reference data, geography."""

from __future__ import annotations

from storage.db import Database, open_database
from storage.migrate import upgrade
from storage.reference import Geography, load_reference_data, read_geography


def prepare(url: str, *, migrate: bool = True) -> tuple[Database, Geography]:
    """Open the database at ``url``, migrate it, load the reference data and read it back.

    ``migrate=False`` only opens and reads: for a process started after another has prepared
    the same store (an HTTP worker).
    """
    db = open_database(url)
    if migrate:
        upgrade(db)
        with db.write() as session:
            load_reference_data(session)
    with db.read() as session:
        geo = read_geography(session)
    return db, geo
