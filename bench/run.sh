#!/bin/sh
# The benchmarks behind docs/performance.md (design.md, "Performance targets").
#
#   bench/run.sh build/mamori        (what `make bench` runs, from the repository root)
#
# Each measure runs next to its reference in the same run, on this machine, and is printed as a
# Markdown section with the exact command lines used:
#   a. GET /healthz, keep-alive, wrk -t1 -c32            vs nginx serving the same bytes
#   b. the largest /assets/*.js of the UI, keep-alive    vs nginx serving the same bytes
#   c. durable audited writes (journal add --stdin)      vs sqlite3, same synchronous=FULL
#   d. mamori audit verify over a long trail             vs b2sum over the same amount of text
#   e. footprint: binary size, idle RSS, exec -> first 200 on /healthz
#   f-h. the ledgers: bench/registers.sh, run after these (100,000 assets, wrk -t2 -c64 vs nginx,
#        exports, growth from 10,000 to 1,000,000 rows, query plans); see its header
#   i-l. the My Number vault: bench/mynumber.sh, run last (import of 100,000 subjects, the masked
#        list with 1,000,000 subjects at 64 connections and at one, growth, query plans)
# Everything lives in one temporary directory; every process started here is stopped on exit.
# No network access is needed (only 127.0.0.1). Takes about 75 seconds, plus about 5 minutes for
# the ledgers and 5 for the vault. The helpers the three scripts share are in bench/lib.sh.
#
# Knobs (environment): BENCH_DURATION (wrk duration, default 10s), BENCH_JOURNAL_N (2000),
# BENCH_AUDIT_EVENTS (50000), BENCH_READY_RUNS (20), BENCH_RUNS (hyperfine runs, 3),
# BENCH_REGISTERS (1; 0 skips bench/registers.sh), BENCH_MYNUMBER (1; 0 skips bench/mynumber.sh);
# the other scripts' own knobs are in their headers.
set -eu

START=$(date +%s)
. "$(dirname "$0")/lib.sh"

bench_bin run.sh "$@"

DURATION=${BENCH_DURATION:-10s}
JOURNAL_N=${BENCH_JOURNAL_N:-2000}
AUDIT_EVENTS=${BENCH_AUDIT_EVENTS:-50000}
READY_RUNS=${BENCH_READY_RUNS:-20}
RUNS=${BENCH_RUNS:-3}

PATH=$PATH:/usr/sbin:/sbin
need wrk hyperfine nginx sqlite3 b2sum curl awk date

bench_tmpdir mamori-bench
bench_copy_bin

# ---------------------------------------------------------------------------------------------
# helpers (the shared ones are in bench/lib.sh)

rss_kb() {
	awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"
}

# wrk_pair KEY PATH: wrk -t1 -c32 on PATH of mamori (MPID, $M), then of nginx (NGPID, $G); sets
# KEY_CMD_M KEY_RPS_M KEY_P50_M KEY_P99_M KEY_ERR_M, and the same ending in _N for nginx
wrk_pair() {
	for wp in M N; do
		if [ $wp = M ]; then SPID=$MPID wp_url=$M$2; else SPID=$NGPID wp_url=$G$2; fi
		wrk_run "$1-$wp" 1 32 "$wp_url"
		eval "$1_CMD_$wp=\$WCMD $1_RPS_$wp=\$RPS $1_P50_$wp=\$P50 $1_P99_$wp=\$P99 $1_ERR_$wp=\$WERR"
	done
	SPID=$MPID
}

# hf NAME RUNS WARMUP PREPARE CMD: hyperfine through a shell (it subtracts the shell's start);
# without PREPARE, CMD runs without a shell (-N) and its output is discarded by hyperfine.
# Sets MEDIAN (seconds).
hf() {
	if [ -n "$4" ]; then
		hyperfine --style basic --runs "$2" --warmup "$3" --export-csv "$T/hf-$1.csv" \
			--prepare "$4" -n "$1" "$5" >&2
	else
		hyperfine --style basic -N --runs "$2" --warmup "$3" --export-csv "$T/hf-$1.csv" \
			-n "$1" "$5" >&2
	fi
	MEDIAN=$(awk -F, 'NR == 2 { print $4 }' "$T/hf-$1.csv")
	[ -n "$MEDIAN" ] || die "cannot read hyperfine's result for $1"
}

