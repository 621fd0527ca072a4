#!/usr/bin/env bash
# Provision Directus users with roster from a small list, idempotently: running it
# again changes nothing and exits 0, so it can sit in a deploy or CI pipeline.
#
#   ROSTER_DATABASE_URL=sqlite:/srv/directus/data.db bash examples/provision.sh
#
# Environment:
#   ROSTER                  the roster binary (default: roster, found on PATH)
#   ROSTER_DATABASE_URL     the database (default: roster.db here, created on first use)
#   CREDENTIALS_FILE        where generated passwords of new users are written
#                           (default: ./new-passwords.tsv, mode 600)
#   <name in the list>      a user's password, for rows that name a variable
#
# Passwords never appear on a command line (where `ps` would show them): roster reads
# them from an environment variable (--password-env) or generates them
# (--random-password) and returns them in its JSON output.
#
# The first failure stops the script with roster's exit code (3 not found, 5 a bad
# email or a password the policy refuses, 6 database unavailable, ...); fix the
# list or the environment and run it again: users already made are left alone.
set -euo pipefail

ROSTER=${ROSTER:-roster}
CREDENTIALS_FILE=${CREDENTIALS_FILE:-./new-passwords.tsv}

# Who to provision. Columns: email, first name, last name, role, action (create or
# invite), and for `create` the environment variable holding the password (empty:
# roster generates one). A role that does not exist yet is created first.
read -r -d '' USERS <<'EOF' || true
# email,first_name,last_name,role,action,password_variable
ada@example.com,Ada,Lovelace,Administrator,create,
grace@example.com,Grace,Hopper,Editor,create,GRACE_PASSWORD
alan@example.com,Alan,Turing,Editor,invite,
EOF

die() {
	printf 'provision.sh: %s\n' "$*" >&2
	exit 2
}

command -v "$ROSTER" >/dev/null 2>&1 ||
	die "cannot run roster ($ROSTER): install it or set ROSTER=/path/to/roster"

# --no-input: never wait for an answer nobody will give; --quiet: data only on stdout
# and no notes on stderr (errors still go there).
# `command` runs the binary even when ROSTER is plain `roster`, the name of this
# function: without it the function would call itself for ever.
roster() {
	command "$ROSTER" --no-input --quiet "$@"
}

HAVE_JQ=false
if command -v jq >/dev/null 2>&1; then
	HAVE_JQ=true
fi

# json_field FIELD: one field of the JSON that `create`/`invite --format json` print
# on stdin (result, id or password), empty when absent. Uses jq when installed; else
# reads roster's pretty-printed layout, which is stable (see the README).
json_field() {
	local json
	json=$(cat)
	if $HAVE_JQ; then
		case $1 in
		id) jq -r '.user.id' <<<"$json" ;;
		*) jq -r --arg f "$1" '.[$f] // empty' <<<"$json" ;;
		esac
		return
	fi
	case $1 in
	id) sed -n 's/^    "id": "\(.*\)",$/\1/p' <<<"$json" | sed -n 1p ;;
	*) sed -n "s/^  \"$1\": \"\\(.*\\)\",\\{0,1\\}\$/\\1/p" <<<"$json" ;;
	esac
}

# role_exists NAME: whether a role of that name exists (names compare in any case).
# The list is read into a variable first: `roster ... | grep -q` could kill roster
# with SIGPIPE, which pipefail would report as a failure.
role_exists() {
	local roles
	roles=$(roster roles list --format json)
	if $HAVE_JQ; then
		jq -e --arg n "$1" 'any(.[]; (.name | ascii_downcase) == ($n | ascii_downcase))' \
			<<<"$roles" >/dev/null
	else
		grep -qiF "\"name\": \"$1\"" <<<"$roles"
	fi
}

ensure_role() {
	if role_exists "$1"; then
		return
	fi
	roster roles create "$1" --app-access >/dev/null
	printf 'created role %s\n' "$1" >&2
}

# Generated passwords are secrets: the file is readable by its owner only.
record_password() {
	(
		umask 077
		printf '%s\t%s\n' "$1" "$2" >>"$CREDENTIALS_FILE"
	)
	printf '  password of %s written to %s\n' "$1" "$CREDENTIALS_FILE" >&2
}

# provision EMAIL FIRST LAST ROLE ACTION PASSWORD_VARIABLE
provision() {
	local email=$1 first=$2 last=$3 role=$4 action=$5 password_var=$6
	local -a args=("$email" --role "$role" --if-not-exists --format json)
	if [[ -n $first ]]; then args+=(--first-name "$first"); fi
	if [[ -n $last ]]; then args+=(--last-name "$last"); fi
	case $action in
	create)
		if [[ -n $password_var && -n ${!password_var:-} ]]; then
			# roster reads the value itself; only the variable's name is an argument.
			args+=(--password-env "$password_var")
		else
			if [[ -n $password_var ]]; then
				printf '%s is not set: roster generates a password for %s\n' "$password_var" "$email" >&2
			fi
			args+=(--random-password)
		fi
		;;
	invite) ;;
	*) die "$email: unknown action '$action' (create or invite)" ;;
	esac

	local out result id password
	out=$(roster "$action" "${args[@]}")
	result=$(json_field result <<<"$out")
	id=$(json_field id <<<"$out")
	password=$(json_field password <<<"$out")
	# created: a new row; restored: a soft-deleted user revived with the same id;
	# exists: already there, nothing changed (this is what a re-run prints).
	printf '%-10s %-24s %s\n' "$result" "$email" "$id"
	if [[ -n $password ]]; then
		record_password "$email" "$password"
	fi
}

main() {
	local email first last role action password_var
	local -A roles_seen=()
	while IFS=, read -r email first last role action password_var; do
		if [[ -z $email || $email == \#* ]]; then continue; fi
		if [[ -z $role ]]; then die "$email: no role given"; fi
		if [[ -z ${roles_seen[${role,,}]:-} ]]; then
			ensure_role "$role"
			roles_seen[${role,,}]=1
		fi
		provision "$email" "$first" "$last" "$role" "$action" "$password_var"
	done <<<"$USERS"
}

main "$@"
