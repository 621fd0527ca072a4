//! The named locks roster's writers share on PostgreSQL and MySQL: every key (a
//! lower-cased email, or a name such as `roster:status`) maps to one of a bounded
//! number of buckets, so a write of any size holds a bounded number of locks.

use std::collections::BTreeSet;

/// How many locks roster's keys share: enough that unrelated writers rarely
/// wait on each other, few enough for any server's lock table and for an import
/// to take them all in a moment (one `GET_LOCK` per email made a 20,000-user
/// import on MariaDB five times slower, every other writer waiting meanwhile).
pub const LOCK_BUCKETS: u64 = 512;

/// The bucket a key maps to: FNV-1a of the lower-cased key, stable across
/// processes and versions, so every roster running on one database agrees.
pub fn lock_bucket(key: &str) -> u64 {
    let hash = key
        .to_lowercase()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    hash % LOCK_BUCKETS
}

/// The distinct buckets of these keys, in ascending order: every writer takes
/// its locks in this one order, so two writers never wait on each other in a cycle.
pub fn lock_buckets<K: AsRef<str>>(keys: impl IntoIterator<Item = K>) -> BTreeSet<u64> {
    keys.into_iter().map(|k| lock_bucket(k.as_ref())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_maps_to_one_bucket_in_any_case() {
        assert_eq!(
            lock_bucket("Ann@Example.com"),
            lock_bucket("ann@example.com")
        );
        // Pinned: a new version of roster must lock what an older one running
        // beside it locks.
        assert_eq!(lock_bucket("ann@example.com"), 5);
    }

    #[test]
    fn any_number_of_keys_share_at_most_every_bucket_once() {
        let keys: Vec<String> = (0..100_000).map(|i| format!("u{i}@example.com")).collect();
        let buckets = lock_buckets(&keys);
        assert_eq!(buckets.len() as u64, LOCK_BUCKETS);
        assert!(buckets.iter().is_sorted());
    }
}
