#!/bin/sh
# The ledger benchmarks behind docs/performance.md, "Ledgers" (design.md, "Performance targets"):
#
#   bench/registers.sh build/mamori      (bench/run.sh runs it after its own measures)
#
#   f. 100,000 assets loaded through POST /api/registers/assets/import (timed), then, with
#      wrk -t2 -c64 (keep-alive, the officer's session cookie):
#        the list page (per_page=50, default sort), page 1000, a search matching 1 % of the rows,
#        a search matching none, a filtered and sorted list; nginx serving a static file of the
#        same bytes as the 50-row page (the reference); the CSV and XLSX export (hyperfine, curl)
#   g. growth: the list page and the two searches with one connection (wrk -t1 -c1: the service
#      time of one request) at 10,000, 100,000 and 1,000,000 assets
#   h. the query plans of the SQL the engine runs for these requests (EXPLAIN QUERY PLAN)
#
# The 10,000-row ledger is imported through the API as well. The 1,000,000-row ledger is a copy of
# the 100,000-row data directory and nine more API imports of 100,000 rows each (each timed; about
# 75 s; the database grows to about 2.3 GB, mostly history and audit rows). BENCH_GROWTH_LOAD=sql
# writes the 900,000 rows with sqlite3 straight into reg_assets instead (same columns and value
# distribution, no history or audit rows; about 10 s).
#
# Everything lives in one temporary directory; every process started here is stopped on exit. No
# network access is needed (only 127.0.0.1). Needs wrk, hyperfine, nginx, sqlite3, curl and
# oathtool (the officer must enrol TOTP before reading a ledger). Takes about 5 to 6 minutes and
# about 2.5 GB in TMPDIR. It first waits (up to 10 min) while bench/mynumber.sh runs: two
# benchmarks on the same 2 cores skew each other.
#
# The data directories' policy.ini gets idle_timeout = 1h (instead of the profile's 5 min) so the
# one session survives the pauses between measures; nothing else of the profile is changed.
#
# Knobs (environment): BENCH_DURATION (wrk duration, default 10s), BENCH_RUNS (hyperfine runs of
# the exports, 3), BENCH_GROWTH (1; 0 skips g), BENCH_GROWTH_LOAD (import or sql).
set -eu

START=$(date +%s)
. "$(dirname "$0")/lib.sh"

bench_bin registers.sh "$@"

DURATION=${BENCH_DURATION:-10s}
RUNS=${BENCH_RUNS:-3}
GROWTH=${BENCH_GROWTH:-1}
GROWTH_LOAD=${BENCH_GROWTH_LOAD:-import}
case $GROWTH_LOAD in sql | import) ;; *) die "BENCH_GROWTH_LOAD must be sql or import" ;; esac

PATH=$PATH:/usr/sbin:/sbin
need wrk hyperfine nginx sqlite3 curl awk sed date
command -v oathtool >/dev/null 2>&1 || die "oathtool is missing (apt-get install oathtool; scripts/deps.sh test installs it)"

bench_tmpdir mamori-bench-reg
bench_copy_bin

# ---------------------------------------------------------------------------------------------
# helpers (the shared ones are in bench/lib.sh)

# json_matches NAME: the total as the tables show it ("10,000 or more" when the engine capped it)
json_matches() {
	if grep -q '"total_capped":true' "$T/$1.json"; then
		echo "$(fmt "$(json_total "$1")") or more"
	else
		fmt "$(json_total "$1")"
	fi
}

# ---------------------------------------------------------------------------------------------
# the data: assets CSV as the import takes it (field names as the header row, values as typed)

