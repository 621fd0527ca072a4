//! A first end-to-end check of the harness on every backend.

use crate::common::TestEnv;
use crate::common::{Via, each_db};

each_db!(fixture_lists_four_live_users_on_every_backend);
fn fixture_lists_four_live_users_on_every_backend(b: Via) {
    let env = TestEnv::directus11(b);
    let users = env.roster(["list", "--format", "json"]).succeeds().json();
    assert_eq!(users.as_array().unwrap().len(), 4);
}
