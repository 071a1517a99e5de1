//! How the simulated delegates read and mark their ballots: the candidates from the ballot
//! page, then seeded random but realistic choices (a few over-voted ballots and abstentions),
//! as form fields and as the box's JSON `choices`.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// What the ballot page says: the candidate ids in ballot order (elections), from the
/// `m.<id>` fields.
#[derive(Debug, Clone)]
pub struct BallotForm {
    pub candidates: Vec<String>,
}

/// Reads the candidate ids from a ballot page.
pub fn parse_ballot_form(html: &str) -> Option<BallotForm> {
    if !html.contains("<form") {
        return None;
    }
    let mut candidates: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("name=\"m.") {
        rest = &rest[i + "name=\"m.".len()..];
        if let Some(end) = rest.find('"') {
            let id = rest[..end].to_string();
            if !candidates.contains(&id) {
                candidates.push(id);
            }
        }
    }
    Some(BallotForm { candidates })
}

/// Random but realistic choices as form fields: an election ballot marks about 60% of
/// candidates for (a few ballots mark them all: over-voted, invalid), some against, the rest
/// unmarked (abstain); a motion ballot is mostly for.
pub fn choices(
    rng: &mut ChaCha8Rng,
    form: &BallotForm,
    seats: Option<u32>,
) -> Vec<(String, String)> {
    match seats {
        Some(seats) => {
            let overvote = rng.random_bool(0.02);
            let mut fors = 0u32;
            let mut out = Vec::new();
            for id in &form.candidates {
                let x: f64 = rng.random();
                let mark = if overvote || (x < 0.6 && fors < seats) {
                    fors += 1;
                    "for"
                } else if x < 0.8 {
                    "against"
                } else if x < 0.9 {
                    "abstain"
                } else {
                    continue; // unmarked = abstain (E2)
                };
                out.push((format!("m.{id}"), mark.to_string()));
            }
            out
        }
        None => {
            let x: f64 = rng.random();
            let vote = if x < 0.85 {
                "for"
            } else if x < 0.93 {
                "against"
            } else {
                "abstain"
            };
            vec![("vote".to_string(), vote.to_string())]
        }
    }
}

/// The same choices as the ballot's `choices` JSON (what the box's JSON cast takes): marked
/// candidates by id (the unmarked become abstain), or the motion's vote.
pub fn choices_json(fields: &[(String, String)]) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for (k, v) in fields {
        let key = k.strip_prefix("m.").unwrap_or(k);
        map.insert(key.to_string(), serde_json::Value::from(v.as_str()));
    }
    serde_json::Value::Object(map)
}
