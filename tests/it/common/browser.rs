//! Headless Chromium through chromedriver (thirtyfour) for the browser tests.
//!
//! Chromium and chromedriver are looked for at /usr/bin (or `$CHROMIUM`, `$CHROMEDRIVER`);
//! `.ci/setup` installs them. Without them the runner reports the browser tests (registered
//! with `browser`) ignored and names them at the end; under `CI=true` they run and fail, so
//! CI can never skip them silently. Screenshots go to `<target dir>/screenshots/`.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use thirtyfour::prelude::*;
use thirtyfour::ChromeCapabilities;

/// `$env`, or `default`, if the file exists; otherwise its path, for the message.
fn tool(env: &str, default: &str) -> Result<PathBuf, String> {
    let path = std::env::var_os(env).map_or_else(|| PathBuf::from(default), PathBuf::from);
    if path.exists() {
        Ok(path)
    } else {
        Err(path.display().to_string())
    }
}

/// Chromium and chromedriver, or why they cannot be used.
pub fn find_tools() -> Result<(PathBuf, PathBuf), String> {
    let chromium = tool("CHROMIUM", "/usr/bin/chromium");
    let driver = tool("CHROMEDRIVER", "/usr/bin/chromedriver");
    match (chromium, driver) {
        (Ok(c), Ok(d)) => Ok((c, d)),
        (c, d) => Err(format!(
            "{} missing",
            [c.err(), d.err()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" and ")
        )),
    }
}

/// Chromium and chromedriver for browser test `test`; panics when missing (the runner does
/// not start a test registered with `browser` then, unless `CI=true` or `--include-ignored`).
pub fn tools(test: &str) -> (PathBuf, PathBuf) {
    find_tools().unwrap_or_else(|e| {
        panic!(
            "browser test `{test}` cannot run: {e} (run .ci/setup, or set CHROMIUM / CHROMEDRIVER)"
        )
    })
}

/// chromedriver on a free port, killed when dropped.
pub struct Chromedriver {
    child: Child,
    pub url: String,
}

impl Chromedriver {
    pub fn start(binary: &Path) -> Chromedriver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Chromedriver { child, url }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Capabilities for headless Chromium with the project's standard flags.
pub fn capabilities(
    chromium: &Path,
    width: u32,
    height: u32,
    javascript: bool,
) -> ChromeCapabilities {
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary(&chromium.to_string_lossy())
        .expect("binary");
    for arg in [
        "--headless".to_string(),
        "--no-sandbox".to_string(),
        "--disable-gpu".to_string(),
        "--disable-background-networking".to_string(),
        format!("--window-size={width},{height}"),
    ] {
        caps.add_arg(&arg).expect("arg");
    }
    if !javascript {
        caps.add_experimental_option(
            "prefs",
            serde_json::json!({ "profile.managed_default_content_settings.javascript": 2 }),
        )
        .expect("prefs");
    }
    caps
}

/// `<target dir>/screenshots`, created.
pub fn screenshot_dir() -> PathBuf {
    // <target dir>/debug/congress -> <target dir>/screenshots
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_congress"));
    let target = exe
        .parent()
        .and_then(Path::parent)
        .map_or_else(|| PathBuf::from("target"), Path::to_path_buf);
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

/// Waits (up to 15 s) until the browser is on a page whose path starts with `prefix`.
pub async fn arrive(driver: &WebDriver, prefix: &str) -> WebDriverResult<String> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let url = driver.current_url().await?;
        if url.path().starts_with(prefix) && driver.find(By::Tag("main")).await.is_ok() {
            return Ok(url.path().to_string());
        }
        assert!(
            Instant::now() < deadline,
            "expected {prefix}, still at {url}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Logs a staff account in through the login form at `login_url` and waits for the home page.
pub async fn log_in(
    driver: &WebDriver,
    login_url: &str,
    username: &str,
    password: &str,
) -> WebDriverResult<()> {
    driver.goto(login_url).await?;
    driver
        .find(By::Id("username"))
        .await?
        .send_keys(username)
        .await?;
    driver
        .find(By::Id("password"))
        .await?
        .send_keys(password)
        .await?;
    driver
        .find(By::Css("form[action='/login'] button"))
        .await?
        .click()
        .await?;
    // Every path starts with "/", the login page's too: wait until the browser has left it,
    // or the next navigation could cancel the login request still in flight.
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let url = driver.current_url().await?;
        if url.path() != "/login" && driver.find(By::Tag("main")).await.is_ok() {
            return Ok(());
        }
        assert!(
            Instant::now() < deadline,
            "still on the login page after logging in as {username}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Sets the page's viewport through DevTools (a headless window is at least 500 px wide): a
/// phone below 600 px, a desktop or projector above.
pub async fn viewport(driver: &WebDriver, width: u32, height: u32) -> WebDriverResult<()> {
    let metrics = serde_json::json!({
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600
    });
    driver
        .cdp()
        .send_raw("Emulation.setDeviceMetricsOverride", metrics)
        .await?;
    Ok(())
}

/// Fails when the current page scrolls sideways (`document.scrollingElement.scrollWidth >
/// innerWidth`), then saves `<target>/screenshots/<name>-<width>.png`.
pub async fn fits_and_shoot(driver: &WebDriver, name: &str, width: u32) -> WebDriverResult<()> {
    let dims = driver
        .execute(
            "return [document.scrollingElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await?
        .json()
        .clone();
    let (scroll, inner) = (
        dims[0].as_i64().unwrap_or(-1),
        dims[1].as_i64().unwrap_or(-1),
    );
    let path = screenshot_dir().join(format!("{name}-{width}.png"));
    driver.screenshot(&path).await?;
    assert_eq!(inner, i64::from(width), "{name}: viewport");
    assert!(
        scroll <= inner,
        "{name} scrolls sideways: {scroll} px wide at {inner} px ({})",
        path.display()
    );
    Ok(())
}

/// Opens `url` at `width` x `height` and checks it with [`fits_and_shoot`].
pub async fn page_fits(
    driver: &WebDriver,
    url: &str,
    name: &str,
    width: u32,
    height: u32,
) -> WebDriverResult<()> {
    viewport(driver, width, height).await?;
    driver.goto(url).await?;
    driver.find(By::Tag("main")).await?;
    fits_and_shoot(driver, name, width).await
}

/// A Chromium session (1366 × 900 to start; scripts on or off) on a chromedriver of its own,
/// logged in as
/// `username` through the login form at `login_url`; runs `body`, then quits the browser
/// whatever happened (a panic in `body` is resumed after the quit) and fails the test on a
/// WebDriver error. Call it outside any runtime: it makes its own.
pub fn logged_in<F>(
    tools: &(PathBuf, PathBuf),
    javascript: bool,
    login_url: &str,
    username: &str,
    password: &str,
    body: F,
) where
    F: AsyncFnOnce(&WebDriver) -> WebDriverResult<()>,
{
    use futures_util::FutureExt;
    let (chromium, driver_bin) = tools;
    let chromedriver = Chromedriver::start(driver_bin);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(async {
            let caps = capabilities(chromium, 1366, 900, javascript);
            let d = WebDriver::new(chromedriver.url.clone(), caps)
                .await
                .expect("browser session");
            let result = std::panic::AssertUnwindSafe(async {
                log_in(&d, login_url, username, password).await?;
                body(&d).await
            })
            .catch_unwind()
            .await;
            d.quit().await.expect("quit");
            match result {
                Ok(r) => r.expect("browser steps"),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        });
}
