//! A first end-to-end check of the harness on every backend.

mod common;
use common::{TestEnv, backends, json_of};

#[test]
fn fixture_lists_four_live_users_on_every_backend() {
    for b in backends() {
        let env = TestEnv::directus11(b);
        let out = env
            .cmd()
            .args(["list", "--format", "json"])
            .assert()
            .success();
        let users = json_of(&out);
        assert_eq!(users.as_array().unwrap().len(), 4, "{b:?}");
    }
}
