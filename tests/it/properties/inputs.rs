//! The fuzz targets' entry points on generated input, in process.

use proptest::collection::vec;
use proptest::prelude::*;

use super::harness::{ballot, import, packet};
use super::{config, nasty_cell};

/// The seed files that are UTF-8 text, as text (BOM stripped).
fn text_seeds() -> Vec<(&'static str, String)> {
    import::SEEDS
        .iter()
        .filter_map(|(name, bytes)| {
            let text = std::str::from_utf8(bytes).ok()?;
            Some((*name, text.trim_start_matches('\u{feff}').to_string()))
        })
        .collect()
}

/// `text` with cell (line, column) of each edit replaced (indices wrap around).
fn edit_cells(text: &str, edits: &[(usize, usize, String)]) -> String {
    let mut lines: Vec<Vec<String>> = text
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    for (line, col, value) in edits {
        let n = lines.len();
        let row = &mut lines[line % n];
        let m = row.len();
        row[col % m] = value.clone();
    }
    lines
        .iter()
        .map(|r| r.join(","))
        .collect::<Vec<_>>()
        .join("\r\n")
}

/// The first sheet's XML of each seed workbook.
fn sheets() -> Vec<Vec<u8>> {
    import::XLSX_SEEDS
        .iter()
        .map(|(_, bytes)| {
            import::unzip(bytes)
                .expect("seed workbook")
                .into_iter()
                .find(|(n, _)| n.ends_with("sheet1.xml"))
                .expect("sheet1")
                .1
        })
        .collect()
}

/// Pieces of sheet XML worth splicing in: far-away cells, huge row numbers, shared-string
/// indices out of range, odd types and numbers.
fn xml_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            r#"<c r="XFD1048576"><v>1</v></c>"#,
            r#"<c r="A1048576" t="s"><v>99999</v></c>"#,
            r#"<c r="B2" t="s"><v>-1</v></c>"#,
            r#"<c r="C3" t="n"><v>1e308</v></c>"#,
            r#"<c r="D4" t="d"><v>not a date</v></c>"#,
            r#"<c r="E5" t="b"><v>2</v></c>"#,
            r#"<c r="ZZZZZZ1"><v>1</v></c>"#,
            r#"<row r="4294967295">"#,
            r#"<row r="0">"#,
            r#"<c r="A1" t="inlineStr"><is><t>学院</t></is></c>"#,
            "</row>",
            "</sheetData>",
            "<![CDATA[",
            "&#0;",
            "&unknown;",
        ])
        .prop_map(str::to_string),
        "\\PC{0,20}",
    ]
}

fn splice(bytes: &[u8], at: usize, cut: usize, insert: &[u8]) -> Vec<u8> {
    let at = at % (bytes.len() + 1);
    let end = (at + cut).min(bytes.len());
    let mut out = bytes[..at].to_vec();
    out.extend_from_slice(insert);
    out.extend_from_slice(&bytes[end..]);
    out
}

fn ballot_key() -> impl Strategy<Value = String> {
    let fixed: Vec<String> = ballot::CANDIDATE_IDS
        .iter()
        .map(|id| format!("m.{id}"))
        .chain(
            [
                "m.k9",
                "m.",
                "m.write_in",
                "w1",
                "w2",
                "w3",
                "w0",
                "vote",
                "csrf",
                "ballot_id",
            ]
            .map(str::to_string),
        )
        .collect();
    prop_oneof![4 => prop::sample::select(fixed), 1 => "[a-z.0-9]{0,6}"]
}

fn ballot_value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec!["for", "against", "abstain", ""]).prop_map(str::to_string),
        2 => prop::sample::select(vec![
            "FOR",
            " for",
            "王芳",
            " 王芳 ",
            "<b>刘洋</b>",
            "赵敏",
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "\u{3000}",
        ])
        .prop_map(str::to_string),
        1 => "\\PC{0,60}",
    ]
}

test!(arbitrary_bytes_as_csv);
test!(arbitrary_bytes_as_a_workbook);
test!(real_files_with_odd_cells);
test!(real_workbooks_with_odd_xml);
test!(ballot_forms);
test!(ballot_form_bodies);
proptest! {
    #![proptest_config(config(1000))]

    fn arbitrary_bytes_as_csv(data in vec(any::<u8>(), 0..2048)) {
        import::csv_input(&data);
    }

    fn arbitrary_bytes_as_a_workbook(data in vec(any::<u8>(), 0..2048)) {
        import::xlsx_input(&data);
    }

    fn real_files_with_odd_cells(
        seed in any::<prop::sample::Index>(),
        edits in vec((any::<usize>(), any::<usize>(), nasty_cell()), 1..5),
        encoding in 0u8..4,
    ) {
        let seeds = text_seeds();
        let (_, text) = &seeds[seed.index(seeds.len())];
        let mut data = vec![encoding];
        data.extend_from_slice(edit_cells(text, &edits).as_bytes());
        import::csv_input(&data);
    }

    fn real_workbooks_with_odd_xml(
        seed in 0u8..3,
        at in any::<usize>(),
        cut in 0usize..40,
        piece in xml_piece(),
    ) {
        let sheet = &sheets()[seed as usize];
        let mut data = vec![1, seed, 0];
        data.extend(splice(sheet, at, cut, piece.as_bytes()));
        import::xlsx_input(&data);
    }

    fn ballot_forms(fields in vec((ballot_key(), ballot_value()), 0..12)) {
        ballot::check_fields(&fields);
    }

    fn ballot_form_bodies(body in vec(any::<u8>(), 0..512)) {
        ballot::form_input(&body);
    }
}

test!(tampered_packets);
test!(receipts_of_arbitrary_bytes);
proptest! {
    #![proptest_config(config(300))]

    fn tampered_packets(
        file in any::<u8>(),
        op in 0u8..6,
        payload in vec(any::<u8>(), 0..64),
    ) {
        let mut data = vec![file, op];
        data.extend(payload);
        packet::mutation_input(&data);
    }

    fn receipts_of_arbitrary_bytes(payload in vec(any::<u8>(), 0..256)) {
        let mut data = vec![0, 0xF0];
        data.extend(payload);
        packet::mutation_input(&data);
    }
}

test!(the_packet_fixture_verifies_until_tampered);
/// The intact packet verifies (so the tamper properties above can fail), and a flipped bit in
/// the record is caught.
fn the_packet_fixture_verifies_until_tampered() {
    let base = packet::base();
    let record = base
        .iter()
        .position(|(p, _)| p == "record.json")
        .expect("record.json") as u8;
    // Overwrite with the same byte: unchanged, must pass.
    let first = base[record as usize].1[0];
    packet::mutation_input(&[record, 1, 0, 0, first]);
    // Flip a bit: must fail (the harness asserts it).
    packet::mutation_input(&[record, 5, 10, 0, 3]);
}
