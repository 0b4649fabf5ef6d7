# Shell functions shared by the benchmarks of bench/ (POSIX sh; sourced, never run):
#
#   . "$(dirname "$0")/lib.sh"
#
# bench/run.sh, bench/registers.sh and bench/mynumber.sh all use them: a helper that two benchmarks
# need belongs here, not in a copy. The caller sets START (date +%s) before calling note, and calls
# bench_tmpdir before anything that starts a process. Variables they use or set: T (the temporary
# directory), PIDS (processes to stop on exit), SPID and M (the last mamori serve started and its
# base URL), COOKIE and CSRF (the session; requests go without a cookie while COOKIE is empty),
# DURATION (wrk's measure, e.g. 10s), and the outputs named in each function's comment.

die() {
	echo "bench: $*" >&2
	exit 1
}
note() {
	echo "bench: [$(($(date +%s) - START)) s] $*" >&2
}

# bench_bin SCRIPT ARGS...: the script's one argument, the mamori binary to measure; sets BIN_ARG (as
# given), BIN_DIR (its build directory, for meson-info) and BIN (its absolute path)
bench_bin() {
	[ $# -eq 2 ] || die "usage: bench/$1 BIN   (e.g. bench/$1 build/mamori)"
	BIN_ARG=$2
	BIN=$2
	[ -x "$BIN" ] || die "$BIN is not an executable (run make first)"
	case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
	BIN_DIR=$(dirname "$BIN")
}
# bench_copy_bin: BIN becomes a private copy in T, so that a rebuild during the run does not change
# what is measured
bench_copy_bin() {
	cp "$BIN" "$T/mamori"
	BIN=$T/mamori
}

# need TOOL...: dies naming the first tool that is missing
need() {
	for n_tool in "$@"; do
		command -v "$n_tool" >/dev/null 2>&1 || die "$n_tool is missing (scripts/deps.sh bench installs it)"
	done
}

# alive PID: the process exists and is not a zombie waiting to be reaped
alive() {
	{ read -r st <"/proc/$1/stat"; } 2>/dev/null || return 1
	st=${st##*) }
	st=${st%% *}
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}
# stop_pid PID: TERM, then KILL after 5 s (its children too: nginx's worker)
stop_pid() {
	p=$1
	if alive "$p"; then
		kids=$(cat "/proc/$p/task/$p/children" 2>/dev/null || true)
		kill -TERM "$p" 2>/dev/null || true
		sp_i=0
		while alive "$p" && [ $sp_i -lt 500 ]; do
			sleep 0.01
			sp_i=$((sp_i + 1))
		done
		if alive "$p"; then
			note "pid $p did not stop within 5 s of SIGTERM: killing it"
			kill -KILL "$p" 2>/dev/null || true
		fi
		for k in $kids; do
			if alive "$k"; then
				kill -KILL "$k" 2>/dev/null || true
			fi
		done
	fi
	wait "$p" 2>/dev/null || true
	return 0
}
# bench_tmpdir PREFIX: makes T, and stops every process in PIDS and removes T on exit (keeps it
# when BENCH_KEEP=1, to look into the data directories afterwards)
T=""
PIDS=""
cleanup() {
	set +e
	for p in $PIDS; do
		stop_pid "$p"
	done
	if [ -n "$T" ] && [ "${BENCH_KEEP:-0}" = 1 ]; then
		echo "bench: kept $T (BENCH_KEEP=1)" >&2
	elif [ -n "$T" ]; then
		rm -rf "$T"
	fi
}
bench_tmpdir() {
	trap cleanup EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	T=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
}

# cpu_busy: the share of all cores (in %) that the machine spent working over one second
cpu_busy() {
	cb_a=$(awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
	sleep 1
	cb_b=$(awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
	echo "$cb_a $cb_b" | awk '{ w = $3 - $1; i = $4 - $2; t = w + i; printf "%.0f\n", (t > 0 ? 100 * w / t : 0) }'
}
# wait_idle SECONDS: waits (at most SECONDS) while another benchmark runs on this machine
# (bench/run.sh, bench/registers.sh or a wrk not started by this script; polled every 30 s) or
# while something else keeps the cores busy (a build, a test run: more than 15 % of the cores
# over one second while this script does nothing; polled every 10 s); sets IDLE to "yes" or to
# what was still running, and WAITED_NOW to 1 when it had to wait
wait_idle() {
	wi_i=0
	WAITED_NOW=0
	while :; do
		wi_busy=""
		for wi_p in $(pgrep -f 'bench/(run|registers)\.sh' 2>/dev/null || true) $(pgrep -x wrk 2>/dev/null || true); do
			# not this script, nor one of its parents (run.sh may start this script)
			wi_q=$$
			wi_mine=0
			while [ "$wi_q" -gt 1 ] 2>/dev/null; do
				[ "$wi_q" = "$wi_p" ] && wi_mine=1 && break
				wi_q=$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$wi_q/stat" 2>/dev/null || echo 1)
			done
			[ $wi_mine = 1 ] || wi_busy="$wi_busy $wi_p"
		done
		wi_cpu=""
		if [ -z "$wi_busy" ]; then
			wi_cpu=$(cpu_busy)
			if [ "$wi_cpu" -le 15 ]; then
				IDLE=yes
				return 0
			fi
		fi
		if [ $wi_i -ge "$1" ]; then
			if [ -n "$wi_busy" ]; then
				IDLE="no: still running after ${1} s:$(for wi_p in $wi_busy; do printf ' %s' "$(tr '\0' ' ' <"/proc/$wi_p/cmdline" 2>/dev/null | cut -c1-60)"; done)"
			else
				IDLE="no: the cores were still $wi_cpu % busy after ${1} s"
			fi
			note "$IDLE"
			return 0
		fi
		WAITED_NOW=1
		if [ -n "$wi_busy" ]; then
			note "another benchmark is running (pid$wi_busy): waiting 30 s"
			sleep 30
			wi_i=$((wi_i + 31))
		else
			note "the cores are $wi_cpu % busy with other work: waiting 10 s"
			sleep 10
			wi_i=$((wi_i + 11))
		fi
	done
}

NEXT_PORT=$((20000 + ($$ + 13000) % 20000))
# free_port: sets PORT to a port of 127.0.0.1 nobody listens on (curl: 7 = connection refused)
free_port() {
	while :; do
		PORT=$NEXT_PORT
		NEXT_PORT=$((NEXT_PORT + 1))
		[ $NEXT_PORT -le 60000 ] || NEXT_PORT=20000
		rc=0
		curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/" 2>/dev/null || rc=$?
		[ $rc -eq 7 ] && return 0
	done
}
http_code() {
	curl -s -o /dev/null -w '%{http_code}' "$1" 2>/dev/null || true
}
# wait_200 URL PID LOG: waits (up to 10 s) until URL answers 200 while PID lives
wait_200() {
	w_i=0
	while [ "$(http_code "$1")" != 200 ]; do
		alive "$2" || die "the server (pid $2) exited: $(cat "$3" 2>/dev/null)"
		w_i=$((w_i + 1))
		[ $w_i -lt 1000 ] || die "$1 did not answer 200 within 10 s"
		sleep 0.01
	done
}
# spawn_mamori DATA PORT LOG: starts mamori serve (default --threads) in the background and returns
# at once; sets SPID
spawn_mamori() {
	"$BIN" serve --data "$1" --listen "127.0.0.1:$2" >"$3" 2>&1 &
	SPID=$!
	PIDS="$PIDS $SPID"
}
# start_mamori DATA LOG: mamori serve on a free port, once it answers; sets SPID and M
start_mamori() {
	free_port
	spawn_mamori "$1" "$PORT" "$2"
	M=http://127.0.0.1:$PORT
	wait_200 "$M/healthz" "$SPID" "$2"
}
now_ns() {
	date +%s%N
}
# fmt NUMBER DECIMALS: a number with thousands separators
fmt() {
	awk -v n="$1" -v d="${2:-0}" 'BEGIN {
		s = sprintf("%." d "f", n); i = index(s, "."); if (i == 0) i = length(s) + 1
		ip = substr(s, 1, i - 1); fp = substr(s, i); neg = ""
		if (substr(ip, 1, 1) == "-") { neg = "-"; ip = substr(ip, 2) }
		out = ""; while (length(ip) > 3) { out = "," substr(ip, length(ip) - 2) out; ip = substr(ip, 1, length(ip) - 3) }
		print neg ip out fp }'
}
calc() {
	awk "BEGIN { printf \"%.6f\\n\", $* }"
}
# met COND: "yes" when the awk condition holds
met() {
	awk "BEGIN { if ($*) print \"yes\"; else print \"**no**\" }"
}
# to_ms 12.34ms|567.00us|1.20s|1.50m: wrk's latency in milliseconds
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
		printf "%.3f\n", n }'
}
# ms 12.345: a latency for the tables
ms() {
	awk -v n="$1" 'BEGIN { if (n < 10) printf "%.2f ms\n", n; else if (n < 1000) printf "%.1f ms\n", n; else printf "%.2f s\n", n / 1000 }'
}
# cpu_ticks PID: user + system clock ticks of a process so far
cpu_ticks() {
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0
}
# quiesce PID: waits (up to 120 s) until the server stops working off requests that a finished
# wrk left queued, so that they do not spill into the next measure
quiesce() {
	q_i=0
	q_prev=$(cpu_ticks "$1")
	while [ $q_i -lt 600 ]; do
		sleep 0.2
		q_now=$(cpu_ticks "$1")
		[ $((q_now - q_prev)) -le 1 ] && return 0
		q_prev=$q_now
		q_i=$((q_i + 1))
	done
	note "pid $1 still busy after 120 s"
}

COOKIE=""
CSRF=""
# wrk_c ARGS...: wrk, with the session cookie when there is one
wrk_c() {
	if [ -n "$COOKIE" ]; then wrk -H "Cookie: $COOKIE" "$@"; else wrk "$@"; fi
}
# curl_c ARGS...: curl, with the session cookie when there is one
curl_c() {
	if [ -n "$COOKIE" ]; then curl -H "Cookie: $COOKIE" "$@"; else curl "$@"; fi
}
# wrk_run NAME THREADS CONNS URL: wrk (a 1 s warm-up on one connection, then the measure) against
# the server SPID; sets RPS P50 P90 P99 (in ms) NREQ WERR and WCMD (the command, the cookie shown
# as $COOKIE)
wrk_run() {
	wrk_c -t1 -c1 -d1s --timeout 60s "$4" >/dev/null 2>&1 || true
	quiesce "$SPID"
	WCMD="wrk -t$2 -c$3 -d$DURATION --timeout 60s --latency${COOKIE:+ -H 'Cookie: \$COOKIE'} '$4'"
	note "$WCMD"
	wrk_c -t"$2" -c"$3" -d"$DURATION" --timeout 60s --latency "$4" >"$T/wrk-$1.txt" 2>&1 ||
		die "wrk failed: $(cat "$T/wrk-$1.txt")"
	wrk_parse "$1"
	quiesce "$SPID"
}
wrk_parse() {
	RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$T/wrk-$1.txt")
	P50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$T/wrk-$1.txt")")
	P90=$(to_ms "$(awk '$1 == "90%" { print $2 }' "$T/wrk-$1.txt")")
	P99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$T/wrk-$1.txt")")
	NREQ=$(awk '/requests in/ { print $1 }' "$T/wrk-$1.txt")
	WERR=$(awk '/Non-2xx|Socket errors/ { sub(/^ +/, ""); printf "%s%s", sep, $0; sep = "; " }' "$T/wrk-$1.txt")
	[ -n "$RPS" ] || die "cannot read wrk's output: $(cat "$T/wrk-$1.txt")"
}
# slow_run NAME URL: when wrk -c1 finished fewer than 5 requests in its duration (a request takes
# seconds), 5 requests one after the other with curl instead: P50 the median, P99 the slowest
slow_run() {
	[ "$NREQ" -lt 5 ] || return 0
	note "fewer than 5 requests in $DURATION: 5 sequential curl requests for $2"
	: >"$T/slow-$1.txt"
	s_i=0
	while [ $s_i -lt 5 ]; do
		curl_c -s -f -o /dev/null -w '%{time_total}\n' "$2" >>"$T/slow-$1.txt" || die "GET $2 failed"
		s_i=$((s_i + 1))
	done
	P50=$(sort -n "$T/slow-$1.txt" | awk 'NR == 3 { printf "%.3f\n", $1 * 1000 }')
	P99=$(sort -n "$T/slow-$1.txt" | awk 'NR == 5 { printf "%.3f\n", $1 * 1000 }')
	RPS=$(calc "5 / ($(awk '{ s += $1 } END { print s }' "$T/slow-$1.txt"))")
	NREQ="5 (curl, one after the other)"
	WERR=""
}

