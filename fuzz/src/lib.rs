//! The entry points shared by the fuzz targets (`fuzz/fuzz_targets/`) and the property tests
//! (`tests/it/properties/`): each takes untrusted bytes the way the server or the verifier gets
//! them, runs the real code on them and checks what must hold whatever the input (no panic is
//! checked by running at all). The property tests include this file with `#[path]`, so both
//! run exactly the same code.
//!
//! - [`import`]: an organiser's file (CSV in UTF-8, GBK, UTF-16; .xlsx) through `read_table`
//!   and every parser, as the upload forms and the API do.
//! - [`ballot`]: a submitted ballot form (`application/x-www-form-urlencoded`) through
//!   `web::ballot_form::parse` against an election and a motion paper.
//! - [`packet`]: a filing packet with one file tampered with, through `verify_packet`.

#![allow(dead_code)]

#[path = "../../tests/it/packet/fixture.rs"]
pub mod packet_fixture;

/// Reads a little-endian u16 from the start of `data` (0 when shorter).
fn u16_at(data: &[u8]) -> usize {
    match data {
        [a, b, ..] => u16::from_le_bytes([*a, *b]) as usize,
        [a] => *a as usize,
        [] => 0,
    }
}

pub mod import {
    //! Organisers' files: bytes in, a table or row errors out, never a panic.

    use congress::import::{
        normalize_cell, parse_candidates, parse_enrolment, parse_nominees, parse_roster,
        parse_societies, read_table, warnings, FileKind, ImportErrors, Table,
    };
    use std::io::{Cursor, Read, Write};

    /// The real files the tests use, as seeds: (name, bytes).
    pub const SEEDS: &[(&str, &[u8])] = &[
        (
            "enrolment.utf8.csv",
            include_bytes!("../../tests/fixtures/enrolment.utf8.csv"),
        ),
        (
            "enrolment.gbk.csv",
            include_bytes!("../../tests/fixtures/enrolment.gbk.csv"),
        ),
        (
            "enrolment_fullwidth.csv",
            include_bytes!("../../tests/fixtures/enrolment_fullwidth.csv"),
        ),
        (
            "nominees.bom.csv",
            include_bytes!("../../tests/fixtures/nominees.bom.csv"),
        ),
        (
            "nominees.gbk.csv",
            include_bytes!("../../tests/fixtures/nominees.gbk.csv"),
        ),
        (
            "roster.utf8.csv",
            include_bytes!("../../tests/fixtures/roster.utf8.csv"),
        ),
        (
            "societies.csv",
            include_bytes!("../../templates/sample/societies.csv"),
        ),
        (
            "candidates.csv",
            include_bytes!("../../templates/sample/candidates.csv"),
        ),
    ];

    /// The workbooks the tests use, as seeds for [`xlsx_input`].
    pub const XLSX_SEEDS: &[(&str, &[u8])] = &[
        (
            "enrolment.xlsx",
            include_bytes!("../../tests/fixtures/enrolment.xlsx"),
        ),
        (
            "nominees.xlsx",
            include_bytes!("../../tests/fixtures/nominees.xlsx"),
        ),
        (
            "roster.xlsx",
            include_bytes!("../../tests/fixtures/roster.xlsx"),
        ),
    ];

    const KINDS: [FileKind; 5] = [
        FileKind::Enrolment,
        FileKind::Nominees,
        FileKind::Roster,
        FileKind::Societies,
        FileKind::Candidates,
    ];

    fn check_errors(name: &str, e: &ImportErrors, last_line: usize) {
        assert!(!e.is_empty(), "{name}: an error without any message");
        for err in e.iter() {
            assert_eq!(err.file, name, "errors name the file as uploaded");
            assert!(!err.message.is_empty(), "{name}: empty error message");
            if let Some(line) = err.line {
                assert!(
                    (1..=last_line.max(1)).contains(&line),
                    "{name}: error on row {line}, the file has {last_line} rows: {err}"
                );
            }
        }
        // Display never panics, however many errors there are.
        let _ = e.to_string();
    }

    fn check_table(name: &str, t: &Table) {
        assert!(!t.headers.is_empty(), "{name}: a table without headers");
        let mut prev = 0;
        for row in &t.rows {
            assert!(
                row.line > prev,
                "{name}: row numbers go up: {prev} then {}",
                row.line
            );
            prev = row.line;
            assert!(
                row.cells.last().is_some_and(|c| !c.is_empty()),
                "{name}: blank rows and trailing blank cells are dropped"
            );
            for c in &row.cells {
                assert_eq!(&normalize_cell(c), c, "{name}: cells are normalised once");
                assert!(
                    !c.chars().any(|ch| ch.is_control() && ch != '\n'),
                    "{name}: a control character in {c:?}"
                );
            }
        }
    }

