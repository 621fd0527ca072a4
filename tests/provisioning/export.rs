//! export: its formats and filters, and what it writes imported again, between
//! databases and through a pipe.

use crate::common::*;
use crate::{as_imported_into, export_all, write};

each_db!(export_import_export_round_trips_between_databases);
fn export_import_export_round_trips_between_databases(b: Via) {
    // Both ways between this database and SQLite; SQLite to itself once.
    let mut pairs = vec![(b, Via::SQLITE), (Via::SQLITE, b)];
    pairs.dedup();
    for (from, to) in pairs {
        let src = TestEnv::directus11(from);
        let doc = export_all(&src);
        assert_eq!(doc.lines().count(), 5, "{doc}");
        let dst = TestEnv::with_editor(to);
        let path = write(&dst, "all.jsonl", &doc);
        dst.roster(["import"]).arg(&path).succeeds();
        assert_eq!(
            export_all(&dst),
            as_imported_into(&doc, to),
            "{from:?} -> {to:?}"
        );
        for (email, pw) in [
            ("admin@example.com", "AdminPass123!"),
            ("editor@example.com", "EditorPass123!"),
        ] {
            let hash = dst.col(email, "password").expect("hash");
            assert!(
                roster::password::verify(pw, &hash),
                "{email} logs in after {from:?} -> {to:?}"
            );
        }
        assert_eq!(
            dst.col("editor@example.com", "token").as_deref(),
            Some(EDITOR_TOKEN)
        );
        assert_eq!(dst.status_of("archived@example.com"), "deleted");
    }
}

#[test]
fn export_formats_and_filters() {
    let env = TestEnv::directus11(Backend::Sqlite);
    env.roster(["export", "--output-format", "csv", "--status", "suspended"])
        .succeeds()
        .stdout(
            "id,email,first_name,last_name,status,role,title,company,timezone,language,theme,avatar,\
             email_notifications,provider,last_access,location,description,tags,text_direction,\
             theme_light,theme_dark,theme_light_overrides,theme_dark_overrides,external_identifier,last_page\n\
             5a39a141-d392-48ee-88ff-fd379faf6185,suspended@example.com,Sam,Suspended,suspended,Editor,,,,,,,\
             true,default,,,,,,,,,,,\n",
        )
        .stderr(""); // no secrets, no warning
    env.roster(["export", "--output-format", "toml", "--search", "eddie"])
        .succeeds()
        .stdout(
            "[[users]]\nemail = \"editor@example.com\"\nemail_notifications = true\nfirst_name = \"Eddie\"\n\
             id = \"1ccf0e10-5d51-4570-8760-dbf5112fb24e\"\nlast_access = \"2026-11-27T01:38:59.793Z\"\n\
             last_name = \"Editor\"\nprovider = \"default\"\nrole = \"Editor\"\nstatus = \"active\"\n",
        );
    let json = env.roster(["export"]).succeeds().json();
    assert_eq!(
        json.as_array().map(Vec::len),
        Some(4),
        "soft-deleted users only with --all"
    );
}

each_db!(a_user_base_moves_through_a_pipe);
fn a_user_base_moves_through_a_pipe(b: Via) {
    let src = TestEnv::directus11(Backend::Sqlite);
    let doc = export_all(&src);
    let dst = TestEnv::with_editor(b);
    dst.roster(["import", "-", "--input-format", "jsonl"])
        .stdin(doc.clone())
        .succeeds();
    assert_eq!(export_all(&dst), as_imported_into(&doc, b));
}
