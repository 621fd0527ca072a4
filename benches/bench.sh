#!/usr/bin/env bash
# Performance benchmarks of roster against the targets of spec §9 (P1–P10).
#
#   benches/bench.sh            # everything but P6, in one run (about 1¼ hours on 2 idle cores, plus the build;
#                               # P8 takes up to half of it, its re-runs cut off at P8_TIMEOUT)
#   P6=1 benches/bench.sh       # P6 too: installs Directus 11.3.5 with npm the first time (minutes)
#
# Knobs (environment), mostly for quick trial runs:
#   P1_USERS=100  P1_RUNS=100  P1_ROUNDS=3     roster list vs sqlite3
#   P2_RUNS=10    P2_ROUNDS=2                  roster create vs argon2 CLI
#   P3_USERS=1000 P3_RUNS=1    P3_REF_RUNS=10  import with passwords vs one-core argon2 CLI
#   P4_ROWS=100000 P4_RUNS=5                   import of invited users vs sqlite3 .import / psql \copy
#   P4_PG=auto                                 auto: PostgreSQL part when $PG_ADMIN_URL answers; 0: skip it
#   PG_ADMIN_URL=postgresql://postgres@127.0.0.1:5432/postgres
#                                              server for P4's scratch databases (created, then dropped)
#   P5_ROWS=1000000  P5_RUNS=3                 list --format json, export --format csv (P7) of many users
#   P6=1  P6_RUNS=3                            roster create vs `directus users create`
#   MY=auto                                    auto: MariaDB parts (P4my, P8-P10) when $MY_ADMIN_URL answers; 0: skip them
#   MY_ADMIN_URL=mysql://root@127.0.0.1:3306/test
#                                              MariaDB server for the scratch databases (created, then dropped)
#   PG=auto                                    auto: PostgreSQL parts of P8-P10 when $PG_ADMIN_URL answers; 0: skip them
#   P8=1  P8_USERS=100000  P8_RUNS=3           second apply / import --on-conflict update of unchanged users vs export
#         P8_TIMEOUT=300                       seconds after which a re-run is cut off (a FAIL row, not timed further)
#   P9=1  P9_ROWS=1000000                      peak memory of importing invited users, each database
#   P10=1 P10_BIG=1000000 P10_SMALL=100        show / suspend by email, big vs small database
#         P10_RUNS=50 P10_ROUNDS=2
#                                              (P8=0, P9=0, P10=0 skip those parts)
#   DIRECTUS_DIR=/var/cache/roster-bench/directus
#                                              where P6 installs (and finds) Directus's CLI
#   QUIET_WAIT=120                             seconds to wait for the load average to
#                                              fall below the core count before measuring
#   KEEP=1                                     keep the temporary folder
#
# Prints a summary table on stdout; progress goes to stderr. Exits 0 when every
# measurement ran, whether or not it met its target (the table says which).
set -euo pipefail

P1_USERS=${P1_USERS:-100}
P1_RUNS=${P1_RUNS:-100}
P1_ROUNDS=${P1_ROUNDS:-3}
P2_RUNS=${P2_RUNS:-10}
P2_ROUNDS=${P2_ROUNDS:-2}
P3_USERS=${P3_USERS:-1000}
P3_RUNS=${P3_RUNS:-1}
P3_REF_RUNS=${P3_REF_RUNS:-10}
P4_ROWS=${P4_ROWS:-100000}
P4_RUNS=${P4_RUNS:-5}
P4_PG=${P4_PG:-auto}
PG_ADMIN_URL=${PG_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
P5_ROWS=${P5_ROWS:-1000000}
P5_RUNS=${P5_RUNS:-3}
P6=${P6:-0}
P6_RUNS=${P6_RUNS:-3}
PG=${PG:-auto}
MY=${MY:-auto}
MY_ADMIN_URL=${MY_ADMIN_URL:-mysql://root@127.0.0.1:3306/test}
P8=${P8:-1}
P8_USERS=${P8_USERS:-100000}
P8_RUNS=${P8_RUNS:-3}
P8_TIMEOUT=${P8_TIMEOUT:-300}
P9=${P9:-1}
P9_ROWS=${P9_ROWS:-1000000}
P10=${P10:-1}
P10_BIG=${P10_BIG:-1000000}
P10_SMALL=${P10_SMALL:-100}
P10_RUNS=${P10_RUNS:-50}
P10_ROUNDS=${P10_ROUNDS:-2}
DIRECTUS_VERSION=11.3.5
DIRECTUS_DIR=${DIRECTUS_DIR:-/var/cache/roster-bench/directus}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)

say() { printf '%s\n' "$*" >&2; }
die() { say "bench.sh: $*"; exit 1; }

# ---------------------------------------------------------------------------
# Tools: install what is missing (apt-get update at most once).
# ---------------------------------------------------------------------------
need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v argon2 >/dev/null || need+=(argon2)
command -v sqlite3 >/dev/null || need+=(sqlite3)
[[ -x /usr/bin/time ]] || need+=(time)
command -v jq >/dev/null || need+=(jq)
if ((${#need[@]})); then
    say "installing: ${need[*]}"
    SUDO=()
    if [[ $(id -u) != 0 ]]; then
        command -v sudo >/dev/null || die "need root or sudo to install ${need[*]}"
        SUDO=(sudo)
    fi
    "${SUDO[@]}" apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "${need[@]}" >&2
fi

# ---------------------------------------------------------------------------
# Build, and pin the binary (others may rebuild the shared target dir meanwhile).
# ---------------------------------------------------------------------------
# The commit the working tree is at, marked +dirty when it has changes (read-only git).
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ $COMMIT != unknown && -n $(GIT_OPTIONAL_LOCKS=0 git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null) ]]; then
    COMMIT="$COMMIT+dirty"
fi

say "building roster (cargo build --profile dist, as released) ..."
(cd "$ROOT" && cargo build --profile dist >&2)
TARGET_DIR=$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps | jq -r .target_directory)

W=$(mktemp -d "${TMPDIR:-/tmp}/roster-bench.XXXXXX")
# Scratch PostgreSQL and MariaDB databases are dropped on the way out, whatever happens.
PG_SCRATCH=() MY_SCRATCH=()
cleanup() {
    local d
    for d in "${PG_SCRATCH[@]}"; do
        psql -q -X -d "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true
    done
    for d in "${MY_SCRATCH[@]}"; do
        my_client -e "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true
    done
    [[ -n ${KEEP:-} ]] || rm -rf "$W"
}
trap cleanup EXIT
[[ -z ${KEEP:-} ]] || say "keeping $W"
cp "$TARGET_DIR/dist/roster" "$W/roster"
R="$W/roster"
cd "$W"

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
# bench TAG ROUNDS NAME_A CMD_A NAME_B CMD_B -- HYPERFINE_OPTIONS...
# Runs hyperfine ROUNDS times, swapping the order of A and B every round so a
# burst of load from other processes does not fall on one side only, and pools
# the run times of every round. Sets MED_A/MED_B (median, seconds) and N_A/N_B.
bench() {
    local tag=$1 rounds=$2 na=$3 ca=$4 nb=$5 cb=$6
    shift 6
    [[ ${1:-} == -- ]] && shift
    local i
    for ((i = 1; i <= rounds; i++)); do
        local -a order
        if ((i % 2)); then order=(-n "$na" "$ca" -n "$nb" "$cb"); else order=(-n "$nb" "$cb" -n "$na" "$ca"); fi
        # BENCH_PREP_A/B: a --prepare command of each side's own, in the round's order.
        if [[ -n ${BENCH_PREP_A:-} ]]; then
            if ((i % 2)); then order+=(--prepare "$BENCH_PREP_A" --prepare "$BENCH_PREP_B")
            else order+=(--prepare "$BENCH_PREP_B" --prepare "$BENCH_PREP_A"); fi
        fi
        if ! hyperfine --style none "$@" --export-json "$W/$tag.$i.json" "${order[@]}" >"$W/$tag.$i.log" 2>&1; then
            cat "$W/$tag.$i.log" >&2
            # BENCH_SOFT: the caller reports the failure in the table instead.
            if [[ -n ${BENCH_SOFT:-} ]]; then
                BENCH_ERR=$(grep -m1 -o 'error: .*' "$W/$tag.$i.log" || echo "a benchmarked command failed")
                return 1
            fi
            die "$tag: a benchmarked command failed"
        fi
    done
    local q='def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
             [.[].results[] | select(.command == $c) | .times[]] | "\(median) \(length) \(min)"'
    read -r MED_A N_A MIN_A < <(jq -rs --arg c "$na" "$q" "$W/$tag".*.json)
    read -r MED_B N_B MIN_B < <(jq -rs --arg c "$nb" "$q" "$W/$tag".*.json)
    say "  $(printf '%-9s median %10s  min %10s  (%s runs)' "$na" "$(ms "$MED_A")" "$(ms "$MIN_A")" "$N_A")"
    say "  $(printf '%-9s median %10s  min %10s  (%s runs)' "$nb" "$(ms "$MED_B")" "$(ms "$MIN_B")" "$N_B")"
}

# bench_one TAG NAME CMD -- HYPERFINE_OPTIONS...: one command alone (for long runs,
# or a reference measured apart). Sets MED (median, seconds), N and MIN.
bench_one() {
    local tag=$1 name=$2 cmd=$3
    shift 3
    [[ ${1:-} == -- ]] && shift
    if ! hyperfine --style none "$@" --export-json "$W/$tag.json" -n "$name" "$cmd" >"$W/$tag.log" 2>&1; then
        cat "$W/$tag.log" >&2
        die "$tag: a benchmarked command failed"
    fi
    read -r MED N MIN < <(jq -r '[.results[0].times[]] | sort
        | (if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end) as $m
        | "\($m) \(length) \(min)"' "$W/$tag.json")
    say "  $(printf '%-9s median %10s  min %10s  (%s runs)' "$name" "$(ms "$MED")" "$(ms "$MIN")" "$N")"
}

ms() { awk -v s="$1" 'BEGIN { v = s * 1000; if (v >= 1000) printf "%.2f s", v / 1000; else printf "%.2f ms", v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b) ? "PASS" : "FAIL" }'; }
# le VALUE LIMIT -> PASS/FAIL
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? "PASS" : "FAIL" }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b) ? "PASS" : "FAIL" }'; }

