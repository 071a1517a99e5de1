//! Cookie sessions: encrypted and authenticated (AES-256-GCM via the `cookie` crate's private
//! jar) with the key kept in the data directory, HttpOnly, SameSite, Secure behind TLS.
//!
//! Three cookies, each with one purpose:
//! - `congress_staff` (SameSite=Strict): an organiser or scrutineer, with the CSRF token, a
//!   fingerprint of the password hash (changing the password ends every other session) and
//!   the account's session epoch (logging out bumps it in the database: every session of the
//!   account ends on every app server, and a cookie captured before is refused).
//! - `congress_vote` (SameSite=Lax, because the QR link arrives as a cross-site navigation): a
//!   delegate, with the session epoch; logging in on a second device, or logging out, bumps
//!   the epoch in the database and so ends the earlier session. Its `Path` is `/v`
//!   ([`VOTE_PATH`]): the browser never sends it to the anonymous ballot box under `/box`, so
//!   the server never receives a delegate's identity with their ballot.
//! - `congress_pre` (Strict): the CSRF token of an anonymous visitor (the login forms).
//!
//! A fourth, `congress_flash`, carries a one-shot message across a POST-redirect-GET.

use crate::domain::ids::CongressId;
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, CookieJar, Key, SameSite};
use actix_web::HttpRequest;
use serde::{de::DeserializeOwned, Deserialize, Serialize};

pub const STAFF_COOKIE: &str = "congress_staff";
pub const VOTE_COOKIE: &str = "congress_vote";
pub const PRE_COOKIE: &str = "congress_pre";
pub const FLASH_COOKIE: &str = "congress_flash";

/// The path of the delegate's session cookie: the delegate pages (`/v`, `/v/...`) and nothing
/// else (not `/box`, not `/r`).
pub const VOTE_PATH: &str = "/v";

/// The same delegate session again, for the card's link pages (`/t/<token>`) only, so that the
/// card page can say "本机已登录" on a second tap. Never sent to `/box` either.
pub const CARD_COOKIE: &str = "congress_card";
/// Its path.
pub const CARD_PATH: &str = "/t";

/// The `Path` each cookie is set with.
fn cookie_path(name: &str) -> &'static str {
    match name {
        VOTE_COOKIE => VOTE_PATH,
        CARD_COOKIE => CARD_PATH,
        _ => "/",
    }
}

/// How long a staff session lasts without logging in again.
pub const STAFF_SESSION_MS: i64 = 12 * 3600 * 1000;
/// How long a delegate session lasts (one congress day).
pub const VOTE_SESSION_MS: i64 = 24 * 3600 * 1000;

/// An organiser's or scrutineer's session.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct StaffSession {
    pub uid: String,
    pub csrf: String,
    /// First 16 hex chars of SHA-256(password hash): a password change ends the session.
    pub pwv: String,
    /// The account's session epoch when the session began: logging out bumps it.
    pub epoch: i64,
    /// Expiry, Unix ms.
    pub exp: i64,
}

/// A delegate's session on their phone.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct VoteSession {
    /// The delegate's id, or the participant's when `participant` (a 列席人员 card).
    pub did: String,
    pub cid: CongressId,
    pub epoch: i64,
    pub csrf: String,
    pub exp: i64,
    /// A 评议会 participant's session (rule I7): `did` is the participant's id, `epoch` their
    /// card's issue time. Never accepted as a delegate's.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub participant: bool,
}

/// An anonymous visitor's CSRF token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PreSession {
    pub csrf: String,
}

/// A message shown once on the next page.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Flash {
    pub ok: bool,
    pub message: String,
}

/// Encrypts and decrypts the session cookies with the server's key.
#[derive(Clone)]
pub struct Sessions {
    key: Key,
    secure: bool,
}

