//! What an attacker with read access to the SQLite files sees, parsed the way SQLite lays
//! them out (no SQLite code involved): the WAL's frames grouped into commits, and the cells of
//! each index b-tree page (our `WITHOUT ROWID` tables are index b-trees) with their offsets in
//! the page. A cell's record is decoded far enough to recognise a roll entry
//! (`contest, delegate, 'phone'|'paper', ..`) or a ballot (`contest, <128-hex token>, ..`).

/// One row found on a page: its first two columns and where its cell starts in the page
/// (SQLite fills a page's cell content area from the end downwards, so a lower offset usually
/// means a later insert).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// `roll`: (contest, delegate id).
    Roll {
        contest: String,
        delegate: String,
        offset: usize,
    },
    /// `ballots`: (contest, token).
    Ballot {
        contest: String,
        token: String,
        offset: usize,
    },
}

/// One commit of the WAL: the page images it wrote, in frame order (page number, bytes).
pub type Commit = Vec<(u32, Vec<u8>)>;

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

/// The WAL's page size and its frames grouped into commits (every frame, whatever its salt:
/// the attacker reads stale frames too). An empty or missing WAL has no commits.
pub fn wal_commits(wal: &[u8]) -> Vec<Commit> {
    if wal.len() < 32 {
        return Vec::new();
    }
    let page = u32_at(wal, 8) as usize;
    let mut out = Vec::new();
    let mut current = Vec::new();
    let mut at = 32;
    while at + 24 + page <= wal.len() {
        let number = u32_at(wal, at);
        let commit = u32_at(wal, at + 4);
        current.push((number, wal[at + 24..at + 24 + page].to_vec()));
        if commit != 0 {
            out.push(std::mem::take(&mut current));
        }
        at += 24 + page;
    }
    out
}

/// The pages of a database file (page size from its header), numbered from 1.
pub fn db_pages(db: &[u8]) -> Vec<(u32, Vec<u8>)> {
    if db.len() < 100 {
        return Vec::new();
    }
    let size = match u16::from_be_bytes([db[16], db[17]]) {
        1 => 65536,
        n => n as usize,
    };
    db.chunks(size)
        .enumerate()
        .map(|(i, p)| (i as u32 + 1, p.to_vec()))
        .collect()
}

fn varint(b: &[u8], mut i: usize) -> Option<(u64, usize)> {
    let mut v: u64 = 0;
    for n in 0..9 {
        let byte = *b.get(i)?;
        i += 1;
        if n == 8 {
            return Some(((v << 8) | u64::from(byte), i));
        }
        v = (v << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Some((v, i));
        }
    }
    None
}

/// The first `n` text columns of a record (None if one is not text or runs off the end).
fn texts(payload: &[u8], n: usize) -> Option<Vec<String>> {
    let (header, mut at) = varint(payload, 0)?;
    let header = header as usize;
    let mut types = Vec::new();
    while at < header && types.len() < n {
        let (t, next) = varint(payload, at)?;
        types.push(t);
        at = next;
    }
    let mut body = header;
    let mut out = Vec::new();
    for t in types {
        if t < 13 || t % 2 == 0 {
            return None;
        }
        let len = ((t - 13) / 2) as usize;
        let s = payload.get(body..body + len)?;
        out.push(String::from_utf8(s.to_vec()).ok()?);
        body += len;
    }
    (out.len() == n).then_some(out)
}

/// Rows of our two tables on one page: an index b-tree page, leaf (type 0x0A) or interior
/// (0x02: in an index b-tree the divider keys are whole rows too).
pub fn rows(number: u32, page: &[u8]) -> Vec<Row> {
    let base = if number == 1 { 100 } else { 0 };
    let (header, child) = match page.get(base) {
        Some(0x0a) => (8, 0),
        Some(0x02) => (12, 4),
        _ => return Vec::new(),
    };
    let usable = page.len();
    let cells = u16::from_be_bytes([page[base + 3], page[base + 4]]) as usize;
    let max_local = (usable - 12) * 64 / 255 - 23;
    let min_local = (usable - 12) * 32 / 255 - 23;
    let mut out = Vec::new();
    for c in 0..cells {
        let p = base + header + 2 * c;
        let Some(ptr) = page.get(p..p + 2) else { break };
        let offset = u16::from_be_bytes([ptr[0], ptr[1]]) as usize;
        let Some((size, start)) = varint(page, offset + child) else {
            continue;
        };
        let size = size as usize;
        let local = if size <= max_local {
            size
        } else {
            let k = min_local + (size - min_local) % (usable - 4);
            if k <= max_local {
                k
            } else {
                min_local
            }
        };
        let Some(payload) = page.get(start..start + local) else {
            continue;
        };
        if let Some(t) = texts(payload, 3) {
            if t[2] == "phone" || t[2] == "paper" {
                out.push(Row::Roll {
                    contest: t[0].clone(),
                    delegate: t[1].clone(),
                    offset,
                });
                continue;
            }
        }
        if let Some(t) = texts(payload, 2) {
            if t[1].len() == 128 && t[1].bytes().all(|b| b.is_ascii_hexdigit()) {
                out.push(Row::Ballot {
                    contest: t[0].clone(),
                    token: t[1].clone(),
                    offset,
                });
            }
        }
    }
    out
}

test!(varints_decode_as_sqlite_writes_them);
fn varints_decode_as_sqlite_writes_them() {
    assert_eq!(varint(&[0x05], 0), Some((5, 1)));
    assert_eq!(varint(&[0x81, 0x00], 0), Some((128, 2)));
    assert_eq!(varint(&[0xff; 9], 0), Some((u64::MAX, 9)));
}
