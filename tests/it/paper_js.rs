//! The phone's ballot-paper script (`/static/paper.js`, `window.CongressPaper`) in headless
//! Chromium, served by the real app under its CSP: every RFC 9474 Appendix A vector run
//! through the script and compared byte for byte; SHA-384 against OpenSSL; then the real
//! protocol across the two languages: the script blinds, Rust `blind_sign`s, the script
//! finalizes, Rust `verify` accepts (and the script refuses a blind signature that is not
//! for its token); the paper kept in `localStorage` survives a reload.
//!
//! The page hides `crypto.subtle` before the script loads, as a plain `http://` LAN address
//! would (127.0.0.1 counts as a secure context): the script must not need it.
//!
//! Chromium and chromedriver are looked for at /usr/bin (or `$CHROMIUM`, `$CHROMEDRIVER`);
//! without them the test says it was NOT run, and fails under `CI=true`.

use crate::common;

use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::browser::{self, Chromedriver};
use common::http::TestApp;
use common::Kind;
use congress::crypto::blind::{ContestKey, TOKEN_LEN};
use futures_util::FutureExt;
use serde_json::{json, Value};
use thirtyfour::prelude::*;

const PAPER_JS: &str = include_str!("../../templates/static/paper.js");
/// RFC 9474 Appendix A; the file names its source.
const VECTORS_JSON: &str = include_str!("../../src/crypto/blind/rfc9474_vectors.json");

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

fn unhex(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))).expect("hex")
}

