#!/bin/sh
# mamori audit verify against b2sum over the same bytes (docs/performance.md, section d), alone.
#
#   bench/audit.sh BIN [OTHER_BIN ...]
#
# Makes a trail of BENCH_AUDIT_EVENTS events (50000) in BENCH_AUDIT_DIR (default: a new temporary
# directory, removed at the end; an existing data directory is reused as it is), exports its rows
# as sqlite3 prints them, waits until the 1-minute load average is below BENCH_MAX_LOAD (1.0, at
# most BENCH_WAIT seconds, 600), then runs hyperfine over each binary's `audit verify` and b2sum,
# printing the load before and after. Needs hyperfine, sqlite3, b2sum.
set -eu

[ $# -ge 1 ] || { echo "usage: bench/audit.sh BIN [OTHER_BIN ...]" >&2; exit 2; }
EVENTS=${BENCH_AUDIT_EVENTS:-50000}
RUNS=${BENCH_RUNS:-20}
MAX_LOAD=${BENCH_MAX_LOAD:-1.0}
WAIT=${BENCH_WAIT:-600}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
AD=${BENCH_AUDIT_DIR:-$T/audit-data}
BIN=$1

load1() { cut -d ' ' -f 1 /proc/loadavg; }

if [ ! -f "$AD/mamori.db" ]; then
	"$BIN" init --data "$AD" >/dev/null 2>"$T/init.log" || { cat "$T/init.log" >&2; exit 1; }
	have=$(sqlite3 "$AD/mamori.db" "SELECT count(*) FROM audit_event")
	awk -v n="$((EVENTS - have))" 'BEGIN { for (i = 1; i <= n; i++)
		printf "trail entry %d: checked the server room door log, nothing unusual\n", i }' |
		"$BIN" journal add --stdin --data "$AD" >/dev/null
fi
sqlite3 "$AD/mamori.db" "SELECT seq, started_at, ended_at, actor, action, target_type, target_id,
	access, outcome, client, details, prev_hash, hash FROM audit_event ORDER BY seq" >"$T/events.txt"
HASHED=$(sqlite3 "$AD/mamori.db" "SELECT sum(19 + 12 * 4 + length(CAST(prev_hash AS BLOB))
	+ length(CAST(seq AS TEXT)) + length(CAST(started_at AS BLOB)) + length(CAST(ended_at AS BLOB))
	+ length(CAST(actor AS BLOB)) + length(CAST(action AS BLOB)) + length(CAST(target_type AS BLOB))
	+ length(CAST(target_id AS BLOB)) + length(CAST(access AS BLOB)) + length(CAST(outcome AS BLOB))
	+ length(CAST(client AS BLOB)) + length(CAST(details AS BLOB))) FROM audit_event")
echo "events: $(sqlite3 "$AD/mamori.db" "SELECT count(*) FROM audit_event"), hashed bytes: $HASHED," \
	"exported bytes: $(stat -c %s "$T/events.txt")"
for b in "$@"; do
	"$b" audit verify --data "$AD" >/dev/null || { echo "$b: audit verify failed" >&2; exit 1; }
done

waited=0
while [ "$(echo "$(load1) >= $MAX_LOAD" | bc)" = 1 ] && [ "$waited" -lt "$WAIT" ]; do
	sleep 5
	waited=$((waited + 5))
done
echo "load average at the start: $(cut -d ' ' -f 1-3 /proc/loadavg) (waited ${waited} s)"
n=$#
for b in "$@"; do
	set -- "$@" "$b audit verify --data $AD"
	shift
done
[ "$#" -eq "$n" ]
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$T/hf.json" "$@" "b2sum $T/events.txt"
echo "load average at the end: $(cut -d ' ' -f 1-3 /proc/loadavg)"
# MB/s: the bytes the chain hashes for mamori, the exported bytes for b2sum (as bench/run.sh)
EXPORTED=$(stat -c %s "$T/events.txt")
python3 - "$T/hf.json" "$HASHED" "$EXPORTED" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
hashed, exported = int(sys.argv[2]), int(sys.argv[3])
ref = exported / r[-1]["median"] / 1e6
for x in r:
    mbs = (exported if x is r[-1] else hashed) / x["median"] / 1e6
    print(f"| {x['command']} | median {x['median'] * 1000:.1f} ms (min {x['min'] * 1000:.1f}) "
          f"| {mbs:.1f} MB/s | {100 * mbs / ref:.0f} % of b2sum |")
PY
