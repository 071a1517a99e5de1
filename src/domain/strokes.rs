//! 姓氏笔画: stroke counts and stroke classes of Chinese characters, and the name order of
//! rule C4 (ballot order by surname strokes).
//!
//! The order is the one of GB13000.1字符集汉字字序(笔画序)规范, which the 通用规范汉字表 (2013)
//! also follows: fewer strokes first; for equal counts, compare the strokes in writing order by
//! their class 横(1) 竖(2) 撇(3) 点(4) 折(5) (提 counts as 横, 竖钩 as 竖, 捺 as 点, every stroke with
//! a turn or hook as 折). So 王(横…) comes before 文(点…), and 林(横竖…) before 欧(横撇…).
//! Names compare character by character: the surname first (a compound surname such as 欧阳 is
//! simply two characters), then the given name; a name that runs out first comes first
//! (高富 before 高富强). This is the 姓名笔画 practice of the people's congresses; the variant
//! of some Party congresses, which pads a one-character given name with a blank, is not used.
//!
//! Where the data cannot decide, the comparison says `Equal` and the caller falls back to the
//! organiser's order: identical names; different characters with identical stroke classes
//! (己/已/巳) continue with the next character; a character without data (Latin letters, digits)
//! ends the comparison. Characters with data sort before those without, and a character whose
//! class sequence is only partly known sorts after the known ones sharing its known part, so the
//! order stays total. Separators in minority names (· • ・) and spaces are skipped. The finer
//! levels of the standard (main before subsidiary stroke forms, character structure) are not
//! implemented: ties there continue with the next character.
//!
//! Data (`strokes/strokes.tsv`, made by `strokes/generate.py`): counts from Unihan 15.0
//! `kTotalStrokes` (the mainland value; 27,780 characters: CJK Unified Ideographs, Extension A
//! and the whole 通用规范汉字表); class sequences for 6,937 characters from the MIT-licensed
//! cnchar-order data, which agree with every Unihan count but two (those two are dropped) and with
//! the order of the 通用规范汉字表 everywhere; the remaining table characters get the prefix
//! that table's order proves (for 1,044 of 1,336 at least the first stroke).

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The stroke table, one line per (count, known classes): see the file's header.
const DATA: &str = include_str!("strokes/strokes.tsv");

/// The five stroke classes of GB13000.1 笔画序, in their sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stroke {
    /// 横 (and 提)
    Heng = 1,
    /// 竖 (and 竖钩)
    Shu = 2,
    /// 撇
    Pie = 3,
    /// 点 (and 捺)
    Dian = 4,
    /// 折: every stroke with a turn or a hook except 竖钩
    Zhe = 5,
}

impl Stroke {
    /// The class name: 横, 竖, 撇, 点 or 折.
    pub fn zh(self) -> &'static str {
        match self {
            Stroke::Heng => "横",
            Stroke::Shu => "竖",
            Stroke::Pie => "撇",
            Stroke::Dian => "点",
            Stroke::Zhe => "折",
        }
    }

    fn from_digit(b: u8) -> Option<Stroke> {
        match b {
            b'1' => Some(Stroke::Heng),
            b'2' => Some(Stroke::Shu),
            b'3' => Some(Stroke::Pie),
            b'4' => Some(Stroke::Dian),
            b'5' => Some(Stroke::Zhe),
            _ => None,
        }
    }
}

/// What the table knows of one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    count: u8,
    /// Digits 1-5, the classes of the first strokes in writing order; shorter than `count`
    /// (possibly empty) when only a prefix is known.
    classes: &'static str,
}

impl Entry {
    /// Count, then classes; an unknown class sorts after 折 so partly known characters come
    /// after the fully known ones sharing their prefix (keeps the order total).
    fn order(&self, other: &Entry) -> Ordering {
        self.count.cmp(&other.count).then_with(|| {
            let (a, b) = (self.classes.as_bytes(), other.classes.as_bytes());
            (0..usize::from(self.count))
                .map(|i| (a.get(i).unwrap_or(&b'6'), b.get(i).unwrap_or(&b'6')))
                .map(|(x, y)| x.cmp(y))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        })
    }
}

