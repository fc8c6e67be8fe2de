#!/usr/bin/env python3
"""Where a task's time goes, from the tasks' own timestamps (issue 13's profile, bench/README.md).

Usage: bench/task-phases.py URL TOKEN [LAST_N]   (default 100)

Reads the newest succeeded tasks (at most 200) from GET /api/v1/tasks, keeps the LAST_N most recent ones, and prints
the median, mean and p90 of:
- created -> started: the insert, the dispatcher, the `assigned` write, the POST to the agent and its `started` event;
- started -> finished: the run on the agent and the relay of its events, up to the final write;
- finished -> next created: with one client only, what the client spends between two tasks (the final event reaching
  it, closing its stream, the next POST up to the coordinator's clock reading in the submission).
Run it right after a `--mode tasks --clients 1` run, with nothing else submitting tasks.
"""
import json
import statistics
import sys
import urllib.request
from datetime import datetime


def millis(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000


def main():
    url, token = sys.argv[1], sys.argv[2]
    last = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    request = urllib.request.Request(
        url + "/api/v1/tasks?limit=200&status=succeeded", headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request) as response:
        tasks = json.load(response)["tasks"]
    rows = sorted((t for t in tasks if t.get("started_at") and t.get("finished_at")), key=lambda t: t["created_at"])
    rows = rows[-last:]
    if len(rows) < 2:
        sys.exit("fewer than two finished tasks to look at")
    phases = {
        "created -> started": [millis(t["started_at"]) - millis(t["created_at"]) for t in rows],
        "started -> finished": [millis(t["finished_at"]) - millis(t["started_at"]) for t in rows],
        "created -> finished": [millis(t["finished_at"]) - millis(t["created_at"]) for t in rows],
        "finished -> next created": [
            millis(rows[i + 1]["created_at"]) - millis(rows[i]["finished_at"]) for i in range(len(rows) - 1)
        ],
    }
    for name, values in phases.items():
        values.sort()
        print(f"phase={name.replace(' ', '')} n={len(values)} p50_ms={statistics.median(values):.2f} "
              f"mean_ms={statistics.mean(values):.2f} p90_ms={values[int(len(values) * 0.9)]:.2f}")


if __name__ == "__main__":
    main()
