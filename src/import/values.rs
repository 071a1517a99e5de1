//! The value parsers shared by every file: integers, genders, yes/no, delegate kinds, roles,
//! political status, lists, percentages. Each returns the Chinese "what was found, what was
//! expected" on failure; the caller adds file, row and column.

use crate::domain::types::{DelegateKind, Gender};

/// A non-negative integer: `1234`, `1,234` (correct thousands grouping only), `1234.00`.
/// On failure returns what is wrong and what was expected.
pub fn parse_u64(s: &str) -> Result<u64, String> {
    const EXPECTED: &str = "应为非负整数, 如“1234”或“1,234”";
    let s = s.trim();
    if s.is_empty() {
        return Err(format!("不能为空, {EXPECTED}"));
    }
    let (int_part, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("“{s}” 不是有效的数字, {EXPECTED}"));
    }
    let negative = int_part.starts_with('-');
    let digits = if int_part.contains(',') {
        let mut groups = int_part.trim_start_matches('-').split(',');
        let first_ok = groups
            .next()
            .is_some_and(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()));
        let rest_ok = groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
        if !(first_ok && rest_ok) {
            return Err(format!("“{s}” 的千位分隔符位置不对, {EXPECTED}"));
        }
        int_part.trim_start_matches('-').replace(',', "")
    } else {
        int_part.trim_start_matches('-').to_string()
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("“{s}” 不是有效的数字, {EXPECTED}"));
    }
    if frac.bytes().any(|b| b != b'0') {
        return Err(format!("“{s}” 不是整数, {EXPECTED}"));
    }
    let value: u64 = digits
        .parse()
        .map_err(|_| format!("“{s}” 太大, {EXPECTED}"))?;
    if negative && value > 0 {
        return Err(format!("“{s}” 是负数, {EXPECTED}"));
    }
    Ok(value)
}

/// 性别: 男/女, 男性/女性, M/F, male/female (any case).
pub fn parse_gender(s: &str) -> Result<Gender, String> {
    match s.trim().to_lowercase().as_str() {
        "男" | "男性" | "m" | "male" => Ok(Gender::Male),
        "女" | "女性" | "f" | "female" => Ok(Gender::Female),
        "" => Err("不能为空, 应为“男”或“女”".to_string()),
        _ => Err(format!("“{s}” 不是有效的性别, 应为“男”或“女”")),
    }
}

/// Yes/no: 是/否, Y/N, yes/no, true/false, 1/0, √/×, ✓/✗. A blank cell is `None` (the caller
/// decides what blank means).
pub fn parse_yes_no(s: &str) -> Result<Option<bool>, String> {
    match s.trim().to_lowercase().as_str() {
        "" => Ok(None),
        "是" | "y" | "yes" | "true" | "1" | "√" | "✓" | "✔" => Ok(Some(true)),
        "否" | "n" | "no" | "false" | "0" | "×" | "✗" | "✘" => Ok(Some(false)),
        _ => Err(format!("“{s}” 无法识别, 应为“是”或“否”")),
    }
}

/// 代表类别: blank = 选举产生; also the English names.
pub fn parse_kind(s: &str) -> Result<DelegateKind, String> {
    let t = s.trim().to_lowercase().replace(['-', ' '], "_");
    match t.as_str() {
        "" | "选举产生" | "选举" | "elected" => Ok(DelegateKind::Elected),
        "当然代表" | "当然" | "ex_officio" | "exofficio" => Ok(DelegateKind::ExOfficio),
        "社团代表" | "社团" | "society" => Ok(DelegateKind::Society),
        _ => Err(format!(
            "“{s}” 不是有效的代表类别, 应为“选举产生”、“当然代表”或“社团代表”(空白为选举产生)"
        )),
    }
}

/// 学生会职务: blank and the usual ways of writing "none" (无, 无职务, -, /, none, N/A) mean an
/// ordinary student; anything else is kept as written.
pub fn parse_union_role(s: &str) -> Option<String> {
    let t = s.trim();
    match t.to_lowercase().as_str() {
        "" | "无" | "无职务" | "没有" | "-" | "--" | "—" | "——" | "/" | "none" | "n/a" | "na" => {
            None
        }
        _ => Some(t.to_string()),
    }
}