    /// Reads `bytes` as the file `name` and runs every parser and the warnings on it.
    /// Returns the number of data rows when the file could be read as a table.
    pub fn check_file(name: &str, bytes: &[u8]) -> Option<usize> {
        let table = match read_table(name, bytes) {
            Ok(t) => t,
            Err(e) => {
                // A file-level error names a line within the file or none at all.
                let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
                check_errors(name, &e, lines.max(1_048_576));
                return None;
            }
        };
        check_table(name, &table);
        let last = table.rows.last().map_or(1, |r| r.line);
        let n = table.rows.len();
        macro_rules! parse {
            ($f:expr) => {
                match $f(&table) {
                    Ok(v) => assert!(v.len() <= n, "{name}: more values than rows"),
                    Err(e) => check_errors(name, &e, last),
                }
            };
        }
        parse!(parse_enrolment);
        parse!(parse_societies);
        parse!(parse_nominees);
        parse!(parse_roster);
        parse!(parse_candidates);
        for kind in KINDS {
            let _ = warnings(kind, &table);
        }
        Some(n)
    }

    /// The CSV target: the first byte picks how the rest is encoded (raw bytes, text as GBK,
    /// UTF-8 with BOM, UTF-16LE with BOM), as organisers' Excel saves them.
    pub fn csv_input(data: &[u8]) {
        let Some((&mode, rest)) = data.split_first() else {
            return;
        };
        let bytes = match mode % 4 {
            0 => rest.to_vec(),
            1 => {
                let text = String::from_utf8_lossy(rest);
                encoding_rs::GBK.encode(&text).0.into_owned()
            }
            2 => {
                let mut b = b"\xEF\xBB\xBF".to_vec();
                b.extend_from_slice(rest);
                b
            }
            _ => {
                let text = String::from_utf8_lossy(rest);
                let mut b = vec![0xFF, 0xFE];
                b.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                b
            }
        };
        check_file("上传的文件.csv", &bytes);
    }

    /// The entries of a zip archive (a workbook) in order, or `None` if it cannot be read.
    pub fn unzip(bytes: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
        let mut out = Vec::new();
        for i in 0..archive.len() {
            let mut f = archive.by_index(i).ok()?;
            let mut data = Vec::new();
            f.read_to_end(&mut data).ok()?;
            out.push((f.name().to_string(), data));
        }
        Some(out)
    }

    /// A zip archive of `entries`.
    pub fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            w.start_file(name.as_str(), options).expect("zip entry");
            w.write_all(data).expect("zip write");
        }
        w.finish().expect("zip").into_inner()
    }

    /// The workbook target. First byte: even = the rest is the whole file; odd = a seed
    /// workbook (second byte) with one entry (third byte; the sheet XML most often) replaced
    /// by the rest, re-zipped, so the fuzzer reaches the XML inside rather than the zip.
    pub fn xlsx_input(data: &[u8]) {
        let Some((&mode, rest)) = data.split_first() else {
            return;
        };
        if mode % 2 == 0 {
            check_file("上传的文件.xlsx", rest);
            return;
        }
        let [seed, entry, payload @ ..] = rest else {
            return;
        };
        let (name, bytes) = XLSX_SEEDS[*seed as usize % XLSX_SEEDS.len()];
        let mut entries = unzip(bytes).expect("seed workbook");
        let i = match entries.iter().position(|(n, _)| n.ends_with("sheet1.xml")) {
            Some(sheet) if entry % 2 == 0 => sheet,
            _ => *entry as usize % entries.len(),
        };
        entries[i].1 = payload.to_vec();
        check_file(name, &rezip(&entries));
    }
}

pub mod ballot {
    //! A ballot form as the phone (or the scrutineers' paper entry) posts it.

    use congress::domain::ballot::Choices;
    use congress::domain::candidates::Candidate;
    use congress::domain::contest::{
        Contest, ContestDefinition, ContestKind, ContestState, MotionKind,
    };
    use congress::domain::settings::Threshold;
    use congress::service::voting::BallotPaper;
    use congress::web::forms::ballot::{self as ballot_form, Fields};

    /// Candidate ids on the election paper.
    pub const CANDIDATE_IDS: [&str; 4] = ["k1", "k2", "k3", "k4"];
    const NAMES: [&str; 4] = ["王芳", "李强", "张伟", "<b>刘洋</b>"];

