//! A 述职评议's result as an Excel workbook (.xlsx), for 综合测评 and 评优 (rule H5): sheet 1
//! one row per person (rank, name, post, college, the favourable share, the worst grade,
//! follow-up, then the count of each grade summed over the dimensions), sheet 2 one row per
//! person and dimension with the count of each grade. Written through [`super::xlsx`]: numbers
//! are numbers, text is text (a name starting with "=" is guarded as in the CSV). When a
//! 评议会 counts its participants apart (rule I7), their tally follows in two sheets of the same
//! shape (列席人员评议结果, 列席人员分项统计) titled "列席评议人员 (分开计票, 不计入结果)".

use rust_xlsxwriter::XlsxError;

use super::xlsx::{self, Cell, Sheet};
use crate::domain::tally::{percent, ReviewResult};

/// The workbook's bytes; `title` names the review on both sheets' first row; `apart` is the
/// participants' separate tally (rule I7), in sheets of its own after the result's.
pub fn workbook(
    title: &str,
    r: &ReviewResult,
    apart: Option<&ReviewResult>,
) -> Result<Vec<u8>, XlsxError> {
    let mut sheets: Vec<Sheet> = tally_sheets(title, r, "").into();
    if let Some(p) = apart {
        let label = format!("{title} · {}", crate::domain::term::APART_LABEL);
        let mut more = tally_sheets(&label, p, "列席人员");
        for s in &mut more {
            s.notes.push(
                "列席评议人员的评议表单独统计, 本表结果不计入评议结果, 列席人员也不计入应到、实到和法定人数 (规则I7)。"
                    .into(),
            );
        }
        sheets.extend(more);
    }
    xlsx::workbook(&sheets)
}

/// The two sheets of one tally, their names prefixed with `prefix`.
fn tally_sheets(title: &str, r: &ReviewResult, prefix: &str) -> [Sheet; 2] {
    let favourable = r.grades[..(r.favourable as usize).min(r.grades.len())].join("+");
    let worst = r.grades.last().cloned().unwrap_or_default();

    let mut first = Sheet {
        name: format!("{prefix}评议结果"),
        title: Some(title.to_string()),
        ..Sheet::default()
    };
    first.headers = ["排名", "姓名", "职务", "学院"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    first.headers.extend([
        format!("{favourable}率"),
        format!("{favourable}个数"),
        "评价总数".to_string(),
        format!("{worst}个数"),
        "跟进".to_string(),
    ]);
    first
        .headers
        .extend(r.grades.iter().map(|g| format!("{g}(合计)")));
    for p in &r.persons {
        let mut row = vec![
            Cell::from(p.rank),
            Cell::from(&p.name),
            Cell::from(&p.post),
            Cell::from(&p.college),
            Cell::from(percent(p.share_bp)),
            Cell::from(p.favourable),
            Cell::from(p.given),
            Cell::from(p.worst),
            if p.follow_up {
                Cell::Alert("列入跟进".into())
            } else {
                Cell::from("")
            },
        ];
        for g in 0..r.grades.len() {
            let sum: u64 = p
                .counts
                .iter()
                .map(|d| d.get(g).copied().unwrap_or(0))
                .sum();
            row.push(Cell::from(sum));
        }
        first.rows.push(row);
    }

    let mut second = Sheet {
        name: format!("{prefix}分项统计"),
        title: Some(title.to_string()),
        ..Sheet::default()
    };
    second.headers = ["姓名", "职务", "评议项目"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    second.headers.extend(r.grades.iter().cloned());
    for p in &r.persons {
        for (dim, counts) in r.dimensions.iter().zip(&p.counts) {
            let mut row = vec![Cell::from(&p.name), Cell::from(&p.post), Cell::from(dim)];
            row.extend(counts.iter().map(|n| Cell::from(*n)));
            second.rows.push(row);
        }
    }
    [first, second]
}