# Peak RSS (KiB) of a command whose stdout is counted in lines: sets RSS_KB, OUT_LINES.
peak_rss() {
    local out=$W/rss.$$.txt
    OUT_LINES=$( { /usr/bin/time -v -o "$out" "$@"; } | wc -l)
    RSS_KB=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out")
}
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }

ROWS=()
row() { ROWS+=("$(printf '%s\t' "$@")"); }

# The SELECT roster runs for `list` (src/repo/users.rs, select() and list()) on
# roster's standalone schema, with the default filter (soft-deleted users hidden),
# sorted by email then id, LIMIT i64::MAX OFFSET 0 as roster binds them.
USER_SELECT="SELECT u.id, u.email, u.first_name, u.last_name, u.status, u.role, r.name AS role_name,
 u.title, u.company, u.timezone, u.language, u.appearance, u.email_notifications, u.avatar, u.provider,
 CASE WHEN u.password IS NULL THEN 0 ELSE 1 END AS password_set,
 CASE WHEN u.token IS NULL THEN 0 ELSE 1 END AS token_set,
 CASE WHEN u.tfa_secret IS NULL THEN 0 ELSE 1 END AS tfa_enabled, u.last_access,
 u.location, u.description, u.tags, NULL AS text_direction, u.theme_light, u.theme_dark,
 u.theme_light_overrides, u.theme_dark_overrides, u.external_identifier, u.last_page
 FROM directus_users u LEFT JOIN directus_roles r ON r.id = u.role
 WHERE u.status NOT IN ('deleted', 'archived')
 ORDER BY u.email, u.id LIMIT 9223372036854775807 OFFSET 0"
USER_SELECT=$(tr '\n' ' ' <<<"$USER_SELECT")

# fill DB N ROLE_SQL: N active users with valid lower-case emails (in an order
# unrelated to insertion), names, a Directus-shaped password hash, provider default.
# ROLE_SQL is an SQL expression of i giving each user's role id.
fill() {
    local db=$1 n=$2 role=$3
    sqlite3 "$db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n)
        INSERT INTO directus_users (id, email, first_name, last_name, password, status, role, provider)
        SELECT printf('%08x-%04x-4%03x-8%03x-%012x', i, i % 65536, i % 4096, (i * 7) % 4096, i * 2654435761 % 281474976710656),
               printf('user%07d@example.com', (i * 7919) % $n),
               'First' || i, 'Last' || i,
               '\$argon2id\$v=19\$m=65536,t=3,p=4\$c29tZXNhbHRzb21lc2FsdA\$K3HMs5Q5CsX2VNF4bR7l4A8yFhqZ9x6vNa8Rk2m1bYc',
               'active', $role, 'default'
        FROM n"
}

role_id() { sqlite3 "$1" "SELECT id FROM directus_roles WHERE name = '$2'"; }

# Makes an empty roster database with its Administrator role and an Editor role (no admin access).
new_db() {
    "$R" -q -d "sqlite:$1" init
    "$R" -q -d "$1" roles create Editor --app-access >/dev/null
}

# ---------------------------------------------------------------------------
# The three kinds of database (P4 on MariaDB, P8-P10): sqlite, pg, my
# ---------------------------------------------------------------------------
# A server's parts are measured on scratch databases named roster_bench_<pid>_<part>,
# created here and dropped at the end, when its admin URL answers.
kind_name() { case $1 in sqlite) echo SQLite ;; pg) echo PostgreSQL ;; my) echo MariaDB ;; esac; }
PG_BASE=${PG_ADMIN_URL%/*}
PG_NOTE=
if [[ $PG == 0 ]]; then
    PG_NOTE="not measured: PG=0"
elif ! command -v psql >/dev/null; then
    PG_NOTE="not measured: no psql on this machine"
elif ! psql -X -q -d "$PG_ADMIN_URL" -Atc 'SELECT 1' >/dev/null 2>&1; then
    PG_NOTE="not measured: no PostgreSQL answers at $PG_ADMIN_URL"
fi
# The mariadb client's settings, from MY_ADMIN_URL (mysql://USER[:PASSWORD]@HOST[:PORT]/DB[?QUERY]);
# the password, if any, reaches the client through MYSQL_PWD.
MY_CLI=() MY_BASE= MY_QUERY=
MY_NOTE=
my_re='^(mysql|mariadb)://(([^:@/]*)(:([^@/]*))?@)?([^:/?]+)(:([0-9]+))?(/[^?]*)?(\?(.*))?$'
if [[ $MY == 0 ]]; then
    MY_NOTE="not measured: MY=0"
elif ! command -v mariadb >/dev/null; then
    MY_NOTE="not measured: no mariadb client on this machine"
elif ! [[ $MY_ADMIN_URL =~ $my_re ]]; then
    MY_NOTE="not measured: MY_ADMIN_URL is not mysql://USER[:PASSWORD]@HOST[:PORT]/DB"
else
    MY_CLI=(mariadb --protocol=TCP -h "${BASH_REMATCH[6]}" -P "${BASH_REMATCH[8]:-3306}")
    [[ -z ${BASH_REMATCH[3]} ]] || MY_CLI+=(-u "${BASH_REMATCH[3]}")
    [[ -z ${BASH_REMATCH[5]} ]] || export MYSQL_PWD=${BASH_REMATCH[5]}
    MY_QUERY=${BASH_REMATCH[11]}
    MY_BASE=${MY_ADMIN_URL%%\?*}
    [[ -z ${BASH_REMATCH[9]} ]] || MY_BASE=${MY_BASE%/*}
    if ! "${MY_CLI[@]}" -N -B -e 'SELECT 1' >/dev/null 2>&1; then
        MY_NOTE="not measured: no MariaDB answers at $MY_ADMIN_URL"
    fi
fi
my_client() { "${MY_CLI[@]}" "$@"; }
# The same client as one shell word list, for hyperfine's commands.
MY_SH=$(printf '%q ' "${MY_CLI[@]}")
my_url() { echo "$MY_BASE/$1${MY_QUERY:+?$MY_QUERY}"; }
url_db() { local u=${1%%\?*}; echo "${u##*/}"; }
# kind_note KIND: why that kind is not measured (empty when it is).
kind_note() { case $1 in pg) echo "$PG_NOTE" ;; my) echo "$MY_NOTE" ;; *) echo ;; esac; }

