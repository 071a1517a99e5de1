//! Dates and times as a Chinese document writes them: "2026年12月3日", "2026年12月3日 19:08".

/// "2026-12-01" -> "2026年12月1日"; anything else is returned as it is.
pub fn zh_date(iso: &str) -> String {
    match chrono::NaiveDate::parse_from_str(iso.trim(), "%Y-%m-%d") {
        Ok(d) => d.format("%Y年%-m月%-d日").to_string(),
        Err(_) => iso.to_string(),
    }
}

/// An RFC 3339 time ("2026-12-03T19:08:31+08:00") in its own offset as "2026年12月3日 19:08";
/// anything else is returned as it is.
pub fn zh_datetime(rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339.trim()) {
        Ok(t) => t.format("%Y年%-m月%-d日 %H:%M").to_string(),
        Err(_) => rfc3339.to_string(),
    }
}

/// A Unix-ms timestamp in China Standard Time as pages print it: "2026年11月22日 09:30"
/// (every staff and public page, through `web::views::datetime`).
pub fn zh_time(ms: i64) -> String {
    cst(ms, "%Y年%-m月%-d日 %H:%M")
}

/// The day of a Unix-ms timestamp in China Standard Time: "2026年11月22日".
pub fn zh_day(ms: i64) -> String {
    cst(ms, "%Y年%-m月%-d日")
}

/// A Unix-ms timestamp in China Standard Time for files and the API (sortable, to the
/// second), e.g. "2026-11-22 09:30:05".
pub fn datetime(ms: i64) -> String {
    cst(ms, "%Y-%m-%d %H:%M:%S")
}

fn cst(ms: i64, format: &str) -> String {
    use chrono::{FixedOffset, TimeZone};
    let Some(cst) = FixedOffset::east_opt(8 * 3600) else {
        return "—".to_string();
    };
    match cst.timestamp_millis_opt(ms) {
        chrono::LocalResult::Single(t) => t.format(format).to_string(),
        _ => "—".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_dates_and_times() {
        assert_eq!(zh_date("2026-12-01"), "2026年12月1日");
        assert_eq!(zh_date("2026-10-25"), "2026年10月25日");
        assert_eq!(zh_date("十二月"), "十二月");
        assert_eq!(
            zh_datetime("2026-12-03T19:08:31+08:00"),
            "2026年12月3日 19:08"
        );
        assert_eq!(
            zh_datetime("2026-12-03T09:05:00+08:00"),
            "2026年12月3日 09:05"
        );
        assert_eq!(zh_datetime("yesterday"), "yesterday");
        // 2026-12-03 06:05:09 UTC is 14:05 in Beijing.
        let ms = 1_796_277_909_000;
        assert_eq!(zh_time(ms), "2026年12月3日 14:05");
        assert_eq!(zh_day(ms), "2026年12月3日");
        assert_eq!(datetime(ms), "2026-12-03 14:05:09");
    }
}
