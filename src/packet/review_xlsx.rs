//! A 述职评议's result as an Excel workbook (.xlsx), for 综合测评 and 评优 (rule H5): sheet 1
//! one row per person (rank, name, post, college, the favourable share, the worst grade,
//! follow-up, then the count of each grade summed over the dimensions), sheet 2 one row per
//! person and dimension with the count of each grade. Written through [`super::xlsx`]: numbers
//! are numbers, text is text (a name starting with "=" is guarded as in the CSV).

use rust_xlsxwriter::XlsxError;

use super::xlsx::{self, Cell, Sheet};
use crate::domain::tally::{percent, ReviewResult};

/// The workbook's bytes; `title` names the review on both sheets' first row.
pub fn workbook(title: &str, r: &ReviewResult) -> Result<Vec<u8>, XlsxError> {
    let favourable = r.grades[..(r.favourable as usize).min(r.grades.len())].join("+");
    let worst = r.grades.last().cloned().unwrap_or_default();

    let mut first = Sheet {
        name: "评议结果".into(),
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
            Cell::from(if p.follow_up { "列入跟进" } else { "" }),
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
        name: "分项统计".into(),
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
    xlsx::workbook(&[first, second])
}