# ---------------------------------------------------------------------------------------------
# the machine

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc)
debian=$(cat /etc/debian_version 2>/dev/null || echo "?")
buildinfo="$BIN_DIR/meson-info/intro-buildoptions.json"
buildtype="?"
optimization="?"
if [ -f "$buildinfo" ]; then
	buildtype=$(grep -o '"name": "buildtype", "value": "[a-z]*"' "$buildinfo" | sed 's/.*"value": "//; s/"//') || true
	optimization=$(grep -o '"name": "optimization", "value": "[a-z0-9]*"' "$buildinfo" | sed 's/.*"value": "//; s/"//') || true
fi
version=$("$BIN" --version 2>/dev/null | head -n 1 || true)
[ -n "$version" ] || version=$("$BIN" --help 2>&1 | head -n 1 | sed 's/ —.*//')

echo "# mamori benchmarks"
echo
echo "| | |"
echo "|---|---|"
echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
echo "| CPU | $cpu, $cores cores online (server and load generator share them) |"
echo "| OS | Debian $debian, Linux $(uname -r) |"
echo "| binary | \`$BIN_ARG\` ($version), meson buildtype=$buildtype, -O$optimization |"
echo "| load average at start | $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min; anything else running skews the figures) |"
echo "| tools | $(wrk -v 2>&1 | head -n 1 | awk '{ print $1, $2 }'), $(hyperfine --version), nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), sqlite3 $(sqlite3 --version | awk '{ print $1 }'), $(b2sum --version | head -n 1) |"
echo

# ---------------------------------------------------------------------------------------------
# the servers: mamori (default --threads) and nginx serving the same bytes with the same headers

note "setting up in $T"
"$BIN" init --data "$T/serve" >/dev/null 2>"$T/init-serve.log" || die "init failed: $(cat "$T/init-serve.log")"
start_mamori "$T/serve" "$T/serve.log"
MPID=$SPID
sleep 1
IDLE_RSS=$(rss_kb "$MPID" VmRSS)

# the largest script the UI references (index.html, then the scripts it names)
curl -s "$M/" >"$T/index.html"
assets=$(grep -o '/assets/[A-Za-z0-9._-]*\.js' "$T/index.html" | sort -u)
for a in $assets; do
	curl -s "$M$a" | grep -o '/\{0,1\}assets/[A-Za-z0-9._-]*\.js' | sed 's,^/*,/,' || true
done >"$T/assets.txt"
printf '%s\n' $assets >>"$T/assets.txt"
ASSET=""
asset_size=0
for a in $(sort -u "$T/assets.txt"); do
	s=$(curl -s -o /dev/null -w '%{size_download}' "$M$a")
	[ "$(http_code "$M$a")" = 200 ] || continue
	if [ "$s" -gt "$asset_size" ]; then
		ASSET=$a
		asset_size=$s
	fi
done
[ -n "$ASSET" ] || die "no /assets/*.js found in the UI's index.html"

mkdir -p "$T/nginx/www/assets"
curl -s -D "$T/h-healthz.txt" -o "$T/nginx/www/healthz" "$M/healthz"
curl -s -D "$T/h-asset.txt" -o "$T/nginx/www$ASSET" "$M$ASSET"
start_nginx "$(nginx_location /healthz "$T/h-healthz.txt")$(nginx_location "$ASSET" "$T/h-asset.txt")" /healthz
same_bytes "$T/nginx/www/healthz" /healthz
same_bytes "$T/nginx/www$ASSET" "$ASSET"

# ---------------------------------------------------------------------------------------------
# a. GET /healthz