impl Sessions {
    /// `secret` is the 64-byte key from the data directory; `secure` marks cookies Secure
    /// (set when the public URL is https).
    pub fn new(secret: &[u8], secure: bool) -> Sessions {
        Sessions {
            key: Key::from(secret),
            secure,
        }
    }

    fn read<T: DeserializeOwned>(&self, req: &HttpRequest, name: &str) -> Option<T> {
        let cookie = req.cookie(name)?;
        let jar = CookieJar::new();
        let plain = jar.private(&self.key).decrypt(cookie)?;
        serde_json::from_str(plain.value()).ok()
    }

    fn build<T: Serialize>(
        &self,
        name: &'static str,
        value: &T,
        same_site: SameSite,
    ) -> Cookie<'static> {
        let json = serde_json::to_string(value).unwrap_or_default();
        let mut jar = CookieJar::new();
        let mut c = Cookie::new(name, json);
        c.set_http_only(true);
        c.set_same_site(same_site);
        c.set_path(cookie_path(name));
        c.set_secure(self.secure);
        jar.private_mut(&self.key).add(c);
        jar.get(name)
            .cloned()
            .unwrap_or_else(|| Cookie::new(name, ""))
    }

    /// A cookie that deletes `name` in the browser.
    pub fn removal(&self, name: &'static str) -> Cookie<'static> {
        let mut c = Cookie::new(name, "");
        c.set_path(cookie_path(name));
        c.set_http_only(true);
        c.set_secure(self.secure);
        c.set_max_age(CookieDuration::ZERO);
        c
    }

    pub fn staff(&self, req: &HttpRequest) -> Option<StaffSession> {
        let s: StaffSession = self.read(req, STAFF_COOKIE)?;
        (s.exp > crate::storage::now_ms()).then_some(s)
    }

    pub fn staff_cookie(&self, s: &StaffSession) -> Cookie<'static> {
        self.build(STAFF_COOKIE, s, SameSite::Strict)
    }

    /// The delegate session: from the `/v` cookie, or on the card's pages from its `/t` copy.
    pub fn vote(&self, req: &HttpRequest) -> Option<VoteSession> {
        let s: VoteSession = self
            .read(req, VOTE_COOKIE)
            .or_else(|| self.read(req, CARD_COOKIE))?;
        (s.exp > crate::storage::now_ms()).then_some(s)
    }

    /// The delegate session's cookies: `Path=/v` for the delegate pages and a copy with
    /// `Path=/t` for the card's link pages; neither reaches the anonymous box.
    pub fn vote_cookies(&self, s: &VoteSession) -> [Cookie<'static>; 2] {
        [
            self.build(VOTE_COOKIE, s, SameSite::Lax),
            self.build(CARD_COOKIE, s, SameSite::Lax),
        ]
    }

    pub fn pre(&self, req: &HttpRequest) -> Option<PreSession> {
        self.read(req, PRE_COOKIE)
    }

    pub fn pre_cookie(&self, s: &PreSession) -> Cookie<'static> {
        self.build(PRE_COOKIE, s, SameSite::Strict)
    }

    pub fn flash(&self, req: &HttpRequest) -> Option<Flash> {
        self.read(req, FLASH_COOKIE)
    }

    pub fn flash_cookie(&self, f: &Flash) -> Cookie<'static> {
        self.build(FLASH_COOKIE, f, SameSite::Strict)
    }

    /// Every CSRF token this request's cookies carry (staff, delegate, anonymous).
    pub fn csrf_tokens(&self, req: &HttpRequest) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(s) = self.staff(req) {
            out.push(s.csrf);
        }
        if let Some(s) = self.vote(req) {
            out.push(s.csrf);
        }
        if let Some(s) = self.pre(req) {
            out.push(s.csrf);
        }
        out
    }
}

/// First 16 hex characters of SHA-256(password hash), kept in the session.
pub fn password_version(password_hash: &str) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, password_hash.as_bytes());
    hex::encode(&d.as_ref()[..8])
}
