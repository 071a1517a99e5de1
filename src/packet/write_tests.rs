use super::*;
use crate::packet::test_data::sample_packet;
use crate::packet::verify::verify_packet;

#[test]
fn roll_is_bom_utf8_crlf_sorted_by_number() {
    let rows = vec![
        (12, "李强".to_string(), "理学院".to_string()),
        (3, "欧阳, 娜娜".to_string(), "外国语学院".to_string()),
        (7, "王芳".to_string(), "文学院".to_string()),
    ];
    let csv = roll_csv(&rows).unwrap();
    let expected = "\u{feff}代表编号,姓名,学院\r\n3,\"欧阳, 娜娜\",外国语学院\r\n7,王芳,文学院\r\n12,李强,理学院\r\n";
    assert_eq!(String::from_utf8(csv).unwrap(), expected);
    let empty = roll_csv(&[]).unwrap();
    assert_eq!(
        String::from_utf8(empty).unwrap(),
        "\u{feff}代表编号,姓名,学院\r\n"
    );
}

#[test]
fn roll_refuses_a_delegate_twice() {
    let rows = vec![
        (5, "王芳".to_string(), "文学院".to_string()),
        (5, "王芳".to_string(), "文学院".to_string()),
    ];
    assert!(matches!(
        roll_csv(&rows),
        Err(PacketError::DuplicateRollNumber { number: 5 })
    ));
}

#[test]
fn writes_a_new_directory_with_every_file() {
    let sample = sample_packet();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out").join("xdh12-packet");
    write_packet(&dir, &sample.contents).unwrap();
    let mut names: Vec<String> = Vec::new();
    for sub in ["", "boards", "rolls", "addenda"] {
        for e in fs::read_dir(dir.join(sub)).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_file() {
                let n = e.file_name().to_string_lossy().into_owned();
                names.push(if sub.is_empty() {
                    n
                } else {
                    format!("{sub}/{n}")
                });
            }
        }
    }
    names.sort();
    assert_eq!(
        names,
        [
            "VERIFY.txt",
            "addenda/approval.json",
            "addenda/approval.sig",
            "boards/presidium.board.json",
            "boards/work-report.board.json",
            "congress.pub.pem",
            "record.json",
            "record.sig",
            "report.html",
            "rolls/presidium.csv",
            "rolls/work-report.csv",
            "roster-summary.json",
            "verify_packet.py",
        ]
    );
    assert_eq!(
        fs::read(dir.join("record.json")).unwrap(),
        sample.contents.record.bytes
    );
    assert_eq!(
        fs::read(dir.join("record.sig")).unwrap(),
        sample.contents.record.sig
    );
    assert_eq!(
        fs::read_to_string(dir.join("verify_packet.py")).unwrap(),
        VERIFY_SCRIPT
    );
    let list = verify_packet(&dir, None);
    assert!(list.all_ok(), "{:#?}", list.failures().collect::<Vec<_>>());
    // Nothing left behind beside the packet.
    let siblings: Vec<_> = fs::read_dir(dir.parent().unwrap()).unwrap().collect();
    assert_eq!(siblings.len(), 1);
}

