//! The soak run's observers: a projector showing `/b/{cid}/screen` (reloaded every second)
//! and an observer reading the public board (`/b/{cid}`, and the board of the contest counted
//! last) every two seconds, all day, each with its own connection. Anything but a 200 is an
//! error.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;

use super::client::Phone;
use super::http::Phase;

/// What the observers saw.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Polls {
    pub requests: usize,
    pub errors: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub error_samples: Vec<String>,
}

async fn get(client: &Phone, path: &str) -> Result<Duration, String> {
    match client.get_status(path).await {
        Ok((200, d)) => Ok(d),
        Ok((status, _)) => Err(format!("GET {path}: 状态码 {status}")),
        Err(e) => Err(format!("GET {path}: {e}")),
    }
}

/// Polls until `stop`; `counted` names the contest counted last (its board is public).
pub async fn poll(
    base: String,
    cid: String,
    counted: Arc<Mutex<Option<String>>>,
    stop: Arc<AtomicBool>,
) -> Polls {
    let (Ok(projector), Ok(observer)) = (Phone::new(&base), Phone::new(&base)) else {
        return Polls {
            errors: 1,
            error_samples: vec!["无法创建 HTTP 客户端".to_string()],
            ..Polls::default()
        };
    };
    let start = std::time::Instant::now();
    let mut outcomes = Vec::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        tick.tick().await;
        outcomes.push(get(&projector, &format!("/b/{cid}/screen")).await);
        if n.is_multiple_of(2) {
            outcomes.push(get(&observer, &format!("/b/{cid}")).await);
            let last = counted.lock().ok().and_then(|c| c.clone());
            if let Some(kid) = last {
                outcomes.push(get(&observer, &format!("/b/{cid}/{kid}")).await);
            }
        }
        n += 1;
    }
    let p = Phase::from("轮询", start.elapsed(), &outcomes);
    Polls {
        requests: p.requests,
        errors: p.errors,
        p50_ms: p.p50_ms,
        p99_ms: p.p99_ms,
        error_samples: p.error_samples,
    }
}