cat >"$T/gen.awk" <<'EOF'
# awk -v from=1 -v n=100000 -f gen.awk: rows from..from+n-1 of the benchmark's asset ledger.
# Asset numbers A000000-A999999 are a permutation of the row number (not in insert order); every
# 100th row (row % 100 == 7) has "payroll" in its name, the 1 % search term; no row has "zzqx".
BEGIN {
	split("人事 経理 営業 総務 製造 開発 購買 品質", area, " ")
	split("人事部 経理部 営業部 総務部 製造部 開発部 購買部 品質保証部", dept, " ")
	split("社員名簿 請求書控 見積書 契約書 設計図面 議事録 取引先一覧 作業手順書 購買記録 検査記録 給与台帳 顧客リスト", kind, " ")
	split("paper pc server cloud portable mobile other", medium, " ")
	split("施錠キャビネット fs01共有フォルダ クラウドストレージ 事務所PC 書庫 金庫", loc, " ")
	print "asset_no,business_area,name,notes,department,manager,handling_department,user_scope,medium,storage_location,personal_info,sensitive_info,mynumber,confidentiality,integrity,availability,retention,retention_end,threat,vulnerability"
	for (i = from; i < from + n; i++) {
		k = (i * 7919) % 1000000
		a = i % 8 + 1
		d = int(i / 8) % 8 + 1
		nm = kind[i % 12 + 1] " " i
		if (i % 100 == 7) nm = nm " payroll"
		printf "A%06d,%s,%s,%s,%s,E%04d,%s,%s部員,%s,%s %d,%d,%d,%d,%d,%d,%d,%d年,20%02d-03-31,%d,%d\n",
			k, area[a], nm, (i % 10 == 0) ? "年1回棚卸で確認" : "", dept[d], i % 40 + 1, (i % 3 ? "" : dept[a]),
			area[d], medium[i % 7 + 1], loc[i % 6 + 1], i % 97, i % 2, (i % 13 == 0), 0, i % 3, int(i / 3) % 3,
			int(i / 9) % 3, i % 10 + 1, 27 + i % 10, i % 3 + 1, int(i / 7) % 3 + 1
	}
}
EOF
gen() { # gen FROM N FILE
	awk -v from="$1" -v n="$2" -f "$T/gen.awk" >"$3"
}

