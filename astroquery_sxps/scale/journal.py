"""A resumable record of a batch job in an SQLite file (the standard library's `sqlite3`).

Each finished position is written (and committed) as soon as it completes, so
a job that is killed, crashes or loses the network can be run again with the
same journal: only positions without a stored answer are asked.

Layout (format 1)::

    meta(key TEXT PRIMARY KEY, value TEXT)
        'format'    -> '1'
        'kind'      -> 'upper_limits'
        'options'   -> canonical JSON of the options that shape every answer
    positions(idx INTEGER PRIMARY KEY, identity TEXT, status TEXT,
              result TEXT, job_id TEXT, error TEXT, updated REAL)

``status`` is ``'done'`` (``result`` holds the answer as the JSON of
`astroquery_sxps.scale.records.to_record`) or
``'pending'`` (the server's job id is in ``job_id``: a resumed job fetches it
with ``retrieve_upper_limit`` instead of asking again). Failures are not
stored: they are asked again on the next run.

The file is untrusted input when it is read back: nothing in it is executed
(no pickle); answers are plain JSON, checked by
`astroquery_sxps.scale.records.from_json` before use.
"""
import json
import sqlite3
import time
from pathlib import Path

from ..exceptions import InvalidQueryError, JournalMismatchError

__all__ = ["Journal"]

FORMAT = "1"


class Journal:
    """The SQLite journal of one batch job.

    Parameters
    ----------
    path : str or path-like
        The file (created if it does not exist).
    kind : str
        What the job computes (a journal of another kind is refused).
    options : dict
        JSON-serialisable options that shape every answer; a journal written
        with other options is refused with `JournalMismatchError`.
    """

    def __init__(self, path, kind, options):
        self.path = Path(path)
        self.kind = kind
        self.options = json.dumps(options, sort_keys=True, separators=(",", ":"))
        try:
            self._db = sqlite3.connect(str(self.path))
            # WAL: each commit is one append; a killed process loses at most the
            # answer it was writing, and readers (a monitoring process) never block
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._init()
        except sqlite3.DatabaseError as exc:
            raise InvalidQueryError(f"journal={str(path)!r} is not a usable SQLite journal "
                                    f"({exc}).") from None

    def _init(self):
        db = self._db
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("CREATE TABLE IF NOT EXISTS positions (idx INTEGER PRIMARY KEY, "
                   "identity TEXT NOT NULL, status TEXT NOT NULL, result TEXT, job_id TEXT, "
                   "error TEXT, updated REAL)")
        meta = dict(db.execute("SELECT key, value FROM meta"))
        if not meta:
            with db:
                db.executemany("INSERT INTO meta VALUES (?, ?)",
                               [("format", FORMAT), ("kind", self.kind),
                                ("options", self.options)])
            return
        if meta.get("format") != FORMAT or meta.get("kind") != self.kind:
            raise JournalMismatchError(
                f"journal={str(self.path)!r} was not written by this kind of job "
                f"(format {meta.get('format')!r}, kind {meta.get('kind')!r}; expected "
                f"format {FORMAT!r}, kind {self.kind!r}). Use another file.")
        if meta.get("options") != self.options:
            stored = json.loads(meta.get("options") or "{}")
            wanted = json.loads(self.options)
            diff = sorted(k for k in set(stored) | set(wanted) if stored.get(k) != wanted.get(k))
            details = "; ".join(f"{k}: journal {stored.get(k)!r}, now {wanted.get(k)!r}"
                                for k in diff)
            raise JournalMismatchError(
                f"journal={str(self.path)!r} was made with other options ({details}). Its "
                "answers do not apply to this call: use the same options, or another journal "
                "file.")

    def check_identities(self, identities):
        """Refuse the journal if a stored position differs from this call's at the same index."""
        for idx, identity in self._db.execute("SELECT idx, identity FROM positions"):
            if idx < len(identities) and identities[idx] != identity:
                raise JournalMismatchError(
                    f"journal={str(self.path)!r} holds another position at input index {idx} "
                    f"(journal {identity}, now {identities[idx]}): it was made for other "
                    "positions. Use the same positions (appending new ones is fine) or "
                    "another journal file.")

    def stored(self):
        """``{idx: (status, result_text, job_id)}`` of every stored position."""
        return {idx: (status, result, job_id) for idx, status, result, job_id in
                self._db.execute("SELECT idx, status, result, job_id FROM positions")}

    def record(self, idx, identity, status, result=None, job_id=None, error=None):
        """Store (and commit) the outcome of one position."""
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO positions VALUES (?, ?, ?, ?, ?, ?, ?)",
                             (idx, identity, status, result, job_id, error, time.time()))

    def close(self):
        self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
