#!/bin/sh
# The My Number vault benchmarks behind docs/performance.md, "My Number vault" (design.md,
# "Performance targets": bulk import of 100,000 subjects ≤ 5 s; masked list with 1,000,000
# subjects p99 ≤ 20 ms; growth: latency at 1,000,000 rows ≤ 2 × latency at 10,000 rows):
#
#   bench/mynumber.sh build/mamori
#
#   i. bulk import: `mamori mynumber import FILE` of 100,000 subjects (partners and 1 %
#      shareholders: kinds that need no person; each with a valid, unique 個人番号, a purpose and
#      an identity check) into a fresh data directory, hyperfine, BENCH_RUNS runs; --prepare puts
#      back a copy of a freshly initialised directory. Each row is validated, its number sealed (a
#      data key per number, wrapped by the epoch's key), indexed (blind index) and recorded
#      (取扱記録簿, audit event), all in one transaction.
#   j. the masked list with 1,000,000 and with 10,000 subjects, wrk -t2 -c64 (keep-alive, the
#      session cookie of an auditor): page 1 (per_page=50), a name search (q=取引先 9, LIKE), the
#      kind filter (kind=partner); nginx serving a static file of the same bytes as page 1 (the
#      reference). Every list request writes an audit event (a durable commit, synchronous=FULL).
#   k. growth: the same requests, a rare kind (kind=shareholder, 1 % of the subjects) and a search
#      matching nothing, one connection (wrk -t1 -c1: the service time of one request), at 10,000
#      and at 1,000,000 subjects
#   l. the query plans of the SQL src/vault/subjects.c runs for them (EXPLAIN QUERY PLAN, sqlite3)
#
# The subjects come from awk (subject N: partner "取引先 N", every 100th a shareholder "株主 N";
# number = an 11-digit permutation of N and its check digit); the import takes at most 100,000 rows
# per file, so the 1,000,000-subject directory is filled by ten imports (each timed), then `sync`
# writes the 1.3 GB back before anything is measured. The auditor account is made with the CLI
# (people add, account create --role auditor) and signs in through the API (one-time password, new
# password, TOTP enrolment with oathtool: an auditor is a privileged account). The data
# directories' policy.ini gets idle_timeout = 1h (the profile's 5 min would end the session between
# measures); nothing else of the profile is changed.
#
# Before each timed measure the script waits (BENCH_IDLE_WAIT seconds at most, 2400; 0: do not
# wait) while bench/run.sh, bench/registers.sh or a wrk it did not start is running, or while
# other work (a build, a test run) keeps more than 15 % of the cores busy: the machine has two
# cores and anything else running would halve the figures. The report says whether it waited.
# Everything lives in one temporary directory (about 1.5 GB); every process started here is
# stopped on exit. No network access is needed (only 127.0.0.1). Takes about 5 minutes.
#
# Knobs (environment): BENCH_DURATION (wrk duration, default 10s), BENCH_RUNS (hyperfine runs of
# the import, 3), BENCH_IDLE_WAIT (2400), BENCH_KEEP (1 keeps the temporary directory and its data
# directories).
set -eu

START=$(date +%s)
. "$(dirname "$0")/lib.sh"

bench_bin mynumber.sh "$@"

DURATION=${BENCH_DURATION:-10s}
RUNS=${BENCH_RUNS:-3}
IDLE_WAIT=${BENCH_IDLE_WAIT:-2400}

PATH=$PATH:/usr/sbin:/sbin
need wrk hyperfine nginx sqlite3 curl awk sed date pgrep
command -v oathtool >/dev/null 2>&1 || die "oathtool is missing (apt-get install oathtool; scripts/deps.sh test installs it)"

bench_tmpdir mamori-bench-mn
bench_copy_bin

# ---------------------------------------------------------------------------------------------
# the data

