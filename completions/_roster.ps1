
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'roster' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'roster'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'roster' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create roster''s standalone schema with an Administrator role')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a user who can log in (or revive a soft-deleted one with that email)')
            [CompletionResult]::new('invite', 'invite', [CompletionResultType]::ParameterValue, 'Invite a user without a password (or revive a soft-deleted one with that email)')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Activate an invited or draft user with a password, or approve an unverified one')
            [CompletionResult]::new('suspend', 'suspend', [CompletionResultType]::ParameterValue, 'Suspend users: they can no longer log in (their sessions end)')
            [CompletionResult]::new('unsuspend', 'unsuspend', [CompletionResultType]::ParameterValue, 'Unsuspend users: each gets back its status from before the suspension')
            [CompletionResult]::new('soft-delete', 'soft-delete', [CompletionResultType]::ParameterValue, 'Soft-delete users: keep their rows, remove password, token, 2FA and sessions')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change a user''s profile, role, email, avatar or email notifications')
            [CompletionResult]::new('set-password', 'set-password', [CompletionResultType]::ParameterValue, 'Set a user''s password and end their sessions (activates invited or draft users)')
            [CompletionResult]::new('set-token', 'set-token', [CompletionResultType]::ParameterValue, 'Generate, set or clear a user''s static API token')
            [CompletionResult]::new('reset-link', 'reset-link', [CompletionResultType]::ParameterValue, 'Print a link an active user opens in the Directus app to choose a new password')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users by email (soft-deleted ones only with --all or --status deleted)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one user: every field, with password and token only as set or unset')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import users from a file, all or nothing, in one transaction')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export users in a file format `import` reads back, streamed to stdout')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Make the database match a TOML file of roles and users')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'List users'' Directus sessions, or end them')
            [CompletionResult]::new('forget', 'forget', [CompletionResultType]::ParameterValue, 'Erase a soft-deleted user''s personal data and credentials, keeping the row')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Show which database roster would use and why, and whether it is usable')
            [CompletionResult]::new('roles', 'roles', [CompletionResultType]::ParameterValue, 'List, create, edit, rename or delete roles')
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'Show the password policy, or check a password against it')
            [CompletionResult]::new('projects', 'projects', [CompletionResultType]::ParameterValue, 'List the named projects of the config file ([projects.NAME])')
            [CompletionResult]::new('2fa', '2fa', [CompletionResultType]::ParameterValue, 'Enrol a user in two-factor authentication (TOTP), or disable it')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'roster;init' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would happen, but change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;create' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Role, by name (any case) or id; asked at a terminal when missing')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Role, by name (any case) or id; asked at a terminal when missing')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Status of the new user (a draft user has no password and cannot log in until activated)')
            [CompletionResult]::new('--first-name', '--first-name', [CompletionResultType]::ParameterName, 'First name (at most 50 characters)')
            [CompletionResult]::new('--last-name', '--last-name', [CompletionResultType]::ParameterName, 'Last name (at most 50 characters)')
            [CompletionResult]::new('--title', '--title', [CompletionResultType]::ParameterName, 'Job title (at most 50 characters)')
            [CompletionResult]::new('--company', '--company', [CompletionResultType]::ParameterName, 'Company (needs a company column, as roster init creates)')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA time zone such as Europe/Berlin (needs a timezone column)')
            [CompletionResult]::new('--language', '--language', [CompletionResultType]::ParameterName, 'Locale as a BCP 47 tag such as en-US')
            [CompletionResult]::new('--locale', '--locale', [CompletionResultType]::ParameterName, 'Locale as a BCP 47 tag such as en-US')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Theme of the Directus app: light, dark or auto')
            [CompletionResult]::new('--email-notifications', '--email-notifications', [CompletionResultType]::ParameterName, 'Whether the user gets email notifications: true or false')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of a file')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'Read the password from an environment variable')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'The password itself (visible in the process list: prefer --password-stdin)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--if-not-exists', '--if-not-exists', [CompletionResultType]::ParameterName, 'Exit 0, changing nothing, when a user who is not soft-deleted has this email')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of standard input')
            [CompletionResult]::new('--random-password', '--random-password', [CompletionResultType]::ParameterName, 'Generate a strong random password and print it once')
            [CompletionResult]::new('--allow-weak-password', '--allow-weak-password', [CompletionResultType]::ParameterName, 'Accept a password the password policy refuses (for throwaway test users)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Go past the licence seats of Directus 12 (the project is then locked from Directus''s next restart until seats are freed)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would happen, but change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;invite' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Role, by name (any case) or id; asked at a terminal when missing')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Role, by name (any case) or id; asked at a terminal when missing')
            [CompletionResult]::new('--public-url', '--public-url', [CompletionResultType]::ParameterName, 'Directus''s public URL for the link [default: PUBLIC_URL from --env-file]')
            [CompletionResult]::new('--invite-ttl', '--invite-ttl', [CompletionResultType]::ParameterName, 'How long the link is valid, e.g. 7d, 24h, 3600 [default: USER_INVITE_TOKEN_TTL, else 7d]')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the project''s SECRET from the first line of a file [default: SECRET from --env-file]')
            [CompletionResult]::new('--first-name', '--first-name', [CompletionResultType]::ParameterName, 'First name (at most 50 characters)')
            [CompletionResult]::new('--last-name', '--last-name', [CompletionResultType]::ParameterName, 'Last name (at most 50 characters)')
            [CompletionResult]::new('--title', '--title', [CompletionResultType]::ParameterName, 'Job title (at most 50 characters)')
            [CompletionResult]::new('--company', '--company', [CompletionResultType]::ParameterName, 'Company (needs a company column, as roster init creates)')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA time zone such as Europe/Berlin (needs a timezone column)')
            [CompletionResult]::new('--language', '--language', [CompletionResultType]::ParameterName, 'Locale as a BCP 47 tag such as en-US')
            [CompletionResult]::new('--locale', '--locale', [CompletionResultType]::ParameterName, 'Locale as a BCP 47 tag such as en-US')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Theme of the Directus app: light, dark or auto')
            [CompletionResult]::new('--email-notifications', '--email-notifications', [CompletionResultType]::ParameterName, 'Whether the user gets email notifications: true or false')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--if-not-exists', '--if-not-exists', [CompletionResultType]::ParameterName, 'Exit 0, changing nothing, when a user who is not soft-deleted has this email (an invited one is always a no-op)')
            [CompletionResult]::new('--link', '--link', [CompletionResultType]::ParameterName, 'Print a Directus invite link for the user, shown once (for a user already invited, a new one: the earlier link stays valid until it expires)')
            [CompletionResult]::new('--resend-link', '--resend-link', [CompletionResultType]::ParameterName, 'Print a Directus invite link for the user, shown once (for a user already invited, a new one: the earlier link stays valid until it expires)')
            [CompletionResult]::new('--send', '--send', [CompletionResultType]::ParameterName, 'Mail the link to the user, as Directus mails invitations, through the project''s mail settings (EMAIL_* in --env-file), once the user is stored')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would happen, but change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;activate' {
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of a file')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'Read the password from an environment variable')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'The password itself (visible in the process list: prefer --password-stdin)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of standard input')
            [CompletionResult]::new('--random-password', '--random-password', [CompletionResultType]::ParameterName, 'Generate a strong random password and print it once')
            [CompletionResult]::new('--allow-weak-password', '--allow-weak-password', [CompletionResultType]::ParameterName, 'Accept a password the password policy refuses (for throwaway test users)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Go past the licence seats of Directus 12 (the project is then locked from Directus''s next restart until seats are freed)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would happen, but change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;suspend' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Suspend even the last active administrator')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would happen, but change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;unsuspend' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Go past the licence seats of Directus 12 (the project is then locked from Directus''s next restart until seats are freed)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would happen, but change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;soft-delete' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Soft-delete even the last active administrator')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would happen, but change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;edit' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'New role, by name (any case) or id')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'New role, by name (any case) or id')
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'New email address (unique in any case; the user''s sessions end)')
            [CompletionResult]::new('--avatar', '--avatar', [CompletionResultType]::ParameterName, 'Avatar: the id of an existing file in directus_files, or `none` to remove it')
            [CompletionResult]::new('--first-name', '--first-name', [CompletionResultType]::ParameterName, 'First name (at most 50 characters)')
            [CompletionResult]::new('--last-name', '--last-name', [CompletionResultType]::ParameterName, 'Last name (at most 50 characters)')
            [CompletionResult]::new('--title', '--title', [CompletionResultType]::ParameterName, 'Job title (at most 50 characters)')
            [CompletionResult]::new('--company', '--company', [CompletionResultType]::ParameterName, 'Company (needs a company column, as roster init creates)')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA time zone such as Europe/Berlin (needs a timezone column)')
            [CompletionResult]::new('--language', '--language', [CompletionResultType]::ParameterName, 'Locale as a BCP 47 tag such as en-US')
            [CompletionResult]::new('--locale', '--locale', [CompletionResultType]::ParameterName, 'Locale as a BCP 47 tag such as en-US')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Theme of the Directus app: light, dark or auto')
            [CompletionResult]::new('--email-notifications', '--email-notifications', [CompletionResultType]::ParameterName, 'Whether the user gets email notifications: true or false')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Allow taking admin access from the last active administrator')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would happen, but change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;set-password' {
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of a file')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'Read the password from an environment variable')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'The password itself (visible in the process list: prefer --password-stdin)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of standard input')
            [CompletionResult]::new('--random-password', '--random-password', [CompletionResultType]::ParameterName, 'Generate a strong random password and print it once')
            [CompletionResult]::new('--allow-weak-password', '--allow-weak-password', [CompletionResultType]::ParameterName, 'Accept a password the password policy refuses (for throwaway test users)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Go past the licence seats of Directus 12 (the project is then locked from Directus''s next restart until seats are freed)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would happen, but change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;set-token' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--stdin', '--stdin', [CompletionResultType]::ParameterName, 'Read the token from the first line of standard input instead of generating one')
            [CompletionResult]::new('--clear', '--clear', [CompletionResultType]::ParameterName, 'Remove the user''s token')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would happen, but change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;reset-link' {
            [CompletionResult]::new('--public-url', '--public-url', [CompletionResultType]::ParameterName, 'Directus''s public URL for the link [default: PUBLIC_URL from --env-file]')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the project''s SECRET from the first line of a file [default: SECRET from --env-file]')
            [CompletionResult]::new('--reset-url', '--reset-url', [CompletionResultType]::ParameterName, 'Open the link at this address instead of the Directus app''s page (it must be in PASSWORD_RESET_URL_ALLOW_LIST, as Directus requires)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--send', '--send', [CompletionResultType]::ParameterName, 'Mail the link to the user, as Directus mails password resets, through the project''s mail settings (EMAIL_* in --env-file), instead of printing it')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;list' {
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only users with this status (draft, invited, active, suspended, deleted, unverified or inactive-license); repeat for several')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Only users of this role (name or id)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Only users of this role (name or id)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Only users whose email or name contains this text (any case)')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Only users whose email or name contains this text (any case)')
            [CompletionResult]::new('--inactive-since', '--inactive-since', [CompletionResultType]::ParameterName, 'Only users who have not logged in for this long (or never): 90d, 12h, 30min, 6mo, 1y (a bare number is days), or since a date such as 2026-06-01')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Print at most this many users')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Skip this many users first')
            [CompletionResult]::new('--columns', '--columns', [CompletionResultType]::ParameterName, 'The columns of the table, CSV or plain lines, comma-separated, from: name, then the fields of `show` (id, email, first_name, role, status, last_access, ...) [default: email,name,role,status,id; CSV: every field]')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Sort by this field of `show` instead of email (`-` before it: descending, as Directus''s `sort` parameter); users without a value come last')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Include soft-deleted users too')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Include soft-deleted users too')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Print only the number of users selected')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;show' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;import' {
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'The file''s format [default: from its extension (.csv, .json, .jsonl, .toml), else from its first bytes: [[ TOML, [ JSON, { JSON Lines, anything else CSV]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'The CSV field separator [default: the most frequent of , ; and tab in the header]')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Role of rows that name none (name or id)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Role of rows that name none (name or id)')
            [CompletionResult]::new('--on-conflict', '--on-conflict', [CompletionResultType]::ParameterName, 'What to do with a row whose email a user already has')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'Accept a file with no users (an empty import is otherwise exit 5: the step that made the file probably failed)')
            [CompletionResult]::new('--random-password', '--random-password', [CompletionResultType]::ParameterName, 'Give every new active row without a password a generated one (printed once)')
            [CompletionResult]::new('--generate-token', '--generate-token', [CompletionResultType]::ParameterName, 'Give every new row without a token a generated one (printed once)')
            [CompletionResult]::new('--allow-weak-password', '--allow-weak-password', [CompletionResultType]::ParameterName, 'Accept passwords the password policy refuses (for throwaway test users)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Allow an import that leaves no active administrator, or one that goes past Directus 12''s licence seats')
            [CompletionResult]::new('--send-invites', '--send-invites', [CompletionResultType]::ParameterName, 'Mail an invitation link to every user the import leaves invited (new or revived), through the project''s mail settings (EMAIL_* in --env-file)')
            [CompletionResult]::new('--ignore-ids', '--ignore-ids', [CompletionResultType]::ParameterName, 'Update a user whose id differs from the row''s id, keeping the user''s (without it such a row is exit 5: references would not line up)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would happen, but change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;export' {
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'File format [default: json, or csv with --format csv]')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only users with this status (draft, invited, active, suspended, deleted, unverified or inactive-license); repeat for several')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Only users of this role (name or id)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Only users of this role (name or id)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Only users whose email or name contains this text (any case)')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Only users whose email or name contains this text (any case)')
            [CompletionResult]::new('--inactive-since', '--inactive-since', [CompletionResultType]::ParameterName, 'Only users who have not logged in for this long (or never): 90d, 12h, 30min, 6mo, 1y (a bare number is days), or since a date such as 2026-06-01')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--with-secrets', '--with-secrets', [CompletionResultType]::ParameterName, 'Include password hashes, static tokens and TOTP secrets (keep the file safe)')
            [CompletionResult]::new('--with-roles', '--with-roles', [CompletionResultType]::ParameterName, 'Begin with every role and, on Directus 11 and later, every policy with its roles and users, as `roster apply` reads them (TOML only)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Include soft-deleted users too')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Include soft-deleted users too')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;apply' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Role of users that name none (name or id)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Role of users that name none (name or id)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Soft-delete live users the file does not name')
            [CompletionResult]::new('--reset-passwords', '--reset-passwords', [CompletionResultType]::ParameterName, 'Set the file''s passwords on users that already exist too')
            [CompletionResult]::new('--random-password', '--random-password', [CompletionResultType]::ParameterName, 'Give every new active user without a password a generated one (printed once)')
            [CompletionResult]::new('--generate-token', '--generate-token', [CompletionResultType]::ParameterName, 'Give every new user without a token a generated one (printed once)')
            [CompletionResult]::new('--allow-weak-password', '--allow-weak-password', [CompletionResultType]::ParameterName, 'Accept passwords the password policy refuses (for throwaway test users)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Allow a plan that leaves no active administrator')
            [CompletionResult]::new('--ignore-ids', '--ignore-ids', [CompletionResultType]::ParameterName, 'Update a user whose id differs from the row''s id, keeping the user''s (without it such a row is exit 5: references would not line up)')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'Accept a file that declares no users (with --prune that soft-deletes every user; otherwise exit 5 when it declares no roles either)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would happen, but change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;sessions' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the sessions of one user or of all (never their tokens)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Log users out everywhere: delete their sessions, leaving passwords as they are')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'roster;sessions;list' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;sessions;revoke' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would happen, but change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;sessions;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the sessions of one user or of all (never their tokens)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Log users out everywhere: delete their sessions, leaving passwords as they are')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'roster;sessions;help;list' {
            break
        }
        'roster;sessions;help;revoke' {
            break
        }
        'roster;sessions;help;help' {
            break
        }
        'roster;forget' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--scrub-revisions', '--scrub-revisions', [CompletionResultType]::ParameterName, 'Also replace the personal values in the revisions of the user''s row (directus_revisions keeps a copy of every earlier value)')
            [CompletionResult]::new('--if-exists', '--if-exists', [CompletionResultType]::ParameterName, 'Exit 0, changing nothing, when no user has this email or id (a re-run finds none: the email was replaced)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would happen, but change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;doctor' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;roles' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List roles with their access and number of users')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a role (on Directus 11 its access is granted through a new policy)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change a role''s admin or app access, or its description')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a role (the new name unique in any case)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a role, refused while users hold it unless they are moved with --reassign')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'roster;roles;list' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;roles;create' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--admin', '--admin', [CompletionResultType]::ParameterName, 'Users of this role are administrators (full access, app included)')
            [CompletionResult]::new('--app-access', '--app-access', [CompletionResultType]::ParameterName, 'Users of this role may use the Directus app')
            [CompletionResult]::new('--if-not-exists', '--if-not-exists', [CompletionResultType]::ParameterName, 'Exit 0, changing nothing, when a role with this name already exists')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would happen, but change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;roles;edit' {
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'Set its description; an empty one clears it')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--admin', '--admin', [CompletionResultType]::ParameterName, 'Make its users administrators (full access, app included)')
            [CompletionResult]::new('--no-admin', '--no-admin', [CompletionResultType]::ParameterName, 'Take admin access from its users')
            [CompletionResult]::new('--app-access', '--app-access', [CompletionResultType]::ParameterName, 'Let its users use the Directus app')
            [CompletionResult]::new('--no-app-access', '--no-app-access', [CompletionResultType]::ParameterName, 'Keep its users out of the Directus app (an admin role keeps it)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Take admin access even when no active administrator would be left')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would happen, but change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;roles;rename' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would happen, but change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;roles;delete' {
            [CompletionResult]::new('--reassign', '--reassign', [CompletionResultType]::ParameterName, 'Move the role''s users to this role first (name or id)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Delete even when no active administrator would be left')
            [CompletionResult]::new('--if-exists', '--if-exists', [CompletionResultType]::ParameterName, 'Exit 0, changing nothing, when no role has this name or id')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would happen, but change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;roles;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List roles with their access and number of users')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a role (on Directus 11 its access is granted through a new policy)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change a role''s admin or app access, or its description')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a role (the new name unique in any case)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a role, refused while users hold it unless they are moved with --reassign')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'roster;roles;help;list' {
            break
        }
        'roster;roles;help;create' {
            break
        }
        'roster;roles;help;edit' {
            break
        }
        'roster;roles;help;rename' {
            break
        }
        'roster;roles;help;delete' {
            break
        }
        'roster;roles;help;help' {
            break
        }
        'roster;policy' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the policy in force, where it comes from, and the login attempts allowed')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check a password against the policy (exit 5 when it is refused)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'roster;policy;show' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;policy;check' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;policy;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the policy in force, where it comes from, and the login attempts allowed')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check a password against the policy (exit 5 when it is refused)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'roster;policy;help;show' {
            break
        }
        'roster;policy;help;check' {
            break
        }
        'roster;policy;help;help' {
            break
        }
        'roster;projects' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;2fa' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('enroll', 'enroll', [CompletionResultType]::ParameterValue, 'Generate a TOTP secret as Directus does and print its otpauth URI once')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Remove the user''s TOTP secret, so they log in with the password alone')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'roster;2fa;enroll' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would happen, but change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;2fa;disable' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would happen, but change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;2fa;help' {
            [CompletionResult]::new('enroll', 'enroll', [CompletionResultType]::ParameterValue, 'Generate a TOTP secret as Directus does and print its otpauth URI once')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Remove the user''s TOTP secret, so they log in with the password alone')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'roster;2fa;help;enroll' {
            break
        }
        'roster;2fa;help;disable' {
            break
        }
        'roster;2fa;help;help' {
            break
        }
        'roster;completions' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...] or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...] [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder, then DATABASE_URL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Work on this named project of the config file ([projects.NAME])')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (TOML); default: roster/config.toml in the user''s config folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; a command refuses (exit 2) one it cannot print')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Record changes in the audit trail as made by this user (email or id)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables, CSV and plain output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no notes')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: the database''s own report under an error, and the database sources passed over')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 2 where an answer is needed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for soft-delete when not at a terminal)')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write directus_activity and directus_revisions rows')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'roster;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create roster''s standalone schema with an Administrator role')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a user who can log in (or revive a soft-deleted one with that email)')
            [CompletionResult]::new('invite', 'invite', [CompletionResultType]::ParameterValue, 'Invite a user without a password (or revive a soft-deleted one with that email)')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Activate an invited or draft user with a password, or approve an unverified one')
            [CompletionResult]::new('suspend', 'suspend', [CompletionResultType]::ParameterValue, 'Suspend users: they can no longer log in (their sessions end)')
            [CompletionResult]::new('unsuspend', 'unsuspend', [CompletionResultType]::ParameterValue, 'Unsuspend users: each gets back its status from before the suspension')
            [CompletionResult]::new('soft-delete', 'soft-delete', [CompletionResultType]::ParameterValue, 'Soft-delete users: keep their rows, remove password, token, 2FA and sessions')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change a user''s profile, role, email, avatar or email notifications')
            [CompletionResult]::new('set-password', 'set-password', [CompletionResultType]::ParameterValue, 'Set a user''s password and end their sessions (activates invited or draft users)')
            [CompletionResult]::new('set-token', 'set-token', [CompletionResultType]::ParameterValue, 'Generate, set or clear a user''s static API token')
            [CompletionResult]::new('reset-link', 'reset-link', [CompletionResultType]::ParameterValue, 'Print a link an active user opens in the Directus app to choose a new password')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users by email (soft-deleted ones only with --all or --status deleted)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one user: every field, with password and token only as set or unset')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import users from a file, all or nothing, in one transaction')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export users in a file format `import` reads back, streamed to stdout')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Make the database match a TOML file of roles and users')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'List users'' Directus sessions, or end them')
            [CompletionResult]::new('forget', 'forget', [CompletionResultType]::ParameterValue, 'Erase a soft-deleted user''s personal data and credentials, keeping the row')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Show which database roster would use and why, and whether it is usable')
            [CompletionResult]::new('roles', 'roles', [CompletionResultType]::ParameterValue, 'List, create, edit, rename or delete roles')
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'Show the password policy, or check a password against it')
            [CompletionResult]::new('projects', 'projects', [CompletionResultType]::ParameterValue, 'List the named projects of the config file ([projects.NAME])')
            [CompletionResult]::new('2fa', '2fa', [CompletionResultType]::ParameterValue, 'Enrol a user in two-factor authentication (TOTP), or disable it')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'roster;help;init' {
            break
        }
        'roster;help;create' {
            break
        }
        'roster;help;invite' {
            break
        }
        'roster;help;activate' {
            break
        }
        'roster;help;suspend' {
            break
        }
        'roster;help;unsuspend' {
            break
        }
        'roster;help;soft-delete' {
            break
        }
        'roster;help;edit' {
            break
        }
        'roster;help;set-password' {
            break
        }
        'roster;help;set-token' {
            break
        }
        'roster;help;reset-link' {
            break
        }
        'roster;help;list' {
            break
        }
        'roster;help;show' {
            break
        }
        'roster;help;import' {
            break
        }
        'roster;help;export' {
            break
        }
        'roster;help;apply' {
            break
        }
        'roster;help;sessions' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the sessions of one user or of all (never their tokens)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Log users out everywhere: delete their sessions, leaving passwords as they are')
            break
        }
        'roster;help;sessions;list' {
            break
        }
        'roster;help;sessions;revoke' {
            break
        }
        'roster;help;forget' {
            break
        }
        'roster;help;doctor' {
            break
        }
        'roster;help;roles' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List roles with their access and number of users')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a role (on Directus 11 its access is granted through a new policy)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change a role''s admin or app access, or its description')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a role (the new name unique in any case)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a role, refused while users hold it unless they are moved with --reassign')
            break
        }
        'roster;help;roles;list' {
            break
        }
        'roster;help;roles;create' {
            break
        }
        'roster;help;roles;edit' {
            break
        }
        'roster;help;roles;rename' {
            break
        }
        'roster;help;roles;delete' {
            break
        }
        'roster;help;policy' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the policy in force, where it comes from, and the login attempts allowed')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check a password against the policy (exit 5 when it is refused)')
            break
        }
        'roster;help;policy;show' {
            break
        }
        'roster;help;policy;check' {
            break
        }
        'roster;help;projects' {
            break
        }
        'roster;help;2fa' {
            [CompletionResult]::new('enroll', 'enroll', [CompletionResultType]::ParameterValue, 'Generate a TOTP secret as Directus does and print its otpauth URI once')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Remove the user''s TOTP secret, so they log in with the password alone')
            break
        }
        'roster;help;2fa;enroll' {
            break
        }
        'roster;help;2fa;disable' {
            break
        }
        'roster;help;completions' {
            break
        }
        'roster;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
