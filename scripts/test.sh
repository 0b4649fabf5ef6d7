#!/bin/sh
# make test: build with AddressSanitizer + UndefinedBehaviorSanitizer (clang, so the libFuzzer
# targets build too), run the unit tests (cmocka), the API and browser tests (node --test against
# the real server and Debian's Chromium) and a short run of every fuzz target, then print the
# closing line "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
TB=${1:-build-test}
FUZZ_SECONDS=${FUZZ_SECONDS:-10}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0}

passed=0
failed=0
failures=""
count() { # count NAME OK(0/1)
	if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); failures="$failures $1"; fi
}

if [ ! -f "$TB/build.ninja" ]; then
	CC=clang meson setup "$TB" -Dtests=enabled -Dfuzz=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debug >"${TB}.setup.log" 2>&1 || { cat "${TB}.setup.log"; echo "0 passed, 1 failed"; exit 1; }
fi
if ! ninja -C "$TB" >"$TB/ninja.log" 2>&1; then
	cat "$TB/ninja.log"
	echo "build failed"
	echo "0 passed, 1 failed"
	exit 1
fi

# unit tests: each cmocka binary prints TAP ("ok N - name" / "not ok N - name")
for t in "$TB"/test_*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$t" 2>&1)
	rc=$?
	ok=$(printf '%s\n' "$out" | grep -c '^ok ')
	notok=$(printf '%s\n' "$out" | grep -c '^not ok ')
	passed=$((passed + ok))
	failed=$((failed + notok))
	if [ "$notok" -gt 0 ] || [ "$rc" -ne 0 ]; then
		printf '%s\n' "$out"
		[ "$notok" -eq 0 ] && count "$(basename "$t")(exit $rc)" 1
		failures="$failures $(basename "$t")"
	fi
	echo "unit $(basename "$t"): $ok passed, $notok failed"
done

# web unit tests (vitest): the label catalogue and date formats
web_out=$(cd web && npx vitest run --reporter=tap-flat 2>&1)
wok=$(printf '%s\n' "$web_out" | grep -c '^ok ')
wnot=$(printf '%s\n' "$web_out" | grep -c '^not ok ')
passed=$((passed + wok))
failed=$((failed + wnot))
if [ "$wok" -eq 0 ] || [ "$wnot" -gt 0 ]; then printf '%s\n' "$web_out"; count web-vitest 1; fi
echo "web: $wok passed, $wnot failed"

# API and browser tests: node's test runner against the sanitizer build
export MAMORI_BIN="$(pwd)/$TB/mamori"
mkdir -p "$TB/node"
node --test --test-concurrency=2 --test-reporter=tap tests/api/ tests/e2e/ >"$TB/node/tap.txt" 2>&1
npass=$(grep -E '^# pass ' "$TB/node/tap.txt" | awk '{print $3}')
nfail=$(grep -E '^# fail ' "$TB/node/tap.txt" | awk '{print $3}')
if [ -z "$npass" ]; then
	cat "$TB/node/tap.txt"
	count node-runner 1
else
	passed=$((passed + npass))
	failed=$((failed + nfail))
	[ "$nfail" -gt 0 ] && { grep -B2 -A30 '^not ok' "$TB/node/tap.txt" | head -300; failures="$failures node"; }
	echo "api+e2e: $npass passed, $nfail failed"
fi

# fuzz smoke: every libFuzzer target for a few seconds from its seed corpus
for f in "$TB"/fuzz_*; do
	[ -f "$f" ] && [ -x "$f" ] || continue
	name=$(basename "$f" | sed 's/^fuzz_//')
	work="$TB/fuzz-$name"
	mkdir -p "$work"
	if "$f" -max_total_time="$FUZZ_SECONDS" -timeout=5 -rss_limit_mb=2048 -print_final_stats=0 \
		-artifact_prefix="$work/" "$work" "tests/fuzz/corpus/$name" >"$work/log.txt" 2>&1; then
		count "fuzz_$name" 0
		echo "fuzz $name: ok ($(grep -Eo 'stat::number_of_executed_units: *[0-9]+|#[0-9]+' "$work/log.txt" | tail -1))"
	else
		tail -40 "$work/log.txt"
		count "fuzz_$name" 1
	fi
done

[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