cat >"$T/gen.awk" <<'EOF'
# awk -v from=1 -v n=100000 -f gen.awk: subjects from..from+n-1 as `mamori mynumber import` takes
# them. Subject N is a business partner "取引先 N" (purpose partner_payment), except every 100th
# (N % 100 == 0), a shareholder "株主 N" (shareholder_dividend): neither needs a person. Each has a
# 個人番号 whose first 11 digits are a permutation of N (N * 7919013 mod 10^11, unique) followed by
# the check digit of the 総務省令 (P(n) the n-th digit left of the check digit, Q(n) = n+1 for
# n <= 6, n-5 above; r = sum P*Q mod 11; check = 0 when r <= 1, else 11-r), and the 本人確認
# documents.
BEGIN {
	print "kind,person,parent,name,name_kana,relation,purposes,number,number_document,identity_document,use_ended_on"
	for (i = from; i < from + n; i++) {
		b = sprintf("%011.0f", (i * 7919013) % 100000000000)
		s = 0
		for (k = 1; k <= 11; k++)
			s += substr(b, 12 - k, 1) * (k <= 6 ? k + 1 : k - 5)
		r = s % 11
		if (i % 100 == 0)
			printf "shareholder,,,株主 %d,カブヌシ,,shareholder_dividend,%s%d,個人番号カード,個人番号カード,\n", i, b, (r <= 1 ? 0 : 11 - r)
		else
			printf "partner,,,取引先 %d,トリヒキサキ,,partner_payment,%s%d,個人番号カード,個人番号カード,\n", i, b, (r <= 1 ? 0 : 11 - r)
	}
}
EOF
# expect N: the number of partners, of names holding "取引先 9" and of shareholders among subjects 1..N
expect() {
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) if (i % 100 == 0) sh++; else { p++; if (substr(i "", 1, 1) == "9") s++ }
		print p, s, sh }'
}
gen() { # gen FROM N FILE
	awk -v from="$1" -v n="$2" -f "$T/gen.awk" >"$3"
}

NEWPW='Kx7#mQ2v!Lp9zR'
# new_data DIR: mamori init, idle_timeout 1h, one person and an auditor account (benchaud) made
# with the CLI; the auditor's one-time password goes to DIR.otp
new_data() {
	"$BIN" init --data "$1" >"$T/init.txt" 2>&1 || die "init failed: $(cat "$T/init.txt")"
	sed -i 's/^idle_timeout *=.*$/idle_timeout = 1h | bench\/mynumber.sh (the profile says 5min)/' "$1/policy.ini"
	grep -q '^idle_timeout = 1h' "$1/policy.ini" || die "cannot set idle_timeout in $1/policy.ini"
	pid=$("$BIN" people add --data "$1" --employee-no B0001 --name "監査 一郎" --kana "カンサ イチロウ" \
		--type regular --department 内部監査室 --joined 2020-04-01 2>"$T/people.txt") ||
		die "people add failed: $(cat "$T/people.txt")"
	"$BIN" account create --data "$1" --person "$pid" --login benchaud --role auditor >"$T/account.txt" 2>&1 ||
		die "account create failed: $(cat "$T/account.txt")"
	awk '$1 == "password:" { print $2 }' "$T/account.txt" >"$1.otp"
	[ -s "$1.otp" ] || die "account create printed no one-time password"
}
# import FILE DIR ROWS: mamori mynumber import, timed; sets IMPORT_S
import() {
	t0=$(now_ns)
	"$BIN" mynumber import "$1" --data "$2" >"$T/import.txt" 2>&1 || die "import of $1 failed: $(head -c 600 "$T/import.txt")"
	t1=$(now_ns)
	grep -q "^imported $3\$" "$T/import.txt" || die "import of $1: $(cat "$T/import.txt")"
	IMPORT_S=$(calc "($t1 - $t0) / 1e9")
}
# idle_gate NAME: wait_idle before the timed measure NAME. IDLE_ALL keeps the last "no" for the
# report; WAITED names the measures before which another benchmark was found running (the measure
# just before each of them may have overlapped it: run the script again)
WAITED=""
idle_gate() {
	wait_idle "$IDLE_WAIT"
	[ "$IDLE" = yes ] || IDLE_ALL=$IDLE
	[ "$WAITED_NOW" = 0 ] || WAITED="$WAITED${WAITED:+, }$1"
}
count() { # count DIR TABLE
	sqlite3 "$1/mamori.db" "SELECT count(*) FROM $2"
}

L=/api/mynumber/subjects
Q_LIST="$L?per_page=50"
Q_S="$L?q=%E5%8F%96%E5%BC%95%E5%85%88%209&per_page=50" # q=取引先 9 (URL-encoded)
Q_K="$L?kind=partner&per_page=50"
Q_SH="$L?kind=shareholder&per_page=50"
Q_S0="$L?q=zzqxnone&per_page=50"

