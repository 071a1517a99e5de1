//! The diesel schema shared by both backends (written by hand to match `migrations/`).

diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
        password_hash -> Text,
        role -> Text,
        must_change_password -> Bool,
        created_at -> BigInt,
        session_epoch -> BigInt,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        label -> Text,
        created_at -> BigInt,
        revoked_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    throttle_events (id) {
        id -> Text,
        bucket -> Text,
        at -> BigInt,
    }
}

diesel::table! {
    congresses (id) {
        id -> Text,
        name -> Text,
        school -> Text,
        level -> Text,
        session_no -> Integer,
        date -> Text,
        place -> Text,
        owner_id -> Text,
        state -> Text,
        settings -> Text,
        public_key_pem -> Nullable<Text>,
        key_fingerprint -> Nullable<Text>,
        roster_report -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    enrolment (congress_id, college, grade) {
        congress_id -> Text,
        college -> Text,
        grade -> Text,
        students -> BigInt,
        row_no -> Integer,
    }
}

diesel::table! {
    societies (congress_id, name) {
        congress_id -> Text,
        name -> Text,
        main -> Bool,
        row_no -> Integer,
    }
}

diesel::table! {
    nominees (congress_id, student_no) {
        congress_id -> Text,
        student_no -> Text,
        name -> Text,
        college -> Text,
        grade -> Text,
        gender -> Text,
        union_role -> Nullable<Text>,
        political_status -> Nullable<Text>,
        societies -> Text,
        votes -> BigInt,
        row_no -> Integer,
    }
}

diesel::table! {
    delegates (id) {
        id -> Text,
        congress_id -> Text,
        delegate_no -> Integer,
        student_no -> Text,
        name -> Text,
        college -> Text,
        grade -> Text,
        gender -> Text,
        union_role -> Nullable<Text>,
        political_status -> Nullable<Text>,
        societies -> Text,
        kind -> Text,
        token_hash -> Nullable<Text>,
        code_hash -> Nullable<Text>,
        token_issued_at -> Nullable<BigInt>,
        session_epoch -> BigInt,
        present -> Bool,
        checked_in_at -> Nullable<BigInt>,
        absence_approved -> Bool,
        absence_reason -> Nullable<Text>,
    }
}

diesel::table! {
    scrutineers (id) {
        id -> Text,
        congress_id -> Text,
        role -> Text,
        name -> Text,
        student_no -> Nullable<Text>,
        user_id -> Nullable<Text>,
        position -> Integer,
    }
}

diesel::table! {
    contests (id) {
        id -> Text,
        congress_id -> Text,
        kind -> Text,
        motion_kind -> Nullable<Text>,
        title -> Text,
        body -> Text,
        agenda_order -> Integer,
        seats -> Nullable<Integer>,
        allow_write_in -> Bool,
        threshold -> Text,
        margin_override -> Nullable<Text>,
        parent_id -> Nullable<Text>,
        round_kind -> Nullable<Text>,
        state -> Text,
        issued -> Nullable<Integer>,
        expected -> Nullable<Integer>,
        paper_issued -> Integer,
        opened_at -> Nullable<BigInt>,
        closed_at -> Nullable<BigInt>,
        cast_count -> Nullable<Integer>,
        merkle_root -> Nullable<Text>,
        result -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
        election_kind -> Nullable<Text>,
        threshold_reason -> Nullable<Text>,
        not_held_reason -> Nullable<Text>,
    }
}

diesel::table! {
    contest_reviews (contest_id) {
        contest_id -> Text,
        definition -> Text,
    }
}

diesel::table! {
    candidates (id) {
        id -> Text,
        contest_id -> Text,
        name -> Text,
        student_no -> Text,
        college -> Text,
        gender -> Nullable<Text>,
        political_status -> Text,
        rank_pct -> Nullable<Integer>,
        failed_courses -> Integer,
        eligibility_override -> Nullable<Text>,
        organiser_order -> Integer,
        ballot_order -> Integer,
    }
}

diesel::table! {
    contest_voters (contest_id, delegate_id) {
        contest_id -> Text,
        delegate_id -> Text,
    }
}

diesel::table! {
    roll (contest_id, delegate_id) {
        contest_id -> Text,
        delegate_id -> Text,
        kind -> Text,
        blinded_sha256 -> Nullable<Text>,
        blind_sig -> Nullable<Text>,
    }
}

diesel::table! {
    ballot_boxes (contest_id) {
        contest_id -> Text,
        public_key_pem -> Text,
        key_fingerprint -> Text,
        paper_entered -> Integer,
    }
}

diesel::table! {
    ballots (contest_id, token) {
        contest_id -> Text,
        token -> Text,
        ballot_hash -> Text,
        body -> Text,
    }
}

diesel::table! {
    records (congress_id) {
        congress_id -> Text,
        record_json -> Text,
        record_sig -> Text,
        record_hash -> Text,
        roster_summary -> Text,
        signed_at -> BigInt,
    }
}

diesel::table! {
    addenda (id) {
        id -> Text,
        congress_id -> Text,
        kind -> Text,
        body_json -> Text,
        sig -> Text,
        created_at -> BigInt,
        seq -> Integer,
    }
}

diesel::table! {
    audit_log (seq) {
        seq -> BigInt,
        at -> BigInt,
        actor -> Text,
        role -> Text,
        congress_id -> Nullable<Text>,
        action -> Text,
        target -> Nullable<Text>,
        addr -> Nullable<Text>,
        before -> Nullable<Text>,
        after -> Nullable<Text>,
    }
}

diesel::table! {
    card_events (id) {
        id -> Text,
        congress_id -> Text,
        delegate_id -> Text,
        at -> BigInt,
        kind -> Text,
        via -> Text,
        actor -> Nullable<Text>,
    }
}

diesel::table! {
    standing_quotas (congress_id, college) {
        congress_id -> Text,
        college -> Text,
        seats -> Integer,
    }
}

diesel::table! {
    standing_delegates (congress_id, delegate_id) {
        congress_id -> Text,
        delegate_id -> Text,
    }
}

diesel::table! {
    standing_lists (congress_id) {
        congress_id -> Text,
        frozen_at -> BigInt,
        frozen_by -> Text,
        report -> Text,
    }
}

diesel::table! {
    meetings (congress_id) {
        congress_id -> Text,
        parent_id -> Text,
        kind -> Text,
        created_at -> BigInt,
        participant_votes -> Text,
    }
}

diesel::table! {
    meeting_participants (id) {
        id -> Text,
        congress_id -> Text,
        name -> Text,
        unit -> Text,
        position -> Integer,
        present -> Bool,
        token_hash -> Nullable<Text>,
        issued_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    participant_boxes (contest_id) {
        contest_id -> Text,
        public_key_pem -> Text,
        key_fingerprint -> Text,
        issued -> Integer,
        listed -> Integer,
        cast_count -> Nullable<Integer>,
        merkle_root -> Nullable<Text>,
        result -> Nullable<Text>,
    }
}

diesel::table! {
    participant_roll (contest_id, participant_id) {
        contest_id -> Text,
        participant_id -> Text,
        blinded_sha256 -> Nullable<Text>,
        blind_sig -> Nullable<Text>,
    }
}

diesel::table! {
    participant_ballots (contest_id, token) {
        contest_id -> Text,
        token -> Text,
        ballot_hash -> Text,
        body -> Text,
    }
}

diesel::table! {
    pending_uploads (id) {
        id -> Text,
        congress_id -> Text,
        username -> Text,
        kind -> Text,
        contest_id -> Nullable<Text>,
        file_name -> Text,
        bytes -> Binary,
        replaces -> BigInt,
        new_rows -> BigInt,
        created_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(card_events -> delegates (delegate_id));
diesel::joinable!(congresses -> users (owner_id));
diesel::joinable!(enrolment -> congresses (congress_id));
diesel::joinable!(societies -> congresses (congress_id));
diesel::joinable!(nominees -> congresses (congress_id));
diesel::joinable!(delegates -> congresses (congress_id));
diesel::joinable!(scrutineers -> congresses (congress_id));
diesel::joinable!(contests -> congresses (congress_id));
diesel::joinable!(candidates -> contests (contest_id));
diesel::joinable!(contest_reviews -> contests (contest_id));
diesel::joinable!(contest_voters -> contests (contest_id));
diesel::joinable!(contest_voters -> delegates (delegate_id));
diesel::joinable!(roll -> contests (contest_id));
diesel::joinable!(roll -> delegates (delegate_id));
diesel::joinable!(ballots -> contests (contest_id));
diesel::joinable!(ballot_boxes -> contests (contest_id));
diesel::joinable!(records -> congresses (congress_id));
diesel::joinable!(addenda -> congresses (congress_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    card_events,
    api_tokens,
    throttle_events,
    congresses,
    enrolment,
    societies,
    nominees,
    delegates,
    scrutineers,
    contests,
    contest_reviews,
    candidates,
    contest_voters,
    roll,
    ballot_boxes,
    ballots,
    records,
    addenda,
    audit_log,
    standing_quotas,
    standing_delegates,
    standing_lists,
    meetings,
    meeting_participants,
    participant_boxes,
    participant_roll,
    participant_ballots,
    pending_uploads,
);