/// Served as it is in the repository, as JavaScript, cached like the CSS, under the CSP; and
/// what it weighs on the wire with gzip (printed for the page budget).
async fn check_served(app: &TestApp) -> (usize, usize) {
    let client = reqwest::Client::new();
    let r = client
        .get(app.url("/static/paper.js"))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "text/javascript; charset=utf-8");
    assert_eq!(h["cache-control"], "public, max-age=3600");
    assert!(h["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("script-src 'self'"));
    assert_eq!(r.text().await.expect("body"), PAPER_JS);
    // reqwest here has no gzip support, so this body is the compressed bytes as sent.
    let r = client
        .get(app.url("/static/paper.js"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("get gzip");
    assert_eq!(r.headers()["content-encoding"], "gzip");
    let wire = r.bytes().await.expect("body").len();
    (PAPER_JS.len(), wire)
}

/// Loads `/static/paper.js` into the current page the way a page's `<script src>` would
/// (same origin, under the CSP), with `crypto.subtle` hidden first.
async fn load_script(driver: &WebDriver) -> WebDriverResult<()> {
    driver
        .execute(
            "Object.defineProperty(window.crypto, 'subtle', { get: function () {
                 throw new Error('crypto.subtle used'); } });
             var s = document.createElement('script');
             s.src = '/static/paper.js';
             document.head.appendChild(s);",
            Vec::<Value>::new(),
        )
        .await?;
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let ready = driver
            .execute("return typeof window.CongressPaper;", Vec::<Value>::new())
            .await?;
        if ready.json().as_str() == Some("object") {
            return Ok(());
        }
        assert!(Instant::now() < deadline, "paper.js did not load");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn js(driver: &WebDriver, script: &str, args: Vec<Value>) -> WebDriverResult<Value> {
    Ok(driver.execute(script, args).await?.json().clone())
}

async fn vectors_in_the_browser(driver: &WebDriver) -> WebDriverResult<()> {
    let doc: Value = serde_json::from_str(VECTORS_JSON).expect("vectors");
    let vectors = doc["vectors"].as_array().expect("vectors").clone();
    assert_eq!(vectors.len(), 4);
    // The script computes; Rust compares every byte with the RFC.
    let out = js(
        driver,
        "var P = window.CongressPaper, out = [];
         arguments[0].forEach(function (v) {
           var prepared = P.unhex(v.msg_prefix + v.msg), salt = P.unhex(v.salt);
           var n = v.n, e = parseInt(v.e, 16), bits = BigInt('0x' + n).toString(2).length;
           var b = P.blind(n, e, prepared, salt, P.unhex(v.inv));
           out.push({
             encoded: P.hex(P.encode(prepared, bits - 1, salt)),
             blinded: P.hex(b.blinded),
             inv: P.hex(b.inv),
             sig: P.hex(P.finalize(n, e, prepared, P.unhex(v.blind_sig), b.inv, salt.length)),
             verifies: P.verify(n, e, prepared, P.unhex(v.sig), salt.length),
             other_salt_len: P.verify(n, e, prepared, P.unhex(v.sig), salt.length ? 0 : 48)
           });
         });
         return out;",
        vec![Value::Array(vectors.clone())],
    )
    .await?;
    let out = out.as_array().expect("results");
    assert_eq!(out.len(), vectors.len());
    for (v, got) in vectors.iter().zip(out) {
        let name = v["name"].as_str().unwrap();
        assert_eq!(
            unhex(&got["encoded"]),
            unhex(&v["encoded_msg"]),
            "{name}: encode"
        );
        assert_eq!(
            unhex(&got["blinded"]),
            unhex(&v["blinded_msg"]),
            "{name}: blind"
        );
        assert_eq!(unhex(&got["inv"]), unhex(&v["inv"]), "{name}: inv");
        assert_eq!(unhex(&got["sig"]), unhex(&v["sig"]), "{name}: finalize");
        assert_eq!(got["verifies"], true, "{name}: verify");
        assert_eq!(
            got["other_salt_len"], false,
            "{name}: salt length is checked"
        );
    }

    // SHA-384 across block boundaries (111/112 bytes: the length field's edge) and UTF-8.
    let inputs: Vec<Vec<u8>> = [0usize, 3, 111, 112, 127, 128, 129, 1000]
        .iter()
        .map(|&n| (0..n).map(|i| (i * 7 + 1) as u8).collect())
        .chain(std::iter::once("第十二次学生代表大会".as_bytes().to_vec()))
        .collect();
    let hexes: Vec<Value> = inputs.iter().map(|b| json!(hex::encode(b))).collect();
    let digests = js(
        driver,
        "var P = window.CongressPaper;
         return arguments[0].map(function (h) { return P.hex(P.sha384(P.unhex(h))); });",
        vec![Value::Array(hexes)],
    )
    .await?;
    for (input, got) in inputs.iter().zip(digests.as_array().unwrap()) {
        let want = openssl::sha::sha384(input);
        assert_eq!(unhex(got), want, "sha384 of {} bytes", input.len());
    }
    Ok(())
}

/// Phone (script) and server (Rust) speak the protocol with a fresh RSA-2048 contest key.
async fn round_trip(driver: &WebDriver) -> WebDriverResult<()> {
    let key = ContestKey::generate().expect("key");
    let pk = key.public_key();
    let (n, e) = (json!(pk.modulus_hex()), json!(pk.exponent()));
    let mut tokens = Vec::new();
    for round in 0..3 {
        // 领票: the script makes and blinds a token; the pending paper is kept first.
        let started = Instant::now();
        let pending = js(
            driver,
            "var P = window.CongressPaper, p = P.request(arguments[0], arguments[1]);
             P.keepPaper('cg1', 'k1', p);
             return p;",
            vec![n.clone(), e.clone()],
        )
        .await?;
        let request_ms = started.elapsed().as_millis();
        let token = unhex(&pending["token"]);
        assert_eq!(token.len(), TOKEN_LEN);
        let blinded = unhex(&pending["blinded"]);
        assert_eq!(blinded.len(), 256);
        let blind_sig = key.blind_sign(&blinded).expect("blind_sign");
        // 投票 needs the finished paper: the script unblinds and checks it.
        let started = Instant::now();
        let paper = js(
            driver,
            "var P = window.CongressPaper, pending = P.paper('cg1', 'k1');
             var done = P.complete(arguments[0], arguments[1], pending, P.unhex(arguments[2]));
             P.keepPaper('cg1', 'k1', done);
             return done;",
            vec![n.clone(), e.clone(), json!(hex::encode(&blind_sig))],
        )
        .await?;
        let complete_ms = started.elapsed().as_millis();
        assert_eq!(unhex(&paper["token"]), token);
        let sig = STANDARD
            .decode(paper["sig"].as_str().expect("sig"))
            .expect("base64");
        pk.verify(&token, &sig)
            .expect("Rust verifies the script's paper");
        println!("paper.js round {round}: request {request_ms} ms, complete {complete_ms} ms");
        tokens.push(token);
    }
    tokens.sort();
    tokens.dedup();
    assert_eq!(tokens.len(), 3, "every paper has its own token");

    // A blind signature made for another blinded message is refused by the script.
    let wrong = key.blind_sign(&vec![7u8; 256]).expect("blind_sign");
    let refused = js(
        driver,
        "var P = window.CongressPaper, p = P.request(arguments[0], arguments[1]);
         try { P.complete(arguments[0], arguments[1], p, P.unhex(arguments[2])); return 'accepted'; }
         catch (err) { return err.message; }",
        vec![n.clone(), e.clone(), json!(hex::encode(&wrong))],
    )
    .await?;
    assert_eq!(refused, "盲签名无效");

    // A paper ballot's signature (sign_token) verifies in the script; a tampered one not.
    let token = congress::crypto::blind::new_token();
    let sig = key.sign_token(&token).expect("sign_token");
    let mut tampered = sig.clone();
    tampered[100] ^= 1;
    let checks = js(
        driver,
        "var P = window.CongressPaper, a = arguments;
         return [a[2], a[3]].map(function (s) {
           return P.verify(a[0], a[1], P.unhex(a[4]), P.unhex(s));
         });",
        vec![
            n.clone(),
            e.clone(),
            json!(hex::encode(&sig)),
            json!(hex::encode(&tampered)),
            json!(hex::encode(token)),
        ],
    )
    .await?;
    assert_eq!(checks, json!([true, false]));
    Ok(())
}

/// The kept paper and the receipts survive a reload; receipts are not listed twice.
async fn storage_survives_reload(driver: &WebDriver, app: &TestApp) -> WebDriverResult<()> {
    js(
        driver,
        "var P = window.CongressPaper;
         P.addReceipt({ tracker: 'aa' }); P.addReceipt({ tracker: 'bb' }); P.addReceipt({ tracker: 'aa' });
         P.keepPaper('cg1', 'k2', { token: 'ff', sig: 'AA==' }); P.dropPaper('cg1', 'k2');",
        vec![],
    )
    .await?;
    let before = js(
        driver,
        "return window.CongressPaper.paper('cg1', 'k1');",
        vec![],
    )
    .await?;
    driver.goto(app.url("/login/code")).await?;
    load_script(driver).await?;
    let after = js(
        driver,
        "var P = window.CongressPaper;
         return [P.paper('cg1', 'k1'), P.paper('cg1', 'k2'), P.receipts()];",
        vec![],
    )
    .await?;
    assert!(before["sig"].is_string(), "{before}");
    assert_eq!(after[0], before);
    assert_eq!(after[1], Value::Null);
    assert_eq!(after[2], json!([{ "tracker": "aa" }, { "tracker": "bb" }]));
    Ok(())
}

async fn flow(driver: &WebDriver, app: &TestApp) -> WebDriverResult<()> {
    driver.goto(app.url("/login/code")).await?;
    load_script(driver).await?;
    let secure = js(driver, "return window.isSecureContext;", vec![]).await?;
    println!("paper.js page: isSecureContext={secure}, crypto.subtle hidden");
    vectors_in_the_browser(driver).await?;
    round_trip(driver).await?;
    storage_survives_reload(driver, app).await
}

test!(
    paper_js_runs_rfc9474_vectors_and_the_protocol_in_headless_chromium,
    browser
);
fn paper_js_runs_rfc9474_vectors_and_the_protocol_in_headless_chromium() {
    let (chromium, driver_bin) = browser::tools("paper_js");
    let app = TestApp::start(Kind::Sqlite, "paper_js");
    let chromedriver = Chromedriver::start(&driver_bin);
    block_on(async {
        let (raw, gzip) = check_served(&app).await;
        println!("paper.js: {raw} bytes, {gzip} bytes gzip on the wire");
        // It loads on phone pages (20 KB each on the wire): keep it a small part of that.
        assert!(gzip < 6 * 1024, "paper.js is {gzip} bytes gzipped");
        let caps = browser::capabilities(&chromium, 390, 844, true);
        let driver = WebDriver::new(chromedriver.url.clone(), caps)
            .await
            .expect("browser session");
        let result = AssertUnwindSafe(flow(&driver, &app)).catch_unwind().await;
        driver.quit().await.expect("quit");
        match result {
            Ok(r) => r.expect("paper.js flow"),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
}