# ---------------------------------------------------------------------------------------------

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc)
version=$("$BIN" --version 2>/dev/null | head -n 1 || true)
[ -n "$version" ] || version=$("$BIN" --help 2>&1 | head -n 1 | sed 's/ —.*//')
buildinfo="$BIN_DIR/meson-info/intro-buildoptions.json"
buildtype=$(grep -o '"name": "buildtype", "value": "[a-z]*"' "$buildinfo" 2>/dev/null | sed 's/.*"value": "//; s/"//' || true)

note "setting up in $T"
gen 1 100000 "$T/mn-100k.csv"
gen 1 10000 "$T/mn-10k.csv"
CSV_BYTES=$(stat -c %s "$T/mn-100k.csv")
# the generator's numbers pass the engine's own check
for n in $(sed -n '2p;50001p;100001p' "$T/mn-100k.csv" | cut -d, -f8); do
	"$BIN" mynumber check "$n" >/dev/null || die "the generator made an invalid number (row of $n)"
done
dups=$(cut -d, -f8 "$T/mn-100k.csv" | sort | uniq -d | wc -l)
[ "$dups" -eq 0 ] || die "the generator made $dups duplicate numbers"

IDLE_ALL=yes
idle_gate start
echo "# mamori My Number vault benchmarks"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $cpu, $cores cores online; \`$BIN_ARG\` ($version, meson buildtype=${buildtype:-?});"
echo "load average at start $(cut -d' ' -f1-3 /proc/loadavg); other benchmarks idle before the start: $IDLE;"
echo "$(wrk -v 2>&1 | head -n 1 | awk '{ print $1, $2 }'), $(hyperfine --version), nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), sqlite3 $(sqlite3 --version | awk '{ print $1 }')"
echo

# ---------------------------------------------------------------------------------------------
# i. bulk import of 100,000 subjects into a fresh data directory

note "i. import of 100,000 subjects, hyperfine --runs $RUNS"
"$BIN" init --data "$T/fresh" >/dev/null 2>"$T/init-fresh.log" || die "init failed: $(cat "$T/init-fresh.log")"
D=$T/imp
I_PREP="rm -rf $D && cp -a $T/fresh $D && sync"
I_CMD="$BIN mynumber import $T/mn-100k.csv --data $D > /dev/null"
idle_gate "import (hyperfine)"
hyperfine --style basic --runs "$RUNS" --export-csv "$T/hf-import.csv" --prepare "$I_PREP" -n import "$I_CMD" >&2
I_MED=$(awk -F, 'NR == 2 { print $4 }' "$T/hf-import.csv")
I_USER=$(awk -F, 'NR == 2 { print $5 }' "$T/hf-import.csv")
I_SYS=$(awk -F, 'NR == 2 { print $6 }' "$T/hf-import.csv")
I_MIN=$(awk -F, 'NR == 2 { print $7 }' "$T/hf-import.csv")
I_MAX=$(awk -F, 'NR == 2 { print $8 }' "$T/hf-import.csv")
[ -n "$I_MED" ] || die "cannot read hyperfine's result for the import"
# what the last run wrote
for t in mn_subject mn_subject_purpose mn_number mn_identity_check mn_record audit_event; do
	eval "I_N_$t=\$(count \"\$D\" $t)"
done
[ "$I_N_mn_subject" = 100000 ] && [ "$I_N_mn_number" = 100000 ] || die "the import left $I_N_mn_subject subjects, $I_N_mn_number numbers"
I_DB=$(stat -c %s "$D/mamori.db")
I_FRESH_DB=$(stat -c %s "$T/fresh/mamori.db")
I_MET=$(met "$I_MED <= 5")
rm -rf "$D"

echo "## i. Bulk import of 100,000 subjects (target ≤ 5 s)"
echo
echo "\`mamori mynumber import\` of one CSV of 100,000 subjects (99,000 partners, 1,000 shareholders; $(fmt "$CSV_BYTES") bytes) into a freshly initialised data"
echo "directory, one transaction. The last run wrote $(fmt "$I_N_mn_subject") mn_subject, $(fmt "$I_N_mn_subject_purpose") mn_subject_purpose,"
echo "$(fmt "$I_N_mn_number") mn_number (sealed number, blind index), $(fmt "$I_N_mn_identity_check") mn_identity_check, $(fmt "$I_N_mn_record") mn_record (取扱記録簿)"
echo "and $(fmt "$I_N_audit_event") audit_event rows (init's included); the database grew from $(fmt "$I_FRESH_DB") to $(fmt "$I_DB") bytes."
echo
echo "| | median of $RUNS | min | max | user | system | subjects/s | met |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
echo "| \`mamori mynumber import\`, 100,000 subjects | **$(fmt "$I_MED" 2) s** | $(fmt "$I_MIN" 2) s | $(fmt "$I_MAX" 2) s | $(fmt "$I_USER" 2) s | $(fmt "$I_SYS" 2) s | $(fmt "$(calc "100000 / $I_MED")") | $I_MET |"
echo
echo '```'
echo "hyperfine --runs $RUNS --prepare 'rm -rf \$T/imp && cp -a \$T/fresh \$T/imp && sync' \\"
echo "  '\$T/mamori mynumber import \$T/mn-100k.csv --data \$T/imp > /dev/null'"
echo '```'
echo

