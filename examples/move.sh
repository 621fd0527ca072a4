#!/usr/bin/env bash
# Moves a Directus project's user base (roles, policies, users with their password
# hashes, tokens, SSO identities and every account column) from one database to
# another, which may be empty or already hold some of it: run again, it changes
# nothing. Usage: examples/move.sh FROM_DATABASE TO_DATABASE
# (each a path or URL as -d takes it; ROSTER names the binary, default roster).
set -euo pipefail
roster=${ROSTER:-roster}
from=${1:?usage: move.sh FROM_DATABASE TO_DATABASE}
to=${2:?usage: move.sh FROM_DATABASE TO_DATABASE}

# The file holds password hashes and tokens: private, and gone when done.
umask 077
file=$(mktemp --suffix=.toml)
trap 'rm -f "$file"' EXIT

"$roster" -q -d "$from" export --all --with-secrets --with-roles --output-format toml >"$file"
"$roster" -d "$to" apply --dry-run "$file"   # the plan, changing nothing
"$roster" -d "$to" apply "$file"