    fn contest(kind: ContestKind, seats: Option<u32>, write_in: bool) -> Contest {
        Contest {
            id: "kfuzz".into(),
            congress_id: "cfuzz".into(),
            kind,
            def: ContestDefinition {
                title: "选举第十届学生会主席团成员".into(),
                body: String::new(),
                motion_kind: (kind == ContestKind::Motion).then_some(MotionKind::WorkReport),
                seats,
                allow_write_in: write_in,
                threshold: Threshold::ORDINARY,
                margin_override: None,
                election_kind: None,
                threshold_reason: None,
            },
            agenda_order: 1,
            parent_id: None,
            round_kind: None,
            not_held_reason: None,
            state: ContestState::Open,
            issued: Some(10),
            expected: Some(10),
            paper_issued: 0,
            opened_at: Some(0),
            closed_at: None,
            cast_count: None,
            merkle_root: None,
            result: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    /// An election paper (2 seats, 4 candidates, write-ins allowed or not) and a motion.
    pub fn papers() -> Vec<BallotPaper> {
        let candidates: Vec<Candidate> = CANDIDATE_IDS
            .iter()
            .zip(NAMES)
            .enumerate()
            .map(|(i, (id, name))| Candidate {
                id: id.to_string(),
                name: name.to_string(),
                student_no: format!("20220100{i:02}"),
                college: "文学院".into(),
                gender: None,
                political_status: "共青团员".into(),
                rank_pct: None,
                failed_courses: 0,
                eligibility_override: None,
                organiser_order: i as u32,
            })
            .collect();
        let election = |write_in: bool| BallotPaper {
            contest: contest(ContestKind::Election, Some(2), write_in),
            election: Some(congress::domain::ballot::ElectionPaper {
                seats: 2,
                candidates: CANDIDATE_IDS.iter().map(|s| s.to_string()).collect(),
                candidate_names: NAMES.iter().map(|s| s.to_string()).collect(),
                allow_write_in: write_in,
            }),
            candidates: candidates.clone(),
            review: None,
        };
        vec![
            election(true),
            election(false),
            BallotPaper {
                contest: contest(ContestKind::Motion, None, false),
                candidates: Vec::new(),
                election: None,
                review: None,
            },
        ]
    }

    fn unescape(s: &str) -> String {
        s.replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    /// The `name`/`value` pairs of the `<input>`s in rendered HTML.
    pub fn inputs(html: &str) -> Fields {
        let mut out = Vec::new();
        for part in html.split("<input").skip(1) {
            let end = part.find('>').unwrap_or(part.len());
            let tag = &part[..end];
            let attr = |a: &str| {
                let pat = format!(" {a}=\"");
                let i = tag.find(&pat)? + pat.len();
                let rest = &tag[i..];
                Some(unescape(&rest[..rest.find('"')?]))
            };
            if let (Some(n), Some(v)) = (attr("name"), attr("value")) {
                out.push((n, v));
            }
        }
        out
    }

    fn check_choices(paper: &BallotPaper, choices: &Choices) {
        match (choices, &paper.election) {
            (Choices::Election { marks, write_ins }, Some(e)) => {
                let ids: Vec<&String> = marks.keys().collect();
                let mut want: Vec<&String> = e.candidates.iter().collect();
                want.sort();
                assert_eq!(ids, want, "every candidate gets a mark, no other key");
                assert!(write_ins.len() <= e.seats as usize);
                assert!(e.allow_write_in || write_ins.is_empty());
                for (i, w) in write_ins.iter().enumerate() {
                    assert!(!w.is_empty() && w.trim() == w, "write-in {w:?}");
                    assert!(!write_ins[..i].contains(w), "duplicate write-in {w:?}");
                }
            }
            (Choices::Motion { .. }, None) => {}
            _ => panic!("choices of the wrong kind for the paper: {choices:?}"),
        }
    }

    /// Parses `fields` against every paper; what parses must survive the review step (the
    /// hidden fields parse back to the same choices) and render without live markup.
    pub fn check_fields(fields: &Fields) {
        for paper in papers() {
            match ballot_form::parse(&paper, fields) {
                Ok(choices) => {
                    check_choices(&paper, &choices);
                    let hidden = ballot_form::hidden(&paper, &choices).into_string();
                    let again = ballot_form::parse(&paper, &inputs(&hidden));
                    assert_eq!(again.as_ref(), Ok(&choices), "review step: {hidden}");
                    let html = format!(
                        "{}{}{}",
                        hidden,
                        ballot_form::summary(&paper, &choices).into_string(),
                        ballot_form::fields(&paper, Some(&choices)).into_string()
                    );
                    for bad in ["<script", "<img", "<b>"] {
                        assert!(!html.contains(bad), "unescaped {bad} in {html}");
                    }
                }
                Err(message) => assert!(!message.is_empty(), "a refusal says why"),
            }
        }
    }

    /// The fuzz target: a urlencoded body as actix's `web::Form<Fields>` reads it.
    pub fn form_input(body: &[u8]) {
        if let Ok(fields) = serde_urlencoded::from_bytes::<Fields>(body) {
            check_fields(&fields);
        }
    }
}

pub mod packet {
    //! A filing packet with one file tampered with: the verifier reports, never panics, and
    //! never passes a packet whose signed or hashed content changed.

    use std::path::Path;
    use std::sync::OnceLock;

    use congress::crypto::PublicKey;
    use congress::packet::format::{
        PUBLIC_KEY_FILE, RECORD_FILE, RECORD_SIG_FILE, ROSTER_SUMMARY_FILE,
    };
    use congress::packet::verify_packet;

    use super::packet_fixture::{build, Size};

    /// Files whose every byte is covered by the signature or a hash in the signed record.
    /// (The key file is covered by its fingerprint in the record: a change that keeps the
    /// same key, such as a missing final newline, may pass; see `mutation_input`.)
    const PROTECTED: [&str; 3] = [RECORD_FILE, RECORD_SIG_FILE, ROSTER_SUMMARY_FILE];

    fn protected(rel: &str) -> bool {
        PROTECTED.contains(&rel)
            || rel.starts_with("boards/")
            || rel.starts_with("rolls/")
            || rel.starts_with("addenda/")
    }

    /// A small valid packet, built once: (relative path, bytes) in a fixed order.
    pub fn base() -> &'static [(String, Vec<u8>)] {
        static BASE: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
        BASE.get_or_init(|| {
            let fx = build(Size {
                seed: 20250518,
                election_cast: 9,
                motion_cast: 7,
            });
            fx.contents
                .files()
                .expect("packet files")
                .into_iter()
                .map(|(p, b)| (p, b.into_owned()))
                .collect()
        })
    }

    fn write(dir: &Path, files: &[(String, Vec<u8>)]) {
        for (rel, bytes) in files {
            let path = dir.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).expect("dir");
            }
            std::fs::write(&path, bytes).expect("write");
        }
    }

