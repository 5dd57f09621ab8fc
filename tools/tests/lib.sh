# Shared by the system tests in tools/tests/ (run by `make test`): each check prints one
# line, a failure says what was expected and what happened, and the script ends with
# "N passed, N failed" and exits 1 when anything failed.
# Usage: source tools/tests/lib.sh; pass "what"; fail "what" "why"; check "what" cmd args…; finish

passed=0
failed=0
failures=()

pass() { passed=$((passed + 1)); printf '  ok    %s\n' "$1"; }
fail() {
    failed=$((failed + 1)); failures+=("$1")
    printf '  FAIL  %s\n' "$1"
    [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/        /' | head -20
}
# check WHAT COMMAND…: passes when COMMAND exits 0; on failure shows its output.
check() {
    local what=$1; shift
    local output
    if output=$("$@" 2>&1); then pass "$what"; else fail "$what" "$output"; fi
}
finish() {
    if [ "$failed" -gt 0 ]; then
        printf 'failed:\n'; printf '  %s\n' "${failures[@]}"
    fi
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
# The directory of the built executables: $WATTBIT_BIN_DIR, else .build/release (as the
# end-to-end tests).
bin_dir() {
    local dir="${WATTBIT_BIN_DIR:-$ROOT/.build/release}"
    if [ ! -x "$dir/wattbit" ]; then
        echo "no built wattbit in $dir; run 'swift build -c release' (make test does) or set WATTBIT_BIN_DIR" >&2
        exit 69
    fi
    (cd "$dir" && pwd -P)
}
# Skips the whole script, saying so, when a tool is genuinely absent.
require_tool() {
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "SKIPPED: $1 is not installed (tools/setup --test installs ${2:-$1}); 0 passed, 0 failed"
        exit 0
    fi
}
