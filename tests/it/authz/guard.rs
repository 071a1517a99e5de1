//! The table's completeness guard: every route registered in `src/web` (parsed from the
//! `configure` functions, with their `web::scope` prefixes) and every operation of the
//! OpenAPI document the server serves must have a row in the table, or be listed as public
//! with a reason; and the table names no route that does not exist. So a route added without
//! deciding who may use it fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::block_on;
use super::table::{self, Step, PUBLIC};
use crate::common::http::TestApp;
use crate::common::Kind;

/// `/c/{cid}/contests/{id}` -> `/c/{}/contests/{}`: parameter names differ between the code,
/// the document and the table.
pub fn normalise(path: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for ch in path.split('?').next().unwrap_or("").chars() {
        match ch {
            '{' => {
                if depth == 0 {
                    out.push_str("{}");
                }
                depth += 1;
            }
            '}' => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether a row's path template could be a request to `route`.
fn path_fits(route: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or("");
    let (a, b): (Vec<_>, Vec<_>) = (route.split('/').collect(), path.split('/').collect());
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(r, p)| (r.starts_with('{') && r.ends_with('}') && !p.is_empty()) || r == p)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src/web") {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The bodies of the `fn configure` functions of a file.
fn configure_bodies(src: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = src;
    while let Some(i) = rest.find("fn configure(") {
        let tail = &rest[i..];
        let open = tail.find('{').expect("configure body");
        let mut depth = 0;
        let mut end = open;
        for (j, ch) in tail[open..].char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + j;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push(&tail[open + 1..end]);
        rest = &tail[end..];
    }
    out
}

/// The string literal at the start of `s` (after whitespace), and what follows it.
fn literal(s: &str) -> Option<(String, &str)> {
    let s = s.trim_start();
    let s = s.strip_prefix('"')?;
    let end = s.find('"')?;
    Some((s[..end].to_string(), &s[end + 1..]))
}

/// `let NAME = "..."` in a configure body.
fn binding(body: &str, name: &str) -> Option<String> {
    let at = body.find(&format!("let {name} = "))?;
    literal(&body[at + format!("let {name} = ").len()..]).map(|(v, _)| v)
}

/// The first argument of a `.route(`: a literal, a `let` binding, or `&format!("...")`
/// over bindings.
fn route_path(body: &str, arg: &str) -> (String, usize) {
    let trimmed = arg.trim_start();
    let skipped = arg.len() - trimmed.len();
    if let Some((lit, rest)) = literal(trimmed) {
        return (lit, arg.len() - rest.len());
    }
    if let Some(f) = trimmed.strip_prefix("&format!(") {
        let (template, rest) = literal(f).expect("format! with a literal");
        let mut path = String::new();
        let mut chars = template.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    path.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    path.push('}');
                }
                '{' => {
                    let name: String = chars.by_ref().take_while(|&c| c != '}').collect();
                    path.push_str(
                        &binding(body, &name)
                            .unwrap_or_else(|| panic!("format! names `{name}`, not bound")),
                    );
                }
                c => path.push(c),
            }
        }
        return (path, arg.len() - rest.len());
    }
    let name: String = trimmed
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    assert!(
        !name.is_empty(),
        "cannot read the route's path in {arg:.60}"
    );
    let path = binding(body, &name).unwrap_or_else(|| panic!("route path `{name}` not bound"));
    (path, skipped + name.len())
}

