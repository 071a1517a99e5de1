//! How a delegate's card (代表证) was used, in words: on the delegate's phone ("此代表证已于
//! 10:03 扫码签到") and, per delegate, on the scrutineers' attendance page (签到方式).

use chrono::{FixedOffset, TimeZone};
use maud::{html, Markup};

use super::csrf_field;

use crate::storage::repo::card_events::{CardEvent, EventKind, Via};

/// Beijing time of `ms`: "10:03" on the day of `now_ms`, else "12月1日 10:03".
pub fn clock(ms: i64, now_ms: i64) -> String {
    let Some(cst) = FixedOffset::east_opt(8 * 3600) else {
        return "—".to_string();
    };
    match (
        cst.timestamp_millis_opt(ms),
        cst.timestamp_millis_opt(now_ms),
    ) {
        (chrono::LocalResult::Single(t), chrono::LocalResult::Single(now)) => {
            if t.date_naive() == now.date_naive() {
                t.format("%H:%M").to_string()
            } else {
                t.format("%-m月%-d日 %H:%M").to_string()
            }
        }
        _ => "—".to_string(),
    }
}

fn staff(e: &CardEvent) -> &str {
    e.actor.as_deref().unwrap_or("会务人员")
}

/// What happened, e.g. "扫码签到", "由会务人员 jianpiao 签到", "由 tuanwei 打印代表证".
pub fn describe(e: &CardEvent) -> String {
    match (e.kind, e.via) {
        (EventKind::Print, _) => format!("由 {} 打印代表证", staff(e)),
        (EventKind::Reissue, _) => format!("由 {} 补发代表证(旧证作废)", staff(e)),
        (EventKind::Login, Via::Card) => "扫描二维码登录".to_string(),
        (EventKind::Login, Via::Code) => "输入登录码登录".to_string(),
        (EventKind::Login, Via::Staff) => format!("由 {} 登录", staff(e)),
        (EventKind::CheckIn, Via::Card) => "扫码签到".to_string(),
        (EventKind::CheckIn, Via::Code) => "凭登录码签到".to_string(),
        (EventKind::CheckIn, Via::Staff) => format!("由会务人员 {} 签到", staff(e)),
        (EventKind::CheckOut, Via::Staff) => format!("由会务人员 {} 签退", staff(e)),
        (EventKind::CheckOut, _) => "签退".to_string(),
    }
}

/// How the delegate was checked in, for the scrutineers: "扫码", "登录码", "人工: jianpiao".
pub fn check_in_means(e: &CardEvent) -> String {
    match e.via {
        Via::Card => "扫码".to_string(),
        Via::Code => "登录码".to_string(),
        Via::Staff => format!("人工: {}", staff(e)),
    }
}

/// The latest check-in, unless a check-out came after it.
pub fn current_check_in(events: &[CardEvent]) -> Option<&CardEvent> {
    events
        .iter()
        .rev()
        .find(|e| matches!(e.kind, EventKind::CheckIn | EventKind::CheckOut))
        .filter(|e| e.kind == EventKind::CheckIn)
}

/// The phone's summary: the check-in line and the latest events, newest first, with the
/// newest login marked as this device's (any later login would have ended this session).
/// `events` oldest first; `limit` events shown, with a link to all of them when cut.
pub fn history(events: &[CardEvent], now_ms: i64, limit: usize) -> Markup {
    let this_login = events.iter().rposition(|e| e.kind == EventKind::Login);
    let shown: Vec<(usize, &CardEvent)> = events.iter().enumerate().rev().take(limit).collect();
    let logins = events.iter().filter(|e| e.kind == EventKind::Login).count();
    html! {
        section.card-use {
            @if let Some(c) = current_check_in(events) {
                p { strong { "此代表证已于 " (clock(c.at, now_ms)) " " (describe(c)) } }
            }
            h2 { "代表证使用记录" }
            ol.events {
                @for (i, e) in &shown {
                    li {
                        span.when { (clock(e.at, now_ms)) } " " (describe(e))
                        @if Some(*i) == this_login { " " span.badge.ok { "本机" } }
                    }
                }
            }
            @if events.len() > shown.len() {
                p { a href="/v/card" { "全部记录 (" (events.len()) " 条)" } }
            }
            @if logins > 1 {
                p.muted { "此代表证登录过 " (logins) " 次。" }
            }
            p.muted { "如有不是您本人的操作, 请立即联系会务人员补发代表证(旧证随即作废)。" }
        }
    }
}

/// The phone's logout button: the session ends on the server, not only on this phone.
pub fn logout_button(csrf: &str) -> Markup {
    html! {
        form method="post" action="/v/logout" {
            (csrf_field(csrf))
            p { button.secondary type="submit" { "退出登录" } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(at: i64, kind: EventKind, via: Via, actor: Option<&str>) -> CardEvent {
        CardEvent {
            delegate_id: "d".into(),
            at,
            kind,
            via,
            actor: actor.map(Into::into),
        }
    }

    // 2026-12-01 10:03:00 +08:00
    const T: i64 = 1_796_090_580_000;

    #[test]
    fn clock_is_beijing_time_with_the_date_on_other_days() {
        assert_eq!(clock(T, T + 3_600_000), "10:03");
        assert_eq!(clock(T, T + 86_400_000), "12月1日 10:03");
    }

    #[test]
    fn the_check_in_says_when_and_how() {
        let events = vec![
            ev(T - 1000, EventKind::Print, Via::Staff, Some("tuanwei")),
            ev(T, EventKind::Login, Via::Code, None),
            ev(T, EventKind::CheckIn, Via::Code, None),
        ];
        let html = history(&events, T + 60_000, 5).into_string();
        assert!(html.contains("此代表证已于 10:03 凭登录码签到"), "{html}");
        assert!(html.contains("由 tuanwei 打印代表证"), "{html}");
        assert!(html.contains("本机"));
        let out = vec![
            ev(T, EventKind::CheckIn, Via::Staff, Some("jianpiao")),
            ev(T + 1, EventKind::CheckOut, Via::Staff, Some("jianpiao")),
        ];
        assert_eq!(current_check_in(&out), None);
        assert_eq!(check_in_means(&out[0]), "人工: jianpiao");
        assert_eq!(describe(&out[1]), "由会务人员 jianpiao 签退");
    }
}
