//! Finding the role a command names, or asking for one at a terminal; and
//! creating, renaming and deleting roles.

use super::{Interaction, Run};
use crate::error::{Error, Result};
use crate::repo::{FieldChange, Flavor, NewRole, Policy, Repo, Role, RoleEdit};
use serde::Serialize;

/// What a `roles` command did (its JSON `result`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleResult {
    Created,
    Exists,
    Renamed,
    Edited,
    Unchanged,
    Deleted,
}

/// A change to a role, as the output tells it.
pub enum RoleChange {
    /// `--if-not-exists` found the role with the access asked for.
    Exists(Role),
    /// `restart`: a running Directus caches access, so it must be told (not
    /// said for roster's standalone schema, nor in a dry run).
    Created {
        role: Role,
        restart: bool,
    },
    Renamed {
        from: String,
        role: Role,
    },
    /// Each change as (field, old, new); none when the role already was so.
    Edited {
        role: Role,
        changes: Vec<FieldChange>,
    },
    /// `moved` users went to the role named `to` first.
    Deleted {
        role: Role,
        moved: u64,
        to: Option<String>,
    },
}

impl RoleChange {
    /// The result word.
    pub fn result(&self) -> RoleResult {
        match self {
            RoleChange::Exists(_) => RoleResult::Exists,
            RoleChange::Created { .. } => RoleResult::Created,
            RoleChange::Renamed { .. } => RoleResult::Renamed,
            RoleChange::Edited { changes, .. } if changes.is_empty() => RoleResult::Unchanged,
            RoleChange::Edited { .. } => RoleResult::Edited,
            RoleChange::Deleted { .. } => RoleResult::Deleted,
        }
    }

    /// The role as it is now (or, in a dry run, would be).
    pub fn role(&self) -> &Role {
        match self {
            RoleChange::Exists(role)
            | RoleChange::Created { role, .. }
            | RoleChange::Renamed { role, .. }
            | RoleChange::Edited { role, .. }
            | RoleChange::Deleted { role, .. } => role,
        }
    }
}

/// Creates a role; with `if_not_exists`, one already there (with the same access) is kept.
pub fn create(run: &Run, repo: &mut dyn Repo, new: &NewRole, dry_run: bool) -> Result<RoleChange> {
    if new.if_not_exists {
        if let Some(role) = repo.find_role(&new.name)? {
            check_access(&role, new.admin_access, new.app_access)?;
            return Ok(RoleChange::Exists(role));
        }
    }
    let opts = run.write_opts(repo, dry_run, false)?;
    let role = repo.create_role(new, &opts)?;
    let restart = !dry_run && repo.schema()?.flavor != Flavor::Standalone;
    Ok(RoleChange::Created { role, restart })
}

/// Renames the role `key` names.
pub fn rename(
    run: &Run,
    repo: &mut dyn Repo,
    key: &str,
    name: &str,
    dry_run: bool,
) -> Result<RoleChange> {
    let opts = run.write_opts(repo, dry_run, false)?;
    let before = resolve(repo, key)?;
    let role = repo.rename_role(&before.id, name, &opts)?;
    Ok(RoleChange::Renamed {
        from: before.name,
        role,
    })
}

/// What applying a declared policy changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyChange {
    Made(String),
    /// Its flags, as (field, old, new).
    Changed(String, Vec<FieldChange>),
    /// Attached to a holder: "role Editor", "user ann@example.com".
    Attached(String, String),
}

/// The changes declared policies make to the ones there are (by name, any case).
pub fn policy_changes(have: &[Policy], want: &[Policy]) -> Vec<PolicyChange> {
    let mut out = Vec::new();
    for w in want {
        let found = have
            .iter()
            .find(|h| h.name.to_lowercase() == w.name.to_lowercase());
        let h = match found {
            Some(h) => h.clone(),
            None => {
                out.push(PolicyChange::Made(w.name.clone()));
                Policy::default()
            }
        };
        let flags: Vec<FieldChange> = [
            ("admin", h.admin, w.admin),
            ("app_access", h.app_access, w.app_access || w.admin),
            ("enforce_tfa", h.enforce_tfa, w.enforce_tfa),
        ]
        .into_iter()
        .filter(|(_, had, wants)| found.is_some() && had != wants)
        .map(|(f, had, wants)| (f, Some(had.to_string()), Some(wants.to_string())))
        .collect();
        if !flags.is_empty() {
            out.push(PolicyChange::Changed(w.name.clone(), flags));
        }
        let has =
            |list: &[String], x: &str| list.iter().any(|y| y.to_lowercase() == x.to_lowercase());
        for role in w.roles.iter().filter(|r| !has(&h.roles, r)) {
            out.push(PolicyChange::Attached(
                w.name.clone(),
                format!("role {role}"),
            ));
        }
        for user in w.users.iter().filter(|u| !has(&h.users, u)) {
            out.push(PolicyChange::Attached(
                w.name.clone(),
                format!("user {user}"),
            ));
        }
    }
    out
}

