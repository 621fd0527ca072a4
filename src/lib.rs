//! roster: administer the user accounts of a Directus database directly over SQL.

pub mod email;
pub mod error;
pub mod password;
pub mod policy;
pub mod profile;
pub mod repo;
pub mod status;
pub mod token;
