use std::io::Write;

use zip::write::SimpleFileOptions;

use super::*;

fn zip_of(entries: &[(&str, &[u8])], options: SimpleFileOptions) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        z.start_file(*name, options).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}

fn deflate() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)
}

fn unpack(bytes: &[u8]) -> Result<Vec<String>, UnpackError> {
    let dir = tempfile::tempdir().unwrap();
    unzip(bytes, dir.path(), &Limits::default())
}

#[test]
fn the_top_folder_of_the_record_pages_zip_is_stripped() {
    let bytes = zip_of(
        &[
            ("xdh-packet/record.json", b"{}"),
            ("xdh-packet/boards/presidium.board.json", b"{}"),
        ],
        deflate(),
    );
    let dir = tempfile::tempdir().unwrap();
    let files = unzip(&bytes, dir.path(), &Limits::default()).unwrap();
    assert_eq!(files, ["record.json", "boards/presidium.board.json"]);
    assert!(dir.path().join("boards/presidium.board.json").is_file());
    // Files at the root work too.
    assert_eq!(
        unpack(&zip_of(&[("record.json", b"{}")], deflate())).unwrap(),
        ["record.json"]
    );
}

#[test]
fn paths_that_climb_out_are_refused_by_name() {
    for evil in [
        "../record.json",
        "xdh-packet/../../etc/passwd",
        "/etc/passwd",
        "a\\..\\b",
        "C:/x",
    ] {
        let bytes = zip_of(&[("record.json", b"{}"), (evil, b"x")], deflate());
        let e = unpack(&bytes).unwrap_err().0;
        assert!(e.contains("路径穿越"), "{evil}: {e}");
    }
    let deep = zip_of(
        &[("record.json", b"{}"), ("boards/a/b.json", b"x")],
        deflate(),
    );
    assert!(unpack(&deep).unwrap_err().0.contains("不是归档包的文件"));
    let hidden = zip_of(&[("record.json", b"{}"), (".hidden", b"x")], deflate());
    assert!(unpack(&hidden).is_err());
}

#[test]
fn symlinks_duplicates_and_other_things_are_refused() {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    z.start_file("record.json", deflate()).unwrap();
    z.write_all(b"{}").unwrap();
    z.add_symlink("boards", "/etc", deflate()).unwrap();
    let bytes = z.finish().unwrap().into_inner();
    assert!(unpack(&bytes).unwrap_err().0.contains("符号链接"));
    let dup = vec![
        ("record.json".to_string(), b"{}".to_vec()),
        ("record.json".to_string(), b"{}".to_vec()),
    ];
    let e = write_files(
        &dup,
        tempfile::tempdir().unwrap().path(),
        &Limits::default(),
    );
    assert!(e.unwrap_err().0.contains("出现了两次"));
    let not_zip = unpack(b"record.json,{}").unwrap_err().0;
    assert!(not_zip.contains("不是 zip"), "{not_zip}");
    let no_record = unpack(&zip_of(&[("boards/x.board.json", b"{}")], deflate()))
        .unwrap_err()
        .0;
    assert!(no_record.contains("没有 record.json"), "{no_record}");
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_inflated() {
    let zeros = vec![0u8; 64 << 20];
    let bytes = zip_of(
        &[("record.json", b"{}"), ("boards/x.board.json", &zeros)],
        deflate(),
    );
    assert!(
        bytes.len() < 1 << 20,
        "64 MB of zeros deflate to {} bytes",
        bytes.len()
    );
    let e = unpack(&bytes).unwrap_err().0;
    assert!(e.contains("疑似 zip 炸弹"), "{e}");
    // Within the ratio but over the total limit.
    let small = Limits {
        max_unpacked_bytes: 1000,
        ..Limits::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let bytes = zip_of(
        &[("record.json", &[b'x'; 600]), ("report.html", &[b'y'; 600])],
        deflate(),
    );
    let e = unzip(&bytes, dir.path(), &small).unwrap_err().0;
    assert!(e.contains("超过 0 MB 的上限"), "{e}");
}

#[test]
fn files_sent_one_by_one_keep_their_relative_paths() {
    let files = vec![
        ("p/record.json".to_string(), b"{}".to_vec()),
        ("p/rolls/a.csv".to_string(), b"x".to_vec()),
    ];
    let dir = tempfile::tempdir().unwrap();
    let got = write_files(&files, dir.path(), &Limits::default()).unwrap();
    assert_eq!(got, ["record.json", "rolls/a.csv"]);
    let zipped = zip_dir(dir.path(), &got, "xdh-packet").unwrap();
    let again = tempfile::tempdir().unwrap();
    assert_eq!(
        unzip(&zipped, again.path(), &Limits::default()).unwrap(),
        ["record.json", "rolls/a.csv"]
    );
    let evil = vec![
        ("record.json".to_string(), b"{}".to_vec()),
        ("../x".to_string(), b"x".to_vec()),
    ];
    let e = write_files(
        &evil,
        tempfile::tempdir().unwrap().path(),
        &Limits::default(),
    )
    .unwrap_err();
    assert!(e.0.contains("路径穿越"));
}