#[test]
fn replaces_an_earlier_packet_of_the_same_congress_whole() {
    let sample = sample_packet();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("packet");
    write_packet(&dir, &sample.contents).unwrap();
    // A board of a contest since dropped must not survive the rewrite.
    fs::write(dir.join("boards/old-vote.board.json"), b"{}").unwrap();
    let mut fewer = sample.contents.clone();
    fewer.addenda.clear();
    write_packet(&dir, &fewer).unwrap();
    assert!(!dir.join("boards/old-vote.board.json").exists());
    assert!(!dir.join("addenda/approval.json").exists());
    assert!(dir.join("boards/presidium.board.json").exists());
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[test]
fn writes_into_an_empty_directory() {
    let sample = sample_packet();
    let tmp = tempfile::tempdir().unwrap();
    write_packet(tmp.path(), &sample.contents).unwrap();
    assert!(tmp.path().join("record.json").is_file());
}

#[test]
fn refuses_foreign_directories_other_congresses_and_symlinks() {
    let sample = sample_packet();
    let tmp = tempfile::tempdir().unwrap();

    let foreign = tmp.path().join("thesis");
    fs::create_dir(&foreign).unwrap();
    fs::write(foreign.join("毕业论文.docx"), b"draft").unwrap();
    let err = write_packet(&foreign, &sample.contents).unwrap_err();
    assert!(matches!(err, PacketError::DirNotEmpty { .. }), "{err}");
    assert_eq!(fs::read(foreign.join("毕业论文.docx")).unwrap(), b"draft");

    let other = tmp.path().join("other");
    write_packet(&other, &sample.contents).unwrap();
    let record = String::from_utf8(fs::read(other.join("record.json")).unwrap()).unwrap();
    fs::write(other.join("record.json"), record.replace("xdh12", "xdh11")).unwrap();
    match write_packet(&other, &sample.contents) {
        Err(PacketError::DirNotEmpty { reason, .. }) => {
            assert_eq!(reason, "其中的 record.json 属于大会 xdh11")
        }
        res => panic!("expected a refusal, got {res:?}"),
    }

    let mixed = tmp.path().join("mixed");
    write_packet(&mixed, &sample.contents).unwrap();
    fs::write(mixed.join("boards/notes.txt"), b"mine").unwrap();
    assert!(matches!(
        write_packet(&mixed, &sample.contents),
        Err(PacketError::DirNotEmpty { .. })
    ));
    assert!(mixed.join("boards/notes.txt").exists());

    let target = tmp.path().join("elsewhere");
    fs::create_dir(&target).unwrap();
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    assert!(matches!(
        write_packet(&link, &sample.contents),
        Err(PacketError::Symlink { .. })
    ));
    assert_eq!(fs::read_dir(&target).unwrap().count(), 0);

    let inner = tmp.path().join("inner-link");
    write_packet(&inner, &sample.contents).unwrap();
    std::os::unix::fs::symlink(&target, inner.join("rolls/x.csv")).unwrap();
    assert!(matches!(
        write_packet(&inner, &sample.contents),
        Err(PacketError::Symlink { .. })
    ));
}

#[test]
fn refuses_unsafe_contest_ids_and_inconsistent_contents() {
    let sample = sample_packet();
    let tmp = tempfile::tempdir().unwrap();
    let mut bad = sample.contents.clone();
    let board = bad.boards.remove("presidium").unwrap();
    bad.boards.insert("../presidium".into(), board);
    let err = write_packet(&tmp.path().join("p"), &bad).unwrap_err();
    assert!(matches!(err, PacketError::Contents(_)), "{err}");
    assert!(!tmp.path().join("presidium.board.json").exists());

    let mut bad = sample.contents.clone();
    let roll = bad.rolls.remove("presidium").unwrap();
    bad.rolls.insert("charter".into(), roll);
    assert!(matches!(bad.files(), Err(PacketError::Contents(_))));

    let mut bad = sample.contents.clone();
    bad.public_key_pem = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n".into();
    assert!(matches!(bad.files(), Err(PacketError::Crypto(_))));

    let mut bad = sample.contents.clone();
    let a = bad.addenda.remove("approval").unwrap();
    bad.addenda.insert("../../x".into(), a);
    assert!(matches!(bad.files(), Err(PacketError::Contents(_))));
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn zip_is_deterministic_and_unpacks_to_a_verifiable_packet() {
    let sample = sample_packet();
    let zip = zip_packet(&sample.contents).unwrap();
    assert_eq!(zip, zip_packet(&sample.contents).unwrap());
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    assert_eq!(archive.len(), 15);
    let mut names: Vec<&str> = archive.file_names().collect();
    names.sort();
    assert_eq!(names[0], "xdh12-packet/VERIFY.txt");
    let tmp = tempfile::tempdir().unwrap();
    archive.extract(tmp.path()).unwrap();
    let list = verify_packet(&tmp.path().join("xdh12-packet"), None);
    assert!(list.all_ok(), "{:#?}", list.failures().collect::<Vec<_>>());
}
