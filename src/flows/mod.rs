//! The work several commands share (creating or reviving a user, changing
//! statuses, obtaining a password, finding roles, importing and applying rows):
//! commands parse, call a flow and render its typed outcome; flows never print.

pub mod create;
pub mod filter;
pub mod import;
pub mod password;
pub mod roles;
pub mod rows;
pub mod status;