NEWPW='Kx7#mQ2v!Lp9zR'
# new_data DIR: mamori init, idle_timeout 1h, 40 people E0001-E0040 (the asset owners); sets OTP
new_data() {
	"$BIN" init --data "$1" >"$T/init.txt" 2>&1 || die "init failed: $(cat "$T/init.txt")"
	OTP=$(awk '$1 == "password:" { print $2 }' "$T/init.txt")
	[ -n "$OTP" ] || die "init printed no one-time password"
	sed -i 's/^idle_timeout *=.*$/idle_timeout = 1h | bench\/registers.sh (the profile says 5min)/' "$1/policy.ini"
	grep -q '^idle_timeout = 1h' "$1/policy.ini" || die "cannot set idle_timeout in $1/policy.ini"
	i=1
	while [ $i -le 40 ]; do
		"$BIN" people add --data "$1" --employee-no "$(printf 'E%04d' $i)" --name "社員 $i" --kana "シャイン" \
			--type regular --department 総務部 --joined 2020-04-01 >/dev/null 2>"$T/people.txt" ||
			die "people add failed: $(cat "$T/people.txt")"
		i=$((i + 1))
	done
}
# import_csv FILE ROWS: POST /api/registers/assets/import; sets IMPORT_S
import_csv() {
	c=$(curl -s -o "$T/import.json" -w '%{http_code} %{time_total}' -H "Cookie: $COOKIE" -H "X-CSRF-Token: $CSRF" \
		-H 'Content-Type: text/csv' --data-binary "@$1" "$M/api/registers/assets/import")
	[ "${c%% *}" = 200 ] || die "import of $1 answered ${c%% *}: $(head -c 500 "$T/import.json")"
	grep -q "\"imported\":$2}" "$T/import.json" || die "import of $1: $(cat "$T/import.json")"
	IMPORT_S=${c#* }
}

L=/api/registers/assets/records
Q_LIST="$L?per_page=50"
Q_P1000="$L?per_page=50&page=1000"
Q_S1="$L?q=payroll"
Q_S0="$L?q=zzqxnone"
Q_FS="$L?medium=cloud&sort=-risk_value"

# ---------------------------------------------------------------------------------------------

# another benchmark on the same 2 cores would skew both: wait (up to 10 min) while one runs
other_bench() {
	for ob_p in $(pgrep -f 'bench/mynumber\.sh' 2>/dev/null || true); do
		[ "$ob_p" = $$ ] || printf ' %s' "$ob_p"
	done
}
ob_i=0
while [ -n "$(other_bench)" ] && [ $ob_i -lt 60 ]; do
	[ $ob_i -gt 0 ] || note "waiting while another benchmark runs (pid$(other_bench))"
	sleep 10
	ob_i=$((ob_i + 1))
done
[ -z "$(other_bench)" ] || note "another benchmark is still running (pid$(other_bench)): the figures are skewed"

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc)
version=$("$BIN" --help 2>&1 | head -n 1 | sed 's/ —.*//')
echo "# mamori ledger benchmarks"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $cpu, $cores cores online; \`$BIN_ARG\` ($version);"
echo "load average at start $(cut -d' ' -f1-3 /proc/loadavg); $(wrk -v 2>&1 | head -n 1 | awk '{ print $1, $2 }'), $(hyperfine --version), nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), sqlite3 $(sqlite3 --version | awk '{ print $1 }')"
echo

note "setting up in $T"
chmod 711 "$T" # nginx's worker may run as nobody: it must reach $T/nginx/www
gen 1 100000 "$T/assets-100k.csv"
gen 1 10000 "$T/assets-10k.csv"

D100=$T/d100k
new_data "$D100"
start_mamori "$D100" "$T/serve-100k.log"
MPID=$SPID
sign_in officer "$OTP" "$NEWPW"
COOKIE100=$COOKIE CSRF100=$CSRF # the 1,000,000-row copy keeps this session
note "importing 100,000 assets through the API"
import_csv "$T/assets-100k.csv" 100000
IMP100_S=$IMPORT_S
CSV100_BYTES=$(stat -c %s "$T/assets-100k.csv")
DB100_BYTES=$(stat -c %s "$D100/mamori.db")
REG100_BYTES=$(sqlite3 "$D100/mamori.db" "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'reg_assets%'" 2>/dev/null || echo 0)

get list "$M$Q_LIST"
get p1000 "$M$Q_P1000"
get s1 "$M$Q_S1"
get s0 "$M$Q_S0"
get fs "$M$Q_FS"
[ "$(json_total list)" = 100000 ] || die "the list says total $(json_total list), not 100000"
S1_TOTAL=$(json_total s1)
S0_TOTAL=$(json_total s0)
FS_TOTAL=$(json_matches fs)
[ "$S1_TOTAL" = 1000 ] || die "q=payroll matches $S1_TOTAL rows, not 1000"
[ "$S0_TOTAL" = 0 ] || die "q=zzqxnone matches $S0_TOTAL rows"

# nginx: a static file holding the exact bytes of the 50-row page, with mamori's headers
start_nginx_file "$T/list.json" "$T/h-list.txt"
SZ_M=$(sizes "$M$Q_LIST")
SZ_N=$(sizes "$G/page.json")

# ---------------------------------------------------------------------------------------------
# f. 64 connections

note "f. wrk -t2 -c64"
wrk_run list 2 64 "$M$Q_LIST"
F_CMD_L=$WCMD F_RPS_L=$RPS F_P50_L=$P50 F_P99_L=$P99 F_ERR_L=$WERR
wrk_run p1000 2 64 "$M$Q_P1000"
F_CMD_P=$WCMD F_RPS_P=$RPS F_P50_P=$P50 F_P99_P=$P99 F_ERR_P=$WERR
wrk_run s1 2 64 "$M$Q_S1"
F_CMD_S1=$WCMD F_RPS_S1=$RPS F_P50_S1=$P50 F_P99_S1=$P99 F_ERR_S1=$WERR F_N_S1=$NREQ
wrk_run s0 2 64 "$M$Q_S0"
F_CMD_S0=$WCMD F_RPS_S0=$RPS F_P50_S0=$P50 F_P99_S0=$P99 F_ERR_S0=$WERR F_N_S0=$NREQ
wrk_run fs 2 64 "$M$Q_FS"
F_CMD_FS=$WCMD F_RPS_FS=$RPS F_P50_FS=$P50 F_P99_FS=$P99 F_ERR_FS=$WERR
# the reference: nginx (wrk_run's warm-up and quiesce act on SPID; point it at nginx)
SPID_SAVE=$SPID
SPID=$NGPID
wrk_run nginx 2 64 "$G/page.json"
F_CMD_N=$(echo "$WCMD" | sed "s/ -H 'Cookie: \\\$COOKIE'//")
F_RPS_N=$RPS F_P50_N=$P50 F_P99_N=$P99 F_ERR_N=$WERR
SPID=$SPID_SAVE
stop_pid "$NGPID"
F_PCT=$(calc "100 * $F_RPS_L / $F_RPS_N")
F_MET_P99=$(met "$F_P99_L <= 20 && \"$F_ERR_L\" == \"\"")
F_MET_RATE=$(met "$F_RPS_L >= 0.5 * $F_RPS_N")
F_MET_S1=$(met "$F_P99_S1 <= 50 && \"$F_ERR_S1\" == \"\"")
F_MET_S0=$(met "$F_P99_S0 <= 50 && \"$F_ERR_S0\" == \"\"")

# exports
note "f. exports"
XCMD_CSV="curl -s -f -o /dev/null -H 'Cookie: \$COOKIE' '$M/api/registers/assets/export?format=csv'"
XCMD_XLSX="curl -s -f -o /dev/null -H 'Cookie: \$COOKIE' '$M/api/registers/assets/export?format=xlsx'"
get exp-csv "$M/api/registers/assets/export?format=csv"
mv "$T/exp-csv.json" "$T/export.csv"
get exp-xlsx "$M/api/registers/assets/export?format=xlsx"
mv "$T/exp-xlsx.json" "$T/export.xlsx"
EXP_CSV_BYTES=$(stat -c %s "$T/export.csv")
EXP_XLSX_BYTES=$(stat -c %s "$T/export.xlsx")
EXP_ROWS=$(($(wc -l <"$T/export.csv") - 1))
hyperfine --style basic -N --runs "$RUNS" --warmup 1 --export-csv "$T/hf-csv.csv" -n csv \
	"curl -s -f -o /dev/null -H 'Cookie: $COOKIE' '$M/api/registers/assets/export?format=csv'" >&2
EXP_CSV_S=$(awk -F, 'NR == 2 { print $4 }' "$T/hf-csv.csv")
hyperfine --style basic -N --runs "$RUNS" --warmup 1 --export-csv "$T/hf-xlsx.csv" -n xlsx \
	"curl -s -f -o /dev/null -H 'Cookie: $COOKIE' '$M/api/registers/assets/export?format=xlsx'" >&2
EXP_XLSX_S=$(awk -F, 'NR == 2 { print $4 }' "$T/hf-xlsx.csv")
HWM100=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$MPID/status")

echo "## f. ledger list and search with 100,000 assets, keep-alive, wrk -t2 -c64"
echo
echo "Loaded through \`POST /api/registers/assets/import\` (one CSV of 100,000 rows, $(fmt "$CSV100_BYTES") bytes, every row or none):"
echo "**$(fmt "$IMP100_S" 1) s**, $(fmt "$(calc "100000 / $IMP100_S")") rows/s (each row validated and written with its history row and its audit event, in one transaction)."
echo "Database after the import: $(fmt "$DB100_BYTES") bytes, of which reg_assets and its indexes $(fmt "$REG100_BYTES")."
echo
echo "| request | matches | bytes/response (headers + body) | req/s | p50 | p99 | errors |"
echo "|---|---:|---|---:|---:|---:|---|"
echo "| list page: \`per_page=50\` (default sort asset_no) | 100,000 | $SZ_M | $(fmt "$F_RPS_L") | $(ms "$F_P50_L") | $(ms "$F_P99_L") | ${F_ERR_L:-none} |"
echo "| nginx, static file of the same bytes (the reference) | — | $SZ_N | $(fmt "$F_RPS_N") | $(ms "$F_P50_N") | $(ms "$F_P99_N") | ${F_ERR_N:-none} |"
echo "| page 1000: \`per_page=50&page=1000\` | 100,000 | $(curl -s -o /dev/null -w '%{size_header} + %{size_download}' -H "Cookie: $COOKIE" "$M$Q_P1000") | $(fmt "$F_RPS_P") | $(ms "$F_P50_P") | $(ms "$F_P99_P") | ${F_ERR_P:-none} |"
echo "| search 1 %: \`q=payroll\` | $(fmt "$S1_TOTAL") | $(curl -s -o /dev/null -w '%{size_header} + %{size_download}' -H "Cookie: $COOKIE" "$M$Q_S1") | $(fmt "$F_RPS_S1" 1) | $(ms "$F_P50_S1") | $(ms "$F_P99_S1") | ${F_ERR_S1:-none} ($F_N_S1 requests) |"
echo "| search, no match: \`q=zzqxnone\` | 0 | $(curl -s -o /dev/null -w '%{size_header} + %{size_download}' -H "Cookie: $COOKIE" "$M$Q_S0") | $(fmt "$F_RPS_S0" 1) | $(ms "$F_P50_S0") | $(ms "$F_P99_S0") | ${F_ERR_S0:-none} ($F_N_S0 requests) |"
echo "| filter and sort: \`medium=cloud&sort=-risk_value\` | $FS_TOTAL | $(curl -s -o /dev/null -w '%{size_header} + %{size_download}' -H "Cookie: $COOKIE" "$M$Q_FS") | $(fmt "$F_RPS_FS") | $(ms "$F_P50_FS") | $(ms "$F_P99_FS") | ${F_ERR_FS:-none} |"
echo
echo "List page: p99 ≤ 20 ms met: $F_MET_P99; ≥ 50 % of nginx's rate met: $F_MET_RATE ($(printf '%.0f' "$F_PCT") %)."
echo "Search: p99 ≤ 50 ms met: $F_MET_S1 (1 %), $F_MET_S0 (no match)."
echo
echo "| export of the 100,000 rows | bytes | median of $RUNS (curl, whole download) | rows/s |"
echo "|---|---:|---:|---:|"
echo "| \`export?format=csv\` | $(fmt "$EXP_CSV_BYTES") | $(fmt "$EXP_CSV_S" 2) s | $(fmt "$(calc "$EXP_ROWS / $EXP_CSV_S")") |"
echo "| \`export?format=xlsx\` | $(fmt "$EXP_XLSX_BYTES") | $(fmt "$EXP_XLSX_S" 2) s | $(fmt "$(calc "$EXP_ROWS / $EXP_XLSX_S")") |"
echo
echo "Peak RSS of mamori serve after these measures (VmHWM): $(fmt "$HWM100") kB."
echo
echo '```'
echo "curl -H 'Cookie: \$COOKIE' -H 'X-CSRF-Token: \$CSRF' -H 'Content-Type: text/csv' --data-binary @assets-100k.csv $M/api/registers/assets/import"
echo "$F_CMD_L"
echo "$F_CMD_N"
echo "$F_CMD_P"
echo "$F_CMD_S1"
echo "$F_CMD_S0"
echo "$F_CMD_FS"
echo "hyperfine -N --runs $RUNS --warmup 1 \"$XCMD_CSV\""
echo "hyperfine -N --runs $RUNS --warmup 1 \"$XCMD_XLSX\""
echo '```'
echo