note "a. GET /healthz"
wrk_pair A /healthz
A_MET=$(met "$A_RPS_M >= 30000")

echo "## a. GET /healthz, keep-alive, 32 connections (target ≥ 30,000 req/s)"
echo
echo "| server | bytes/response (headers + body) | req/s | p50 | p99 | errors |"
echo "|---|---|---:|---:|---:|---|"
echo "| mamori | $(sizes "$M/healthz") | $(fmt "$A_RPS_M") | $(ms "$A_P50_M") | $(ms "$A_P99_M") | ${A_ERR_M:-none} |"
echo "| nginx (static file, same body and headers) | $(sizes "$G/healthz") | $(fmt "$A_RPS_N") | $(ms "$A_P50_N") | $(ms "$A_P99_N") | ${A_ERR_N:-none} |"
echo
echo "mamori at $(calc "100 * $A_RPS_M / $A_RPS_N" | xargs printf '%.0f') % of nginx; target ≥ 30,000 req/s met: $A_MET"
echo
echo '```'
echo "$A_CMD_M"
echo "$A_CMD_N"
echo '```'
echo

# ---------------------------------------------------------------------------------------------
# b. the largest script of the UI

note "b. GET $ASSET"
wrk_pair B "$ASSET"
B_PCT=$(calc "100 * $B_RPS_M / $B_RPS_N")
LOAD_RSS=$(rss_kb "$MPID" VmRSS)
LOAD_HWM=$(rss_kb "$MPID" VmHWM)

echo "## b. GET $ASSET (the UI's largest script, $(fmt "$asset_size") bytes), keep-alive, 32 connections"
echo
echo "| server | bytes/response (headers + body) | req/s | MB/s | p50 | p99 | errors |"
echo "|---|---|---:|---:|---:|---:|---|"
echo "| mamori | $(sizes "$M$ASSET") | $(fmt "$B_RPS_M") | $(fmt "$(calc "$B_RPS_M * $asset_size / 1e6")") | $(ms "$B_P50_M") | $(ms "$B_P99_M") | ${B_ERR_M:-none} |"
echo "| nginx (same bytes, sendfile) | $(sizes "$G$ASSET") | $(fmt "$B_RPS_N") | $(fmt "$(calc "$B_RPS_N * $asset_size / 1e6")") | $(ms "$B_P50_N") | $(ms "$B_P99_N") | ${B_ERR_N:-none} |"
echo
echo "mamori at $(printf '%.0f' "$B_PCT") % of nginx's rate (no numeric target; the ledger-page target of design.md asks ≥ 50 % of nginx for the same bytes)"
echo
echo '```'
echo "$B_CMD_M"
echo "$B_CMD_N"
echo '```'
echo

stop_pid "$MPID"
stop_pid "$NGPID"

# ---------------------------------------------------------------------------------------------
# c. durable audited writes

note "c. $JOURNAL_N durable audited writes"
awk -v n="$JOURNAL_N" 'BEGIN { for (i = 1; i <= n; i++) printf "bench entry %d: backup checked, tape rotated\n", i }' >"$T/journal.txt"
JD=$T/journal-data
C_PREP_M="rm -rf $JD && $BIN init --data $JD >/dev/null"
C_CMD_M="$BIN journal add --stdin --data $JD < $T/journal.txt > /dev/null"
hf mamori-journal "$RUNS" 0 "$C_PREP_M" "$C_CMD_M"
C_T_M=$MEDIAN
got=$(sqlite3 "$JD/mamori.db" "SELECT count(*) FROM journal_entry")
[ "$got" -eq "$JOURNAL_N" ] || die "journal add stored $got entries, not $JOURNAL_N"

# the reference: the same rows, a similar table, one transaction per row (sqlite3's autocommit)
cat >"$T/ref-schema.sql" <<'EOF'
PRAGMA journal_mode=WAL;
CREATE TABLE journal_entry (id INTEGER PRIMARY KEY AUTOINCREMENT, recorded_at TEXT NOT NULL,
	author TEXT NOT NULL, category TEXT NOT NULL, body TEXT NOT NULL) STRICT;
