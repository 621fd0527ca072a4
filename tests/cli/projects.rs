//! Named projects of the config file: chosen with --project or ROSTER_PROJECT,
//! listed by `roster projects`, named in every note, and `protect = true`,
//! which makes every write need the project's name typed, or --yes.

use crate::common::*;

/// A config file with two projects: `dev` (a SQLite file of its own) and
/// `prod` (the test's database, protected).
fn with_projects(env: &TestEnv) {
    let dev = env.dir.path().join("dev.db").display().to_string();
    env.bare(["-d", &dev, "init", "-q"]).succeeds();
    let folder = env.dir.path().join("config/roster");
    std::fs::create_dir_all(&folder).unwrap();
    let toml = format!(
        "[projects.dev]\ndatabase_url = \"sqlite:{dev}\"\n\n[projects.prod]\ndatabase_url = \"{}\"\nprotect = true\n",
        env.url.replace('\\', "\\\\")
    );
    let file = folder.join("config.toml");
    std::fs::write(&file, toml).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
}

each_db!(a_protected_project_needs_yes_for_every_write_when_nobody_can_type_its_name);
fn a_protected_project_needs_yes_for_every_write_when_nobody_can_type_its_name(b: Via) {
    let env = TestEnv::with_editor(b);
    with_projects(&env);
    env.invite("ann@example.com", "Editor");
    let refused = "error: project prod is protected: a write needs --yes when roster cannot ask (no terminal, or --no-input); nothing was changed\n";
    for write in [
        &["suspend", "ann@example.com"][..],
        &["edit", "ann@example.com", "--title", "Boss"],
        &["roles", "create", "Viewer"],
        &["invite", "bob@example.com", "--role", "Editor"],
    ] {
        env.bare(["--project", "prod"])
            .args(write)
            .fails(2)
            .stderr(refused);
    }
    env.bare(["suspend", "ann@example.com"])
        .env("ROSTER_PROJECT", "prod")
        .fails(2)
        .stderr(refused);
    // Reads and dry runs write nothing and are not asked.
    env.bare([
        "--project",
        "prod",
        "show",
        "ann@example.com",
        "--format",
        "json",
    ])
    .succeeds();
    env.bare([
        "--project",
        "prod",
        "suspend",
        "ann@example.com",
        "--dry-run",
    ])
    .keeps_db()
    .succeeds()
    .db_unchanged()
    .stderr(
        "[prod] dry run: would have suspended ann@example.com (was invited); nothing was changed\n",
    );
    env.bare(["--project", "prod", "--yes", "suspend", "ann@example.com"])
        .succeeds()
        .stderr("[prod] suspended ann@example.com (was invited)\n");
    assert_eq!(env.status_of("ann@example.com"), "suspended");
}

#[test]
fn the_project_a_run_works_on_is_named_in_every_note_and_an_unknown_one_is_refused() {
    let env = TestEnv::with_editor(Backend::Sqlite);
    with_projects(&env);
    let said = env
        .bare([
            "--project",
            "dev",
            "invite",
            "ann@example.com",
            "--role",
            "Administrator",
        ])
        .succeeds()
        .err();
    assert!(
        said.starts_with("[dev] created invited user ann@example.com ("),
        "{said}"
    );
    assert_eq!(
        env.count("SELECT count(*) FROM directus_users WHERE email = 'ann@example.com'"),
        0
    );
    env.bare(["--project", "staging", "list"])
        .fails(2)
        .stderr("error: no project \"staging\" in the config file; its projects: dev, prod\n");
    // -d comes first: the project is passed over, and so is its protection.
    env.invite("bob@example.com", "Editor");
    env.bare(["--project", "prod", "-d", &env.url, "suspend", "bob@example.com"])
        .succeeds()
        .stderr("using the database named by -d; also named, and passed over: project prod\nsuspended bob@example.com (was invited)\n");
}

#[test]
fn projects_lists_them_and_marks_the_one_chosen() {
    let env = TestEnv::with_editor(Backend::Sqlite);
    with_projects(&env);
    let dev = env.dir.path().join("dev.db").display().to_string();
    let json = env
        .bare(["--project", "prod", "projects", "--format", "json"])
        .succeeds()
        .json();
    assert_eq!(
        json,
        serde_json::json!([
            {"name": "dev", "database": format!("sqlite:{dev}"), "protect": false, "selected": false},
            {"name": "prod", "database": env.url, "protect": true, "selected": true},
        ])
    );
    env.bare(["projects", "--format", "plain", "--no-headers"])
        .succeeds()
        .stdout(&format!(
            "dev\tsqlite:{dev}\tfalse\tfalse\nprod\t{}\ttrue\tfalse\n",
            env.url
        ));
}

#[test]
fn a_project_names_its_database_once_and_an_env_file_is_found_beside_the_config() {
    let env = TestEnv::with_editor(Backend::Sqlite);
    env.invite("ann@example.com", "Editor");
    let folder = env.dir.path().join("config/roster");
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join("config.toml");
    std::fs::write(
        &file,
        "[projects.both]\ndatabase_url = \"sqlite:a.db\"\nenv_file = \".env\"\n",
    )
    .unwrap();
    env.bare(["projects"]).fails(2).stderr(&format!(
        "error: config file {}: project \"both\" needs one of database_url and env_file\n",
        file.display()
    ));
    std::fs::write(&file, "[projects.site]\nenv_file = \"site.env\"\n").unwrap();
    let env_file = format!("DB_CLIENT=sqlite3\nDB_FILENAME={}\n", env.url);
    std::fs::write(folder.join("site.env"), env_file).unwrap();
    let ran = env
        .bare([
            "--project",
            "site",
            "list",
            "--format",
            "plain",
            "--columns",
            "email",
            "--no-headers",
        ])
        .succeeds();
    assert_eq!(ran.out(), "ann@example.com\n", "{}", ran.err());
}

#[test]
fn at_a_terminal_a_write_to_a_protected_project_needs_its_name_typed() {
    let env = TestEnv::with_editor(Backend::Sqlite);
    with_projects(&env);
    env.invite("ann@example.com", "Editor");
    env.invite("bob@example.com", "Editor");
    let at = crate::terminal::at_terminal_bare;
    let (code, screen) = at(&env, "--project prod suspend ann@example.com", &["prod\r"]);
    assert_eq!(code, Some(0), "{screen}");
    assert!(
        screen.contains("Project prod is protected. Type its name to write to it"),
        "{screen}"
    );
    assert_eq!(env.status_of("ann@example.com"), "suspended");
    let (code, screen) = at(&env, "--project prod suspend bob@example.com", &["dev\r"]);
    assert_eq!(code, Some(2), "{screen}");
    assert!(
        screen.contains("error: the name typed is not prod; nothing was changed"),
        "{screen}"
    );
    assert_eq!(env.status_of("bob@example.com"), "invited");
}
