//! Headless Chromium through ChromeDriver (thirtyfour): the printable record (选举结果报告单)
//! and the projector (大屏) as a real browser renders them, saved as
//! `<target>/screenshots/record.png` and `projector.png`. A browser test: without Chromium or
//! ChromeDriver the runner reports it ignored (and runs it, failing, under CI=true).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use thirtyfour::prelude::*;

use super::block_on;
use super::fixture::{certified, ELECTION_TITLE};
use crate::common::Kind;

/// A ChromeDriver process on a free port, killed when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start(chromedriver: &Path) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let driver = Driver { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }
}

/// `<target>/screenshots`: the test binary is `<target>/debug/deps/results-<hash>`.
fn screenshots_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let target = exe
        .ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn session(
    chromium: &Path,
    port: u16,
    width: u32,
    height: u32,
) -> WebDriverResult<WebDriver> {
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary(&chromium.to_string_lossy())?;
    for arg in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        &format!("--window-size={width},{height}"),
    ] {
        caps.add_arg(arg)?;
    }
    WebDriver::new(format!("http://127.0.0.1:{port}"), caps).await
}

/// A PNG's width and height from its IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    (w, h)
}

test!(
    screenshots_of_the_printed_record_the_attendance_and_the_projector,
    browser
);
fn screenshots_of_the_printed_record_the_attendance_and_the_projector() {
    let (chromium, chromedriver) = crate::common::browser::tools("results::browser");
    let w = certified(Kind::Sqlite, "browser");
    let password = w
        .app
        .create_user("dayin", congress::storage::repo::users::Role::Scrutineer);
    w.link_scrutineer("dayin");
    let driver = Driver::start(&chromedriver);
    let dir = screenshots_dir();
    block_on(async {
        // The printed record needs a staff session: log in through the form.
        let d = session(&chromium, driver.port, 900, 3200).await.unwrap();
        d.goto(w.app.url("/login")).await.unwrap();
        d.find(By::Name("username"))
            .await
            .unwrap()
            .send_keys("dayin")
            .await
            .unwrap();
        d.find(By::Name("password"))
            .await
            .unwrap()
            .send_keys(&password)
            .await
            .unwrap();
        d.find(By::Css("form button[type='submit']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        // Wait for the login's redirect, so the session cookie is set before going on.
        let deadline = Instant::now() + Duration::from_secs(15);
        while d.current_url().await.unwrap().path() == "/login" {
            assert!(Instant::now() < deadline, "login did not finish");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        d.goto(w.app.url(&format!("/c/{}/record/print", w.cid)))
            .await
            .unwrap();
        let title = d.title().await.unwrap();
        assert!(title.contains("选举结果报告单"), "{title}");
        let body = d.find(By::Tag("body")).await.unwrap().text().await.unwrap();
        assert!(body.contains(ELECTION_TITLE));
        assert!(body.contains("总监票人: 周敏"));
        // The stylesheet applied: the sheet is 190 mm (718 px) plus 2 x 4 mm padding wide, not
        // the window's 900 px.
        let sheet = d.find(By::ClassName("sheet")).await.unwrap();
        let rect = sheet.rect().await.unwrap();
        assert!(
            (740.0..=760.0).contains(&rect.width),
            "sheet width {}",
            rect.width
        );
        let png = d.screenshot_as_png().await.unwrap();
        assert_eq!(png_size(&png).0, 900);
        std::fs::write(dir.join("record.png"), &png).unwrap();

        // The scrutineers' attendance page (how each delegate was checked in, logins, prints)
        // on a desktop and on a phone.
        let attendance = w.app.url(&format!("/c/{}/attendance", w.cid));
        d.set_window_rect(0, 0, 1366, 900).await.unwrap();
        d.goto(&attendance).await.unwrap();
        let text = d.find(By::Tag("body")).await.unwrap().text().await.unwrap();
        assert!(
            text.contains("签到方式") && text.contains("打印次数"),
            "{text}"
        );
        let png = d.screenshot_as_png().await.unwrap();
        assert_eq!(png_size(&png).0, 1366);
        std::fs::write(dir.join("attendance-1366.png"), &png).unwrap();
        let metrics = serde_json::json!({
            "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true
        });
        d.cdp()
            .send_raw("Emulation.setDeviceMetricsOverride", metrics)
            .await
            .unwrap();
        d.goto(&attendance).await.unwrap();
        // The table (in its own horizontal scroller on a phone) rather than the figures.
        d.find(By::Tag("table"))
            .await
            .unwrap()
            .scroll_into_view()
            .await
            .unwrap();
        let png = d.screenshot_as_png().await.unwrap();
        assert_eq!(png_size(&png).0, 390);
        std::fs::write(dir.join("attendance-390.png"), &png).unwrap();
        d.quit().await.unwrap();

        let d = session(&chromium, driver.port, 1600, 900).await.unwrap();
        d.goto(w.app.url(&format!("/b/{}/screen", w.cid)))
            .await
            .unwrap();
        let class = d
            .find(By::Tag("body"))
            .await
            .unwrap()
            .attr("class")
            .await
            .unwrap();
        assert_eq!(class.as_deref(), Some("projector"));
        let text = d.find(By::Tag("body")).await.unwrap().text().await.unwrap();
        assert!(text.contains("王芳\n当选"), "{text}");
        let png = d.screenshot_as_png().await.unwrap();
        let (pw, ph) = png_size(&png);
        assert!(pw == 1600 && ph > 600, "{pw}x{ph}");
        std::fs::write(dir.join("projector.png"), &png).unwrap();
        d.quit().await.unwrap();
    });
    println!("screenshots written to {}", dir.display());
}