CREATE INDEX journal_entry_recorded_at ON journal_entry (recorded_at);
CREATE TABLE audit_event (seq INTEGER PRIMARY KEY, started_at TEXT NOT NULL, ended_at TEXT NOT NULL,
	actor TEXT NOT NULL, action TEXT NOT NULL, target_type TEXT NOT NULL, target_id TEXT NOT NULL,
	access TEXT NOT NULL, outcome TEXT NOT NULL, client TEXT NOT NULL, details TEXT NOT NULL,
	prev_hash TEXT NOT NULL, hash TEXT NOT NULL) STRICT;
EOF
{
	echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	awk '{ gsub(/\047/, "\047\047"); printf "INSERT INTO journal_entry (recorded_at, author, category, body) VALUES (strftime(\047%%Y-%%m-%%dT%%H:%%M:%%fZ\047), \047cli:bench\047, \047other\047, \047%s\047);\n", $0 }' "$T/journal.txt"
} >"$T/ref-1row.sql"
# a second reference closer to what mamori writes: the entry and an audit row (with stand-in
# hashes) in one explicit transaction
{
	echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	awk '{ gsub(/\047/, "\047\047"); h = sprintf("%064d", NR)
		printf "BEGIN; INSERT INTO journal_entry (recorded_at, author, category, body) VALUES (strftime(\047%%Y-%%m-%%dT%%H:%%M:%%fZ\047), \047cli:bench\047, \047other\047, \047%s\047);", $0
		printf " INSERT INTO audit_event VALUES (NULL, strftime(\047%%Y-%%m-%%dT%%H:%%M:%%fZ\047), strftime(\047%%Y-%%m-%%dT%%H:%%M:%%fZ\047), \047cli:bench\047, \047journal.add\047, \047journal_entry\047, last_insert_rowid(), \047create\047, \047success\047, \047local\047, \047{\"category\":\"other\",\"chars\":%d}\047, \047%s\047, \047%s\047); COMMIT;\n", length($0), h, h }' "$T/journal.txt"
} >"$T/ref-2row.sql"
REF=$T/ref.db
C_PREP_S="rm -f $REF $REF-wal $REF-shm && sqlite3 $REF < $T/ref-schema.sql > /dev/null"
C_CMD_S1="sqlite3 $REF < $T/ref-1row.sql > /dev/null"
C_CMD_S2="sqlite3 $REF < $T/ref-2row.sql > /dev/null"
hf sqlite-1row "$RUNS" 0 "$C_PREP_S" "$C_CMD_S1"
C_T_S1=$MEDIAN
[ "$(sqlite3 "$REF" "SELECT count(*) FROM journal_entry")" -eq "$JOURNAL_N" ] || die "the sqlite3 reference lost rows"
hf sqlite-2row "$RUNS" 0 "$C_PREP_S" "$C_CMD_S2"
C_T_S2=$MEDIAN
[ "$(sqlite3 "$REF" "SELECT count(*) FROM audit_event")" -eq "$JOURNAL_N" ] || die "the sqlite3 reference lost rows"

C_R_M=$(calc "$JOURNAL_N / $C_T_M")
C_R_S1=$(calc "$JOURNAL_N / $C_T_S1")
C_R_S2=$(calc "$JOURNAL_N / $C_T_S2")
C_PCT=$(calc "100 * $C_R_M / $C_R_S1")
C_MET=$(met "$C_R_M >= 0.5 * $C_R_S1")