/// Every (METHOD, path) registered in `src/web`, prefixed by its scope.
pub fn registered() -> Routes {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/web");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files.sort();
    let texts: BTreeMap<PathBuf, String> = files
        .iter()
        .map(|f| (f.clone(), std::fs::read_to_string(f).unwrap()))
        .collect();
    // Other ways of registering a route would be missed by this parser: refuse them.
    for (f, text) in &texts {
        for style in [
            "web::resource(",
            "#[get(",
            "#[post(",
            "#[put(",
            "#[delete(",
            "#[patch(",
            "#[route(",
            "default_service(",
            "web::route()",
            "Files::new(",
        ] {
            // The one default service answers unknown paths with the 404 page; it serves no
            // path of its own, so it needs no row (it is checked in tests/it/security/headers).
            let text = text.replace(".default_service(web::to(routes::not_found))", "");
            assert!(
                !text.contains(style),
                "{}: registers routes with {style}, which the guard cannot read",
                f.display()
            );
        }
        for (i, _) in text.match_indices(".service(") {
            assert!(
                text[i + ".service(".len()..]
                    .trim_start()
                    .starts_with("web::scope("),
                "{}: a .service(..) that is not a web::scope",
                f.display()
            );
        }
    }
    // Scope prefixes: `web::scope("P")...configure(m::configure)` gives module m prefix P.
    let mut prefix: BTreeMap<PathBuf, String> = BTreeMap::new();
    for (f, text) in &texts {
        for body in configure_bodies(text) {
            if let Some(at) = body.find("web::scope(") {
                let (p, _) = literal(&body[at + "web::scope(".len()..]).expect("scope path");
                for (i, _) in body[at..].match_indices(".configure(") {
                    let arg = &body[at + i + ".configure(".len()..];
                    let module = arg.split("::").next().unwrap().trim();
                    let dir = f.parent().unwrap();
                    let file = if f.file_name().unwrap() == "mod.rs" {
                        dir.join(format!("{module}.rs"))
                    } else {
                        dir.join(f.file_stem().unwrap())
                            .join(format!("{module}.rs"))
                    };
                    assert!(file.exists(), "scope module {}", file.display());
                    prefix.insert(file, p.clone());
                }
            }
        }
    }
    let mut out = BTreeSet::new();
    for (f, text) in &texts {
        let pre = prefix.get(f).cloned().unwrap_or_default();
        for body in configure_bodies(text) {
            for (i, _) in body.match_indices(".route(") {
                let arg = &body[i + ".route(".len()..];
                let (path, used) = route_path(body, arg);
                let after = &arg[used..];
                let m = after.find("web::").expect("web::METHOD() after the path");
                let method: String = after[m + 5..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .collect();
                assert!(
                    ["get", "post", "put", "delete", "patch"].contains(&method.as_str()),
                    "{}: route {path} with method {method}",
                    f.display()
                );
                out.insert((method.to_uppercase(), format!("{pre}{path}")));
            }
        }
    }
    out
}

/// Every (METHOD, path) of the served OpenAPI document.
async fn documented(app: &TestApp) -> Routes {
    let doc: serde_json::Value = reqwest::get(app.url("/api/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut out = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for method in ops.as_object().unwrap().keys() {
            if ["get", "post", "put", "delete", "patch"].contains(&method.as_str()) {
                out.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    out
}

/// (METHOD, path) pairs.
type Routes = BTreeSet<(String, String)>;

fn norm(set: &Routes) -> Routes {
    set.iter().map(|(m, p)| (m.clone(), normalise(p))).collect()
}

/// The routes the table walks, and those it lists as public.
pub fn tabled() -> (Routes, Routes) {
    let mut walked = BTreeSet::new();
    for step in table::html_steps().iter().chain(table::api_steps().iter()) {
        if let Step::Walk(r) = step {
            walked.insert((r.method.to_string(), normalise(r.route)));
            assert!(
                path_fits(r.route, r.path),
                "row {} {}: the path does not fit its route {}",
                r.method,
                r.path,
                r.route
            );
        }
    }
    let public = PUBLIC
        .iter()
        .map(|(m, p, reason)| {
            assert!(!reason.is_empty());
            (m.to_string(), normalise(p))
        })
        .collect();
    (walked, public)
}

test!(every_route_has_a_row);
fn every_route_has_a_row() {
    let app = TestApp::start(Kind::Sqlite, "every_route_has_a_row");
    let code = norm(&registered());
    let doc = norm(&block_on(documented(&app)));
    assert!(
        code.len() >= 100,
        "parsed only {} routes: {code:?}",
        code.len()
    );
    assert!(doc.len() >= 30, "document lists only {}", doc.len());
    let (walked, public) = tabled();
    let both: BTreeSet<_> = walked.intersection(&public).collect();
    assert!(both.is_empty(), "walked and public: {both:?}");
    let covered: BTreeSet<_> = walked.union(&public).cloned().collect();
    let missing: Vec<_> = code.union(&doc).filter(|r| !covered.contains(r)).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in tests/it/authz/table.rs (add one, or list it in PUBLIC with \
         the reason): {missing:#?}"
    );
    let stale: Vec<_> = covered.iter().filter(|r| !code.contains(r)).collect();
    assert!(
        stale.is_empty(),
        "rows for routes that do not exist: {stale:#?}"
    );
    let api: BTreeSet<_> = code
        .iter()
        .filter(|(_, p)| p.starts_with("/api/v1/"))
        .collect();
    let undocumented: Vec<_> = api.iter().filter(|r| !doc.contains(r)).collect();
    assert!(
        undocumented.is_empty(),
        "API routes missing from /api/openapi.json: {undocumented:#?}"
    );
    eprintln!(
        "routes: {} registered, {} documented; {} walked by 5 principals, {} public",
        code.len(),
        doc.len(),
        walked.len(),
        public.len()
    );
}

test!(the_parser_reads_every_registration_style_used);
fn the_parser_reads_every_registration_style_used() {
    let body = r#"
        let one = "/x/{cid}/y/{id}";
        cfg.route("/a", web::get().to(a))
            .route(one, web::put().to(b))
            .route(
                &format!("{one}/z/{{kid}}"),
                web::delete().to(c),
            );
    "#;
    let mut found = Vec::new();
    for (i, _) in body.match_indices(".route(") {
        let arg = &body[i + ".route(".len()..];
        let (path, used) = route_path(body, arg);
        let m = arg[used..].find("web::").unwrap();
        found.push((
            path,
            arg[used + m + 5..].split('(').next().unwrap().to_string(),
        ));
    }
    assert_eq!(
        found,
        [
            ("/a".to_string(), "get".to_string()),
            ("/x/{cid}/y/{id}".to_string(), "put".to_string()),
            ("/x/{cid}/y/{id}/z/{kid}".to_string(), "delete".to_string()),
        ]
    );
    assert_eq!(normalise("/c/{cid}/x/{id}?kind=a"), "/c/{}/x/{}");
}