# get NAME URL: one request with the session; the body in $T/NAME.json, headers in $T/h-NAME.txt
get() {
	g_code=$(curl_c -s -D "$T/h-$1.txt" -o "$T/$1.json" -w '%{http_code}' "$2")
	[ "$g_code" = 200 ] || die "GET $2 answered $g_code: $(head -c 300 "$T/$1.json")"
}
json_total() {
	sed -n 's/.*"total":\([0-9]*\).*/\1/p' "$T/$1.json"
}
# sizes URL: "header bytes + body bytes" of one response (with the session, if any)
sizes() {
	curl_c -s -o /dev/null -w '%{size_header} + %{size_download}' "$1"
}

# sign_in LOGIN ONE_TIME_PASSWORD NEW_PASSWORD: the first sign-in of an account at $M (one-time
# password, password change, TOTP enrolment confirmed with oathtool, as a privileged account must);
# sets COOKIE and CSRF
sign_in() {
	c=$(curl -s -D "$T/h-login.txt" -o "$T/login.json" -w '%{http_code}' -H 'Content-Type: application/json' \
		--data-binary "{\"login\":\"$1\",\"password\":\"$2\"}" "$M/api/session")
	[ "$c" = 201 ] || die "login of $1 answered $c: $(cat "$T/login.json")"
	COOKIE=$(tr -d '\r' <"$T/h-login.txt" | sed -n 's/^[Ss]et-[Cc]ookie: \(mamori_session=[^;]*\).*/\1/p')
	CSRF=$(sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' "$T/login.json")
	[ -n "$COOKIE" ] && [ -n "$CSRF" ] || die "no session cookie or CSRF token after the login of $1"
	c=$(curl -s -o "$T/pw.json" -w '%{http_code}' -H "Cookie: $COOKIE" -H "X-CSRF-Token: $CSRF" \
		-H 'Content-Type: application/json' \
		--data-binary "{\"current_password\":\"$2\",\"new_password\":\"$3\"}" "$M/api/session/password")
	[ "$c" = 204 ] || die "password change of $1 answered $c: $(cat "$T/pw.json")"
	c=$(curl -s -o "$T/mfa.json" -w '%{http_code}' -H "Cookie: $COOKIE" -H "X-CSRF-Token: $CSRF" \
		-H 'Content-Type: application/json' --data-binary '{}' "$M/api/session/mfa")
	[ "$c" = 201 ] || die "MFA enrolment of $1 answered $c: $(cat "$T/mfa.json")"
	secret=$(sed -n 's/.*"secret":"\([A-Z2-7]*\)".*/\1/p' "$T/mfa.json")
	[ -n "$secret" ] || die "MFA enrolment of $1 gave no secret"
	c=$(curl -s -o "$T/mfa2.json" -w '%{http_code}' -H "Cookie: $COOKIE" -H "X-CSRF-Token: $CSRF" \
		-H 'Content-Type: application/json' --data-binary "{\"code\":\"$(oathtool --totp -b "$secret")\"}" \
		"$M/api/session/mfa/confirm")
	[ "$c" = 200 ] || die "MFA confirmation of $1 answered $c: $(cat "$T/mfa2.json")"
}

# copy the response headers of mamori (except the ones nginx sets itself) to nginx add_header lines
nginx_headers() {
	tr -d '\r' <"$1" | awk -F': ' 'NR > 1 && NF >= 2 {
		name = tolower($1)
		if (name ~ /^(date|content-type|content-length|connection|keep-alive|server|transfer-encoding|etag|last-modified|accept-ranges)$/) next
		v = substr($0, length($1) + 3)
		if (v ~ /\$/) next
		gsub(/\\/, "\\\\", v); gsub(/"/, "\\\"", v)
		printf "\t\t\tadd_header %s \"%s\" always;\n", $1, v }'
}
content_type() {
	tr -d '\r' <"$1" | awk -F': ' 'tolower($1) == "content-type" { print substr($0, length($1) + 3); exit }'
}
# nginx_location PATH HEADERS: an nginx location serving the file PATH (below $T/nginx/www) with the
# content type and headers of the mamori response HEADERS (curl -D)
nginx_location() {
	printf '\t\tlocation = %s {\n\t\t\ttypes { }\n\t\t\tdefault_type "%s";\n%s\n\t\t}\n' "$1" \
		"$(content_type "$2")" "$(nginx_headers "$2")"
}
# start_nginx LOCATIONS PATH: a throwaway nginx (one worker, keep-alive, sendfile) on a free port of
# 127.0.0.1, serving $T/nginx/www through LOCATIONS (nginx_location), once PATH answers 200; sets
# NGPID and G
start_nginx() {
	N=$T/nginx
	mkdir -p "$N/www" "$N/tmp"
	chmod 711 "$T" # nginx's worker may run as nobody: it must reach $T/nginx/www
	chmod -R a+rX "$N"
	free_port
	cat >"$N/nginx.conf" <<EOF
# throwaway nginx for bench/: one worker, keep-alive, the same bodies and headers as mamori
worker_processes 1;
daemon off;
pid $N/nginx.pid;
error_log $N/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	tcp_nodelay on;
	keepalive_timeout 65s;
	keepalive_requests 1000000;
	server_tokens off;
	etag off;
	client_body_temp_path $N/tmp/body;
	proxy_temp_path $N/tmp/proxy;
	fastcgi_temp_path $N/tmp/fastcgi;
	uwsgi_temp_path $N/tmp/uwsgi;
	scgi_temp_path $N/tmp/scgi;
	server {
		listen 127.0.0.1:$PORT;
		root $N/www;
$1
	}
}
EOF
	nginx -p "$N" -e "$N/error.log" -c "$N/nginx.conf" >"$N/stdout.log" 2>&1 &
	NGPID=$!
	PIDS="$PIDS $NGPID"
	G=http://127.0.0.1:$PORT
	wait_200 "$G$2" "$NGPID" "$N/error.log"
}
# same_bytes FILE PATH: dies unless nginx serves PATH with the bytes of FILE
same_bytes() {
	curl -s -o "$T/ng-same" "$G$2"
	cmp -s "$1" "$T/ng-same" || die "nginx does not serve the same bytes as $1 at $2"
}
# start_nginx_file BODY HEADERS: start_nginx serving the file BODY as /page.json with the headers of
# the mamori response HEADERS (curl -D)
start_nginx_file() {
	mkdir -p "$T/nginx/www"
	cp "$1" "$T/nginx/www/page.json"
	start_nginx "$(nginx_location /page.json "$2")" /page.json
	same_bytes "$1" /page.json
}