# ---------------------------------------------------------------------------------------------
# the two data directories: 1,000,000 subjects (ten imports) and 10,000 (one)

note "filling a data directory to 1,000,000 subjects (ten imports)"
D1M=$T/d1m
new_data "$D1M"
: >"$T/fill.txt"
f=0
while [ $f -lt 10 ]; do
	if [ $f -eq 0 ]; then
		csv=$T/mn-100k.csv
	else
		gen $((f * 100000 + 1)) 100000 "$T/mn-more.csv"
		csv=$T/mn-more.csv
	fi
	idle_gate "fill import $((f + 1))"
	import "$csv" "$D1M" 100000
	echo "$IMPORT_S" >>"$T/fill.txt"
	f=$((f + 1))
	note "import $f of 10: $IMPORT_S s"
done
rm -f "$T/mn-more.csv"
[ "$(count "$D1M" mn_subject)" = 1000000 ] || die "the 1,000,000 directory holds $(count "$D1M" mn_subject) subjects"
DB1M=$(stat -c %s "$D1M/mamori.db")
FILL_FIRST=$(sed -n 1p "$T/fill.txt")
FILL_LAST=$(sed -n 10p "$T/fill.txt")
FILL_SUM=$(awk '{ s += $1 } END { print s }' "$T/fill.txt")

D10K=$T/d10k
new_data "$D10K"
import "$T/mn-10k.csv" "$D10K" 10000
IMP10K_S=$IMPORT_S
DB10K=$(stat -c %s "$D10K/mamori.db")
# the imports left about 1.3 GB of dirty pages: write them back now, or the kernel does it during
# the measures below and every audited request's fdatasync waits behind it
note "sync (writing back the imports)"
t0=$(now_ns)
sync
SYNC_S=$(calc "($(now_ns) - $t0) / 1e9")

# ---------------------------------------------------------------------------------------------
# j, k. the masked list: 64 connections, then one connection, at 10,000 and at 1,000,000

