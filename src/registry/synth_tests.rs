use super::*;
use crate::packet::verify::verify_packet;
use crate::packet::write_packet;
use crate::registry::indicators::{assess, Context, Facts, Outcome};

#[test]
fn a_synthetic_packet_verifies_and_its_shares_are_as_asked() {
    let mut spec = Spec::new("甲城大学", "jc2025", "2025-05-18", 240, 7);
    spec.ordinary_pct = 55;
    let s = packet(&spec).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p");
    write_packet(&out, &s.contents).unwrap();
    let list = verify_packet(&out, None);
    let failed: Vec<_> = list.failures().collect();
    assert!(list.all_ok(), "{failed:#?}");
    let facts = Facts::from_dir(&out).unwrap();
    let ind = assess(&facts, &Context::default());
    let ordinary = ind.iter().find(|i| i.id == "ordinary_share").unwrap();
    assert_eq!(ordinary.outcome, Outcome::Fail, "{}", ordinary.value);
    let women = ind.iter().find(|i| i.id == "women_share").unwrap();
    assert_eq!(women.outcome, Outcome::Pass, "{}", women.value);
    assert_eq!(
        ind.iter().find(|i| i.id == "approval").unwrap().outcome,
        Outcome::Pass
    );
    // The same seed gives the same marks (the papers' keys and tokens are fresh): the same
    // counts.
    let results = |c: &crate::packet::PacketContents| {
        let r: serde_json::Value = serde_json::from_slice(&c.record.bytes).unwrap();
        r["contests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["result"].clone())
            .collect::<Vec<_>>()
    };
    let again = packet(&spec).unwrap();
    assert_eq!(results(&again.contents), results(&s.contents));
}
