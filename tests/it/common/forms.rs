//! The organiser's forms as the pages post them.

/// The rule settings form (`/c/{id}/setup/settings`) with every field at its default, then
/// `changes` applied (each must name a field of the form).
pub fn settings_fields<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("quota_ratio", "1%"),
        ("min_seats", "1"),
        ("total_seats", ""),
        ("quota_method", "hamilton"),
        ("allow_surplus", "no"),
        ("ordinary_min_pct", "60%"),
        ("women_min_pct", "30"),
        ("max_seats_school", "5"),
        ("max_seats_college", "3"),
        ("eligibility_rank_pct", "30%"),
        ("quorum_fraction", "2/3"),
        ("quorum_strict", "strict"),
        ("subtract_absences", "no"),
        ("election_base", "present"),
        ("election_fraction", "1/2"),
        ("election_strict", "strict"),
        ("tie_rule", "runoff"),
        ("term_years", "2"),
        ("spring_start", "02-01"),
        ("autumn_start", "08-01"),
    ];
    for (k, v) in changes {
        let slot = f.iter_mut().find(|(n, _)| n == k).expect("known field");
        slot.1 = v;
    }
    f
}
