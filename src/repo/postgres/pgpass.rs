//! libpq's password file (`~/.pgpass`, or `PGPASSFILE`): its format, its
//! matching rules and its refusal of a file others can read.

use super::libpq::Env;
use postgres::Config;
use postgres::config::Host;
use std::path::Path;

/// The password file's text; `None` when there is none, an error (as a note)
/// when it is ignored because others may read it, as libpq ignores it.
pub fn read(path: &Path) -> std::result::Result<Option<String>, String> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(None);
    };
    if !meta.is_file() {
        return Ok(None);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            return Err(format!(
                "the password file {} was ignored: others can read it (chmod 600 it)",
                path.display()
            ));
        }
    }
    Ok(std::fs::read_to_string(path).ok())
}

/// The password of the first line matching any host, its port, the database and the user.
pub fn lookup(text: &str, config: &Config, env: Env, host_bound: bool) -> Option<String> {
    let user = config
        .get_user()
        .map(str::to_string)
        .or_else(|| env("USER"))
        .or_else(|| env("LOGNAME"))?;
    let db = config.get_dbname().unwrap_or(&user).to_string();
    let ports = config.get_ports();
    config.get_hosts().iter().enumerate().find_map(|(i, host)| {
        let host = match host {
            Host::Tcp(h) => h.clone(),
            // libpq matches a socket connection as localhost.
            #[cfg(unix)]
            Host::Unix(_) => "localhost".to_string(),
        };
        let port = ports.get(i).or(ports.first()).copied().unwrap_or(5432);
        let wanted = [host, port.to_string(), db.clone(), user.clone()];
        text.lines()
            .find_map(|line| matching_password(line, &wanted, host_bound))
    })
}

/// One password-file line, `hostname:port:database:username:password` with `*`
/// matching anything (but a host, when `host_bound`) and `\:`/`\\` escapes: its
/// password when the four match.
fn matching_password(line: &str, wanted: &[String; 4], host_bound: bool) -> Option<String> {
    if line.starts_with('#') {
        return None;
    }
    let fields = split_fields(line);
    if fields.len() != 5 {
        return None;
    }
    if host_bound && fields[0].1 {
        return None;
    }
    let matches = fields[..4]
        .iter()
        .zip(wanted)
        .all(|((value, wildcard), want)| *wildcard || value == want);
    matches.then(|| fields[4].0.clone())
}

/// Splits at unescaped colons into at most five fields, each with whether it is
/// a bare `*` (an escaped `\*` is a literal star).
fn split_fields(line: &str) -> Vec<(String, bool)> {
    let mut fields = vec![(String::new(), false)];
    let mut escaped_any = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                escaped_any = true;
                push(&mut fields, chars.next());
            }
            ':' if fields.len() < 5 => {
                close(&mut fields, escaped_any);
                escaped_any = false;
                fields.push((String::new(), false));
            }
            _ => push(&mut fields, Some(c)),
        }
    }
    close(&mut fields, escaped_any);
    fields
}

fn push(fields: &mut [(String, bool)], c: Option<char>) {
    if let Some(last) = fields.last_mut() {
        last.0.extend(c);
    }
}

fn close(fields: &mut [(String, bool)], escaped: bool) {
    if let Some(last) = fields.last_mut() {
        last.1 = !escaped && last.0 == "*";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgpass_lines_match_as_libpq_matches_them() {
        let want = |h: &str, p: &str, d: &str, u: &str| {
            [h.to_string(), p.to_string(), d.to_string(), u.to_string()]
        };
        let w = want("db.internal", "5432", "directus", "admin");
        assert_eq!(
            matching_password("db.internal:5432:directus:admin:pw", &w, false).as_deref(),
            Some("pw")
        );
        assert_eq!(
            matching_password("*:*:*:admin:a\\:b\\\\c:d", &w, false).as_deref(),
            Some("a:b\\c:d")
        );
        assert_eq!(matching_password("*:*:*:other:pw", &w, false), None);
        assert_eq!(matching_password("# *:*:*:*:pw", &w, false), None);
        // A host roster found in a .env gets no line meant for any host.
        assert_eq!(matching_password("*:*:*:admin:pw", &w, true), None);
        assert_eq!(
            matching_password("db.internal:5432:directus:admin:pw", &w, true).as_deref(),
            Some("pw")
        );
        assert_eq!(
            matching_password("*:*:*:pw", &w, false),
            None,
            "four fields"
        );
        assert_eq!(
            matching_password("\\*:*:*:*:pw", &w, false),
            None,
            "an escaped star is literal"
        );
        let star = want("*", "5432", "directus", "admin");
        assert_eq!(
            matching_password("\\*:*:*:*:pw", &star, false).as_deref(),
            Some("pw")
        );
    }
}
