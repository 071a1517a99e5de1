//! The harness of the `it` test binary: tests register themselves with `test!` and
//! `both_backends!` (how: `main.rs`), and `main` runs them with libtest-mimic, which takes the
//! usual arguments (a name filter, `--exact`, `--skip`, `--list`, `--test-threads`,
//! `--ignored`, `--include-ignored`, `--nocapture`) and runs tests in parallel.
//!
//! A test whose PostgreSQL (`TEST_DATABASE_URL` unset) or browser (Chromium or ChromeDriver
//! not found) is missing is reported `ignored`, with the reason, and one line at the end
//! names everything that did not run. Under `CI=true` nothing is ignored: such a test runs
//! and fails, so CI can never skip it silently. `--include-ignored` runs it too (and it fails
//! saying what is missing).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use libtest_mimic::{Arguments, Completion, Trial};

use crate::common::browser;

/// What a test needs besides a SQLite database, which every test can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    /// A PostgreSQL server (`TEST_DATABASE_URL`).
    pub postgres: bool,
    /// Headless Chromium and ChromeDriver.
    pub browser: bool,
}

impl Needs {
    pub const NOTHING: Needs = Needs {
        postgres: false,
        browser: false,
    };
    pub const BROWSER: Needs = Needs {
        postgres: false,
        browser: true,
    };

    /// These needs and PostgreSQL.
    pub const fn and_postgres(self) -> Needs {
        Needs {
            postgres: true,
            ..self
        }
    }
}

/// One registered test.
pub struct Test {
    /// `module_path!()` where it was registered, e.g. `it::voting::api`.
    pub module: &'static str,
    /// Its name in that module, e.g. `a_contest_run_through_the_api::sqlite`.
    pub name: &'static str,
    pub needs: Needs,
    pub run: fn(),
}

inventory::collect!(Test);

impl Test {
    pub const fn new(module: &'static str, name: &'static str, needs: Needs, run: fn()) -> Test {
        Test {
            module,
            name,
            needs,
            run,
        }
    }

    /// The name shown and filtered on: the module path without the crate's name, then the
    /// test's (`voting::api::a_contest_run_through_the_api::sqlite`).
    pub fn full_name(&self) -> String {
        match self.module.split_once("::") {
            Some((_, module)) => format!("{module}::{}", self.name),
            None => self.name.to_string(),
        }
    }
}

/// Registers test functions: `test!(name);`, or `test!(name, browser);` for one that drives
/// headless Chromium. The function takes no arguments and fails by panicking.
macro_rules! test {
    ($name:ident, browser) => {
        ::inventory::submit! {
            $crate::runner::Test::new(
                module_path!(),
                stringify!($name),
                $crate::runner::Needs::BROWSER,
                $name,
            )
        }
    };
    ($name:ident) => {
        ::inventory::submit! {
            $crate::runner::Test::new(
                module_path!(),
                stringify!($name),
                $crate::runner::Needs::NOTHING,
                $name,
            )
        }
    };
}

/// Registers `<name>::sqlite` and `<name>::postgres`, each running `body(Kind)`; with
/// `browser`, both also need headless Chromium:
/// `both_backends!(name, |kind: Kind| { ... });`, `both_backends!(name, browser, |kind: Kind| ...);`
macro_rules! both_backends {
    (@register $name:ident, $needs:expr, $body:expr) => {
        ::inventory::submit! {
            $crate::runner::Test::new(
                module_path!(),
                concat!(stringify!($name), "::sqlite"),
                $needs,
                || ($body)($crate::common::Kind::Sqlite),
            )
        }
        ::inventory::submit! {
            $crate::runner::Test::new(
                module_path!(),
                concat!(stringify!($name), "::postgres"),
                $needs.and_postgres(),
                || ($body)($crate::common::Kind::Postgres),
            )
        }
    };
    ($name:ident, browser, $body:expr) => {
        both_backends!(@register $name, $crate::runner::Needs::BROWSER, $body);
    };
    ($name:ident, $body:expr) => {
        both_backends!(@register $name, $crate::runner::Needs::NOTHING, $body);
    };
}

/// Why the tests of each need cannot run here (`None`: they can, or `CI=true` demands it).
struct Missing {
    postgres: Option<String>,
    browser: Option<String>,
}

impl Missing {
    fn detect() -> Missing {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            return Missing {
                postgres: None,
                browser: None,
            };
        }
        let postgres = match std::env::var("TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => None,
            _ => Some("TEST_DATABASE_URL unset".to_string()),
        };
        Missing {
            postgres,
            browser: browser::find_tools().err(),
        }
    }

    /// What a test with `needs` lacks here, as (what, why): PostgreSQL first, then the browser.
    fn lacked(&self, needs: Needs) -> Vec<(&'static str, String)> {
        let mut lacked = Vec::new();
        if let (true, Some(why)) = (needs.postgres, &self.postgres) {
            lacked.push(("PostgreSQL", why.clone()));
        }
        if let (true, Some(why)) = (needs.browser, &self.browser) {
            lacked.push(("browser", why.clone()));
        }
        lacked
    }
}

/// Runs `run` on a thread named after the test, so that a panic message says which test it
/// came from (the output is not captured: tests run side by side).
fn run_named(name: String, run: fn()) {
    let thread = std::thread::Builder::new()
        .name(name)
        .spawn(run)
        .expect("spawn the test's thread");
    if let Err(panic) = thread.join() {
        std::panic::resume_unwind(panic);
    }
}

