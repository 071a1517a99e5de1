//! The tables of the candidates' approval and public notice and of the applications to the
//! upper 学联 (migration `2027-02-01-000003_approval`), kept beside their repository.

diesel::table! {
    candidate_notes (candidate_id) {
        candidate_id -> Text,
        grade -> Text,
        union_post -> Text,
        profile -> Text,
    }
}

diesel::table! {
    approval_steps (id) {
        id -> Text,
        congress_id -> Text,
        contest_id -> Nullable<Text>,
        kind -> Text,
        seq -> Integer,
        body_json -> Text,
        sig -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    objections (id) {
        id -> Text,
        congress_id -> Text,
        contest_id -> Text,
        candidate_id -> Text,
        candidate_name -> Text,
        body -> Text,
        name -> Text,
        contact -> Text,
        created_at -> BigInt,
        handling -> Nullable<Text>,
        handled_at -> Nullable<BigInt>,
        handled_by -> Nullable<Text>,
    }
}