echo "## c. durable audited writes: $(fmt "$JOURNAL_N") entries, one transaction each, WAL + synchronous=FULL (target ≥ 50 % of sqlite3)"
echo
echo "| writer | rows per transaction | median time ($RUNS runs) | entries/s | mamori vs this |"
echo "|---|---|---:|---:|---:|"
echo "| mamori journal add --stdin | journal_entry + hash-chained audit_event | $(fmt "$C_T_M" 3) s | $(fmt "$C_R_M") | — |"
echo "| sqlite3, plain inserts (the reference) | journal_entry | $(fmt "$C_T_S1" 3) s | $(fmt "$C_R_S1") | $(printf '%.0f' "$C_PCT") % |"
echo "| sqlite3, entry + audit row (stand-in hashes) | journal_entry + audit_event | $(fmt "$C_T_S2" 3) s | $(fmt "$C_R_S2") | $(calc "100 * $C_R_M / $C_R_S2" | xargs printf '%.0f') % |"
echo
echo "target ≥ 50 % of plain sqlite3 inserts met: $C_MET (the times include starting the process and opening the database)"
echo
echo '```'
echo "hyperfine --runs $RUNS --prepare '$C_PREP_M' '$C_CMD_M'"
echo "hyperfine --runs $RUNS --prepare '$C_PREP_S' '$C_CMD_S1'"
echo "hyperfine --runs $RUNS --prepare '$C_PREP_S' '$C_CMD_S2'"
echo '```'
echo

# ---------------------------------------------------------------------------------------------
# d. audit verify

note "d. generating a trail of $AUDIT_EVENTS events (journal add --stdin, durable writes)"
AD=$T/audit-data
"$BIN" init --data "$AD" >/dev/null 2>"$T/init-audit.log" || die "init failed: $(cat "$T/init-audit.log")"
have=$(sqlite3 "$AD/mamori.db" "SELECT count(*) FROM audit_event")
t0=$(now_ns)
awk -v n="$((AUDIT_EVENTS - have))" 'BEGIN { for (i = 1; i <= n; i++) printf "trail entry %d: checked the server room door log, nothing unusual\n", i }' |
	"$BIN" journal add --stdin --data "$AD" >/dev/null
t1=$(now_ns)
GEN_S=$(calc "($t1 - $t0) / 1e9")
EVENTS=$(sqlite3 "$AD/mamori.db" "SELECT count(*) FROM audit_event")
# the bytes the chain hashes: a version tag and 12 fields, each with a 4-byte length
HASHED=$(sqlite3 "$AD/mamori.db" "SELECT sum(19 + 12 * 4 + length(CAST(prev_hash AS BLOB)) + length(CAST(seq AS TEXT))
	+ length(CAST(started_at AS BLOB)) + length(CAST(ended_at AS BLOB)) + length(CAST(actor AS BLOB))
	+ length(CAST(action AS BLOB)) + length(CAST(target_type AS BLOB)) + length(CAST(target_id AS BLOB))
	+ length(CAST(access AS BLOB)) + length(CAST(outcome AS BLOB)) + length(CAST(client AS BLOB))
	+ length(CAST(details AS BLOB))) FROM audit_event")
# the reference input: every event row's text, exported
sqlite3 "$AD/mamori.db" "SELECT seq, started_at, ended_at, actor, action, target_type, target_id, access,
	outcome, client, details, prev_hash, hash FROM audit_event ORDER BY seq" >"$T/events.txt"
EXPORT_BYTES=$(stat -c %s "$T/events.txt")
"$BIN" audit verify --data "$AD" >"$T/verify.txt" 2>&1 || die "audit verify failed: $(cat "$T/verify.txt")"
note "d. verify"
D_CMD_M="$BIN audit verify --data $AD"
hf mamori-verify 5 1 "" "$D_CMD_M"
D_T_M=$MEDIAN
D_CMD_B="b2sum $T/events.txt"
hf b2sum 10 2 "" "$D_CMD_B"
D_T_B=$MEDIAN
D_MBS_M=$(calc "$HASHED / $D_T_M / 1e6")
D_MBS_B=$(calc "$EXPORT_BYTES / $D_T_B / 1e6")
D_PCT=$(calc "100 * $D_MBS_M / $D_MBS_B")
D_MET=$(met "$D_MBS_M >= 0.5 * $D_MBS_B")

