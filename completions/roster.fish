# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_roster_global_optspecs
    string join \n d/database-url= env-file= project= config= format= no-headers q/quiet v/verbose no-input y/yes color= busy-timeout= actor= no-audit h/help V/version
end

function __fish_roster_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_roster_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_roster_using_subcommand
    set -l cmd (__fish_roster_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c roster -n "__fish_roster_needs_command" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_needs_command" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_needs_command" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_needs_command" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_needs_command" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_needs_command" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_needs_command" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_needs_command" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_needs_command" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_needs_command" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_needs_command" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_needs_command" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_needs_command" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_needs_command" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_needs_command" -s V -l version -d 'Print version'
complete -c roster -n "__fish_roster_needs_command" -f -a "init" -d 'Create roster\'s standalone schema with an Administrator role'
complete -c roster -n "__fish_roster_needs_command" -f -a "create" -d 'Create a user who can log in (or revive a soft-deleted one with that email)'
complete -c roster -n "__fish_roster_needs_command" -f -a "invite" -d 'Invite a user without a password (or revive a soft-deleted one with that email)'
complete -c roster -n "__fish_roster_needs_command" -f -a "activate" -d 'Activate an invited or draft user with a password, or approve an unverified one'
complete -c roster -n "__fish_roster_needs_command" -f -a "suspend" -d 'Suspend users: they can no longer log in (their sessions end)'
complete -c roster -n "__fish_roster_needs_command" -f -a "unsuspend" -d 'Unsuspend users: each gets back its status from before the suspension'
complete -c roster -n "__fish_roster_needs_command" -f -a "soft-delete" -d 'Soft-delete users: keep their rows, remove password, token, 2FA and sessions'
complete -c roster -n "__fish_roster_needs_command" -f -a "edit" -d 'Change a user\'s profile, role, email, avatar or email notifications'
complete -c roster -n "__fish_roster_needs_command" -f -a "set-password" -d 'Set a user\'s password and end their sessions (activates invited or draft users)'
complete -c roster -n "__fish_roster_needs_command" -f -a "set-token" -d 'Generate, set or clear a user\'s static API token'
complete -c roster -n "__fish_roster_needs_command" -f -a "reset-link" -d 'Print a link an active user opens in the Directus app to choose a new password'
complete -c roster -n "__fish_roster_needs_command" -f -a "list" -d 'List users by email (soft-deleted ones only with --all or --status deleted)'
complete -c roster -n "__fish_roster_needs_command" -f -a "show" -d 'Show one user: every field, with password and token only as set or unset'
complete -c roster -n "__fish_roster_needs_command" -f -a "import" -d 'Import users from a file, all or nothing, in one transaction'
complete -c roster -n "__fish_roster_needs_command" -f -a "export" -d 'Export users in a file format `import` reads back, streamed to stdout'
complete -c roster -n "__fish_roster_needs_command" -f -a "apply" -d 'Make the database match a TOML file of roles and users'
complete -c roster -n "__fish_roster_needs_command" -f -a "sessions" -d 'List users\' Directus sessions, or end them'
complete -c roster -n "__fish_roster_needs_command" -f -a "forget" -d 'Erase a soft-deleted user\'s personal data and credentials, keeping the row'
complete -c roster -n "__fish_roster_needs_command" -f -a "doctor" -d 'Show which database roster would use and why, and whether it is usable'
complete -c roster -n "__fish_roster_needs_command" -f -a "roles" -d 'List, create, edit, rename or delete roles'
complete -c roster -n "__fish_roster_needs_command" -f -a "policy" -d 'Show the password policy, or check a password against it'
complete -c roster -n "__fish_roster_needs_command" -f -a "projects" -d 'List the named projects of the config file ([projects.NAME])'
complete -c roster -n "__fish_roster_needs_command" -f -a "2fa" -d 'Enrol a user in two-factor authentication (TOTP), or disable it'
complete -c roster -n "__fish_roster_needs_command" -f -a "completions" -d 'Print the completion script for a shell'
complete -c roster -n "__fish_roster_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c roster -n "__fish_roster_using_subcommand init" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand init" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand init" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand init" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand init" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand init" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand init" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand init" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand init" -l dry-run -d 'Check everything and print what would happen, but change nothing'
complete -c roster -n "__fish_roster_using_subcommand init" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand init" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand init" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand init" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand init" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand init" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand create" -s r -l role -d 'Role, by name (any case) or id; asked at a terminal when missing' -r
complete -c roster -n "__fish_roster_using_subcommand create" -l status -d 'Status of the new user (a draft user has no password and cannot log in until activated)' -r -f -a "active\t''
draft\t''"
complete -c roster -n "__fish_roster_using_subcommand create" -l first-name -d 'First name (at most 50 characters)' -r
complete -c roster -n "__fish_roster_using_subcommand create" -l last-name -d 'Last name (at most 50 characters)' -r
complete -c roster -n "__fish_roster_using_subcommand create" -l title -d 'Job title (at most 50 characters)' -r
complete -c roster -n "__fish_roster_using_subcommand create" -l company -d 'Company (needs a company column, as roster init creates)' -r
complete -c roster -n "__fish_roster_using_subcommand create" -l timezone -d 'IANA time zone such as Europe/Berlin (needs a timezone column)' -r
complete -c roster -n "__fish_roster_using_subcommand create" -l language -l locale -d 'Locale as a BCP 47 tag such as en-US' -r
complete -c roster -n "__fish_roster_using_subcommand create" -l theme -d 'Theme of the Directus app: light, dark or auto' -r
complete -c roster -n "__fish_roster_using_subcommand create" -l email-notifications -d 'Whether the user gets email notifications: true or false' -r
complete -c roster -n "__fish_roster_using_subcommand create" -l password-file -d 'Read the password from the first line of a file' -r -F
complete -c roster -n "__fish_roster_using_subcommand create" -l password-env -d 'Read the password from an environment variable' -r
complete -c roster -n "__fish_roster_using_subcommand create" -l password -d 'The password itself (visible in the process list: prefer --password-stdin)' -r
complete -c roster -n "__fish_roster_using_subcommand create" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand create" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand create" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand create" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand create" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand create" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand create" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand create" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand create" -l if-not-exists -d 'Exit 0, changing nothing, when a user who is not soft-deleted has this email'
complete -c roster -n "__fish_roster_using_subcommand create" -l password-stdin -d 'Read the password from the first line of standard input'
complete -c roster -n "__fish_roster_using_subcommand create" -l random-password -d 'Generate a strong random password and print it once'
complete -c roster -n "__fish_roster_using_subcommand create" -l allow-weak-password -d 'Accept a password the password policy refuses (for throwaway test users)'
complete -c roster -n "__fish_roster_using_subcommand create" -l force -d 'Go past the licence seats of Directus 12 (the project is then locked from Directus\'s next restart until seats are freed)'
complete -c roster -n "__fish_roster_using_subcommand create" -l dry-run -d 'Check everything and print what would happen, but change nothing'
complete -c roster -n "__fish_roster_using_subcommand create" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand create" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand create" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand create" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand create" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand create" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand invite" -s r -l role -d 'Role, by name (any case) or id; asked at a terminal when missing' -r
complete -c roster -n "__fish_roster_using_subcommand invite" -l public-url -d 'Directus\'s public URL for the link [default: PUBLIC_URL from --env-file]' -r
complete -c roster -n "__fish_roster_using_subcommand invite" -l invite-ttl -d 'How long the link is valid, e.g. 7d, 24h, 3600 [default: USER_INVITE_TOKEN_TTL, else 7d]' -r
complete -c roster -n "__fish_roster_using_subcommand invite" -l secret-file -d 'Read the project\'s SECRET from the first line of a file [default: SECRET from --env-file]' -r -F
complete -c roster -n "__fish_roster_using_subcommand invite" -l first-name -d 'First name (at most 50 characters)' -r
complete -c roster -n "__fish_roster_using_subcommand invite" -l last-name -d 'Last name (at most 50 characters)' -r
complete -c roster -n "__fish_roster_using_subcommand invite" -l title -d 'Job title (at most 50 characters)' -r
complete -c roster -n "__fish_roster_using_subcommand invite" -l company -d 'Company (needs a company column, as roster init creates)' -r
complete -c roster -n "__fish_roster_using_subcommand invite" -l timezone -d 'IANA time zone such as Europe/Berlin (needs a timezone column)' -r
complete -c roster -n "__fish_roster_using_subcommand invite" -l language -l locale -d 'Locale as a BCP 47 tag such as en-US' -r
complete -c roster -n "__fish_roster_using_subcommand invite" -l theme -d 'Theme of the Directus app: light, dark or auto' -r
complete -c roster -n "__fish_roster_using_subcommand invite" -l email-notifications -d 'Whether the user gets email notifications: true or false' -r
complete -c roster -n "__fish_roster_using_subcommand invite" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand invite" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand invite" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand invite" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand invite" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand invite" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand invite" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand invite" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand invite" -l if-not-exists -d 'Exit 0, changing nothing, when a user who is not soft-deleted has this email (an invited one is always a no-op)'
complete -c roster -n "__fish_roster_using_subcommand invite" -l link -l resend-link -d 'Print a Directus invite link for the user, shown once (for a user already invited, a new one: the earlier link stays valid until it expires)'
complete -c roster -n "__fish_roster_using_subcommand invite" -l send -d 'Mail the link to the user, as Directus mails invitations, through the project\'s mail settings (EMAIL_* in --env-file), once the user is stored'
complete -c roster -n "__fish_roster_using_subcommand invite" -l dry-run -d 'Check everything and print what would happen, but change nothing'
complete -c roster -n "__fish_roster_using_subcommand invite" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand invite" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand invite" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand invite" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand invite" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand invite" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand invite" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand activate" -l password-file -d 'Read the password from the first line of a file' -r -F
complete -c roster -n "__fish_roster_using_subcommand activate" -l password-env -d 'Read the password from an environment variable' -r
complete -c roster -n "__fish_roster_using_subcommand activate" -l password -d 'The password itself (visible in the process list: prefer --password-stdin)' -r
complete -c roster -n "__fish_roster_using_subcommand activate" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand activate" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand activate" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand activate" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand activate" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand activate" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand activate" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand activate" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand activate" -l password-stdin -d 'Read the password from the first line of standard input'
complete -c roster -n "__fish_roster_using_subcommand activate" -l random-password -d 'Generate a strong random password and print it once'
complete -c roster -n "__fish_roster_using_subcommand activate" -l allow-weak-password -d 'Accept a password the password policy refuses (for throwaway test users)'
complete -c roster -n "__fish_roster_using_subcommand activate" -l force -d 'Go past the licence seats of Directus 12 (the project is then locked from Directus\'s next restart until seats are freed)'
complete -c roster -n "__fish_roster_using_subcommand activate" -l dry-run -d 'Check everything and print what would happen, but change nothing'
complete -c roster -n "__fish_roster_using_subcommand activate" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand activate" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand activate" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand activate" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand activate" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand activate" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand activate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand suspend" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand suspend" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand suspend" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand suspend" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand suspend" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand suspend" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand suspend" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand suspend" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand suspend" -l force -d 'Suspend even the last active administrator'
complete -c roster -n "__fish_roster_using_subcommand suspend" -l dry-run -d 'Check everything and print what would happen, but change nothing'
complete -c roster -n "__fish_roster_using_subcommand suspend" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand suspend" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand suspend" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand suspend" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand suspend" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand suspend" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand suspend" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand unsuspend" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand unsuspend" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand unsuspend" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand unsuspend" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand unsuspend" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand unsuspend" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand unsuspend" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand unsuspend" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand unsuspend" -l force -d 'Go past the licence seats of Directus 12 (the project is then locked from Directus\'s next restart until seats are freed)'
complete -c roster -n "__fish_roster_using_subcommand unsuspend" -l dry-run -d 'Check everything and print what would happen, but change nothing'
complete -c roster -n "__fish_roster_using_subcommand unsuspend" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand unsuspend" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand unsuspend" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand unsuspend" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand unsuspend" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand unsuspend" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand unsuspend" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand soft-delete" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand soft-delete" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand soft-delete" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand soft-delete" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand soft-delete" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand soft-delete" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand soft-delete" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand soft-delete" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand soft-delete" -l force -d 'Soft-delete even the last active administrator'
complete -c roster -n "__fish_roster_using_subcommand soft-delete" -l dry-run -d 'Check everything and print what would happen, but change nothing'
complete -c roster -n "__fish_roster_using_subcommand soft-delete" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand soft-delete" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand soft-delete" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand soft-delete" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand soft-delete" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand soft-delete" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand soft-delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand edit" -s r -l role -d 'New role, by name (any case) or id' -r
complete -c roster -n "__fish_roster_using_subcommand edit" -l email -d 'New email address (unique in any case; the user\'s sessions end)' -r
complete -c roster -n "__fish_roster_using_subcommand edit" -l avatar -d 'Avatar: the id of an existing file in directus_files, or `none` to remove it' -r
complete -c roster -n "__fish_roster_using_subcommand edit" -l first-name -d 'First name (at most 50 characters)' -r
complete -c roster -n "__fish_roster_using_subcommand edit" -l last-name -d 'Last name (at most 50 characters)' -r
complete -c roster -n "__fish_roster_using_subcommand edit" -l title -d 'Job title (at most 50 characters)' -r
complete -c roster -n "__fish_roster_using_subcommand edit" -l company -d 'Company (needs a company column, as roster init creates)' -r
complete -c roster -n "__fish_roster_using_subcommand edit" -l timezone -d 'IANA time zone such as Europe/Berlin (needs a timezone column)' -r
complete -c roster -n "__fish_roster_using_subcommand edit" -l language -l locale -d 'Locale as a BCP 47 tag such as en-US' -r
complete -c roster -n "__fish_roster_using_subcommand edit" -l theme -d 'Theme of the Directus app: light, dark or auto' -r
complete -c roster -n "__fish_roster_using_subcommand edit" -l email-notifications -d 'Whether the user gets email notifications: true or false' -r
complete -c roster -n "__fish_roster_using_subcommand edit" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand edit" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand edit" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand edit" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand edit" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand edit" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand edit" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand edit" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand edit" -l force -d 'Allow taking admin access from the last active administrator'
complete -c roster -n "__fish_roster_using_subcommand edit" -l dry-run -d 'Check everything and print what would happen, but change nothing'
complete -c roster -n "__fish_roster_using_subcommand edit" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand edit" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand edit" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand edit" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand edit" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand edit" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand edit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand set-password" -l password-file -d 'Read the password from the first line of a file' -r -F
complete -c roster -n "__fish_roster_using_subcommand set-password" -l password-env -d 'Read the password from an environment variable' -r
complete -c roster -n "__fish_roster_using_subcommand set-password" -l password -d 'The password itself (visible in the process list: prefer --password-stdin)' -r
complete -c roster -n "__fish_roster_using_subcommand set-password" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand set-password" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand set-password" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand set-password" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand set-password" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand set-password" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand set-password" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand set-password" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand set-password" -l password-stdin -d 'Read the password from the first line of standard input'
complete -c roster -n "__fish_roster_using_subcommand set-password" -l random-password -d 'Generate a strong random password and print it once'
complete -c roster -n "__fish_roster_using_subcommand set-password" -l allow-weak-password -d 'Accept a password the password policy refuses (for throwaway test users)'
complete -c roster -n "__fish_roster_using_subcommand set-password" -l force -d 'Go past the licence seats of Directus 12 (the project is then locked from Directus\'s next restart until seats are freed)'
complete -c roster -n "__fish_roster_using_subcommand set-password" -l dry-run -d 'Check everything and print what would happen, but change nothing'
complete -c roster -n "__fish_roster_using_subcommand set-password" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand set-password" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand set-password" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand set-password" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand set-password" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand set-password" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand set-password" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand set-token" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand set-token" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand set-token" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand set-token" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand set-token" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand set-token" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand set-token" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand set-token" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand set-token" -l stdin -d 'Read the token from the first line of standard input instead of generating one'
complete -c roster -n "__fish_roster_using_subcommand set-token" -l clear -d 'Remove the user\'s token'
complete -c roster -n "__fish_roster_using_subcommand set-token" -l dry-run -d 'Check everything and print what would happen, but change nothing'
complete -c roster -n "__fish_roster_using_subcommand set-token" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand set-token" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand set-token" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand set-token" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand set-token" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand set-token" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand set-token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand reset-link" -l public-url -d 'Directus\'s public URL for the link [default: PUBLIC_URL from --env-file]' -r
complete -c roster -n "__fish_roster_using_subcommand reset-link" -l secret-file -d 'Read the project\'s SECRET from the first line of a file [default: SECRET from --env-file]' -r -F
complete -c roster -n "__fish_roster_using_subcommand reset-link" -l reset-url -d 'Open the link at this address instead of the Directus app\'s page (it must be in PASSWORD_RESET_URL_ALLOW_LIST, as Directus requires)' -r
complete -c roster -n "__fish_roster_using_subcommand reset-link" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand reset-link" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand reset-link" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand reset-link" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand reset-link" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand reset-link" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand reset-link" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand reset-link" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand reset-link" -l send -d 'Mail the link to the user, as Directus mails password resets, through the project\'s mail settings (EMAIL_* in --env-file), instead of printing it'
complete -c roster -n "__fish_roster_using_subcommand reset-link" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand reset-link" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand reset-link" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand reset-link" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand reset-link" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand reset-link" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand reset-link" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand list" -l status -d 'Only users with this status (draft, invited, active, suspended, deleted, unverified or inactive-license); repeat for several' -r
complete -c roster -n "__fish_roster_using_subcommand list" -s r -l role -d 'Only users of this role (name or id)' -r
complete -c roster -n "__fish_roster_using_subcommand list" -s s -l search -d 'Only users whose email or name contains this text (any case)' -r
complete -c roster -n "__fish_roster_using_subcommand list" -l inactive-since -d 'Only users who have not logged in for this long (or never): 90d, 12h, 30min, 6mo, 1y (a bare number is days), or since a date such as 2026-06-01' -r
complete -c roster -n "__fish_roster_using_subcommand list" -l limit -d 'Print at most this many users' -r
complete -c roster -n "__fish_roster_using_subcommand list" -l offset -d 'Skip this many users first' -r
complete -c roster -n "__fish_roster_using_subcommand list" -l columns -d 'The columns of the table, CSV or plain lines, comma-separated, from: name, then the fields of `show` (id, email, first_name, role, status, last_access, ...) [default: email,name,role,status,id; CSV: every field]' -r
complete -c roster -n "__fish_roster_using_subcommand list" -l sort -d 'Sort by this field of `show` instead of email (`-` before it: descending, as Directus\'s `sort` parameter); users without a value come last' -r
complete -c roster -n "__fish_roster_using_subcommand list" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand list" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand list" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand list" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand list" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand list" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand list" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand list" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand list" -s a -l all -d 'Include soft-deleted users too'
complete -c roster -n "__fish_roster_using_subcommand list" -l count -d 'Print only the number of users selected'
complete -c roster -n "__fish_roster_using_subcommand list" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand list" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand list" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand list" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand list" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand list" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand show" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand show" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand show" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand show" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand show" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand show" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand show" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand show" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand show" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand show" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand show" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand show" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand show" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand show" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand import" -l input-format -d 'The file\'s format [default: from its extension (.csv, .json, .jsonl, .toml), else from its first bytes: [[ TOML, [ JSON, { JSON Lines, anything else CSV]' -r -f -a "csv\t'Comma-separated values with a header row'
json\t'One JSON array of objects'
jsonl\t'One JSON object per line'
toml\t'`[[users]]` tables'"
complete -c roster -n "__fish_roster_using_subcommand import" -l delimiter -d 'The CSV field separator [default: the most frequent of , ; and tab in the header]' -r
complete -c roster -n "__fish_roster_using_subcommand import" -s r -l role -d 'Role of rows that name none (name or id)' -r
complete -c roster -n "__fish_roster_using_subcommand import" -l on-conflict -d 'What to do with a row whose email a user already has' -r -f -a "fail\t'Refuse the whole file (exit 4)'
skip\t'Leave the user as it is'
update\t'Give the user the fields the row gives'"
complete -c roster -n "__fish_roster_using_subcommand import" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand import" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand import" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand import" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand import" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand import" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand import" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand import" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand import" -l allow-empty -d 'Accept a file with no users (an empty import is otherwise exit 5: the step that made the file probably failed)'
complete -c roster -n "__fish_roster_using_subcommand import" -l random-password -d 'Give every new active row without a password a generated one (printed once)'
complete -c roster -n "__fish_roster_using_subcommand import" -l generate-token -d 'Give every new row without a token a generated one (printed once)'
complete -c roster -n "__fish_roster_using_subcommand import" -l allow-weak-password -d 'Accept passwords the password policy refuses (for throwaway test users)'
complete -c roster -n "__fish_roster_using_subcommand import" -l force -d 'Allow an import that leaves no active administrator, or one that goes past Directus 12\'s licence seats'
complete -c roster -n "__fish_roster_using_subcommand import" -l send-invites -d 'Mail an invitation link to every user the import leaves invited (new or revived), through the project\'s mail settings (EMAIL_* in --env-file)'
complete -c roster -n "__fish_roster_using_subcommand import" -l ignore-ids -d 'Update a user whose id differs from the row\'s id, keeping the user\'s (without it such a row is exit 5: references would not line up)'
complete -c roster -n "__fish_roster_using_subcommand import" -l dry-run -d 'Check everything and print what would happen, but change nothing'
complete -c roster -n "__fish_roster_using_subcommand import" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand import" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand import" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand import" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand import" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand import" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand export" -l output-format -d 'File format [default: json, or csv with --format csv]' -r -f -a "csv\t'Comma-separated values with a header row'
json\t'One JSON array of objects'
jsonl\t'One JSON object per line'
toml\t'`[[users]]` tables'"
complete -c roster -n "__fish_roster_using_subcommand export" -l status -d 'Only users with this status (draft, invited, active, suspended, deleted, unverified or inactive-license); repeat for several' -r
complete -c roster -n "__fish_roster_using_subcommand export" -s r -l role -d 'Only users of this role (name or id)' -r
complete -c roster -n "__fish_roster_using_subcommand export" -s s -l search -d 'Only users whose email or name contains this text (any case)' -r
complete -c roster -n "__fish_roster_using_subcommand export" -l inactive-since -d 'Only users who have not logged in for this long (or never): 90d, 12h, 30min, 6mo, 1y (a bare number is days), or since a date such as 2026-06-01' -r
complete -c roster -n "__fish_roster_using_subcommand export" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand export" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand export" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand export" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand export" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand export" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand export" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand export" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand export" -l with-secrets -d 'Include password hashes, static tokens and TOTP secrets (keep the file safe)'
complete -c roster -n "__fish_roster_using_subcommand export" -l with-roles -d 'Begin with every role and, on Directus 11 and later, every policy with its roles and users, as `roster apply` reads them (TOML only)'
complete -c roster -n "__fish_roster_using_subcommand export" -s a -l all -d 'Include soft-deleted users too'
complete -c roster -n "__fish_roster_using_subcommand export" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand export" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand export" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand export" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand export" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand export" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand apply" -s r -l role -d 'Role of users that name none (name or id)' -r
complete -c roster -n "__fish_roster_using_subcommand apply" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand apply" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand apply" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand apply" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand apply" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand apply" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand apply" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand apply" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand apply" -l prune -d 'Soft-delete live users the file does not name'
complete -c roster -n "__fish_roster_using_subcommand apply" -l reset-passwords -d 'Set the file\'s passwords on users that already exist too'
complete -c roster -n "__fish_roster_using_subcommand apply" -l random-password -d 'Give every new active user without a password a generated one (printed once)'
complete -c roster -n "__fish_roster_using_subcommand apply" -l generate-token -d 'Give every new user without a token a generated one (printed once)'
complete -c roster -n "__fish_roster_using_subcommand apply" -l allow-weak-password -d 'Accept passwords the password policy refuses (for throwaway test users)'
complete -c roster -n "__fish_roster_using_subcommand apply" -l force -d 'Allow a plan that leaves no active administrator'
complete -c roster -n "__fish_roster_using_subcommand apply" -l ignore-ids -d 'Update a user whose id differs from the row\'s id, keeping the user\'s (without it such a row is exit 5: references would not line up)'
complete -c roster -n "__fish_roster_using_subcommand apply" -l allow-empty -d 'Accept a file that declares no users (with --prune that soft-deletes every user; otherwise exit 5 when it declares no roles either)'
complete -c roster -n "__fish_roster_using_subcommand apply" -l dry-run -d 'Check everything and print what would happen, but change nothing'
complete -c roster -n "__fish_roster_using_subcommand apply" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand apply" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand apply" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand apply" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand apply" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand apply" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -f -a "list" -d 'List the sessions of one user or of all (never their tokens)'
complete -c roster -n "__fish_roster_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -f -a "revoke" -d 'Log users out everywhere: delete their sessions, leaving passwords as they are'
complete -c roster -n "__fish_roster_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from list" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from list" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from list" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from list" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from list" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from list" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from list" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from list" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from list" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l dry-run -d 'Check everything and print what would happen, but change nothing'
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the sessions of one user or of all (never their tokens)'
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Log users out everywhere: delete their sessions, leaving passwords as they are'
complete -c roster -n "__fish_roster_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c roster -n "__fish_roster_using_subcommand forget" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand forget" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand forget" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand forget" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand forget" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand forget" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand forget" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand forget" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand forget" -l scrub-revisions -d 'Also replace the personal values in the revisions of the user\'s row (directus_revisions keeps a copy of every earlier value)'
complete -c roster -n "__fish_roster_using_subcommand forget" -l if-exists -d 'Exit 0, changing nothing, when no user has this email or id (a re-run finds none: the email was replaced)'
complete -c roster -n "__fish_roster_using_subcommand forget" -l dry-run -d 'Check everything and print what would happen, but change nothing'
complete -c roster -n "__fish_roster_using_subcommand forget" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand forget" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand forget" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand forget" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand forget" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand forget" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand forget" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand doctor" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand doctor" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand doctor" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand doctor" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand doctor" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand doctor" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand doctor" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand doctor" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand doctor" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand doctor" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand doctor" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand doctor" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand doctor" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand doctor" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand roles; and not __fish_seen_subcommand_from list create edit rename delete help" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and not __fish_seen_subcommand_from list create edit rename delete help" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand roles; and not __fish_seen_subcommand_from list create edit rename delete help" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and not __fish_seen_subcommand_from list create edit rename delete help" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand roles; and not __fish_seen_subcommand_from list create edit rename delete help" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand roles; and not __fish_seen_subcommand_from list create edit rename delete help" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand roles; and not __fish_seen_subcommand_from list create edit rename delete help" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and not __fish_seen_subcommand_from list create edit rename delete help" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and not __fish_seen_subcommand_from list create edit rename delete help" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand roles; and not __fish_seen_subcommand_from list create edit rename delete help" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand roles; and not __fish_seen_subcommand_from list create edit rename delete help" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand roles; and not __fish_seen_subcommand_from list create edit rename delete help" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand roles; and not __fish_seen_subcommand_from list create edit rename delete help" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand roles; and not __fish_seen_subcommand_from list create edit rename delete help" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand roles; and not __fish_seen_subcommand_from list create edit rename delete help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand roles; and not __fish_seen_subcommand_from list create edit rename delete help" -f -a "list" -d 'List roles with their access and number of users'
complete -c roster -n "__fish_roster_using_subcommand roles; and not __fish_seen_subcommand_from list create edit rename delete help" -f -a "create" -d 'Create a role (on Directus 11 its access is granted through a new policy)'
complete -c roster -n "__fish_roster_using_subcommand roles; and not __fish_seen_subcommand_from list create edit rename delete help" -f -a "edit" -d 'Change a role\'s admin or app access, or its description'
complete -c roster -n "__fish_roster_using_subcommand roles; and not __fish_seen_subcommand_from list create edit rename delete help" -f -a "rename" -d 'Rename a role (the new name unique in any case)'
complete -c roster -n "__fish_roster_using_subcommand roles; and not __fish_seen_subcommand_from list create edit rename delete help" -f -a "delete" -d 'Delete a role, refused while users hold it unless they are moved with --reassign'
complete -c roster -n "__fish_roster_using_subcommand roles; and not __fish_seen_subcommand_from list create edit rename delete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from list" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from list" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from list" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from list" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from list" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from list" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from list" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from list" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from list" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from create" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from create" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from create" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from create" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from create" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from create" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from create" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from create" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from create" -l admin -d 'Users of this role are administrators (full access, app included)'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from create" -l app-access -d 'Users of this role may use the Directus app'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from create" -l if-not-exists -d 'Exit 0, changing nothing, when a role with this name already exists'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from create" -l dry-run -d 'Check everything and print what would happen, but change nothing'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from create" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from create" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from create" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from create" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from edit" -l description -d 'Set its description; an empty one clears it' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from edit" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from edit" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from edit" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from edit" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from edit" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from edit" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from edit" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from edit" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from edit" -l admin -d 'Make its users administrators (full access, app included)'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from edit" -l no-admin -d 'Take admin access from its users'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from edit" -l app-access -d 'Let its users use the Directus app'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from edit" -l no-app-access -d 'Keep its users out of the Directus app (an admin role keeps it)'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from edit" -l force -d 'Take admin access even when no active administrator would be left'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from edit" -l dry-run -d 'Check everything and print what would happen, but change nothing'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from edit" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from edit" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from edit" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from edit" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from edit" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from edit" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from edit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from rename" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from rename" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from rename" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from rename" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from rename" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from rename" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from rename" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from rename" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from rename" -l dry-run -d 'Check everything and print what would happen, but change nothing'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from rename" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from rename" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from rename" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from rename" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from rename" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from rename" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from delete" -l reassign -d 'Move the role\'s users to this role first (name or id)' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from delete" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from delete" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from delete" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from delete" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from delete" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from delete" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from delete" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from delete" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from delete" -l force -d 'Delete even when no active administrator would be left'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from delete" -l if-exists -d 'Exit 0, changing nothing, when no role has this name or id'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from delete" -l dry-run -d 'Check everything and print what would happen, but change nothing'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from delete" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from delete" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from delete" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from help" -f -a "list" -d 'List roles with their access and number of users'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a role (on Directus 11 its access is granted through a new policy)'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from help" -f -a "edit" -d 'Change a role\'s admin or app access, or its description'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from help" -f -a "rename" -d 'Rename a role (the new name unique in any case)'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a role, refused while users hold it unless they are moved with --reassign'
complete -c roster -n "__fish_roster_using_subcommand roles; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c roster -n "__fish_roster_using_subcommand policy; and not __fish_seen_subcommand_from show check help" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand policy; and not __fish_seen_subcommand_from show check help" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand policy; and not __fish_seen_subcommand_from show check help" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand policy; and not __fish_seen_subcommand_from show check help" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand policy; and not __fish_seen_subcommand_from show check help" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand policy; and not __fish_seen_subcommand_from show check help" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand policy; and not __fish_seen_subcommand_from show check help" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand policy; and not __fish_seen_subcommand_from show check help" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand policy; and not __fish_seen_subcommand_from show check help" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand policy; and not __fish_seen_subcommand_from show check help" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand policy; and not __fish_seen_subcommand_from show check help" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand policy; and not __fish_seen_subcommand_from show check help" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand policy; and not __fish_seen_subcommand_from show check help" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand policy; and not __fish_seen_subcommand_from show check help" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand policy; and not __fish_seen_subcommand_from show check help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand policy; and not __fish_seen_subcommand_from show check help" -f -a "show" -d 'Show the policy in force, where it comes from, and the login attempts allowed'
complete -c roster -n "__fish_roster_using_subcommand policy; and not __fish_seen_subcommand_from show check help" -f -a "check" -d 'Check a password against the policy (exit 5 when it is refused)'
complete -c roster -n "__fish_roster_using_subcommand policy; and not __fish_seen_subcommand_from show check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from show" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from show" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from show" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from show" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from show" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from show" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from show" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from show" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from show" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from check" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from check" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from check" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from check" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from check" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from check" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from check" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from check" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from check" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from check" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from check" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from check" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from check" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show the policy in force, where it comes from, and the login attempts allowed'
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "check" -d 'Check a password against the policy (exit 5 when it is refused)'
complete -c roster -n "__fish_roster_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c roster -n "__fish_roster_using_subcommand projects" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand projects" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand projects" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand projects" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand projects" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand projects" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand projects" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand projects" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand projects" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand projects" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand projects" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand projects" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand projects" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand projects" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand projects" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and not __fish_seen_subcommand_from enroll disable help" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand 2fa; and not __fish_seen_subcommand_from enroll disable help" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand 2fa; and not __fish_seen_subcommand_from enroll disable help" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand 2fa; and not __fish_seen_subcommand_from enroll disable help" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand 2fa; and not __fish_seen_subcommand_from enroll disable help" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand 2fa; and not __fish_seen_subcommand_from enroll disable help" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand 2fa; and not __fish_seen_subcommand_from enroll disable help" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand 2fa; and not __fish_seen_subcommand_from enroll disable help" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand 2fa; and not __fish_seen_subcommand_from enroll disable help" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and not __fish_seen_subcommand_from enroll disable help" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and not __fish_seen_subcommand_from enroll disable help" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and not __fish_seen_subcommand_from enroll disable help" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and not __fish_seen_subcommand_from enroll disable help" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and not __fish_seen_subcommand_from enroll disable help" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and not __fish_seen_subcommand_from enroll disable help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and not __fish_seen_subcommand_from enroll disable help" -f -a "enroll" -d 'Generate a TOTP secret as Directus does and print its otpauth URI once'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and not __fish_seen_subcommand_from enroll disable help" -f -a "disable" -d 'Remove the user\'s TOTP secret, so they log in with the password alone'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and not __fish_seen_subcommand_from enroll disable help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from enroll" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from enroll" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from enroll" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from enroll" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from enroll" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from enroll" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from enroll" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from enroll" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from enroll" -l dry-run -d 'Check everything and print what would happen, but change nothing'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from enroll" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from enroll" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from enroll" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from enroll" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from enroll" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from enroll" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from enroll" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from disable" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from disable" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from disable" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from disable" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from disable" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from disable" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from disable" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from disable" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from disable" -l dry-run -d 'Check everything and print what would happen, but change nothing'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from disable" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from disable" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from disable" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from disable" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from disable" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from disable" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from help" -f -a "enroll" -d 'Generate a TOTP secret as Directus does and print its otpauth URI once'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Remove the user\'s TOTP secret, so they log in with the password alone'
complete -c roster -n "__fish_roster_using_subcommand 2fa; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c roster -n "__fish_roster_using_subcommand completions" -s d -l database-url -d 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]' -r
complete -c roster -n "__fish_roster_using_subcommand completions" -l env-file -d 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)' -r -F
complete -c roster -n "__fish_roster_using_subcommand completions" -l project -d 'Work on this named project of the config file ([projects.NAME])' -r
complete -c roster -n "__fish_roster_using_subcommand completions" -l config -d 'Config file (TOML); default: roster/config.toml in the user\'s config folder' -r -F
complete -c roster -n "__fish_roster_using_subcommand completions" -l format -d 'Output format; a command refuses (exit 2) one it cannot print' -r -f -a "table\t'Tables and sentences for people, fitted to the terminal'
json\t'The documented JSON, for programs'
csv\t'Comma-separated values with a header line'
plain\t'Tab-separated values with one header line, for awk and cut'"
complete -c roster -n "__fish_roster_using_subcommand completions" -l color -d 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c roster -n "__fish_roster_using_subcommand completions" -l busy-timeout -d 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]' -r
complete -c roster -n "__fish_roster_using_subcommand completions" -l actor -d 'Record changes in the audit trail as made by this user (email or id)' -r
complete -c roster -n "__fish_roster_using_subcommand completions" -l no-headers -d 'Leave out the header line of tables, CSV and plain output'
complete -c roster -n "__fish_roster_using_subcommand completions" -s q -l quiet -d 'Print only data and errors, no notes'
complete -c roster -n "__fish_roster_using_subcommand completions" -s v -l verbose -d 'Say more: the database\'s own report under an error, and the database sources passed over'
complete -c roster -n "__fish_roster_using_subcommand completions" -l no-input -d 'Never prompt; fail with exit code 2 where an answer is needed'
complete -c roster -n "__fish_roster_using_subcommand completions" -s y -l yes -d 'Answer yes to confirmations (needed for soft-delete when not at a terminal)'
complete -c roster -n "__fish_roster_using_subcommand completions" -l no-audit -d 'Do not write directus_activity and directus_revisions rows'
complete -c roster -n "__fish_roster_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "init" -d 'Create roster\'s standalone schema with an Administrator role'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "create" -d 'Create a user who can log in (or revive a soft-deleted one with that email)'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "invite" -d 'Invite a user without a password (or revive a soft-deleted one with that email)'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "activate" -d 'Activate an invited or draft user with a password, or approve an unverified one'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "suspend" -d 'Suspend users: they can no longer log in (their sessions end)'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "unsuspend" -d 'Unsuspend users: each gets back its status from before the suspension'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "soft-delete" -d 'Soft-delete users: keep their rows, remove password, token, 2FA and sessions'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "edit" -d 'Change a user\'s profile, role, email, avatar or email notifications'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "set-password" -d 'Set a user\'s password and end their sessions (activates invited or draft users)'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "set-token" -d 'Generate, set or clear a user\'s static API token'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "reset-link" -d 'Print a link an active user opens in the Directus app to choose a new password'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "list" -d 'List users by email (soft-deleted ones only with --all or --status deleted)'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "show" -d 'Show one user: every field, with password and token only as set or unset'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "import" -d 'Import users from a file, all or nothing, in one transaction'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "export" -d 'Export users in a file format `import` reads back, streamed to stdout'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "apply" -d 'Make the database match a TOML file of roles and users'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "sessions" -d 'List users\' Directus sessions, or end them'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "forget" -d 'Erase a soft-deleted user\'s personal data and credentials, keeping the row'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "doctor" -d 'Show which database roster would use and why, and whether it is usable'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "roles" -d 'List, create, edit, rename or delete roles'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "policy" -d 'Show the password policy, or check a password against it'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "projects" -d 'List the named projects of the config file ([projects.NAME])'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "2fa" -d 'Enrol a user in two-factor authentication (TOTP), or disable it'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "completions" -d 'Print the completion script for a shell'
complete -c roster -n "__fish_roster_using_subcommand help; and not __fish_seen_subcommand_from init create invite activate suspend unsuspend soft-delete edit set-password set-token reset-link list show import export apply sessions forget doctor roles policy projects 2fa completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c roster -n "__fish_roster_using_subcommand help; and __fish_seen_subcommand_from sessions" -f -a "list" -d 'List the sessions of one user or of all (never their tokens)'
complete -c roster -n "__fish_roster_using_subcommand help; and __fish_seen_subcommand_from sessions" -f -a "revoke" -d 'Log users out everywhere: delete their sessions, leaving passwords as they are'
complete -c roster -n "__fish_roster_using_subcommand help; and __fish_seen_subcommand_from roles" -f -a "list" -d 'List roles with their access and number of users'
complete -c roster -n "__fish_roster_using_subcommand help; and __fish_seen_subcommand_from roles" -f -a "create" -d 'Create a role (on Directus 11 its access is granted through a new policy)'
complete -c roster -n "__fish_roster_using_subcommand help; and __fish_seen_subcommand_from roles" -f -a "edit" -d 'Change a role\'s admin or app access, or its description'
complete -c roster -n "__fish_roster_using_subcommand help; and __fish_seen_subcommand_from roles" -f -a "rename" -d 'Rename a role (the new name unique in any case)'
complete -c roster -n "__fish_roster_using_subcommand help; and __fish_seen_subcommand_from roles" -f -a "delete" -d 'Delete a role, refused while users hold it unless they are moved with --reassign'
complete -c roster -n "__fish_roster_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "show" -d 'Show the policy in force, where it comes from, and the login attempts allowed'
complete -c roster -n "__fish_roster_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "check" -d 'Check a password against the policy (exit 5 when it is refused)'
complete -c roster -n "__fish_roster_using_subcommand help; and __fish_seen_subcommand_from 2fa" -f -a "enroll" -d 'Generate a TOTP secret as Directus does and print its otpauth URI once'
complete -c roster -n "__fish_roster_using_subcommand help; and __fish_seen_subcommand_from 2fa" -f -a "disable" -d 'Remove the user\'s TOTP secret, so they log in with the password alone'
