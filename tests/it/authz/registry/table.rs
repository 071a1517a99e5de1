//! The rows of the filing office's table: each route with the status each principal gets
//! (anonymous, a congress organiser, the other school, the school's own account, the office)
//! and the audit entry an accepted request writes.

/// Anonymous, organiser of a congress, other school, own school, office.
pub const WHO: [&str; 5] = ["", "zuzhi", "yizhen", "jiacheng", "tuanshengwei"];
const L: u16 = 303;
const OFFICE_PAGE: [u16; 5] = [L, 403, 403, 403, 200];
const OFFICE_FORM: [u16; 5] = [L, 403, 403, 403, 303];
const SCHOOL_PAGE: [u16; 5] = [L, 403, 403, 200, 200];
const A_OFFICE: [u16; 5] = [401, 403, 403, 403, 200];
const A_SCHOOL: [u16; 5] = [401, 403, 403, 200, 200];

#[derive(Clone, Copy, Debug)]
pub enum Body {
    Empty,
    Form(&'static [(&'static str, &'static str)]),
    Json(&'static str),
    /// A fresh valid packet of school 10001 (a new congress for each principal).
    Packet,
}

pub struct Row {
    pub method: &'static str,
    pub route: &'static str,
    pub path: &'static str,
    pub body: Body,
    pub expect: [u16; 5],
    pub audit: Option<&'static str>,
}

const fn row(
    method: &'static str,
    route: &'static str,
    path: &'static str,
    body: Body,
    expect: [u16; 5],
) -> Row {
    Row {
        method,
        route,
        path,
        body,
        expect,
        audit: None,
    }
}

const fn audited(mut r: Row, action: &'static str) -> Row {
    r.audit = Some(action);
    r
}

/// The rows, in an order where the ones that need a filing come after it.
pub fn rows() -> Vec<Row> {
    use Body::*;
    vec![
        row("GET", "/", "/", Empty, [L; 5]),
        row("GET", "/registry", "/registry", Empty, [L, 403, L, L, L]),
        row(
            "GET",
            "/registry/schools",
            "/registry/schools",
            Empty,
            OFFICE_PAGE,
        ),
        audited(
            row(
                "POST",
                "/registry/schools",
                "/registry/schools",
                Form(&[("code", "10099"), ("name", "戊村大学")]),
                OFFICE_FORM,
            ),
            "registry.school_add",
        ),
        row(
            "GET",
            "/registry/schools/{code}",
            "/registry/schools/10001",
            Empty,
            SCHOOL_PAGE,
        ),
        audited(
            row(
                "POST",
                "/registry/schools/{code}/filings",
                "/registry/schools/10001/filings",
                Packet,
                [L, 403, 403, 303, 303],
            ),
            "registry.filing_accepted",
        ),
        row(
            "GET",
            "/registry/filings/{id}",
            "/registry/filings/$fid",
            Empty,
            SCHOOL_PAGE,
        ),
        audited(
            row(
                "GET",
                "/registry/filings/{id}/packet.zip",
                "/registry/filings/$fid/packet.zip",
                Empty,
                SCHOOL_PAGE,
            ),
            "registry.packet_download",
        ),
        audited(
            row(
                "POST",
                "/registry/schools/{code}/accounts",
                "/registry/schools/10001/accounts",
                Form(&[("username", "jiacheng2")]),
                OFFICE_FORM,
            ),
            "registry.account_add",
        ),
        row(
            "GET",
            "/registry/table",
            "/registry/table",
            Empty,
            OFFICE_PAGE,
        ),
        audited(
            row(
                "GET",
                "/registry/table.xlsx",
                "/registry/table.xlsx",
                Empty,
                OFFICE_PAGE,
            ),
            "registry.table_export",
        ),
        row(
            "GET",
            "/registry/settings",
            "/registry/settings",
            Empty,
            OFFICE_PAGE,
        ),
        audited(
            row(
                "POST",
                "/registry/settings",
                "/registry/settings",
                Form(&[("filing_days", "45"), ("max_interval_months", "24")]),
                OFFICE_FORM,
            ),
            "registry.settings",
        ),
        row(
            "GET",
            "/registry/audit",
            "/registry/audit",
            Empty,
            OFFICE_PAGE,
        ),
        row(
            "GET",
            "/api/v1/registry/schools",
            "/api/v1/registry/schools",
            Empty,
            [401, 403, 200, 200, 200],
        ),
        audited(
            row(
                "POST",
                "/api/v1/registry/schools",
                "/api/v1/registry/schools",
                Json(r#"{"code":"10098","name":"己镇学院"}"#),
                [401, 403, 403, 403, 201],
            ),
            "registry.school_add",
        ),
        row(
            "GET",
            "/api/v1/registry/schools/{code}",
            "/api/v1/registry/schools/10001",
            Empty,
            A_SCHOOL,
        ),
        audited(
            row(
                "POST",
                "/api/v1/registry/schools/{code}/filings",
                "/api/v1/registry/schools/10001/filings",
                Packet,
                [401, 403, 403, 201, 201],
            ),
            "registry.filing_accepted",
        ),
        row(
            "GET",
            "/api/v1/registry/filings/{id}",
            "/api/v1/registry/filings/$fid",
            Empty,
            A_SCHOOL,
        ),
        audited(
            row(
                "GET",
                "/api/v1/registry/filings/{id}/packet",
                "/api/v1/registry/filings/$fid/packet",
                Empty,
                A_SCHOOL,
            ),
            "registry.packet_download",
        ),
        row(
            "GET",
            "/api/v1/registry/table",
            "/api/v1/registry/table",
            Empty,
            A_OFFICE,
        ),
        // Last: a key entered for 甲城大学's next congress refuses the packets above's keys.
        audited(
            row(
                "POST",
                "/registry/schools/{code}/keys",
                "/registry/schools/10001/keys",
                Form(&[
                    (
                        "fingerprint",
                        "abababababababababababababababababababababababababababababababab",
                    ),
                    ("congress", ""),
                    ("note", "报告单"),
                ]),
                OFFICE_FORM,
            ),
            "registry.key_enter",
        ),
        audited(
            row(
                "POST",
                "/api/v1/registry/schools/{code}/keys",
                "/api/v1/registry/schools/10001/keys",
                Json(
                    r#"{"fingerprint":"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd","note":"报告单"}"#,
                ),
                [401, 403, 403, 403, 201],
            ),
            "registry.key_enter",
        ),
    ]
}