/// The changes an edit makes to a role's access, as (field, old, new).
pub fn changes(have: &Role, e: &RoleEdit) -> Vec<FieldChange> {
    let admin = e.admin.unwrap_or(have.admin_access);
    let app = e.app_access.unwrap_or(have.app_access) || admin;
    [
        ("admin", have.admin_access, admin),
        ("app_access", have.app_access, app),
    ]
    .into_iter()
    .filter(|(_, had, wants)| had != wants)
    .map(|(f, had, wants)| (f, Some(had.to_string()), Some(wants.to_string())))
    .collect()
}

/// Changes the access or description of the role `key` names.
pub fn edit(
    run: &Run,
    repo: &mut dyn Repo,
    key: &str,
    edit: &RoleEdit,
    force: bool,
    dry_run: bool,
) -> Result<RoleChange> {
    if *edit == RoleEdit::default() {
        return Err(Error::usage(
            "nothing to change: give --admin, --no-admin, --app-access, --no-app-access or --description",
        ));
    }
    let role = resolve(repo, key)?;
    let opts = run.write_opts(repo, dry_run, force)?;
    let (role, changes) = repo.edit_role(&role.id, edit, &opts)?;
    Ok(RoleChange::Edited { role, changes })
}

/// Deletes the role `key` names, first moving its users to `reassign`.
pub fn delete(
    run: &Run,
    repo: &mut dyn Repo,
    key: &str,
    reassign: Option<&str>,
    force: bool,
    dry_run: bool,
) -> Result<RoleChange> {
    let role = resolve(repo, key)?;
    let other = reassign.map(|r| resolve(repo, r)).transpose()?;
    let opts = run.write_opts(repo, dry_run, force)?;
    let to = other.as_ref().map(|o| o.id.as_str());
    let (role, moved) = repo.delete_role(&role.id, to, &opts)?;
    Ok(RoleChange::Deleted {
        role,
        moved,
        to: other.map(|o| o.name),
    })
}

/// Refuses (exit 4) an existing role whose access differs from what is asked,
/// naming the difference: a script must never believe it has an admin role it lacks.
pub fn check_access(have: &Role, admin: bool, app_access: bool) -> Result<()> {
    // An admin role uses the app too, as `roles create --admin` makes it.
    let app_access = app_access || admin;
    for (what, has, wants) in [
        ("admin", have.admin_access, admin),
        ("app_access", have.app_access, app_access),
    ] {
        if has != wants {
            return Err(Error::conflict(format!(
                "role {} exists with {what} = {has}, but {what} = {wants} was asked for",
                have.name
            ))
            .hint("`roster roles edit` changes a role's access"));
        }
    }
    Ok(())
}

/// A role named on the command line (by name or id), which must exist.
pub fn resolve(repo: &mut dyn Repo, key: &str) -> Result<Role> {
    if let Some(role) = repo.find_role(key)? {
        return Ok(role);
    }
    let names: Vec<String> = repo.list_roles()?.into_iter().map(|r| r.name).collect();
    let hint = match closest(key.trim(), &names) {
        Some(name) => format!("did you mean {name}? `roster roles list` shows the roles"),
        None => "`roster roles list` shows the roles".to_string(),
    };
    Err(Error::not_found(format!("no role {:?}", key.trim())).hint(hint))
}

/// The name nearest to a mistyped one (at most two edits, any case).
fn closest<'a>(typed: &str, names: &'a [String]) -> Option<&'a str> {
    let typed = typed.to_lowercase();
    names
        .iter()
        .map(|n| (edits(&typed, &n.to_lowercase()), n))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n.as_str())
}

/// Levenshtein distance, over characters.
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
/// Asks for a role at a terminal; elsewhere a missing role is a usage error.
pub fn choose(io: &dyn Interaction, repo: &mut dyn Repo) -> Result<Role> {
    if !io.can_ask() {
        return Err(Error::usage(
            "a new user needs a role: give --role NAME (see `roster roles list`)",
        ));
    }
    let mut roles = repo.list_roles()?;
    if roles.is_empty() {
        return Err(Error::usage(
            "this database has no roles yet: create one with `roster roles create NAME`",
        ));
    }
    let pick = io.pick_role(&roles, least_privileged(&roles))?;
    Ok(roles.swap_remove(pick))
}

/// The role the picker opens on: Enter must never make an administrator by
/// accident, so the first role without admin or app access, else without admin.
fn least_privileged(roles: &[Role]) -> usize {
    roles
        .iter()
        .position(|r| !r.admin_access && !r.app_access)
        .or_else(|| roles.iter().position(|r| !r.admin_access))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(name: &str, admin_access: bool, app_access: bool) -> Role {
        Role {
            id: name.into(),
            name: name.into(),
            admin_access,
            app_access,
            users: 0,
        }
    }

    #[test]
    fn a_mistyped_role_finds_its_neighbour() {
        let names = ["Administrator".to_string(), "Editor".to_string()];
        assert_eq!(closest("Edtor", &names), Some("Editor"));
        assert_eq!(closest("admin", &names), None);
        assert_eq!(edits("kitten", "sitting"), 3);
    }

    #[test]
    fn the_picker_opens_on_the_least_privileged_role() {
        let roles = [
            role("Administrator", true, true),
            role("Editor", false, true),
            role("API", false, false),
        ];
        assert_eq!(least_privileged(&roles), 2);
        assert_eq!(least_privileged(&roles[..2]), 1);
        assert_eq!(least_privileged(&roles[..1]), 0);
    }
}
