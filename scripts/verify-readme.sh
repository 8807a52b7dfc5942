#!/usr/bin/env bash
# Proves the two commands at the top of README.md: clones this repository into a temp folder and runs
# them verbatim, with pnpm hidden from PATH so only Node and npm are assumed. The start command must
# serve the app with the demo data (every demo account signs in); the test command must pass.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=${VERIFY_PORT:-3700}
work=$(mktemp -d)
server_pid=
finish() {
  [ -z "$server_pid" ] || kill -- "-$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap finish EXIT

command_after() { # the first line of the fenced block after the marker comment
  awk -v marker="<!-- $1 -->" '$0 == marker {found=1; next} found && /^```/ {inblock = !inblock; if (!inblock) exit; next} found && inblock {print; exit}' "$ROOT/README.md"
}
start_cmd=$(command_after start-command)
test_cmd=$(command_after test-command)
[ -n "$start_cmd" ] && [ -n "$test_cmd" ] || { echo "README.md lacks the marked commands"; exit 1; }

git clone -q "$ROOT" "$work/repo"
mkdir "$work/no-pnpm"
printf '#!/bin/sh\necho "pnpm is not installed here" >&2\nexit 127\n' > "$work/no-pnpm/pnpm"
chmod +x "$work/no-pnpm/pnpm"
export PATH="$work/no-pnpm:$PATH" PORT
cd "$work/repo"

echo "start: $start_cmd"
setsid bash -c "$start_cmd" > "$work/start.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$PORT/readyz" > /dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/start.log"; echo "the start command exited"; exit 1; }
  sleep 1
done
curl -fs "http://127.0.0.1:$PORT/readyz" > /dev/null || { tail -50 "$work/start.log"; echo "not ready after 300 s"; exit 1; }
curl -fs "http://127.0.0.1:$PORT/" | grep -q '<div id="app"' || { echo "the web app is not served"; exit 1; }
for phone in 13900000001 13900000002 13900000003 13900000004 13900000005 13800000001 13800000200; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' \
    -d "{\"phone\":\"$phone\",\"password\":\"demo12345\"}" "http://127.0.0.1:$PORT/api/v1/auth/login")
  [ "$status" = 200 ] || { echo "demo account $phone could not sign in ($status)"; exit 1; }
done
echo "the app started; every demo account signed in"
kill -- "-$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=

echo "test: $test_cmd"
bash -c "$test_cmd" > "$work/test.log" 2>&1 || { tail -60 "$work/test.log"; echo "the test command failed"; exit 1; }
# The summary line, without colour codes: "Tests  N passed (N)".
sed 's/\x1b\[[0-9;]*m//g' "$work/test.log" | grep -E '^ *Tests +[0-9]+ passed'
echo "README commands verified"
