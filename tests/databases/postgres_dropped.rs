//! A PostgreSQL connection that dies in the middle of a command: exit 6, one
//! clear line, and nothing half-written (every change is one transaction).

use crate::common::TestEnv;
use crate::common::Via;

/// A trigger that kills the writing connection makes the drop happen at a known point:
/// after roster's INSERT has run, before its audit rows and COMMIT.
const KILL_ON_INSERT: &str = "
CREATE FUNCTION roster_test_kill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$;
CREATE TRIGGER roster_test_kill AFTER INSERT ON directus_users
FOR EACH ROW EXECUTE FUNCTION roster_test_kill();";

#[test]
#[cfg_attr(
    not(any(postgres_tests, require_postgres)),
    ignore = "needs ROSTER_TEST_POSTGRES_URL"
)]
fn a_connection_dropped_mid_command_exits_6_and_writes_nothing() {
    let env = TestEnv::standalone(Via::POSTGRES.require());
    env.exec(KILL_ON_INSERT);
    let ran = env
        .roster(["create", "ann@example.com", "--role", "Administrator"])
        .args(["--password-env", "PW"])
        .env("PW", "Str0ng!Pass")
        .fails(6);
    ran.db_unchanged();
    let stderr = ran.err();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("PostgreSQL"), "{stderr}");
}
