//! Finding the role a command names, or asking for one at a terminal.

use crate::context::Context;
use crate::error::{Error, Result};
use crate::repo::{Repo, Role};

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
                "role {} exists with {what} = {has}, but {what} = {wants} was asked for; \
                 roster does not change an existing role's access",
                have.name
            )));
        }
    }
    Ok(())
}

/// A role named on the command line (by name or id), which must exist.
pub fn resolve(repo: &mut dyn Repo, key: &str) -> Result<Role> {
    repo.find_role(key)?.ok_or_else(|| {
        Error::not_found(format!(
            "no role {:?}\nhint: `roster roles list` shows the roles",
            key.trim()
        ))
    })
}
/// Asks for a role at a terminal; elsewhere a missing role is a usage error.
pub fn choose(ctx: &Context, repo: &mut dyn Repo) -> Result<Role> {
    let missing =
        || Error::usage("a new user needs a role: give --role NAME (see `roster roles list`)");
    if !ctx.interactive {
        return Err(missing());
    }
    let mut roles = repo.list_roles()?;
    if roles.is_empty() {
        return Err(Error::usage(
            "this database has no roles yet: create one with `roster roles create NAME`",
        ));
    }
    let names: Vec<String> = roles
        .iter()
        .map(|r| {
            if r.admin_access {
                format!("{} (admin)", r.name)
            } else {
                r.name.clone()
            }
        })
        .collect();
    let pick = dialoguer::Select::new()
        .with_prompt("Role")
        .items(&names)
        .default(least_privileged(&roles))
        .interact_opt()
        .map_err(|_| Error::Interrupted)?
        .ok_or(Error::Interrupted)?;
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
