#!/usr/bin/env python3
"""The SQLite event table's layout, measured outside the server (docs/benchmarks.md, fifth round).

    python3 bench/probes/sqlite-event-layout.py clustered|rowid [dir]

clustered: task_events WITHOUT ROWID, clustered by (task_id, seq), as the schema has it.
rowid:     a rowid table in insertion order with a unique index on (task_id, seq).
Preloads 1,000 tasks and 300,000 events (WAL, synchronous=FULL), then times 20,000 changes (read
the task, update it, insert an event) committed every 250 and every 2,000, and 2,000 replay-page
reads (100 events of one task after a random seq). Run both layouts alternately, several times.
"""
import os
import random
import sqlite3
import sys
import time
import uuid

layout = sys.argv[1]
folder = sys.argv[2] if len(sys.argv) > 2 else "/tmp"
path = os.path.join(folder, f"spectral-layout-{layout}.db")
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(path + suffix):
        os.remove(path + suffix)
c = sqlite3.connect(path, isolation_level=None)
c.execute("pragma journal_mode=wal")
c.execute("pragma synchronous=full")
c.execute("""CREATE TABLE tasks (id TEXT NOT NULL PRIMARY KEY, status TEXT NOT NULL, progress REAL NOT NULL DEFAULT 0,
    metadata TEXT NOT NULL DEFAULT '{}', created_at TEXT NOT NULL, updated_at TEXT NOT NULL, last_seq INTEGER NOT NULL,
    version INTEGER NOT NULL)""")
c.execute("CREATE INDEX ix_tasks_status_created ON tasks (status, created_at DESC, id DESC)")
columns = """task_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, kind TEXT NOT NULL, message TEXT NOT NULL,
    progress REAL, metadata TEXT, timestamp TEXT NOT NULL"""
if layout == "clustered":
    c.execute(f"CREATE TABLE task_events ({columns}, PRIMARY KEY (task_id, seq)) WITHOUT ROWID")
elif layout == "rowid":
    c.execute(f"CREATE TABLE task_events (id INTEGER PRIMARY KEY, {columns})")
    c.execute("CREATE UNIQUE INDEX ux_task_events ON task_events (task_id, seq)")
else:
    sys.exit("layout: clustered or rowid")

ids = [str(uuid.uuid4()) for _ in range(1000)]
now = "2026-12-03T07:00:00.000Z"
message = "Processing chunk 123 of 1000: transcoding segment with bitrate 2500k"
c.execute("begin")
for i in ids:
    c.execute("insert into tasks values (?, 'in-progress', 0, '{}', ?, ?, 0, 1)", (i, now, now))
c.execute("commit")


def change(task):
    last_seq, version = c.execute("select last_seq, version from tasks where id = ?", (task,)).fetchone()
    seq = last_seq + 1
    c.execute("update tasks set progress = ?, updated_at = ?, last_seq = ?, version = ? where id = ?",
              (seq % 100, now, seq, version + 1, task))
    c.execute("insert into task_events (task_id, seq, type, kind, message, progress, metadata, timestamp) "
              "values (?, ?, 'progress', 'progress', ?, ?, NULL, ?)", (task, seq, message, seq % 100, now))


c.execute("begin")
for n in range(300_000):
    change(ids[n % 1000])
c.execute("commit")
c.execute("pragma wal_checkpoint(truncate)")

for per_commit in (250, 2000):
    started = time.perf_counter()
    done = 0
    while done < 20_000:
        c.execute("begin")
        for _ in range(per_commit):
            change(ids[random.randrange(1000)])
            done += 1
        c.execute("commit")
    print(layout, f"commit every {per_commit}:", f"{(time.perf_counter() - started) / 20_000 * 1e6:.1f} us per change")

started = time.perf_counter()
for _ in range(2000):
    c.execute("select seq, type, kind, message, progress, metadata, timestamp from task_events "
              "where task_id = ? and seq > ? order by seq limit 100", (ids[random.randrange(1000)], random.randrange(250))).fetchall()
print(layout, "replay page:", f"{(time.perf_counter() - started) / 2000 * 1e6:.1f} us per 100 events")
