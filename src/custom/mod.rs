//! Custom user fields (the seed's "System vs. Custom"): the columns a project
//! added to `directus_users`, and the rules Directus keeps for them.

pub mod rule;
