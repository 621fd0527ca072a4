//! `edit_user`: only differences are written, and the last admin keeps its role.
use crate::common::{Via, each_db};

use super::*;

/// An edit of the title alone.
fn title(t: &str) -> Edit {
    Edit {
        profile: Profile::of(&[("title", t)]).unwrap(),
        ..Edit::default()
    }
}

each_db!(edit_user_writes_only_differences, poolers);
fn edit_user_writes_only_differences(b: Via) {
    let (_env, mut r) = standalone(b);
    let admin = role_id(r.as_mut(), "Administrator");
    let ann = add_user(r.as_mut(), "ann@example.com", &admin, Status::Active);
    let edited = r.edit_user("ANN@example.com", &title("Lead"), &plain());
    let (_, user) = done(edited.expect("edit"));
    assert_eq!(user.profile.get("title"), Some("Lead"));
    let again = r
        .edit_user(&ann.id, &title("Lead"), &plain())
        .expect("edit again");
    assert!(matches!(again, Changed::AlreadyThere(_)));
    let cleared = r.edit_user(&ann.id, &title(""), &dry()).expect("dry edit");
    assert!(matches!(cleared, Changed::Done { .. }));
    let still = find(r.as_mut(), &ann.id);
    let kept = still.profile.get("title");
    assert_eq!(kept, Some("Lead"), "a dry run changes nothing");
}

each_db!(edit_user_guards_the_last_admin_unless_forced, poolers);
fn edit_user_guards_the_last_admin_unless_forced(b: Via) {
    let (_env, mut r) = standalone(b);
    let admin = role_id(r.as_mut(), "Administrator");
    let staff = plain_role(r.as_mut(), "Staff");
    let ann = add_user(r.as_mut(), "ann@example.com", &admin, Status::Active);
    let to_staff = Edit {
        role: Some(staff.clone()),
        ..Edit::default()
    };
    refused("last admin", 4, r.edit_user(&ann.id, &to_staff, &plain()));
    let forced_edit = r.edit_user(&ann.id, &to_staff, &forced());
    let (_, user) = done(forced_edit.expect("forced"));
    assert_eq!(user.role.as_deref(), Some(staff.as_str()));
    assert!(!user.is_admin);
}
