//! A first end-to-end check of the harness on every backend.

mod common;
use common::{TestEnv, backends};

#[test]
fn fixture_lists_four_live_users_on_every_backend() {
    for b in backends() {
        let env = TestEnv::directus11(b);
        let out = env
            .cmd()
            .args(["list", "--format", "json"])
            .assert()
            .success();
        let users: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        assert_eq!(users.as_array().unwrap().len(), 4, "{b:?}");
    }
}