# the requests: KEY:QUERY (j measures the first three with 64 connections, k all with one)
REQS="L:$Q_LIST S:$Q_S K:$Q_K SH:$Q_SH S0:$Q_S0"
cap() {
	if [ "$1" -gt 10000 ]; then echo 10000; else echo "$1"; fi
}
# measure_at LABEL DIR N: serves DIR (N subjects), signs the auditor in, checks each request's
# total against the generator's, runs wrk; sets J_<LABEL>_<KEY>_* (64 connections),
# K_<LABEL>_<KEY>_* (one connection) and MATCH_<LABEL>_<KEY>
measure_at() {
	start_mamori "$2" "$T/serve-$1.log"
	sign_in benchaud "$(cat "$2.otp")" "$NEWPW"
	set -- "$1" "$2" "$3" $(expect "$3")
	eval "MATCH_$1_L=$3 MATCH_$1_S=$5 MATCH_$1_K=$4 MATCH_$1_SH=$6 MATCH_$1_S0=0"
	for r in $REQS; do
		k=${r%%:*}
		get "$1-$k" "$M${r#*:}"
		eval "want=\$(cap \$MATCH_$1_$k)"
		[ "$(json_total "$1-$k")" = "$want" ] || die "at $1, ${r#*:} says total $(json_total "$1-$k"), not $want"
		eval "SZ_$1_$k=\"$(sizes "$M${r#*:}")\""
	done
	cp "$T/$1-L.json" "$T/page-$1.json"
	cp "$T/h-$1-L.txt" "$T/h-page-$1.txt"
	a0=$(count "$2" audit_event)
	for r in $REQS; do
		k=${r%%:*}
		case $k in SH | S0) continue ;; esac
		idle_gate "j $1 $k"
		wrk_run "j$1-$k" 2 64 "$M${r#*:}"
		eval "J_$1_${k}_RPS=$RPS J_$1_${k}_P50=$P50 J_$1_${k}_P99=$P99 J_$1_${k}_E=\"$WERR\" J_CMD_$k=\"\$WCMD\""
	done
	for r in $REQS; do
		k=${r%%:*}
		idle_gate "k $1 $k"
		wrk_run "k$1-$k" 1 1 "$M${r#*:}"
		slow_run "k$1-$k" "$M${r#*:}"
		eval "K_$1_${k}_RPS=$RPS K_$1_${k}_P50=$P50 K_$1_${k}_P99=$P99 K_$1_${k}_N=\"$NREQ\" K_$1_${k}_E=\"$WERR\""
	done
	K_CMD="wrk -t1 -c1 -d$DURATION --timeout 60s --latency -H 'Cookie: \$COOKIE' URL"
	K_URLS=$(for r in $REQS; do printf '%s\n' "$M${r#*:}"; done)
	eval "AUD_$1=$(($(count "$2" audit_event) - a0))"
	eval "HWM_$1=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$SPID/status")"
	stop_pid "$SPID"
}
# v NAME...: the value of the variable named by joining the arguments with _
v() {
	v_name=$(echo "$*" | tr ' ' _)
	eval "echo \"\${$v_name}\""
}

note "j, k. 10,000 subjects"
measure_at 10k "$D10K" 10000
note "j, k. 1,000,000 subjects"
measure_at 1m "$D1M" 1000000
grep -q '"total_capped":true' "$T/1m-L.json" || die "the 1,000,000 list is not total_capped"

# the reference: nginx serving the bytes of the 1,000,000 page 1 with mamori's headers
start_nginx_file "$T/page-1m.json" "$T/h-page-1m.txt"
SZ_N=$(curl -s -o /dev/null -w '%{size_header} + %{size_download}' "$G/page.json")
SPID_SAVE=$SPID
SPID=$NGPID
idle_gate "j nginx"
wrk_run nginx 2 64 "$G/page.json"
J_CMD_N=$(echo "$WCMD" | sed "s/ -H 'Cookie: \\\$COOKIE'//")
J_N_RPS=$RPS J_N_P50=$P50 J_N_P99=$P99 J_N_E=$WERR
SPID=$SPID_SAVE
stop_pid "$NGPID"

J_MET=$(met "$J_1m_L_P99 <= 20 && \"$J_1m_L_E\" == \"\"")
K_MET=$(met "$K_1m_L_P99 <= 20 && \"$K_1m_L_E\" == \"\"")