# db_new KIND NAME: an empty roster database (init, and an Editor role with app
# access) of that kind; sets URL. SQLite: NAME.db in the work folder.
db_new() {
    local kind=$1 name=$2 db=roster_bench_$$_$2
    case $kind in
    sqlite)
        rm -f "$name.db"
        URL=$name.db
        ;;
    pg)
        PG_SCRATCH+=("$db")
        PGOPTIONS=--client-min-messages=warning psql -X -q -v ON_ERROR_STOP=1 -d "$PG_ADMIN_URL" \
            -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
        URL=$PG_BASE/$db
        ;;
    my)
        MY_SCRATCH+=("$db")
        my_client -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
        URL=$(my_url "$db")
        ;;
    esac
    [[ $kind != sqlite ]] || URL=sqlite:$URL
    "$R" -q -d "$URL" init
    "$R" -q -d "$URL" roles create Editor --app-access >/dev/null
    [[ $kind != sqlite ]] || URL=${URL#sqlite:}
}

# db_drop KIND URL
db_drop() {
    case $1 in
    sqlite) rm -f "$2" ;;
    pg) PGOPTIONS=--client-min-messages=warning psql -X -q -d "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $(url_db "$2")" >/dev/null ;;
    my) my_client -e "DROP DATABASE IF EXISTS $(url_db "$2")" ;;
    esac
}

# db_sql KIND URL SQL: runs SQL, prints the rows' values tab-separated, no header.
db_sql() {
    case $1 in
    sqlite) sqlite3 -bail -separator $'\t' "$2" "$3" ;;
    pg) psql -X -q -At -F $'\t' -v ON_ERROR_STOP=1 -d "$2" -c "$3" ;;
    my) my_client -N -B "$(url_db "$2")" -e "$3" ;;
    esac
}

DIRECTUS_HASH='$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$K3HMs5Q5CsX2VNF4bR7l4A8yFhqZ9x6vNa8Rk2m1bYc'
# db_fill KIND URL N: N active users in Editor as fill makes them (user%07d@example.com
# emails in an order unrelated to insertion, names, a password hash), with one SQL
# statement on the server; then the table's statistics, as a live database has them.
db_fill() {
    local kind=$1 url=$2 n=$3 role
    role=$(db_sql "$kind" "$url" "SELECT id FROM directus_roles WHERE name = 'Editor'")
    case $kind in
    sqlite) fill "$url" "$n" "'$role'" ;;
    pg)
        db_sql pg "$url" "INSERT INTO directus_users (id, email, first_name, last_name, password, status, role, provider)
            SELECT gen_random_uuid(), 'user' || lpad(((i::bigint * 7919) % $n)::text, 7, '0') || '@example.com',
                   'First' || i, 'Last' || i, '$DIRECTUS_HASH', 'active', '$role', 'default'
            FROM generate_series(1, $n) AS i" >/dev/null
        db_sql pg "$url" "ANALYZE directus_users" >/dev/null
        ;;
    my)
        # seq_1_to_N: MariaDB's SEQUENCE engine.
        db_sql my "$url" "INSERT INTO directus_users (id, email, first_name, last_name, password, status, role, provider)
            SELECT UUID(), CONCAT('user', LPAD((seq * 7919) % $n, 7, '0'), '@example.com'),
                   CONCAT('First', seq), CONCAT('Last', seq), '$DIRECTUS_HASH', 'active', '$role', 'default'
            FROM seq_1_to_$n" >/dev/null
        db_sql my "$url" "ANALYZE TABLE directus_users" >/dev/null
        ;;
    esac
}

CORES=$(nproc)
load1() { cut -d' ' -f1 /proc/loadavg; }
busy() { awk -v l="$(load1)" -v c="$CORES" 'BEGIN { exit !(l > c) }'; }
QUIET_WAIT=${QUIET_WAIT:-120}
if busy; then
    say "load average $(load1) on $CORES cores: waiting up to ${QUIET_WAIT}s for it to fall ..."
    for ((t = 0; t < QUIET_WAIT; t += 5)); do busy || break; sleep 5; done
fi
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
say ""
say "roster benchmarks - $(date -u +%Y-%m-%dT%H:%M:%SZ)"
say "  commit   $COMMIT"
say "  cpu      $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo) x $CORES cores"
say "  tools    $(hyperfine --version), sqlite3 $(sqlite3 --version | cut -d' ' -f1), argon2 $(dpkg-query -W -f='${Version}' argon2 2>/dev/null || echo '?')"
say "  load     $LOAD_START (other work on this machine adds noise; medians are used)"

# ---------------------------------------------------------------------------
# P1: roster list on a 100-user SQLite file vs sqlite3 running the same SELECT
# ---------------------------------------------------------------------------
say ""
say "P1: list of $P1_USERS users, roster (table) vs sqlite3 (same SELECT), whole processes"
new_db p1.db
ADMIN=$(role_id p1.db Administrator)
EDITOR=$(role_id p1.db Editor)
fill p1.db "$P1_USERS" "CASE WHEN i % 10 = 0 THEN '$ADMIN' ELSE '$EDITOR' END"
got=$("$R" -d p1.db list | grep -c '@example.com' || true)
ref=$(sqlite3 p1.db "$USER_SELECT" | wc -l)
[[ $got == "$P1_USERS" && $ref == "$P1_USERS" ]] || die "P1: expected $P1_USERS rows, roster printed $got, sqlite3 $ref"
bench p1 "$P1_ROUNDS" roster "$R -d p1.db list" sqlite3 "sqlite3 p1.db \"$USER_SELECT\"" \
    -- -N --warmup 5 --runs "$P1_RUNS"
P1_R=$MED_A P1_S=$MED_B
P1_RATIO=$(ratio "$P1_R" "$P1_S")
row P1 "list, $P1_USERS users (table)" "$(ms "$P1_R")" "sqlite3 $(ms "$P1_S")" "$P1_RATIO" "<= 1.25" "$(le "$P1_RATIO" 1.25)"

