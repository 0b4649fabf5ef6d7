#!/bin/sh
# make run: start the demo company on LISTEN and print how to log in (mamori demo does both).
set -eu
bin=${1:-build/mamori}
listen=${2:-127.0.0.1:8080}
exec "$bin" demo --listen "$listen"