# ---------------------------------------------------------------------------------------------
# g. growth: one connection

# growth_at LABEL: list page, search 1 %, search none with wrk -t1 -c1 at $M; sets G_<LABEL>_*
growth_at() {
	wrk_run "g$1-list" 1 1 "$M$Q_LIST"
	slow_run "g$1-list" "$M$Q_LIST"
	eval "G_$1_L50=$P50 G_$1_L99=$P99 G_$1_LN=\"$NREQ\" G_$1_LE=\"$WERR\""
	wrk_run "g$1-s1" 1 1 "$M$Q_S1"
	slow_run "g$1-s1" "$M$Q_S1"
	eval "G_$1_S150=$P50 G_$1_S199=$P99 G_$1_S1N=\"$NREQ\" G_$1_S1E=\"$WERR\""
	wrk_run "g$1-s0" 1 1 "$M$Q_S0"
	slow_run "g$1-s0" "$M$Q_S0"
	eval "G_$1_S050=$P50 G_$1_S099=$P99 G_$1_S0N=\"$NREQ\" G_$1_S0E=\"$WERR\""
	G_CMD="wrk -t1 -c1 -d$DURATION --timeout 60s --latency -H 'Cookie: \$COOKIE' URL"
}

if [ "$GROWTH" = 1 ]; then
	note "g. growth at 100,000 rows"
	growth_at 100k
	stop_pid "$MPID"

	note "g. growth at 10,000 rows"
	D10=$T/d10k
	new_data "$D10"
	start_mamori "$D10" "$T/serve-10k.log"
	sign_in officer "$OTP" "$NEWPW"
	import_csv "$T/assets-10k.csv" 10000
	IMP10_S=$IMPORT_S
	get g10 "$M$Q_LIST"
	[ "$(json_total g10)" = 10000 ] || die "the 10k ledger says total $(json_total g10)"
	growth_at 10k
	stop_pid "$SPID"

	note "g. building 1,000,000 rows ($GROWTH_LOAD)"
	D1M=$T/d1m
	cp -a "$D100" "$D1M"
	rm -rf "$D100" "$D10"
	COOKIE=$COOKIE100 CSRF=$CSRF100
	if [ "$GROWTH_LOAD" = sql ]; then
		COLS="business_area, name, notes, department, manager, handling_department, user_scope, medium, storage_location,
			personal_info, sensitive_info, mynumber, confidentiality, integrity, availability, importance, retention,
			retention_end, threat, vulnerability, damage_likelihood, risk_value, created_at, created_by, updated_at, updated_by"
		# row i + k * 100000 copies row i (k = 1..9) under the asset number the generator gives it
		G_LOAD_CMD="INSERT INTO reg_assets (id, asset_no, ...) SELECT t.id + k * 100000, printf('A%06d', ((t.id + k * 100000) * 7919) % 1000000), ... FROM (k = 1..9), reg_assets t"
		t0=$(now_ns)
		sqlite3 "$D1M/mamori.db" >/dev/null <<EOF || die "the sqlite3 load failed"
