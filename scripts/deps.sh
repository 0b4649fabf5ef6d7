#!/bin/sh
# Installs what mamori needs on Debian 12 when it is missing: apt packages for building and
# testing, and the npm packages of web/ and tests/ (from their package-lock.json files).
# Usage: scripts/deps.sh [build|test|bench]   (test and bench include build)
set -eu
cd "$(dirname "$0")/.."
what=${1:-build}

pkgs="meson ninja-build pkg-config gcc libmicrohttpd-dev libjansson-dev libsqlite3-dev
libsodium-dev libinih-dev liboath-dev libqrencode-dev libcrack2-dev cracklib-runtime
libxlsxwriter-dev libzip-dev libcurl4-openssl-dev nodejs npm"
case $what in
test) pkgs="$pkgs libcmocka-dev clang libclang-rt-14-dev sqlite3 chromium fonts-noto-cjk curl openssl coreutils oathtool unzip libreoffice-calc-nogui p7zip-full" ;;
bench) pkgs="$pkgs sqlite3 wrk hyperfine nginx-light curl coreutils oathtool" ;;
esac

missing=""
for p in $pkgs; do
	# node and npm may come from elsewhere than Debian (this machine has Node 20 from nodesource)
	case $p in
	nodejs) command -v node >/dev/null 2>&1 && continue ;;
	npm) command -v npm >/dev/null 2>&1 && continue ;;
	esac
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
	$sudo apt-get update -q
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
fi

# npm packages: only when node_modules is missing or older than the lock file
npm_install() {
	dir=$1
	[ -f "$dir/package-lock.json" ] || return 0
	if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
		echo "deps: npm ci in $dir"
		(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
	fi
}
npm_install web
[ "$what" = test ] && npm_install tests
exit 0