    /// Applies mutation `op` with `payload` to `bytes`.
    pub fn mutate(bytes: &[u8], op: u8, payload: &[u8]) -> Option<Vec<u8>> {
        let at = |n: usize| super::u16_at(payload) % (n + 1);
        let tail = payload.get(2..).unwrap_or(&[]);
        let mut out = bytes.to_vec();
        match op % 6 {
            0 => out = payload.to_vec(),
            1 => {
                let i = at(out.len());
                for (j, b) in tail.iter().enumerate() {
                    match out.get_mut(i + j) {
                        Some(x) => *x = *b,
                        None => out.push(*b),
                    }
                }
            }
            2 => out.truncate(at(out.len())),
            3 => {
                let i = at(out.len());
                out.splice(i..i, tail.iter().copied());
            }
            4 => return None,
            _ => {
                if !out.is_empty() {
                    let i = at(out.len() - 1);
                    out[i] ^= 1 << (tail.first().copied().unwrap_or(0) % 8);
                }
            }
        }
        Some(out)
    }

    /// The fuzz target. Byte 0 picks the file, byte 1 the mutation (replace, overwrite,
    /// truncate, insert, delete, flip a bit) or, above 0xF0, a receipt of the rest's bytes
    /// checked against the intact packet; the rest is the payload.
    pub fn mutation_input(data: &[u8]) {
        let [file, op, payload @ ..] = data else {
            return;
        };
        let base = base();
        let dir = tempfile::tempdir().expect("temp dir");
        if *op >= 0xF0 {
            write(dir.path(), base);
            let receipt = dir.path().join("receipt.json");
            std::fs::write(&receipt, payload).expect("receipt");
            let list = verify_packet(dir.path(), Some(&receipt));
            assert!(
                !list.all_ok(),
                "a receipt of arbitrary bytes verified: {payload:?}"
            );
            return;
        }
        let i = *file as usize % base.len();
        let mut files = base.to_vec();
        let (rel, original) = base[i].clone();
        match mutate(&original, *op, payload) {
            Some(b) => files[i].1 = b,
            None => {
                files.remove(i);
            }
        }
        write(dir.path(), &files);
        let list = verify_packet(dir.path(), None);
        for c in list.failures() {
            assert!(!c.detail.is_empty(), "a failed check says why: {}", c.code);
        }
        let unchanged = files
            .get(i)
            .is_some_and(|(r, b)| *r == rel && *b == original);
        if unchanged {
            let failed: Vec<_> = list.failures().collect();
            assert!(list.all_ok(), "the intact packet fails: {failed:?}");
        } else if protected(&rel) {
            assert!(
                !list.all_ok(),
                "{rel} was changed and the packet still verifies"
            );
        } else if rel == PUBLIC_KEY_FILE && list.all_ok() {
            let key = |b: &[u8]| {
                let pem = std::str::from_utf8(b).ok()?;
                Some(PublicKey::from_spki_pem(pem).ok()?.fingerprint())
            };
            let now = files.get(i).and_then(|(_, b)| key(b));
            assert!(
                now.is_some() && now == key(&original),
                "a different key verifies the packet"
            );
        }
    }
}
