//! How roles are shown: a table, JSON or CSV of roles, and what a `roles`
//! command changed.

use super::outcome::dry;
use super::{Grid, Out};
use crate::cli::Format;
use crate::error::Result;
use crate::flows::roles::{RoleChange, RoleResult};
use crate::repo::Role;
use serde::Serialize;

/// The JSON printed by `roles create`, `rename` and `delete`.
#[derive(Serialize)]
struct RoleJson<'a> {
    result: RoleResult,
    dry_run: bool,
    role: &'a Role,
}

impl Out {
    /// Prints roles.
    pub fn roles(&self, roles: &[Role]) -> Result<()> {
        match self.format {
            Format::Json => self.json(&roles),
            Format::Csv | Format::Plain => self.records(
                roles,
                &["id", "name", "admin_access", "app_access", "users"],
            ),
            Format::Table => {
                let mut g = Grid::new(&["NAME", "ADMIN", "APP", "USERS", "ID"]);
                let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
                for r in roles {
                    g.rows.push(vec![
                        r.name.clone(),
                        yes(r.admin_access),
                        yes(r.app_access),
                        r.users.to_string(),
                        r.id.clone(),
                    ]);
                }
                g.droppable = vec!["ID".into()];
                self.grid(g)
            }
        }
    }

    /// Says what a `roles` command changed, then shows the role (JSON: `{"result", "dry_run", "role"}`).
    pub fn role_changed(&self, change: &RoleChange, dry_run: bool) -> Result<()> {
        for said in role_sentences(change, dry_run) {
            self.note(said);
        }
        // A role found by --if-not-exists was never going to be written.
        let dry_run = dry_run && change.result() != RoleResult::Exists;
        if self.format == Format::Json {
            return self.json(&RoleJson {
                result: change.result(),
                dry_run,
                role: change.role(),
            });
        }
        self.roles(std::slice::from_ref(change.role()))
    }
}

/// The sentences for a role change, in the order they are said.
fn role_sentences(change: &RoleChange, dry_run: bool) -> Vec<String> {
    match change {
        RoleChange::Exists(role) => vec![format!(
            "a role named {:?} already exists; nothing changed",
            role.name
        )],
        RoleChange::Created { role, .. } if dry_run => {
            vec![dry(true, format!("created role {}", role.name))]
        }
        RoleChange::Created { role, restart } => {
            let mut said = vec![format!("created role {} ({})", role.name, role.id)];
            if *restart {
                said.push("a running Directus caches access: restart it or clear its system cache to see the new role".into());
            }
            said
        }
        RoleChange::Renamed { from, role } if *from == role.name => vec![format!(
            "role {} already has this name; nothing to do",
            role.name
        )],
        RoleChange::Renamed { from, role } => vec![dry(
            dry_run,
            format!("renamed role {from} to {}", role.name),
        )],
        RoleChange::Edited { role, changes } if changes.is_empty() => {
            vec![format!("role {} already is so; nothing to do", role.name)]
        }
        RoleChange::Edited { role, changes } => changes
            .iter()
            .map(|(field, old, new)| {
                let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
                dry(
                    dry_run,
                    format!(
                        "changed role {} {field}: {} → {}",
                        role.name,
                        show(old),
                        show(new)
                    ),
                )
            })
            .collect(),
        RoleChange::Deleted { role, moved, to } => {
            let moved = match to {
                Some(to) if *moved > 0 => {
                    format!(", moving {} to {to}", super::counted(*moved, "user"))
                }
                _ => String::new(),
            };
            vec![dry(dry_run, format!("deleted role {}{moved}", role.name))]
        }
    }
}
