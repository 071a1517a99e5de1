//! The filing office's tables (migration `2027-01-20-000001_registry`), kept beside their
//! repository rather than in the congress's `schema.rs`.

diesel::table! {
    registry_schools (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    registry_members (user_id) {
        user_id -> Text,
        school_id -> Text,
    }
}

diesel::table! {
    registry_keys (id) {
        id -> Text,
        school_id -> Text,
        congress_id -> Nullable<Text>,
        fingerprint -> Text,
        source -> Text,
        note -> Text,
        created_by -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    registry_filings (id) {
        id -> Text,
        school_id -> Text,
        congress_id -> Text,
        congress_name -> Text,
        school_in_record -> Text,
        level -> Text,
        session_no -> BigInt,
        congress_date -> Text,
        year -> Integer,
        record_sha256 -> Text,
        packet_sha256 -> Text,
        packet_bytes -> BigInt,
        stored_as -> Text,
        key_fingerprint -> Text,
        checks -> Integer,
        record_json -> Text,
        roster_summary -> Text,
        addenda -> Text,
        uploaded_by -> Text,
        via -> Text,
        uploaded_at -> BigInt,
    }
}

diesel::table! {
    registry_refusals (id) {
        id -> Text,
        school_id -> Text,
        packet_sha256 -> Text,
        packet_bytes -> BigInt,
        reason -> Text,
        details -> Text,
        uploaded_by -> Text,
        via -> Text,
        at -> BigInt,
    }
}

diesel::table! {
    registry_settings (name) {
        name -> Text,
        value -> Text,
        updated_by -> Text,
        updated_at -> BigInt,
    }
}
