//! `roster projects`: the named projects of the config file, and which is in use.

use crate::context::Context;
use crate::error::Result;
use crate::output::ProjectView;
use clap::Args;

/// List the named projects of the config file ([projects.NAME])
///
/// Each project names its database by `database_url` or `env_file`;
/// `protect = true` makes every write to it ask for its name to be typed at a
/// terminal, and need --yes elsewhere. `--project NAME` or ROSTER_PROJECT picks
/// one; the list marks it.
#[derive(Debug, Args)]
pub struct ProjectsArgs {}

pub fn run(ctx: &Context, _args: &ProjectsArgs) -> Result<()> {
    let chosen = ctx.global.project.as_deref();
    if let Some(name) = chosen {
        // A name that is not there is said, not silently left unmarked.
        ctx.config.project(name)?;
    }
    let views: Vec<ProjectView> = ctx
        .config
        .projects
        .iter()
        .map(|(name, p)| ProjectView::of(name, p, chosen == Some(name.as_str())))
        .collect();
    if views.is_empty() {
        ctx.out.note(match &ctx.config_path {
            Some(path) => format!("no projects in {}", path.display()),
            None => "no config file, so no projects (see examples/config.toml)".to_string(),
        });
    }
    ctx.out.projects(&views)
}