PRAGMA journal_mode=WAL;
PRAGMA cache_size=-262144;
BEGIN;
WITH k(k) AS (VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9))
INSERT INTO reg_assets (id, asset_no, $COLS)
	SELECT t.id + k.k * 100000, printf('A%06d', ((t.id + k.k * 100000) * 7919) % 1000000), $COLS
	FROM k, reg_assets t WHERE t.id <= 100000 ORDER BY k.k, t.id;
COMMIT;
-- the rows bypassed the engine, so its search index lacks them: without its record, mamori makes it
-- again from the table when it opens the directory
DELETE FROM store_text_index WHERE tbl = 'reg_assets';
PRAGMA wal_checkpoint(TRUNCATE);
EOF
		t1=$(now_ns)
		G_LOAD_S=$(calc "($t1 - $t0) / 1e9")
		# any command that opens the directory makes the search index again (longer than the 10 s
		# start_mamori waits for the server)
		"$BIN" register list assets --data "$D1M" --per-page 1 >/dev/null || die "mamori could not open $D1M"
		G_INDEX_S=$(calc "($(now_ns) - $t1) / 1e9")
		G_LOAD_CMD="$G_LOAD_CMD; then the search index made again at open in $(fmt "$G_INDEX_S" 1) s"
		start_mamori "$D1M" "$T/serve-1m.log"
	else
		start_mamori "$D1M" "$T/serve-1m.log"
		: >"$T/imports.txt"
		t0=$(now_ns)
		f=1
		while [ $f -le 9 ]; do
			gen $((f * 100000 + 1)) 100000 "$T/assets-more.csv"
			import_csv "$T/assets-more.csv" 100000
			echo "$IMPORT_S" >>"$T/imports.txt"
			note "import $f of 9: $IMPORT_S s"
			f=$((f + 1))
		done
		t1=$(now_ns)
		G_LOAD_S=$(calc "($t1 - $t0) / 1e9")
		G_LOAD_CMD="9 × (awk -f gen.awk > assets-more.csv; curl ... --data-binary @assets-more.csv .../import): $(tr '\n' ' ' <"$T/imports.txt")s"
	fi
	DB1M_BYTES=$(stat -c %s "$D1M/mamori.db")
	get g1m "$M$Q_LIST"
	[ "$(json_total g1m)" = 1000000 ] || die "the 1M ledger says total $(json_total g1m)"
	get g1m-s1 "$M$Q_S1"
	[ "$(json_total g1m-s1)" = 10000 ] || die "q=payroll matches $(json_total g1m-s1) of 1M rows, not 10000"
	note "g. growth at 1,000,000 rows"
	growth_at 1m

	G_MET_L=$(met "$G_1m_L50 <= 2 * $G_10k_L50")
	G_MET_S1=$(met "$G_1m_S150 <= 2 * $G_10k_S150")
	G_MET_S0=$(met "$G_1m_S050 <= 2 * $G_10k_S050")
	row() { # row NAME P50_10k P99_10k P50_100k P99_100k P50_1m P99_1m N_1m ERR MET
		echo "| $1 | $(ms "$2") / $(ms "$3") | $(ms "$4") / $(ms "$5") | $(ms "$6") / $(ms "$7") | $(printf '%.1f' "$(calc "$6 / $2")")× | ${9:-none}; requests at 1M: $8 | ${10} |"
	}
	echo "## g. growth: one connection, p50 / p99 at 10,000, 100,000 and 1,000,000 assets (target: at 1,000,000 ≤ 2 × at 10,000)"
	echo
	echo "| request | 10,000 rows | 100,000 rows | 1,000,000 rows | 1M / 10k (p50) | errors | met |"
	echo "|---|---:|---:|---:|---:|---|---|"
	row "list page \`per_page=50\`" "$G_10k_L50" "$G_10k_L99" "$G_100k_L50" "$G_100k_L99" "$G_1m_L50" "$G_1m_L99" "$G_1m_LN" "$G_1m_LE" "$G_MET_L"
	row "search 1 % \`q=payroll\`" "$G_10k_S150" "$G_10k_S199" "$G_100k_S150" "$G_100k_S199" "$G_1m_S150" "$G_1m_S199" "$G_1m_S1N" "$G_1m_S1E" "$G_MET_S1"
	row "search, no match \`q=zzqxnone\`" "$G_10k_S050" "$G_10k_S099" "$G_100k_S050" "$G_100k_S099" "$G_1m_S050" "$G_1m_S099" "$G_1m_S0N" "$G_1m_S0E" "$G_MET_S0"
	echo
	echo "10,000 rows: a fresh data directory, one API import of $(fmt "$IMP10_S" 2) s. 1,000,000 rows: the 100,000-row"
	if [ "$GROWTH_LOAD" = sql ]; then
		how="by sqlite3 straight into reg_assets, no history or audit rows"
	else
		how="by nine API imports of 100,000 rows, $(fmt "$(calc "900000 / $G_LOAD_S")") rows/s"
	fi
	echo "data directory copied, then 900,000 rows added in $(fmt "$G_LOAD_S" 1) s ($how); database $(fmt "$DB1M_BYTES") bytes."
	echo
	echo '```'
	echo "$G_CMD   # URL: $M$Q_LIST, $M$Q_S1, $M$Q_S0"
	echo "$G_LOAD_CMD"
	echo '```'
	echo
	DBQ=$D1M/mamori.db
	PLAN_AT="1,000,000"