/// 政治面貌: blank = `None`; the common short forms are written out in full so that rule C3
/// can compare (党员 -> 中共党员, 预备党员 -> 中共预备党员, 团员 -> 共青团员); others as written.
pub fn parse_political_status(s: &str) -> Option<String> {
    let t = s.trim();
    let full = match t {
        "" => return None,
        "党员" | "中国共产党党员" | "共产党员" => "中共党员",
        "预备党员" | "中国共产党预备党员" => "中共预备党员",
        "团员" | "共青团员" | "中国共产主义青年团团员" => "共青团员",
        other => other,
    };
    Some(full.to_string())
}

/// Whether a student number is in the scientific notation Excel writes to CSV for long
/// numbers in a "General" column (`2.02301E+11`): the digits are lost and cannot be recovered.
pub fn is_scientific(s: &str) -> bool {
    let Some((mantissa, exp)) = s.split_once(['E', 'e']) else {
        return false;
    };
    let exp = exp.strip_prefix('+').unwrap_or(exp);
    !mantissa.is_empty()
        && mantissa.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && mantissa.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && !exp.is_empty()
        && exp.bytes().all(|b| b.is_ascii_digit())
}

/// A list cell (社团): separated by `;` `；` `、` `,` `，` `|` or a line break; blanks and
/// repeats dropped, file order kept.
pub fn split_list(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in s.split([';', '；', '、', ',', '，', '|', '\n']) {
        let part = part.trim();
        if !part.is_empty() && !out.iter().any(|p| p == part) {
            out.push(part.to_string());
        }
    }
    out
}

/// 专业排名百分比 as a whole percent, rounded up (so "within the top N%" is decided exactly):
/// `15`, `15%`, `前15%`, `15.5%` (-> 16), `0.15` (a cell formatted as a percentage in Excel,
/// -> 15) and `3/120` (rank 3 of 120, -> 3). Must be more than 0 and at most 100.
pub fn parse_rank_pct(s: &str) -> Result<u32, String> {
    const EXPECTED: &str = "应为百分比, 如“15%”、“前15%”或“3/120”";
    let t = s.trim();
    let body = t.strip_prefix('前').unwrap_or(t).trim();
    let bad = || format!("“{s}” 不是有效的排名百分比, {EXPECTED}");
    // Exact rational value num/den in percent, then ceil.
    let (num, den): (u128, u128) = if let Some((rank, size)) = body.split_once('/') {
        let rank = parse_u64(rank).map_err(|_| bad())? as u128;
        let size = parse_u64(size).map_err(|_| bad())? as u128;
        if size == 0 || rank == 0 || rank > size {
            return Err(bad());
        }
        (rank * 100, size)
    } else if let Some(p) = body.strip_suffix('%') {
        let (m, scale) = parse_decimal(p.trim()).ok_or_else(bad)?;
        (m, scale)
    } else {
        let (m, scale) = parse_decimal(body).ok_or_else(bad)?;
        if m < scale && body.contains('.') {
            (m * 100, scale)
        } else {
            (m, scale)
        }
    };
    let pct = num.div_ceil(den);
    if num == 0 || pct > 100 {
        return Err(format!("“{s}” 超出范围, 排名百分比应大于0且不超过100%"));
    }
    Ok(pct as u32)
}