/// Parses the table; returns it with the number of malformed lines (skipped; a test keeps it 0).
fn parse(data: &'static str) -> (HashMap<char, Entry>, usize) {
    let mut map = HashMap::with_capacity(28_000);
    let mut malformed = 0;
    for line in data
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let cols: Vec<&'static str> = line.split('\t').collect();
        let [count, classes, chars] = cols[..] else {
            malformed += 1;
            continue;
        };
        let classes = if classes == "-" { "" } else { classes };
        match count.parse::<u8>() {
            Ok(count)
                if classes.len() <= usize::from(count)
                    && classes.bytes().all(|b| Stroke::from_digit(b).is_some()) =>
            {
                for c in chars.chars() {
                    map.insert(c, Entry { count, classes });
                }
            }
            _ => malformed += 1,
        }
    }
    (map, malformed)
}

fn table() -> &'static HashMap<char, Entry> {
    static TABLE: OnceLock<HashMap<char, Entry>> = OnceLock::new();
    TABLE.get_or_init(|| parse(DATA).0)
}

fn entry(c: char) -> Option<Entry> {
    table().get(&c).copied()
}

/// The stroke count of `c` in the mainland standard form (王 4, 黄 11, 魏 17); `None` for a
/// character without data (Latin letters, digits, rare characters outside the table).
pub fn stroke_count(c: char) -> Option<u32> {
    entry(c).map(|e| u32::from(e.count))
}

/// The known stroke classes of `c` in writing order: all of them for common characters, a
/// prefix (possibly empty) for rarer ones.
pub fn strokes(c: char) -> Vec<Stroke> {
    entry(c)
        .map(|e| e.classes.bytes().filter_map(Stroke::from_digit).collect())
        .unwrap_or_default()
}

/// The class of the first stroke (起笔笔形) of `c`, where known.
pub fn first_stroke(c: char) -> Option<Stroke> {
    strokes(c).first().copied()
}

/// How `c` stands in the table, for the record: "王：4画，横横竖横", "郤：9画，撇点…",
/// "A：无笔画数据".
pub fn describe_char(c: char) -> String {
    match entry(c) {
        None => format!("{c}：无笔画数据"),
        Some(e) => {
            let known: String = strokes(c).iter().map(|s| s.zh()).collect();
            let more = if e.classes.len() < usize::from(e.count) {
                "…"
            } else {
                ""
            };
            if known.is_empty() {
                format!("{c}：{}画", e.count)
            } else {
                format!("{c}：{}画，{known}{more}", e.count)
            }
        }
    }
}

/// Characters that carry no strokes and are skipped: spaces and the separators of
/// transliterated minority names (阿依古丽·买买提).
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '·' | '・' | '•' | '‧' | '.' | '．')
}

/// Compares two characters by stroke count, then stroke classes; `Equal` when the data cannot
/// tell them apart. Characters with data come before characters without.
pub fn compare_chars(a: char, b: char) -> Ordering {
    match (entry(a), entry(b)) {
        (Some(x), Some(y)) => x.order(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The 姓氏笔画 order of two names (see the module docs). `Equal` means the stroke data cannot
/// decide and the organiser's order applies. A total preorder, so it is safe for sorting.
pub fn compare_names(a: &str, b: &str) -> Ordering {
    let mut xs = a.chars().filter(|c| !is_separator(*c));
    let mut ys = b.chars().filter(|c| !is_separator(*c));
    loop {
        match (xs.next(), ys.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => match (entry(x), entry(y)) {
                (Some(ex), Some(ey)) => match ex.order(&ey) {
                    Ordering::Equal => continue,
                    decided => return decided,
                },
                (Some(_), None) => return Ordering::Less,
                (None, Some(_)) => return Ordering::Greater,
                // Both without data: nothing further can be compared.
                (None, None) => return Ordering::Equal,
            },
        }
    }
}

#[cfg(test)]
mod tests;