# ---------------------------------------------------------------------------
# P2: roster create vs one hash by the reference argon2 CLI, same parameters
# ---------------------------------------------------------------------------
say ""
say "P2: roster create (argon2id m=65536 KiB t=3 p=4) vs one hash by the argon2 CLI"
cp p1.db p2.db
printf '%s' 'Bench-Passw0rd!' >pw.txt
export ROSTER_BENCH_PW='Bench-Passw0rd!'
# Every run creates the same email, which --prepare removes first: a fresh user each run.
# -e: the CLI prints the encoded hash only; without it, it also verifies (a second hash).
bench p2 "$P2_ROUNDS" \
    roster "$R -q -d p2.db create bench@example.com --role Administrator --password-env ROSTER_BENCH_PW" \
    argon2 "argon2 somesalt16bytes! -id -t 3 -m 16 -p 4 -l 32 -e < pw.txt" \
    -- --warmup 2 --runs "$P2_RUNS" \
    --prepare "sqlite3 p2.db \"DELETE FROM directus_users WHERE email = 'bench@example.com'\""
# --prepare also runs before the argon2 runs, so the last round may have removed
# the user: create it once more, untimed, to check what the timed runs did.
sqlite3 p2.db "DELETE FROM directus_users WHERE email = 'bench@example.com'"
"$R" -q -d p2.db create bench@example.com --role Administrator --password-env ROSTER_BENCH_PW
"$R" -q -d p2.db show bench@example.com --format json | jq -e '.password_set and .status == "active"' >/dev/null \
    || die "P2: roster create did not leave an active user with a password"
P2_R=$MED_A P2_A=$MED_B
P2_RATIO=$(ratio "$P2_R" "$P2_A")
row P2 "create (hash + insert + audit)" "$(ms "$P2_R")" "argon2 $(ms "$P2_A")" "$P2_RATIO" "<= 1.15" "$(le "$P2_RATIO" 1.15)"

# ---------------------------------------------------------------------------
# P3: import of users with passwords: is the hashing spread over every core?
# ---------------------------------------------------------------------------
say ""
say "P3: import $P3_USERS users with passwords vs $CORES x the one-core argon2id hash rate"
new_db p3-empty.db
awk -v n="$P3_USERS" 'BEGIN { print "email,first_name,last_name,role,password"
    for (i = 1; i <= n; i++) printf "p3user%05d@example.com,First%d,Last%d,Editor,Bench-Passw0rd!%d\n", i, i, i, i }' >p3.csv
# The single-thread hash rate: one hash with Directus's parameters by the reference
# CLI, its lane threads pinned to one CPU (taskset), so the 4 lanes share one core.
# Half the reference runs come before roster's import and half after, pooled, so
# a change of load during the long import falls on both sides.
P3_REF_CMD="taskset -c 0 argon2 somesalt16bytes! -id -t 3 -m 16 -p 4 -l 32 -e < pw.txt"
bench_one p3ref.1 argon2-1cpu "$P3_REF_CMD" -- --warmup 1 --runs $(((P3_REF_RUNS + 1) / 2))
bench_one p3 roster "$R -q -d p3.db import p3.csv" -- --runs "$P3_RUNS" --prepare "cp p3-empty.db p3.db"
P3_T=$MED
bench_one p3ref.2 argon2-1cpu "$P3_REF_CMD" -- --runs $((P3_REF_RUNS / 2 > 0 ? P3_REF_RUNS / 2 : 1))
P3_H=$(jq -s '[.[].results[0].times[]] | sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end' "$W"/p3ref.*.json)
n=$(sqlite3 p3.db "SELECT count(*) FROM directus_users WHERE status = 'active' AND password LIKE '\$argon2id\$v=19\$m=65536,t=3,p=4\$%'")
[[ $n == "$P3_USERS" ]] || die "P3: expected $P3_USERS active users with a Directus-parameter argon2id hash, found $n"
# Throughput over the ideal: (N / T) / (cores / H).
P3_EFF=$(awk -v n="$P3_USERS" -v t="$P3_T" -v h="$P3_H" -v c="$CORES" 'BEGIN { printf "%.2f", n * h / (c * t) }')
P3_RATE=$(awk -v n="$P3_USERS" -v t="$P3_T" 'BEGIN { printf "%.1f", n / t }')
P3_IDEAL=$(awk -v h="$P3_H" -v c="$CORES" 'BEGIN { printf "%.1f", c / h }')
say "  argon2-1cpu pooled median $(ms "$P3_H"); roster $P3_RATE users/s, ideal $CORES cores x 1/$(ms "$P3_H") = $P3_IDEAL/s"
row P3 "import $P3_USERS users with passwords: users/s" "$P3_RATE/s ($(ms "$P3_T"))" "$CORES x 1-cpu hash: $P3_IDEAL/s" "$P3_EFF" ">= 0.85" "$(ge "$P3_EFF" 0.85)"

# ---------------------------------------------------------------------------
# P4: import of invited users (no passwords) vs the databases' own CSV loaders
# ---------------------------------------------------------------------------
# The same CSV for both: email, names and a role by name. The references load it
# the way a DBA would, in one transaction: sqlite3's .import (psql's \copy) into a
# temporary table of the file's columns, then one INSERT ... SELECT into
# directus_users that gives each row what roster gives it and the file lacks (a
# random UUID, status invited, the role's id for its name). Both sides write the
# same rows into the same table with its indexes; roster also checks every row,
# looks for existing users, and writes an activity row per user.
say ""
say "P4: import $P4_ROWS invited users (no passwords) vs the database's own CSV loader"
new_db p4-empty.db
P4_EDITOR=$(role_id p4-empty.db Editor)
awk -v n="$P4_ROWS" 'BEGIN { print "email,first_name,last_name,role"
    for (i = 1; i <= n; i++) printf "p4user%07d@example.com,First%d,Last%d,Editor\n", (i * 7919) % n, i, i }' >p4.csv
[[ $(cut -d, -f1 p4.csv | sort -u | wc -l) == $((P4_ROWS + 1)) ]] || die "P4: the generated emails are not unique (choose another P4_ROWS)"
cat >p4-sqlite.sql <<'SQL'
BEGIN;
CREATE TEMP TABLE bench_in (email TEXT, first_name TEXT, last_name TEXT, role TEXT);
.import --csv --skip 1 p4.csv bench_in
INSERT INTO directus_users (id, email, first_name, last_name, role, status)
SELECT lower(printf('%s-%s-4%s-%s%s-%s', hex(randomblob(4)), hex(randomblob(2)), substr(hex(randomblob(2)), 2),
                    substr('89ab', 1 + abs(random()) % 4, 1), substr(hex(randomblob(2)), 2), hex(randomblob(6)))),
       i.email, i.first_name, i.last_name, r.id, 'invited'
FROM bench_in i LEFT JOIN directus_roles r ON r.name = i.role;
COMMIT;
SQL
P4_SQLITE_REF="sqlite3 -bail p4.db '.read p4-sqlite.sql'"
# p4_check DB_CMD WHO: the last run left N invited users of the role (DB_CMD runs SQL).
p4_check() {
    local n
    n=$($1 "SELECT count(*) FROM directus_users WHERE status = 'invited' AND role = '$P4_EDITOR' AND email LIKE 'p4user%'")
    [[ $n == "$P4_ROWS" ]] || die "P4: after $2, expected $P4_ROWS invited users in Editor, found $n"
}
sq_p4() { sqlite3 p4.db "$1"; }
cp p4-empty.db p4.db && "$R" -q -d p4.db import p4.csv >/dev/null && p4_check sq_p4 "roster import"
cp p4-empty.db p4.db && eval "$P4_SQLITE_REF" && p4_check sq_p4 "sqlite3 .import"
bench p4 2 roster "$R -q -d p4.db import p4.csv" sqlite3 "$P4_SQLITE_REF" \
    -- --warmup 1 --runs "$P4_RUNS" --prepare "cp p4-empty.db p4.db"