/// A plain decimal `12.345` as (12345, 1000); at most 9 fraction digits.
fn parse_decimal(s: &str) -> Option<(u128, u128)> {
    let (int_part, frac) = s.split_once('.').unwrap_or((s, ""));
    if int_part.is_empty() && frac.is_empty() || frac.len() > 9 || int_part.len() > 12 {
        return None;
    }
    if !int_part
        .bytes()
        .chain(frac.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let scale = 10u128.pow(frac.len() as u32);
    let int: u128 = if int_part.is_empty() {
        0
    } else {
        int_part.parse().ok()?
    };
    let frac_v: u128 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    Some((int * scale + frac_v, scale))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_with_thousands_separators() {
        assert_eq!(parse_u64("1234"), Ok(1234));
        assert_eq!(parse_u64("1,234"), Ok(1234));
        assert_eq!(parse_u64("12,345,678"), Ok(12_345_678));
        assert_eq!(parse_u64("1234.00"), Ok(1234));
        assert_eq!(parse_u64("0"), Ok(0));
        assert!(parse_u64("12.5").unwrap_err().contains("不是整数"));
        assert!(parse_u64("-3").unwrap_err().contains("负数"));
        assert!(parse_u64("abc").unwrap_err().contains("不是有效的数字"));
        assert!(parse_u64("12,34").unwrap_err().contains("千位分隔符"));
        assert!(parse_u64("").unwrap_err().contains("不能为空"));
        assert!(parse_u64("99999999999999999999")
            .unwrap_err()
            .contains("太大"));
    }

    #[test]
    fn genders_yes_no_kinds() {
        assert_eq!(parse_gender("男"), Ok(Gender::Male));
        assert_eq!(parse_gender("F"), Ok(Gender::Female));
        assert_eq!(parse_gender("Female"), Ok(Gender::Female));
        assert_eq!(
            parse_gender("man").unwrap_err(),
            "“man” 不是有效的性别, 应为“男”或“女”"
        );
        assert_eq!(parse_yes_no("是"), Ok(Some(true)));
        assert_eq!(parse_yes_no("×"), Ok(Some(false)));
        assert_eq!(parse_yes_no("TRUE"), Ok(Some(true)));
        assert_eq!(parse_yes_no(""), Ok(None));
        assert!(parse_yes_no("也许").is_err());
        assert_eq!(parse_kind(""), Ok(DelegateKind::Elected));
        assert_eq!(parse_kind("当然代表"), Ok(DelegateKind::ExOfficio));
        assert_eq!(parse_kind("ex-officio"), Ok(DelegateKind::ExOfficio));
        assert_eq!(parse_kind("社团代表"), Ok(DelegateKind::Society));
        assert!(parse_kind("特邀").is_err());
    }

    #[test]
    fn roles_statuses_lists() {
        assert_eq!(parse_union_role("无"), None);
        assert_eq!(parse_union_role("/"), None);
        assert_eq!(
            parse_union_role("院学生会学习部部长").as_deref(),
            Some("院学生会学习部部长")
        );
        assert_eq!(parse_political_status("团员").as_deref(), Some("共青团员"));
        assert_eq!(
            parse_political_status("预备党员").as_deref(),
            Some("中共预备党员")
        );
        assert_eq!(parse_political_status("群众").as_deref(), Some("群众"));
        assert_eq!(parse_political_status(""), None);
        assert_eq!(
            split_list("青年志愿者协会；大学生艺术团、围棋协会,围棋协会\n摄影协会;"),
            vec!["青年志愿者协会", "大学生艺术团", "围棋协会", "摄影协会"]
        );
        assert!(split_list(" ; ").is_empty());
        assert!(is_scientific("2.02301E+11"));
        assert!(is_scientific("2E11"));
        assert!(!is_scientific("2023010123"));
        assert!(!is_scientific("E2023"));
        assert!(!is_scientific("L2023E"));
    }

    #[test]
    fn rank_percentages() {
        assert_eq!(parse_rank_pct("15"), Ok(15));
        assert_eq!(parse_rank_pct("15%"), Ok(15));
        assert_eq!(parse_rank_pct("前15%"), Ok(15));
        assert_eq!(parse_rank_pct("15.5%"), Ok(16));
        assert_eq!(parse_rank_pct("30.0%"), Ok(30));
        assert_eq!(parse_rank_pct("0.15"), Ok(15));
        assert_eq!(parse_rank_pct("0.305"), Ok(31));
        assert_eq!(parse_rank_pct("3/120"), Ok(3));
        assert_eq!(parse_rank_pct("36/120"), Ok(30));
        assert_eq!(parse_rank_pct("37/120"), Ok(31));
        assert!(parse_rank_pct("0").is_err());
        assert!(parse_rank_pct("120%").is_err());
        assert!(parse_rank_pct("优秀").is_err());
        assert!(parse_rank_pct("5/0").is_err());
    }
}