# names of the requests for the tables
name() {
	case $1 in
	L) echo "page 1 \`per_page=50\`" ;;
	S) echo "search \`q=取引先 9\`" ;;
	K) echo "\`kind=partner\`" ;;
	SH) echo "\`kind=shareholder\` (1 % of the subjects)" ;;
	S0) echo "search, no match \`q=zzqxnone\`" ;;
	esac
}
jrow() { # jrow LABEL KEY
	echo "| $(if [ "$1" = 1m ]; then echo 1,000,000; else echo 10,000; fi): $(name "$2") | $(fmt "$(v MATCH "$1" "$2")") | $(v SZ "$1" "$2") | $(fmt "$(v J "$1" "$2" RPS)") | $(ms "$(v J "$1" "$2" P50)") | $(ms "$(v J "$1" "$2" P99)") | $(v J "$1" "$2" E | sed 's/^$/none/') |"
}
echo "## j. The masked list, keep-alive, wrk -t2 -c64 (target with 1,000,000 subjects: p99 ≤ 20 ms)"
echo
echo "The auditor's session; \`per_page=50\`; every request also writes its audit event (mynumber.list, a durable"
echo "commit). The count stops at 10,000 (\`total_capped\`)."
echo
echo "| request | matches | bytes/response (headers + body) | req/s | p50 | p99 | errors |"
echo "|---|---:|---|---:|---:|---:|---|"
jrow 1m L
echo "| nginx, static file of the same bytes (the reference) | — | $SZ_N | $(fmt "$J_N_RPS") | $(ms "$J_N_P50") | $(ms "$J_N_P99") | ${J_N_E:-none} |"
jrow 1m S
jrow 1m K
jrow 10k L
jrow 10k S
jrow 10k K
echo
echo "Page 1 with 1,000,000 subjects at 64 connections: p99 ≤ 20 ms met: $J_MET; mamori at $(printf '%.0f' "$(calc "100 * $J_1m_L_RPS / $J_N_RPS")") % of nginx's rate."
echo "With one connection (k): p99 $(ms "$K_1m_L_P99"), met: $K_MET."
echo "Audit events written by the measures: $(fmt "$AUD_1m") at 1,000,000, $(fmt "$AUD_10k") at 10,000. Peak RSS of mamori serve (VmHWM): $(fmt "$HWM_1m") kB at 1,000,000."
echo
echo '```'
echo "$J_CMD_L"
echo "$J_CMD_N"
echo "$J_CMD_S"
echo "$J_CMD_K"
echo '```'
echo

# ---------------------------------------------------------------------------------------------
# k. growth

krow() { # krow KEY
	a50=$(v K_10k "$1" P50) b50=$(v K_1m "$1" P50)
	echo "| $(name "$1") | $(fmt "$(v MATCH_10k "$1")") / $(fmt "$(v MATCH_1m "$1")") | $(ms "$a50") / $(ms "$(v K_10k "$1" P99)") | $(fmt "$(v K_10k "$1" RPS)" 1) | $(ms "$b50") / $(ms "$(v K_1m "$1" P99)") | $(fmt "$(v K_1m "$1" RPS)" 1) | $(printf '%.2f' "$(calc "$b50 / $a50")")× | $(v K_1m "$1" E | sed 's/^$/none/'); requests at 1M: $(v K_1m "$1" N) | $(met "$b50 <= 2 * $a50") |"
}
echo "## k. Growth: one connection, p50 / p99 at 10,000 and at 1,000,000 subjects (target: at 1,000,000 ≤ 2 × at 10,000)"
echo
echo "| request | matches (10k / 1M) | 10,000 | req/s | 1,000,000 | req/s | 1M / 10k (p50) | errors | met |"
echo "|---|---:|---:|---:|---:|---:|---:|---|---|"
for k in L S K SH S0; do
	krow $k
done
echo
echo "10,000 subjects: one import of $(fmt "$IMP10K_S" 2) s, database $(fmt "$DB10K") bytes. 1,000,000 subjects: ten imports of"
echo "100,000 into one directory, $(fmt "$FILL_SUM" 1) s in all (the first $(fmt "$FILL_FIRST" 2) s, the tenth $(fmt "$FILL_LAST" 2) s:"
echo "$(awk '{ printf "%s%.2f", sep, $1; sep = ", " }' "$T/fill.txt") s), database $(fmt "$DB1M") bytes. \`sync\` after the imports: $(fmt "$SYNC_S" 1) s."
echo
echo '```'
echo "$K_CMD"
echo "$K_URLS" | sed 's/^/  # URL: /'
echo "for f in 0 .. 9: awk -v from=\$((f * 100000 + 1)) -v n=100000 -f gen.awk > mn.csv; \$T/mamori mynumber import mn.csv --data \$T/d1m"
echo '```'
echo

# ---------------------------------------------------------------------------------------------
# l. the query plans

