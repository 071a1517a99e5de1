//! 述职评议's persons taken from a counted presidium election (rule H1), through the settings
//! page: the 当选 in the order elected, post 主席团成员, college from the candidate list, placed
//! before the persons already listed; a CSV file replaces the list; a motion is refused on
//! the page.

use super::block_on;
use super::fixture::{counted, COLLEGES};
use crate::common::Kind;
use congress::domain::ids::ContestId;

both_backends!(review_persons_come_from_the_elected, |kind: Kind| {
    let w = counted(kind, "review_persons");
    block_on(async {
        let base = format!("/c/{}/contests", w.cid);
        let id = w.org.create_review(&w.cid, "主席团成员述职评议", "").await;
        let r = w
            .org
            .post_form(
                &format!("{base}/{id}/review"),
                &[
                    (
                        "persons",
                        "周敏,学习部部长,文学院\n王芳,主席团成员,信息学院",
                    ),
                    ("dimensions", "政治态度\n工作成效"),
                    ("grades", "优秀\n称职\n不称职"),
                    ("favourable", "2"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
        let r = w
            .org
            .post_form(
                &format!("{base}/{id}/review/from-election"),
                &[("election", w.election.as_str())],
            )
            .await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
        let mut c = w.conn();
        let def = congress::storage::repo::reviews::get(&mut c, &ContestId::from(&id))
            .unwrap()
            .expect("a definition");
        let rows: Vec<(&str, &str, &str)> = def
            .persons
            .iter()
            .map(|p| (p.name.as_str(), p.post.as_str(), p.college.as_str()))
            .collect();
        // 王芳 (8 for) and 李强 (7 for) were elected; 王芳 is not listed twice; 周敏 follows.
        assert_eq!(
            rows,
            [
                ("王芳", "主席团成员", COLLEGES[0]),
                ("李强", "主席团成员", COLLEGES[1]),
                ("周敏", "学习部部长", "文学院"),
            ]
        );
        assert_eq!(def.dimensions, ["政治态度", "工作成效"]);
        // A file replaces the list (UTF-8 with BOM, CRLF, a header row, as Excel saves it).
        let csv =
            "\u{feff}姓名,职务,学院\r\n孙悦,宣传部部长,理学院\r\n钱程,组织部部长,文学院\r\n\r\n";
        let r = w
            .org
            .upload(
                &format!("{base}/{id}/review/upload"),
                "被评议人.csv",
                csv.as_bytes().to_vec(),
            )
            .await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
        let def = congress::storage::repo::reviews::get(&mut c, &ContestId::from(&id))
            .unwrap()
            .expect("a definition");
        let names: Vec<&str> = def.persons.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["孙悦", "钱程"]);
        assert_eq!(def.persons[0].post, "宣传部部长");
        // A motion is not a presidium election: refused on the page, nothing changed.
        let r = w
            .org
            .post_form(
                &format!("{base}/{id}/review/from-election"),
                &[("election", w.motion.as_str())],
            )
            .await;
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains("不是已计票的主席团选举"));
    });
});
