//! What operators asked for and what surprised them, by command: status
//! filters and stale accounts, roles whose access differs, unverified users,
//! SSO accounts, sessions, forgetting, doctor.

use crate::common::*;
use crate::common::{Via, each_db};

mod accounts;
mod doctor;
mod forget;
mod listing;
mod roles;
mod sessions;