COLS="s.id, s.kind, s.person_id, s.parent_id, s.name, s.name_kana, s.relation, s.use_ended_on, s.retention_end, s.state, s.stub, s.created_at, s.updated_at, n.kind, n.tail, (SELECT group_concat(p.purpose, ' ') FROM mn_subject_purpose p WHERE p.subject_id = s.id)"
# the conditions vault_subject_list writes, only those that are set: $1 kind, $2 state, $3 the pattern
W_KIND=" WHERE s.kind = \$1"
W_Q=" WHERE (s.name LIKE \$3 ESCAPE '\\' OR s.name_kana LIKE \$3 ESCAPE '\\')"
# without a search the total comes from the kept counts; a search counts its matches up to 10,001
count_sql() {
	case $1 in
	*LIKE*) echo "SELECT count(*) FROM (SELECT 1 FROM mn_subject s$1 LIMIT 10001) c" ;;
	*) echo "SELECT coalesce(sum(s.n), 0) FROM mn_subject_count s$1" ;;
	esac
}
page_sql() { echo "SELECT $COLS FROM mn_subject s LEFT JOIN mn_number n ON n.subject_id = s.id$1 ORDER BY s.id DESC LIMIT \$4 OFFSET \$5"; }
plan() { # plan LABEL WHERE KIND PATTERN: the plans and two timed runs of the count and the page
	echo "$1"
	echo
	echo '```'
	for w in count page; do
		if [ $w = count ]; then sql=$(count_sql "$2"); else sql=$(page_sql "$2"); fi
		params=$(printf '.parameter set $1 "%s"\n.parameter set $3 "%s"\n.parameter set $4 50\n.parameter set $5 0' "'$3'" "'$4'")
		echo "-- $w: $sql"
		printf '%s\nEXPLAIN QUERY PLAN %s;\n' "$params" "$sql" | sqlite3 "$D1M/mamori.db" | sed 1d
		printf '%s\nPRAGMA cache_size=-32768;\n.timer on\n%s;\n%s;\n' "$params" "$sql" "$sql" | sqlite3 "$D1M/mamori.db" 2>&1 |
			awk '/^Run Time/ { print "-- run " ++n ": " substr($0, 11) }'
	done
	echo '```'
	echo
}
echo "## l. Query plans at 1,000,000 subjects (the SQL of src/vault/subjects.c, bound as the engine binds it; sqlite3 shell with the engine's 32 MiB page cache; two runs each)"
echo
echo "The list writes only the conditions that are set (\$1 kind, \$2 state, \$3 the name pattern, its \`%\`, \`_\` and \`\\\\\` escaped); LIMIT \$4 OFFSET \$5."
echo "Without a search the total is read from the kept counts (mn_subject_count); a search counts its matches, up to 10,001."
echo
plan "page 1 (no condition):" "" "" ""
plan "search \`q=取引先 9\` (\$3 = '%取引先 9%'):" "$W_Q" "" "%取引先 9%"
plan "\`kind=partner\` (\$1 = 'partner'):" "$W_KIND" "partner" ""
plan "\`kind=shareholder\` (\$1 = 'shareholder'):" "$W_KIND" "shareholder" ""
plan "search, no match (\$3 = '%zzqxnone%'):" "$W_Q" "" "%zzqxnone%"

# ---------------------------------------------------------------------------------------------

echo "## summary (My Number vault)"
echo
echo "| measure | target | mamori | met |"
echo "|---|---|---:|---|"
echo "| bulk import of 100,000 subjects | ≤ 5 s | $(fmt "$I_MED" 2) s (median of $RUNS) | $I_MET |"
echo "| masked list page 1, 1,000,000 subjects, wrk -t2 -c64 | p99 ≤ 20 ms | p99 $(ms "$J_1m_L_P99"), $(fmt "$J_1m_L_RPS") req/s | $J_MET |"
echo "| masked list page 1, 1,000,000 subjects, one connection | p99 ≤ 20 ms | p99 $(ms "$K_1m_L_P99"), $(fmt "$K_1m_L_RPS") req/s | $K_MET |"
for k in L S K SH S0; do
	a=$(v K_10k $k P50) b=$(v K_1m $k P50)
	echo "| growth, $(name $k), p50 at 1M vs 10k, one connection | ≤ 2× | $(ms "$b") vs $(ms "$a") ($(printf '%.2f' "$(calc "$b / $a")")×) | $(met "$b <= 2 * $a") |"
done
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg). Other benchmarks idle during the measures: $IDLE_ALL;"
echo "waited for another benchmark before: ${WAITED:-none (the machine was otherwise idle throughout)}."
note "done"