else
	stop_pid "$MPID"
	DBQ=$D100/mamori.db
	PLAN_AT="100,000"
fi

# ---------------------------------------------------------------------------------------------
# h. the query plans: the SQL of src/registers/list.c and rows.c for these requests

F="t.id, t.asset_no, t.business_area, t.name, t.notes, t.department, t.manager, t.handling_department, t.user_scope,
 t.medium, t.storage_location, t.personal_info, t.sensitive_info, t.mynumber, t.confidentiality, t.integrity,
 t.availability, t.importance, t.retention, t.retention_end, t.threat, t.vulnerability, t.damage_likelihood,
 t.risk_value, t.created_at, t.updated_at, (SELECT p.employee_no || ' ' || p.name FROM person p WHERE p.id = t.manager)"
SEL="SELECT $F FROM reg_assets t"
# a page selects its ids first, then reads and labels those rows (list.c run())
page() { # page WHERE ORDER LIMIT OFFSET
	echo "$SEL WHERE t.id IN (SELECT t.id FROM reg_assets t$1 $2 LIMIT $3 OFFSET $4) $2"
}
ORD="ORDER BY t.asset_no ASC, t.id ASC"
# a search of 3 or more characters reads the trigram index (src/store/sqlite.c, store_text_index_ids)
IDS1="SELECT rowid FROM fts_reg_assets WHERE fts_reg_assets MATCH '\"payroll\"'"
IDS0="SELECT rowid FROM fts_reg_assets WHERE fts_reg_assets MATCH '\"zzqxnone\"'"
plan() { # plan LABEL SQL
	echo "$1"
	echo
	echo '```'
	sqlite3 "$DBQ" "EXPLAIN QUERY PLAN $2" | sed 1d
	printf 'PRAGMA cache_size=-32768;\n.timer on\n%s;\n%s;\n' "$2" "$2" | sqlite3 "$DBQ" 2>&1 | awk '/^Run Time/ { print "-- run " ++n ": " substr($0, 11) }'
	echo '```'
	echo
}
echo "## h. query plans at $PLAN_AT rows (the SQL list.c builds, with the values written in; sqlite3 shell with the engine's 32 MiB page cache; two runs)"
echo
plan "count for the list page (every list request runs it):" "SELECT count(*) FROM reg_assets t"
plan "the list page (its first page of the whole ledger reads the rows straight from the index):" "$SEL $ORD LIMIT 50 OFFSET 0"
plan "page 1000:" "$(page "" "$ORD" 50 49950)"
plan "count for a search (the index's ids; it stops at 10,001):" "SELECT count(*) FROM ($IDS1 LIMIT 10001) c"
plan "the page of a search with few matches (the index's ids, their rows sorted):" \
	"$(page " WHERE t.id IN ($IDS1)" "$ORD" 50 0)"
