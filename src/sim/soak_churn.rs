//! The soak run between two contests: delegates checked out by the staff (they leave the
//! hall; they take no paper while away) and back two contests later (checked in by the staff,
//! or by logging in with their card from a fresh browser), phones that reconnect (a new
//! connection, same cookies), and phones that log in again from a fresh browser (which ends
//! the old session). Everything over HTTP except the staff's check-in and check-out, which
//! go through the same service the attendance page calls.

use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::client::Phone;
use super::simulate::Stage1;
use super::soak::pick;
use crate::service::attendance;

/// What changed before the next contest.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Churn {
    pub checked_out: usize,
    pub checked_in: usize,
    pub reconnected: usize,
    pub relogged: usize,
    pub errors: usize,
    pub error_samples: Vec<String>,
}

impl Churn {
    fn failed(&mut self, what: String) {
        self.errors += 1;
        if self.error_samples.len() < 5 {
            self.error_samples.push(what);
        }
    }
}

/// Logs delegate `i` in again from a fresh browser; the new phone replaces the old one.
async fn relogin(st: &Stage1, phones: &mut [Phone], i: usize) -> Result<(), String> {
    let base = phones[i].base().to_string();
    let fresh = Phone::new(&base).map_err(|e| e.to_string())?;
    let url = format!("{base}/t/{}", st.prepared.cards[i].token);
    fresh.login(&url).await.map_err(|e| e.to_string())?;
    phones[i] = fresh;
    Ok(())
}

fn staff(st: &Stage1, i: usize, present: bool) -> Result<(), String> {
    let mut conn = st.db.conn().map_err(|e| e.to_string())?;
    attendance::set_present(
        &mut conn,
        &st.actor,
        &st.prepared.congress_id,
        st.prepared.cards[i].delegate.delegate_no,
        present,
    )
    .map(|_| ())
    .map_err(|e| e.to_string())
}

/// The changes after contest `n` (0-based); `away` holds (delegate, contest they left after).
pub async fn churn(
    st: &Stage1,
    phones: &mut [Phone],
    present: &mut [bool],
    away: &mut Vec<(usize, usize)>,
    n: usize,
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<Churn> {
    let mut c = Churn::default();
    // Back after two contests away: by the staff, or with the card from a fresh browser.
    let (back, still): (Vec<_>, Vec<_>) = std::mem::take(away)
        .into_iter()
        .partition(|(_, left)| left + 2 <= n);
    *away = still;
    for (k, (i, _)) in back.into_iter().enumerate() {
        let done = if k % 2 == 0 {
            staff(st, i, true)
        } else {
            relogin(st, phones, i).await
        };
        match done {
            Ok(()) => {
                present[i] = true;
                c.checked_in += 1;
            }
            Err(e) => c.failed(format!("代表 {i} 回到会场: {e}")),
        }
    }
    let here: Vec<usize> = (0..phones.len()).filter(|&i| present[i]).collect();
    let share = |pct: usize| (here.len() * pct / 100).max(1);
    // Some leave the hall (staff check-out).
    for i in pick(rng, here.clone(), share(2)) {
        match staff(st, i, false) {
            Ok(()) => {
                present[i] = false;
                away.push((i, n));
                c.checked_out += 1;
            }
            Err(e) => c.failed(format!("代表 {i} 签退: {e}")),
        }
    }
    let here: Vec<usize> = (0..phones.len()).filter(|&i| present[i]).collect();
    for i in pick(rng, here.clone(), share(10)) {
        match phones[i].reconnect() {
            Ok(()) => c.reconnected += 1,
            Err(e) => c.failed(format!("代表 {i} 重连: {e}")),
        }
    }
    for i in pick(rng, here, share(2)) {
        match relogin(st, phones, i).await {
            Ok(()) => c.relogged += 1,
            Err(e) => c.failed(format!("代表 {i} 重新登录: {e}")),
        }
    }
    Ok(c)
}