/// How many tests run at once unless `--test-threads` (or `RUST_TEST_THREADS`) says: twice the
/// cores, at most 8. A test spends much of its time waiting (for its server's writer, for
/// PostgreSQL's fsync, for Chromium), so on two cores four at once finished the suite in 261 s
/// against 286 s for two, with the machine equally busy (docs/conventions.md, "Tests"). The cap
/// keeps the PostgreSQL connections of the tests running at once well under the server's 100.
fn default_threads() -> usize {
    if let Some(n) = std::env::var("RUST_TEST_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        return n;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    (2 * cores).min(8)
}

/// The test binary's `main`.
pub fn main() {
    let mut args = Arguments::from_args();
    if args.test_threads.is_none() {
        args.test_threads = Some(default_threads());
    }
    // `--ignored` / `--include-ignored`: run the tests that lack something too (they fail
    // saying what); libtest-mimic then treats them as ignored tests.
    let forced = args.ignored || args.include_ignored;
    let missing = Missing::detect();
    // Tests reported ignored, counted under the first thing each lacked: (what, why) -> count.
    let not_run: Arc<Mutex<BTreeMap<(&str, String), usize>>> = Arc::default();
    // How long each test that ran took, for the list of the slowest at the end.
    let took: Arc<Mutex<Vec<(std::time::Duration, String)>>> = Arc::default();
    let mut tests: BTreeMap<String, &'static Test> = BTreeMap::new();
    for test in inventory::iter::<Test> {
        let name = test.full_name();
        if tests.insert(name.clone(), test).is_some() {
            panic!("two tests are registered as `{name}`");
        }
    }
    let trials = tests
        .into_iter()
        .map(|(name, test)| {
            let lacked = missing.lacked(test.needs);
            if lacked.is_empty() || forced {
                let run = test.run;
                let took = took.clone();
                let trial = Trial::test(name.clone(), move || {
                    let start = std::time::Instant::now();
                    run_named(name.clone(), run);
                    took.lock().unwrap().push((start.elapsed(), name));
                    Ok(())
                });
                return trial.with_ignored_flag(!lacked.is_empty());
            }
            let reason: Vec<&str> = lacked.iter().map(|(_, why)| why.as_str()).collect();
            let reason = reason.join("; ");
            let first = lacked[0].clone();
            let not_run = not_run.clone();
            Trial::ignorable_test(name, move || {
                *not_run.lock().unwrap().entry(first).or_default() += 1;
                Ok(Completion::ignored_with(reason))
            })
        })
        .collect();
    let conclusion = libtest_mimic::run(&args, trials);
    let mut took = took.lock().unwrap().clone();
    if took.len() > 1 {
        // Wall time, with the other tests running beside it: where the suite's time goes.
        took.sort_by_key(|t| std::cmp::Reverse(t.0));
        let slowest: Vec<String> = took
            .iter()
            .take(12)
            .map(|(d, name)| format!("{:.1} s {name}", d.as_secs_f64()))
            .collect();
        eprintln!("SLOWEST (of {} run): {}", took.len(), slowest.join(", "));
    }
    let not_run = not_run.lock().unwrap();
    if !not_run.is_empty() {
        let parts: Vec<String> = not_run
            .iter()
            .map(|((what, why), n)| {
                let s = if *n == 1 { "" } else { "s" };
                format!("{n} {what} test{s} ({why})")
            })
            .collect();
        eprintln!("NOT RUN: {}", parts.join(", "));
    }
    conclusion.exit();
}

/// With `harness = false` the compiler drops `#[test]` functions without a word: this fails
/// when one is written in `tests/it`, so that no test is silently left out.
fn no_test_attributes_in_this_binary() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it");
    let mut found = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read tests/it") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("read a test file");
                for (i, line) in text.lines().enumerate() {
                    let line = line.trim_start();
                    let attribute = line.starts_with("#[test")
                        || line.starts_with("#[should_panic")
                        || (line.starts_with("#[") && line.contains("::test"));
                    if attribute {
                        found.push(format!("{}:{}: {line}", path.display(), i + 1));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "test attributes are ignored in this binary (harness = false); register the function \
         with test!(name) or both_backends! instead (see tests/it/main.rs):\n{}",
        found.join("\n")
    );
}
test!(no_test_attributes_in_this_binary);

/// With `autotests = false` Cargo builds nothing else in `tests/`: this fails when a test file
/// or directory is there (say, a test binary merged from a branch that predates this one), so
/// that it is moved in here rather than never run.
fn every_test_file_is_in_this_binary() {
    let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut stray: Vec<String> = std::fs::read_dir(&tests)
        .expect("read tests/")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let kept = ["it", "fixtures", "proptest-regressions"].contains(&name);
            !kept && (path.is_dir() || path.extension().is_some_and(|e| e == "rs"))
        })
        .map(|path| path.display().to_string())
        .collect();
    stray.sort();
    assert!(
        stray.is_empty(),
        "Cargo does not build these (autotests = false): make each a module of tests/it \
         (see tests/it/main.rs, \"Moving an old test binary in\"):\n{}",
        stray.join("\n")
    );
}
test!(every_test_file_is_in_this_binary);