echo "## d. audit verify over $(fmt "$EVENTS") events (target ≥ 50 % of b2sum's throughput)"
echo
echo "| | bytes | median time | MB/s | events/s |"
echo "|---|---:|---:|---:|---:|"
echo "| mamori audit verify (reads the database, BLAKE2b-256 per event, checkpoint signatures) | $(fmt "$HASHED") hashed | $(fmt "$(calc "$D_T_M * 1000")" 1) ms | $(fmt "$D_MBS_M" 1) | $(fmt "$(calc "$EVENTS / $D_T_M")") |"
echo "| b2sum over the exported event rows (the reference) | $(fmt "$EXPORT_BYTES") | $(fmt "$(calc "$D_T_B * 1000")" 1) ms | $(fmt "$D_MBS_B" 1) | $(fmt "$(calc "$EVENTS / $D_T_B")") |"
echo
echo "mamori at $(printf '%.0f' "$D_PCT") % of b2sum; target ≥ 50 % met: $D_MET. $(head -n 1 "$T/verify.txt" | cut -c 1-60)…"
echo "Generating the trail (one durable transaction per event) took $(fmt "$GEN_S" 1) s, $(fmt "$(calc "($EVENTS - $have) / $GEN_S")") events/s."
echo
echo '```'
echo "awk ... | $BIN journal add --stdin --data $AD > /dev/null   # $(fmt "$((EVENTS - have))") entries"
echo "hyperfine -N --warmup 1 --runs 5 '$D_CMD_M'"
echo "sqlite3 $AD/mamori.db 'SELECT seq, ..., hash FROM audit_event ORDER BY seq' > $T/events.txt"
echo "hyperfine -N --warmup 2 --runs 10 '$D_CMD_B'"
echo '```'
echo

# ---------------------------------------------------------------------------------------------
# e. footprint

