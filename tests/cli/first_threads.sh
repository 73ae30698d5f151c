#!/usr/bin/env bash
# Cli.first_threads: the tool runs real threads, reports every one, and rejects bad input.
set -u
cli=$1
failures=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; failures=$((failures + 1)); fi; }

out=$("$cli" run first-threads --threads 3 --limit 100000); code=$?
check "run exits 0" '[ $code -eq 0 ]'
check "three threads report" '[ "$(grep -c "^  thread [0-2] (id" <<<"$out")" -eq 3 ]'
check "total is pi(100000) = 9592" 'grep -q "All 3 threads joined after .* ms: 9592 primes below 100000." <<<"$out"'
ids=$(sed -n 's/^  thread [0-9] (id \([0-9]*\)).*/\1/p' <<<"$out" | sort -u | wc -l)
check "each thread has its own id" '[ "$ids" -eq 3 ]'

"$cli" list | grep -q '^first-threads'; check "list names the lesson" '[ $? -eq 0 ]'
"$cli" --help >/dev/null; check "--help exits 0" '[ $? -eq 0 ]'

expect_usage_error() {  # expect_usage_error NAME EXPECTED_MESSAGE ARGS...
  local name=$1 message=$2; shift 2
  local err; err=$("$cli" "$@" 2>&1 >/dev/null); local code=$?
  check "$name exits 2" '[ $code -eq 2 ]'
  check "$name says: $message" 'grep -qF -- "$message" <<<"$err"'
}
expect_usage_error "no command" "missing command"
expect_usage_error "unknown command" "unknown command 'frobnicate'" frobnicate
expect_usage_error "unknown lesson" "no lesson named 'nope'" run nope
expect_usage_error "threads=0" "--threads must be a whole number from 1 to 16, not '0'" run first-threads --threads 0
expect_usage_error "threads=abc" "not 'abc'" run first-threads --threads abc
expect_usage_error "threads=-1" "not '-1'" run first-threads --threads -1
expect_usage_error "huge limit" "--limit must be a whole number from 1 to 100000000" run first-threads --limit 99999999999
expect_usage_error "missing value" "--threads needs a value" run first-threads --threads
expect_usage_error "unknown flag" "unknown option '--fast'" run first-threads --fast

echo "$failures failure(s)"
[ $failures -eq 0 ]