P4_RATIO=$(ratio "$MED_A" "$MED_B")
row P4 "import $P4_ROWS invited users, SQLite" "$(ms "$MED_A")" "sqlite3 .import $(ms "$MED_B")" "$P4_RATIO" "<= 2.00" "$(le "$P4_RATIO" 2)"
rm -f p4.db p4-empty.db

# PostgreSQL: a scratch template database made by roster init; before every run a
# fresh copy of it (CREATE DATABASE ... TEMPLATE), as cp does for SQLite.
p4_pg() {
    if [[ $P4_PG == 0 ]]; then
        P4_PG_NOTE="not measured: P4_PG=0"
        return
    fi
    if ! command -v psql >/dev/null; then
        P4_PG_NOTE="not measured: no psql on this machine"
        return
    fi
    if ! psql -X -q -d "$PG_ADMIN_URL" -Atc 'SELECT 1' >/dev/null 2>&1; then
        P4_PG_NOTE="not measured: no PostgreSQL answers at $PG_ADMIN_URL"
        return
    fi
    local tpl="roster_bench_$$_tpl" db="roster_bench_$$" base=${PG_ADMIN_URL%/*}
    PG_SCRATCH+=("$db" "$tpl")
    local admin=(psql -X -q -v ON_ERROR_STOP=1 -d "$PG_ADMIN_URL")
    "${admin[@]}" -c "CREATE DATABASE $tpl" >/dev/null
    "$R" -q -d "$base/$tpl" init
    "$R" -q -d "$base/$tpl" roles create Editor --app-access >/dev/null
    P4_EDITOR=$(psql -X -At -d "$base/$tpl" -c "SELECT id FROM directus_roles WHERE name = 'Editor'")
    cat >p4-pg.sql <<'SQL'
CREATE TEMP TABLE bench_in (email text, first_name text, last_name text, role text);
\copy bench_in FROM 'p4.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO directus_users (id, email, first_name, last_name, role, status)
SELECT gen_random_uuid(), i.email, i.first_name, i.last_name, r.id, 'invited'
FROM bench_in i LEFT JOIN directus_roles r ON r.name = i.role;
SQL
    local fresh="PGOPTIONS=--client-min-messages=warning psql -X -q -v ON_ERROR_STOP=1 -d '$PG_ADMIN_URL' -c 'DROP DATABASE IF EXISTS $db' -c 'CREATE DATABASE $db TEMPLATE $tpl'"
    local ref="psql -X -q -v ON_ERROR_STOP=1 --single-transaction -d '$base/$db' -f p4-pg.sql"
    pg_p4() { psql -X -At -d "$base/$db" -c "$1"; }
    eval "$fresh" && "$R" -q -d "$base/$db" import p4.csv >/dev/null && p4_check pg_p4 "roster import (PostgreSQL)"
    eval "$fresh" && eval "$ref" >/dev/null && p4_check pg_p4 "psql \\copy"
    # A failing import is a result worth a row (it did happen: too many locks for
    # the server's lock table), not a reason to lose the rest of the run.
    if ! BENCH_SOFT=1 bench p4pg 2 roster "$R -q -d $base/$db import p4.csv" psql "$ref" \
        -- --warmup 1 --runs "$P4_RUNS" --prepare "$fresh"; then
        P4_PG_NOTE="FAIL: a run failed: $BENCH_ERR"
        "${admin[@]}" -c "DROP DATABASE IF EXISTS $db" -c "DROP DATABASE IF EXISTS $tpl" >/dev/null
        return
    fi
    P4_PG_R=$MED_A P4_PG_S=$MED_B
    "${admin[@]}" -c "DROP DATABASE IF EXISTS $db" -c "DROP DATABASE IF EXISTS $tpl" >/dev/null
}
P4_PG_NOTE=
say "  PostgreSQL ($PG_ADMIN_URL, scratch databases):"
p4_pg
if [[ -n $P4_PG_NOTE ]]; then
    say "  $P4_PG_NOTE"
    row P4pg "import $P4_ROWS invited users, PostgreSQL" "-" "-" "-" "<= 2 x psql \\copy" "$P4_PG_NOTE"
else
    P4_RATIO=$(ratio "$P4_PG_R" "$P4_PG_S")
    row P4pg "import $P4_ROWS invited users, PostgreSQL" "$(ms "$P4_PG_R")" "psql \\copy $(ms "$P4_PG_S")" "$P4_RATIO" "<= 2.00" "$(le "$P4_RATIO" 2)"
fi

# MariaDB: before every run a fresh scratch database made by roster init (MariaDB has
# no template databases); the reference is the mariadb client reading an SQL file
# made once from p4.csv: the same rows as INSERT statements of 1,000 rows each, in
# one transaction, each row given what roster gives it (UUID(), status invited,
# the Editor role's id, looked up once into a variable).
p4_my() {
    if [[ -n $MY_NOTE ]]; then
        P4_MY_NOTE=$MY_NOTE
        return
    fi
    local db=roster_bench_$$_p4 url
    url=$(my_url "$db")
    MY_SCRATCH+=("$db")
    awk -F, 'BEGIN { print "SET @editor = (SELECT id FROM directus_roles WHERE name = '\''Editor'\'');"; print "START TRANSACTION;" }
        NR > 1 {
            v = v (k ? ",\n" : "") sprintf("(UUID(), '\''%s'\'', '\''%s'\'', '\''%s'\'', @editor, '\''invited'\'')", $1, $2, $3)
            if (++k == 1000) { flush() }
        }
        function flush() { if (k) print "INSERT INTO directus_users (id, email, first_name, last_name, role, status) VALUES\n" v ";"; v = ""; k = 0 }
        END { flush(); print "COMMIT;" }' p4.csv >p4-my.sql
    local fresh="$MY_SH -e 'DROP DATABASE IF EXISTS $db; CREATE DATABASE $db CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci' && $R -q -d '$url' init && $R -q -d '$url' roles create Editor --app-access >/dev/null"
    local ref="$MY_SH $db < p4-my.sql"
    my_p4() { db_sql my "$url" "$1"; }
    p4_my_check() {
        local n
        n=$(my_p4 "SELECT count(*) FROM directus_users u JOIN directus_roles r ON r.id = u.role
            WHERE u.status = 'invited' AND r.name = 'Editor' AND u.email LIKE 'p4user%'")
        [[ $n == "$P4_ROWS" ]] || die "P4: after $1, expected $P4_ROWS invited users in Editor, found $n"
    }
    eval "$fresh" && "$R" -q -d "$url" import p4.csv >/dev/null && p4_my_check "roster import (MariaDB)"
    eval "$fresh" && eval "$ref" && p4_my_check "mariadb < p4-my.sql"
    if ! BENCH_SOFT=1 bench p4my 2 roster "$R -q -d '$url' import p4.csv" mariadb "$ref" \
        -- --warmup 1 --runs "$P4_RUNS" --prepare "$fresh"; then
        P4_MY_NOTE="FAIL: a run failed: $BENCH_ERR"
    else
        P4_MY_R=$MED_A P4_MY_S=$MED_B
    fi
    my_client -e "DROP DATABASE IF EXISTS $db"
}
P4_MY_NOTE=
say "  MariaDB ($MY_ADMIN_URL, scratch databases):"
p4_my
if [[ -n $P4_MY_NOTE ]]; then
    say "  $P4_MY_NOTE"
    row P4my "import $P4_ROWS invited users, MariaDB" "-" "-" "-" "<= 2 x mariadb INSERTs" "$P4_MY_NOTE"
else
    P4_RATIO=$(ratio "$P4_MY_R" "$P4_MY_S")
    row P4my "import $P4_ROWS invited users, MariaDB" "$(ms "$P4_MY_R")" "mariadb 1,000-row INSERTs $(ms "$P4_MY_S")" "$P4_RATIO" "<= 2.00" "$(le "$P4_RATIO" 2)"
fi

# ---------------------------------------------------------------------------
# P5: list --format json of 1,000,000 users vs sqlite3 -json; peak memory
# ---------------------------------------------------------------------------
# Two data sets, the extremes of the one thing that depends on the rows' roles:
#   a) every user in Editor, a role without admin access;
#   b) every user in Administrator (so every user is an administrator).
p5() {
    local db=$1 label=$2 tag=$3
    say "  $label"
    bench "p5$tag" 1 roster "$R -d $db --format json list" sqlite3 "sqlite3 -json $db \"$USER_SELECT\"" \
        -- -N --warmup 1 --runs "$P5_RUNS"
    local r=$MED_A s=$MED_B
    peak_rss "$R" -d "$db" --format json list
    local r_rss=$RSS_KB r_lines=$OUT_LINES
    peak_rss sqlite3 -json "$db" "$USER_SELECT"
    local s_rss=$RSS_KB
    # roster prints "[", one user a line, "]".
    [[ $r_lines == $((P5_ROWS + 2)) ]] || die "P5$tag: roster printed $r_lines lines for $P5_ROWS users"
    say "  peak RSS roster $(mib "$r_rss"), sqlite3 $(mib "$s_rss")"
    local q
    q=$(ratio "$r" "$s")
    row "P5$tag" "list --format json, $P5_ROWS users, $label" "$(ms "$r")" "sqlite3 $(ms "$s")" "$q" "<= 1.25" "$(le "$q" 1.25)"
    row "P5$tag" "  peak memory of that list" "$(mib "$r_rss")" "sqlite3 $(mib "$s_rss")" "-" "< 32 MiB" "$(lt "$r_rss" 32768)"
}
say ""
say "P5: list --format json of $P5_ROWS users vs sqlite3 -json of the same rows"
say "  generating $P5_ROWS users with sqlite3 ..."
new_db p5a.db
fill p5a.db "$P5_ROWS" "'$(role_id p5a.db Editor)'"
cp p5a.db p5b.db
sqlite3 p5b.db "UPDATE directus_users SET role = '$(role_id p5b.db Administrator)'"
p5 p5a.db "non-admin role" a
p5 p5b.db "all admins" b
rm -f p5b.db

# ---------------------------------------------------------------------------
# P7: export --output-format csv of the same 1,000,000 users vs sqlite3 -csv
# ---------------------------------------------------------------------------
# The fields export writes, in its order (src/rows: the portable fields of the
# field table), read as roster reads them: role by name, theme from appearance,
# soft-deleted users left out, sorted by email then id.
# (roster init makes no text_direction column: export writes it empty.)
EXPORT_SELECT="SELECT u.id, u.email, u.first_name, u.last_name, u.status, r.name AS role, u.title, u.company,
 u.timezone, u.language, u.appearance AS theme, u.avatar, u.email_notifications, u.provider, u.last_access,
 u.location, u.description, u.tags, NULL AS text_direction, u.theme_light, u.theme_dark,
 u.theme_light_overrides, u.theme_dark_overrides, u.external_identifier, u.last_page
 FROM directus_users u LEFT JOIN directus_roles r ON r.id = u.role
 WHERE u.status NOT IN ('deleted', 'archived')
 ORDER BY u.email, u.id LIMIT 9223372036854775807 OFFSET 0"
EXPORT_SELECT=$(tr '\n' ' ' <<<"$EXPORT_SELECT")
say ""
say "P7: export --output-format csv of $P5_ROWS users vs sqlite3 -csv -header of the same rows and fields"
# Same header, same rows in the same order (ids and emails), checked on P1's small file.
"$R" -d p1.db export --output-format csv >p7-small.roster
sqlite3 -csv -header p1.db "$EXPORT_SELECT" >p7-small.sqlite
[[ $(head -1 p7-small.roster) == "$(head -1 p7-small.sqlite)" ]] \
    || die "P7: roster's CSV header '$(head -1 p7-small.roster)' is not the reference's '$(head -1 p7-small.sqlite)'"
cmp -s <(cut -d, -f1,2 p7-small.roster) <(cut -d, -f1,2 p7-small.sqlite) \
    || die "P7: roster's export and the reference SELECT give different users or orders (p7-small.*)"
bench p7 1 roster "$R -d p5a.db export --output-format csv" sqlite3 "sqlite3 -csv -header p5a.db \"$EXPORT_SELECT\"" \
    -- -N --warmup 1 --runs "$P5_RUNS"
P7_R=$MED_A P7_S=$MED_B
peak_rss "$R" -d p5a.db export --output-format csv
P7_RSS=$RSS_KB
[[ $OUT_LINES == $((P5_ROWS + 1)) ]] || die "P7: roster printed $OUT_LINES lines for $P5_ROWS users and a header"
peak_rss sqlite3 -csv -header p5a.db "$EXPORT_SELECT"
P7_S_RSS=$RSS_KB
[[ $OUT_LINES == $((P5_ROWS + 1)) ]] || die "P7: sqlite3 printed $OUT_LINES lines for $P5_ROWS users and a header"
say "  peak RSS roster $(mib "$P7_RSS"), sqlite3 $(mib "$P7_S_RSS")"
P7_RATIO=$(ratio "$P7_R" "$P7_S")
row P7 "export --output-format csv, $P5_ROWS users" "$(ms "$P7_R")" "sqlite3 -csv $(ms "$P7_S")" "$P7_RATIO" "<= 2.00" "$(le "$P7_RATIO" 2)"
row P7 "  peak memory of that export" "$(mib "$P7_RSS")" "sqlite3 $(mib "$P7_S_RSS")" "-" "< 64 MiB" "$(lt "$P7_RSS" 65536)"
rm -f p5a.db

# ---------------------------------------------------------------------------
# P8: re-running apply / import --on-conflict update with nothing changed vs export
# ---------------------------------------------------------------------------
# P8_USERS invited users in Editor with profile fields, as an apply file (p8.toml)
# and as the CSV import reads (p8.csv, no passwords), with the same values. The
# first apply makes the users (not timed); every timed run then finds them as the
# file says: apply plans nothing, import updates nothing. The reference is
# `roster export` of the same users from the same database, measured next to each.
p8() {
    local kind=$1 label url n before after wrote=
    label=$(kind_name "$kind")
    say "  $label"
    db_new "$kind" p8
    url=$URL
    say "    first apply (makes the $P8_USERS users, not timed) ..."
    "$R" -q -d "$url" apply p8.toml >/dev/null
    n=$(db_sql "$kind" "$url" "SELECT count(*) FROM directus_users WHERE status = 'invited' AND email LIKE 'p8user%'")
    [[ $n == "$P8_USERS" ]] || die "P8 ($label): the first apply left $n invited users, not $P8_USERS"
    before=$(db_sql "$kind" "$url" "SELECT count(*) FROM directus_activity")
    local lines t0 e0
    t0=$(date +%s%N)
    lines=$("$R" -d "$url" export --output-format csv | grep -c '@example.com' || true)
    e0=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { print (b - a) / 1e9 }')
    ((lines >= P8_USERS)) || die "P8 ($label): export printed $lines users, fewer than $P8_USERS"
    local export="$R -d $url export --output-format csv"
    # p8_one WHAT CMD: CMD (a re-run, without -q) once with --format json, cut off after
    # P8_TIMEOUT seconds: it must find nothing to change. Then timed beside export.
    # Sets P8_T and P8_E (medians), or P8_CUT when the first run was cut off.
    p8_one() {
        local what=$1 cmd=$2 rc=0 s
        P8_CUT=
        say "    $what, once before timing (cut off after ${P8_TIMEOUT}s) ..."
        s=$(date +%s%N)
        timeout "$P8_TIMEOUT" $cmd --format json >p8.json 2>p8.err || rc=$?
        s=$(awk -v a="$s" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
        if ((rc == 124)); then
            say "    cut off after ${P8_TIMEOUT}s (export took $(ms "$e0"))"
            P8_CUT=1
            return
        fi
        ((rc == 0)) || { cat p8.err >&2; die "P8 ($label): $what failed"; }
        say "    took ${s}s"
        jq -e --arg n "$P8_USERS" '.created + .revived + .updated + .soft_deleted == 0 and .unchanged == ($n | tonumber)' p8.json >/dev/null \
            || die "P8 ($label): $what changed something: $(jq -c 'del(.rows)' p8.json)"
        bench "p8$what$kind" 1 "$what" "$cmd" export "$export" -- -N --runs "$P8_RUNS"
        P8_T=$MED_A P8_E=$MED_B
    }
    # p8_row WHAT: the row of the last p8_one.
    p8_row() {
        if [[ -n $P8_CUT ]]; then
            row P8 "$1" "> ${P8_TIMEOUT} s" "export $(ms "$e0")" "> $(ratio "$P8_TIMEOUT" "$e0")" "<= 3.00" \
                "FAIL: one run took over ${P8_TIMEOUT}s (P8_TIMEOUT), not timed further"
        else
            local q
            q=$(ratio "$P8_T" "$P8_E")
            row P8 "$1" "$(ms "$P8_T")" "export $(ms "$P8_E")" "$q" "<= 3.00" "$(le "$q" 3)$wrote"
        fi
    }
    p8_one apply "$R -d $url apply p8.toml"
    after=$(db_sql "$kind" "$url" "SELECT count(*) FROM directus_activity")
    [[ $after == "$before" ]] || wrote=" (wrote $((after - before)) activity rows)"
    p8_row "apply of $P8_USERS unchanged users, $label"
    p8_one import "$R -d $url import --on-conflict update p8.csv"
    after=$(db_sql "$kind" "$url" "SELECT count(*) FROM directus_activity")
    [[ $after == "$before" ]] || wrote=" (wrote $((after - before)) activity rows)"
    p8_row "import --on-conflict update, same users, $label"
    db_drop "$kind" "$url"
}
if [[ $P8 != 0 ]]; then
    say ""
    say "P8: second apply / import --on-conflict update of $P8_USERS unchanged users vs export of them"
    awk -v n="$P8_USERS" 'BEGIN {
        print "[[roles]]\nname = \"Editor\"\napp_access = true"
        for (i = 1; i <= n; i++)
            printf "\n[[users]]\nemail = \"p8user%07d@example.com\"\nfirst_name = \"First%d\"\nlast_name = \"Last%d\"\ntitle = \"Title %d\"\ncompany = \"Company %d\"\nrole = \"Editor\"\nstatus = \"invited\"\n", (i * 7919) % n, i, i, i % 97, i % 13 }' >p8.toml
    awk -v n="$P8_USERS" 'BEGIN { print "email,first_name,last_name,title,company,role"
        for (i = 1; i <= n; i++) printf "p8user%07d@example.com,First%d,Last%d,Title %d,Company %d,Editor\n", (i * 7919) % n, i, i, i % 97, i % 13 }' >p8.csv
    [[ $(cut -d, -f1 p8.csv | sort -u | wc -l) == $((P8_USERS + 1)) ]] || die "P8: the generated emails are not unique (choose another P8_USERS)"
    for kind in sqlite pg my; do
        note=$(kind_note "$kind")
        if [[ -n $note ]]; then
            say "  $(kind_name "$kind"): $note"
            row P8 "apply / import of $P8_USERS unchanged users, $(kind_name "$kind")" "-" "-" "-" "<= 3 x export" "$note"
        else
            p8 "$kind"
        fi
    done
    rm -f p8.toml p8.csv
fi

# ---------------------------------------------------------------------------
# P9: peak memory of importing P9_ROWS invited users
# ---------------------------------------------------------------------------
p9() {
    local kind=$1 label url out n
    label=$(kind_name "$kind")
    db_new "$kind" p9
    url=$URL
    say "  $label: import of $P9_ROWS rows ..."
    if ! /usr/bin/time -f '%M %e' -o p9.time "$R" -q -d "$url" import p9.csv >/dev/null 2>p9.err; then
        cat p9.err >&2
        row P9 "import $P9_ROWS invited users: peak memory, $label" "-" "256 MiB" "-" "< 256 MiB" \
            "FAIL: $(grep -m1 -v '^Command exited' p9.err || echo 'the import failed')"
        db_drop "$kind" "$url"
        return
    fi
    local kb secs
    read -r kb secs < <(grep -v '^Command' p9.time | tail -1)
    n=$(db_sql "$kind" "$url" "SELECT count(*) FROM directus_users WHERE status = 'invited' AND email LIKE 'p9user%'")
    [[ $n == "$P9_ROWS" ]] || die "P9 ($label): the import left $n invited users, not $P9_ROWS"
    db_drop "$kind" "$url"
    say "    peak RSS $(mib "$kb"), ${secs} s"
    row P9 "import $P9_ROWS invited users: peak memory, $label" "$(mib "$kb") (${secs} s)" "256 MiB" \
        "$(awk -v k="$kb" 'BEGIN { printf "%.2f", k / 262144 }')" "< 256 MiB" "$(lt "$kb" 262144)"
}
if [[ $P9 != 0 ]]; then
    say ""
    say "P9: peak memory (/usr/bin/time) of import of $P9_ROWS invited users"
    awk -v n="$P9_ROWS" 'BEGIN { print "email,first_name,last_name,role"
        for (i = 1; i <= n; i++) printf "p9user%07d@example.com,First%d,Last%d,Editor\n", i, i, i }' >p9.csv
    for kind in sqlite pg my; do
        note=$(kind_note "$kind")
        if [[ -n $note ]]; then
            say "  $(kind_name "$kind"): $note"
            row P9 "import $P9_ROWS invited users: peak memory, $(kind_name "$kind")" "-" "256 MiB" "-" "< 256 MiB" "$note"
        else
            p9 "$kind"
        fi
    done
    rm -f p9.csv
fi

# ---------------------------------------------------------------------------
# P10: show / suspend one user by email, P10_BIG users vs P10_SMALL users
# ---------------------------------------------------------------------------
# Two databases of each kind filled alike (db_fill), one with P10_BIG users and one
# with P10_SMALL; the same user by email in both. suspend's timed runs each start
# from an active user: the --prepare of each side unsuspends its user, untimed.
P10_EMAIL=user0000042@example.com
p10() {
    local kind=$1 label big small
    label=$(kind_name "$kind")
    say "  $label: filling $P10_BIG and $P10_SMALL users ..."
    db_new "$kind" p10big
    big=$URL
    db_fill "$kind" "$big" "$P10_BIG"
    db_new "$kind" p10small
    small=$URL
    db_fill "$kind" "$small" "$P10_SMALL"
    local u
    for u in "$big" "$small"; do
        "$R" -d "$u" --format json show "$P10_EMAIL" | jq -e --arg e "$P10_EMAIL" '.email == $e and .status == "active"' >/dev/null \
            || die "P10 ($label): show $P10_EMAIL on $u did not find the active user"
    done
    bench "p10s$kind" "$P10_ROUNDS" big "$R -d $big show $P10_EMAIL" small "$R -d $small show $P10_EMAIL" \
        -- -N --warmup 5 --runs "$P10_RUNS"
    local sb=$MED_A ss=$MED_B
    BENCH_PREP_A="$R -q -d $big unsuspend $P10_EMAIL >/dev/null 2>&1 || true" \
        BENCH_PREP_B="$R -q -d $small unsuspend $P10_EMAIL >/dev/null 2>&1 || true" \
        bench "p10u$kind" "$P10_ROUNDS" big "$R -q -d $big suspend $P10_EMAIL" small "$R -q -d $small suspend $P10_EMAIL" \
        -- --warmup 3 --runs "$P10_RUNS"
    local ub=$MED_A us=$MED_B
    for u in "$big" "$small"; do
        "$R" -d "$u" --format json show "$P10_EMAIL" | jq -e '.status == "suspended"' >/dev/null \
            || die "P10 ($label): after the suspend runs, $P10_EMAIL on $u is not suspended"
    done
    db_drop "$kind" "$big"
    db_drop "$kind" "$small"
    local q
    q=$(ratio "$sb" "$ss")
    row P10 "show USER, $P10_BIG users, $label" "$(ms "$sb")" "$P10_SMALL users $(ms "$ss")" "$q" "<= 2.00" "$(le "$q" 2)"
    q=$(ratio "$ub" "$us")
    row P10 "suspend USER, $P10_BIG users, $label" "$(ms "$ub")" "$P10_SMALL users $(ms "$us")" "$q" "<= 2.00" "$(le "$q" 2)"
}
if [[ $P10 != 0 ]]; then
    say ""
    say "P10: show / suspend by email on $P10_BIG users vs on $P10_SMALL users"
    ((P10_SMALL > 42 && P10_BIG > 42)) || die "P10: P10_SMALL and P10_BIG must exceed 42 (the user shown is user0000042)"
    for kind in sqlite pg my; do
        note=$(kind_note "$kind")
        if [[ -n $note ]]; then
            say "  $(kind_name "$kind"): $note"
            row P10 "show / suspend USER, $P10_BIG users, $(kind_name "$kind")" "-" "-" "-" "<= 2 x on $P10_SMALL users" "$note"
        else
            p10 "$kind"
        fi
    done
fi

# ---------------------------------------------------------------------------
# P6: roster create vs Directus's own `directus users create`, same database
# ---------------------------------------------------------------------------
# Both create an Administrator with a password in a copy of the Directus 11.3.5
# fixture (a database Directus made); --prepare removes both users before every run.
p6() {
    if [[ $P6 != 1 ]]; then
        P6_NOTE="not measured: needs Directus's CLI (P6=1 installs directus@$DIRECTUS_VERSION with npm, several minutes)"
        return
    fi
    local cli=$DIRECTUS_DIR/node_modules/.bin/directus
    if [[ ! -x $cli ]]; then
        if ! command -v npm >/dev/null; then
            P6_NOTE="not measured: no npm to install Directus with"
            return
        fi
        say "  installing directus@$DIRECTUS_VERSION into $DIRECTUS_DIR (npm; several minutes, once) ..."
        mkdir -p "$DIRECTUS_DIR"
        [[ -f $DIRECTUS_DIR/package.json ]] || echo '{"name": "roster-bench-directus", "private": true}' >"$DIRECTUS_DIR/package.json"
        if ! (cd "$DIRECTUS_DIR" && npm install --no-audit --no-fund "directus@$DIRECTUS_VERSION" >&2); then
            P6_NOTE="not measured: npm install directus@$DIRECTUS_VERSION failed"
            return
        fi
    fi
    local version
    version=$(node -p "require('$DIRECTUS_DIR/node_modules/directus/package.json').version")
    [[ $version == "$DIRECTUS_VERSION" ]] || die "P6: $DIRECTUS_DIR has Directus $version, not $DIRECTUS_VERSION"
    mkdir -p p6
    cp "$ROOT/tests/fixtures/directus-11.3.5.sqlite" p6/p6.db
    # Directus's CLI reads its settings from .env in the working folder, a project
    # folder (with a package.json, where it looks for extensions).
    printf '%s\n' DB_CLIENT=sqlite3 "DB_FILENAME=$W/p6/p6.db" KEY=roster-bench-key \
        SECRET=roster-bench-secret-0123456789abcdef LOG_LEVEL=warn >p6/.env
    echo '{"name": "roster-bench-p6", "private": true}' >p6/package.json
    local role
    role=$(role_id p6/p6.db Administrator)
    # Directus's CLI first asks the npm registry for a newer version; with a cache
    # folder (CACHE_DIR) the warm-up run's answer is reused, as on an installed
    # Directus, so the timed runs do not wait on the network.
    local directus="cd p6 && CACHE_DIR=$W/p6/cache $cli users create --email p6d@example.com --password 'Bench-Passw0rd!' --role $role"
    local roster="$R -q -d p6/p6.db create p6r@example.com --role Administrator --password-env ROSTER_BENCH_PW"
    local clean="sqlite3 p6/p6.db \"DELETE FROM directus_users WHERE email IN ('p6d@example.com', 'p6r@example.com')\""
    (eval "$directus") >/dev/null 2>"$W/p6.directus.err" || { cat "$W/p6.directus.err" >&2; die "P6: directus users create failed"; }
    eval "$roster"
    local n
    n=$(sqlite3 p6/p6.db "SELECT count(*) FROM directus_users WHERE email IN ('p6d@example.com', 'p6r@example.com')
        AND status = 'active' AND role = '$role' AND password LIKE '\$argon2id\$%'")
    [[ $n == 2 ]] || die "P6: expected both commands to create an active Administrator with an argon2id hash, found $n"
    bench p6 1 roster "$roster" directus "$directus" -- --warmup 1 --runs "$P6_RUNS" --prepare "$clean"
    P6_R=$MED_A P6_D=$MED_B
}
P6_NOTE=
say ""
say "P6: roster create vs \`directus users create\` (Directus $DIRECTUS_VERSION), same database"
p6
if [[ -n $P6_NOTE ]]; then
    say "  $P6_NOTE"
    row P6 "create vs \`directus users create\`" "$(ms "$P2_R") (P2)" "-" "-" ">= 20x faster" "$P6_NOTE"
else
    P6_X=$(ratio "$P6_D" "$P6_R")
    row P6 "create vs \`directus users create\` (speed-up)" "$(ms "$P6_R")" "directus $(ms "$P6_D")" "${P6_X}x" ">= 20x faster" "$(ge "$P6_X" 20)"
fi

# ---------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
say ""
say "load at the end: $LOAD_END"
echo
echo "roster benchmarks ($(date -u +%Y-%m-%d), $CORES cores, commit $COMMIT; medians of whole-process wall times)"
echo "load average (1, 5, 15 min) at start: $LOAD_START; at end: $LOAD_END"
if awk -v a="${LOAD_START%% *}" -v b="${LOAD_END%% *}" -v c="$CORES" 'BEGIN { exit !(a > c || b > c) }'; then
    echo "WARNING: the machine was busier than its $CORES cores during the run: times are noisy, re-run when idle."
fi
echo
{
    printf 'id\twhat\troster\treference\tratio\ttarget\tresult\t\n'
    printf '%s\n' "${ROWS[@]}"
} | awk -F'\t' '
    { for (i = 1; i < NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NF - 1 }
    END { for (r = 1; r <= NR; r++) { line = ""; for (i = 1; i <= n; i++) line = line sprintf("%-" w[i] + 2 "s", cell[r, i]); sub(/ +$/, "", line); print line } }'
