//! The layering of `docs/architecture.md` ("Structure"), checked on the source: each part of
//! `src/` names only the parts it may import (`crate::<part>` outside comments, tests
//! included). A grep, not a compiler pass, but it fails the moment a `use crate::web` appears
//! under `src/service`.

use std::path::{Path, PathBuf};

/// Each part of `src/` and the parts it may import: the table of `docs/architecture.md`.
/// `errors` (which error when, and its helpers) may be used by every part.
const ALLOWED: &[(&str, &[&str])] = &[
    ("errors", &[]),
    ("domain", &[]),
    ("crypto", &[]),
    ("csv_out", &[]),
    ("import", &["domain", "csv_out"]),
    ("storage", &["domain"]),
    ("packet", &["domain", "crypto", "csv_out"]),
    (
        "service",
        &["domain", "crypto", "import", "storage", "packet"],
    ),
    (
        "web",
        &[
            "domain", "crypto", "csv_out", "import", "storage", "packet", "service", "config",
            "registry",
        ],
    ),
    (
        "sim",
        &[
            "domain", "crypto", "import", "storage", "packet", "service", "web", "config",
        ],
    ),
    (
        "registry",
        &[
            "domain", "crypto", "csv_out", "storage", "packet", "service", "sim", "config",
        ],
    ),
    ("config", &["storage"]),
    (
        "demo",
        &["crypto", "storage", "service", "web", "sim", "config"],
    ),
    (
        "cli",
        &[
            "domain", "crypto", "csv_out", "import", "storage", "packet", "service", "web", "sim",
            "config", "demo", "registry",
        ],
    ),
];

/// The crates the rules must not touch (`docs/architecture.md`: no diesel, actix, ring or IO).
const DOMAIN_FORBIDDEN_CRATES: &[&str] = &["diesel", "actix_web", "ring", "openssl", "std::fs"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file of a part: `src/<part>.rs` and everything under `src/<part>/`.
fn files(part: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    let file = src().join(format!("{part}.rs"));
    if file.is_file() {
        out.push(file);
    }
    walk(&src().join(part), &mut out);
    out.sort();
    out
}

/// The code of a line, without a `//` comment (doc comments included).
fn code(line: &str) -> &str {
    match line.find("//") {
        Some(i) => &line[..i],
        None => line,
    }
}

/// `file:line: text` for every line of `part` that names `needle` as code.
fn offending(part: &str, needles: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for path in files(part) {
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            let c = code(line);
            let hit = needles.iter().any(|n| {
                c.match_indices(n.as_str()).any(|(at, _)| {
                    // Whole path segments: `crate::web` but not `crate::web_x`, `ring::` but
                    // not `String::`.
                    let word = |ch: char| ch.is_alphanumeric() || ch == '_';
                    let before = c[..at].chars().next_back();
                    let after = c[at + n.len()..].chars().next();
                    let after_ok = n.ends_with("::") || !after.is_some_and(word);
                    !before.is_some_and(word) && after_ok
                })
            });
            if hit {
                let rel = path.strip_prefix(src()).unwrap_or(&path);
                found.push(format!("src/{}:{}: {}", rel.display(), i + 1, line.trim()));
            }
        }
    }
    found
}

test!(each_part_imports_only_the_parts_below_it);
fn each_part_imports_only_the_parts_below_it() {
    let parts: Vec<&str> = ALLOWED.iter().map(|(p, _)| *p).collect();
    let mut problems = Vec::new();
    for (part, allowed) in ALLOWED {
        assert!(!files(part).is_empty(), "no source for part `{part}`");
        let forbidden: Vec<&str> = parts
            .iter()
            .copied()
            .filter(|p| p != part && *p != "errors" && !allowed.contains(p))
            .collect();
        let needles: Vec<String> = forbidden.iter().map(|f| format!("crate::{f}")).collect();
        for line in offending(part, &needles) {
            problems.push(format!("{part} may import only {allowed:?}: {line}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

test!(every_part_of_src_is_in_the_table);
/// A new top-level module must be placed in the table (and in `docs/architecture.md`).
fn every_part_of_src_is_in_the_table() {
    let mut missing = Vec::new();
    for e in std::fs::read_dir(src()).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let part = name.strip_suffix(".rs").unwrap_or(&name).to_string();
        if ["lib", "main"].contains(&part.as_str()) {
            continue;
        }
        if !ALLOWED.iter().any(|(p, _)| *p == part) {
            missing.push(part);
        }
    }
    assert!(
        missing.is_empty(),
        "parts not in the layering table: {missing:?}"
    );
}

test!(the_rules_touch_no_database_web_or_files);
fn the_rules_touch_no_database_web_or_files() {
    let needles: Vec<String> = DOMAIN_FORBIDDEN_CRATES
        .iter()
        .map(|c| format!("{c}::"))
        .collect();
    let found = offending("domain", &needles);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

test!(the_check_sees_a_forbidden_import);
/// The grep itself: it finds a forbidden path in code and ignores it in comments.
fn the_check_sees_a_forbidden_import() {
    assert_eq!(
        code("use crate::web::x; // crate::cli"),
        "use crate::web::x; "
    );
    assert_eq!(code("//! see `crate::web`"), "");
    assert!(files("service")
        .iter()
        .any(|p| p.ends_with("service/mod.rs")));
    let found = offending("service", &["crate::storage".to_string()]);
    assert!(!found.is_empty(), "the service layer does use storage");
    assert!(offending("service", &["crate::stor".to_string()]).is_empty());
    // `ring::` is the crate, not the end of `String::`.
    assert!(offending("domain", &["ring::".to_string()]).is_empty());
    assert!(!offending("domain", &["String::".to_string()]).is_empty());
}