note "e. footprint ($READY_RUNS starts)"
SIZE=$(stat -c %s "$BIN")
free_port
RPORT=$PORT
: >"$T/ready.txt"
run=0
while [ $run -lt "$READY_RUNS" ]; do
	t0=$(now_ns)
	spawn_mamori "$T/serve" "$RPORT" "$T/ready-serve.log"
	until [ "$(http_code "http://127.0.0.1:$RPORT/healthz")" = 200 ]; do
		alive "$SPID" || die "mamori serve exited: $(cat "$T/ready-serve.log")"
	done
	t1=$(now_ns)
	echo $(((t1 - t0) / 1000)) >>"$T/ready.txt"
	stop_pid "$SPID"
	run=$((run + 1))
done
# what one poll costs (curl's own start and request against a running server)
spawn_mamori "$T/serve" "$RPORT" "$T/ready-serve.log"
wait_200 "http://127.0.0.1:$RPORT/healthz" "$SPID" "$T/ready-serve.log"
: >"$T/poll.txt"
run=0
while [ $run -lt 10 ]; do
	t0=$(now_ns)
	http_code "http://127.0.0.1:$RPORT/healthz" >/dev/null
	t1=$(now_ns)
	echo $(((t1 - t0) / 1000)) >>"$T/poll.txt"
	run=$((run + 1))
done
stop_pid "$SPID"
median() {
	sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
READY_MS=$(calc "$(median "$T/ready.txt") / 1000")
READY_MIN=$(calc "$(sort -n "$T/ready.txt" | head -n 1) / 1000")
READY_MAX=$(calc "$(sort -n "$T/ready.txt" | tail -n 1) / 1000")
POLL_MS=$(calc "$(median "$T/poll.txt") / 1000")

echo "## e. footprint"
echo
echo "| measure | target | figure | met |"
echo "|---|---|---:|---|"
echo "| binary size (UI inside) | ≤ 10 MB | $(fmt "$SIZE") bytes ($(fmt "$(calc "$SIZE / 1048576")" 2) MiB) | $(met "$SIZE <= 10 * 1048576") |"
echo "| idle RSS of mamori serve, 1 s after the first 200 | ≤ 30 MB | $(fmt "$IDLE_RSS") kB | $(met "$IDLE_RSS <= 30 * 1024") |"
echo "| RSS after a and b (peak VmHWM) | — | $(fmt "$LOAD_RSS") kB (peak $(fmt "$LOAD_HWM") kB) | — |"
echo "| exec → first 200 on /healthz, median of $READY_RUNS (min–max) | ≤ 100 ms | $(fmt "$READY_MS" 1) ms ($(fmt "$READY_MIN" 1)–$(fmt "$READY_MAX" 1)) | $(met "$READY_MS <= 100") |"
echo
echo "The ready time is measured from a shell: a timestamp, the server started in the background, then"
echo "curl polled without pause until the first 200, then a timestamp; one curl poll against a running"
echo "server costs $(fmt "$POLL_MS" 1) ms (median of 10), which is included in the figure."
echo
echo '```'
echo "stat -c %s $BIN"
echo "$BIN serve --data $T/serve --listen 127.0.0.1:PORT & ... awk '/VmRSS/' /proc/\$!/status"
echo "t0=\$(date +%s%N); $BIN serve --data $T/serve --listen 127.0.0.1:PORT &"
echo "until [ \"\$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:PORT/healthz)\" = 200 ]; do :; done; t1=\$(date +%s%N)"
echo '```'
echo

# ---------------------------------------------------------------------------------------------
# summary

echo "## summary"
echo
echo "| measure | target | mamori | reference | met |"
echo "|---|---|---:|---:|---|"
echo "| a. GET /healthz, wrk -t1 -c32 | ≥ 30,000 req/s | $(fmt "$A_RPS_M") req/s, p99 $(ms "$A_P99_M") | nginx $(fmt "$A_RPS_N") req/s, p99 $(ms "$A_P99_N") | $A_MET |"
echo "| b. largest UI script, wrk -t1 -c32 | — | $(fmt "$B_RPS_M") req/s, p99 $(ms "$B_P99_M") | nginx $(fmt "$B_RPS_N") req/s, p99 $(ms "$B_P99_N") | ($(printf '%.0f' "$B_PCT") % of nginx) |"
echo "| c. durable audited writes | ≥ 50 % of sqlite3 | $(fmt "$C_R_M") entries/s | sqlite3 $(fmt "$C_R_S1") rows/s | $C_MET ($(printf '%.0f' "$C_PCT") %) |"
echo "| d. audit verify, $(fmt "$EVENTS") events | ≥ 50 % of b2sum | $(fmt "$D_MBS_M" 1) MB/s | b2sum $(fmt "$D_MBS_B" 1) MB/s | $D_MET ($(printf '%.0f' "$D_PCT") %) |"
echo "| e. binary size | ≤ 10 MB | $(fmt "$(calc "$SIZE / 1048576")" 2) MiB | — | $(met "$SIZE <= 10 * 1048576") |"
echo "| e. idle RSS | ≤ 30 MB | $(fmt "$(calc "$IDLE_RSS / 1024")" 1) MiB | — | $(met "$IDLE_RSS <= 30 * 1024") |"
echo "| e. ready to serve | ≤ 100 ms | $(fmt "$READY_MS" 1) ms | — | $(met "$READY_MS <= 100") |"
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
echo

# ---------------------------------------------------------------------------------------------
# f-h. the ledgers (a script of its own: it needs its own data directories and a session)

if [ "${BENCH_REGISTERS:-1}" != 0 ]; then
	note "f-h. the ledgers: bench/registers.sh"
	"$(dirname "$0")/registers.sh" "$BIN" || die "bench/registers.sh failed"
fi

# ---------------------------------------------------------------------------------------------
# i-l. the My Number vault (a script of its own, like the ledgers)

if [ "${BENCH_MYNUMBER:-1}" != 0 ]; then
	note "i-l. the My Number vault: bench/mynumber.sh"
	"$(dirname "$0")/mynumber.sh" "$BIN" || die "bench/mynumber.sh failed"
fi
note "done"
