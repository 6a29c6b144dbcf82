#!/usr/bin/env python3
"""A task-notification plugin in Python, standard library only.

It checksums some generated data and reports the work as JSON-RPC 2.0
notifications on stdout, one per line: task.start, task.update, task.log and
task.done (the agent CLI's extension-runtime contract). A host running it with
`progress: 'task-notifications'` turns them into job_progress events and
system log lines; anything else on stdout or stderr is logged as is.

    python3 examples/plugins/python-tasks.py      # or through examples/python-plugin.ts
"""

import hashlib
import json
import sys
import time

CHUNKS = 8
CHUNK_BYTES = 256 * 1024


def notify(method, **params):
    """Writes one notification line. Flushed at once: a pipe is block-buffered, and progress must be live."""
    sys.stdout.write(json.dumps({"jsonrpc": "2.0", "method": method, "params": params}) + "\n")
    sys.stdout.flush()


def checksum():
    notify("task.start", id="checksum", label=f"Checksumming {CHUNKS} chunks", kind="rebuild")
    digest = hashlib.sha256()
    for n in range(1, CHUNKS + 1):
        digest.update(bytes([n]) * CHUNK_BYTES)
        time.sleep(0.05)  # stands in for real I/O, so the progress is visible
        notify("task.update", id="checksum", current=n, total=CHUNKS, message=f"chunk {n}/{CHUNKS}")
        if n % 4 == 0:
            notify("task.log", id="checksum", line=f"{n} of {CHUNKS} chunks hashed")
    notify("task.done", id="checksum")
    return digest.hexdigest()


def upload():
    # a task that fails: task.done carries the error, and the host shows it as a system line
    notify("task.start", id="upload", label="Uploading the checksum", kind="download")
    notify("task.done", id="upload", error="no network in this example")


def main():
    print(f"python-tasks running on Python {sys.version_info.major}.{sys.version_info.minor}", flush=True)
    digest = checksum()
    upload()
    print(f"sha256 {digest}", flush=True)
    print("note: the upload is skipped, the checksum is kept", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