plan "the page of a search with many matches (the sort order walked, each id checked in the index's set):" \
	"$(page " WHERE +t.id IN ($IDS1)" "$ORD" 50 0)"
plan "count and page of a search with no match:" "SELECT count(*) FROM ($IDS0 LIMIT 10001) c"
plan "filter and sort:" "$(page " WHERE t.medium = 'cloud'" "ORDER BY t.risk_value DESC, t.id DESC" 50 0)"

# ---------------------------------------------------------------------------------------------

echo "## summary (ledgers)"
echo
echo "| measure | target | mamori | reference | met |"
echo "|---|---|---:|---:|---|"
echo "| list page, 100,000 assets, wrk -t2 -c64 | p99 ≤ 20 ms | p99 $(ms "$F_P99_L"), $(fmt "$F_RPS_L") req/s | — | $F_MET_P99 |"
echo "| list page, same bytes as nginx | ≥ 50 % of nginx | $(fmt "$F_RPS_L") req/s | nginx $(fmt "$F_RPS_N") req/s | $F_MET_RATE ($(printf '%.0f' "$F_PCT") %) |"
echo "| search 1 %, 100,000 assets, wrk -t2 -c64 | p99 ≤ 50 ms | p99 $(ms "$F_P99_S1") | — | $F_MET_S1 |"
echo "| search, no match, 100,000 assets, wrk -t2 -c64 | p99 ≤ 50 ms | p99 $(ms "$F_P99_S0") | — | $F_MET_S0 |"
if [ "$GROWTH" = 1 ]; then
	echo "| growth, list page, p50 at 1M vs 10k, one connection | ≤ 2× | $(ms "$G_1m_L50") vs $(ms "$G_10k_L50") ($(printf '%.1f' "$(calc "$G_1m_L50 / $G_10k_L50")")×) | — | $G_MET_L |"
	echo "| growth, search 1 % | ≤ 2× | $(ms "$G_1m_S150") vs $(ms "$G_10k_S150") ($(printf '%.1f' "$(calc "$G_1m_S150 / $G_10k_S150")")×) | — | $G_MET_S1 |"
	echo "| growth, search no match | ≤ 2× | $(ms "$G_1m_S050") vs $(ms "$G_10k_S050") ($(printf '%.1f' "$(calc "$G_1m_S050 / $G_10k_S050")")×) | — | $G_MET_S0 |"
fi
echo "| import of 100,000 assets through the API | — (no target for ledgers) | $(fmt "$IMP100_S" 1) s | — | — |"
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
note "done"
