//! Minimal PEM (RFC 7468) for the two key formats we use: standard base64 of the DER, 64
//! characters a line, between `-----BEGIN <label>-----` and `-----END <label>-----`, which is
//! what OpenSSL writes and reads.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::CryptoError;

/// PEM text of `der` under `label` ("PUBLIC KEY", "PRIVATE KEY"), with a final newline.
pub(crate) fn encode(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    // base64 output is ASCII, so slicing every 64 bytes stays on character boundaries.
    let mut rest = body.as_str();
    while !rest.is_empty() {
        let (line, tail) = rest.split_at(rest.len().min(64));
        out.push_str(line);
        out.push('\n');
        rest = tail;
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// The DER inside the first PEM block of `text`, which must carry `label`. Text before the
/// block (OpenSSL's "explanatory text") is ignored; line ends may be LF or CRLF.
pub(crate) fn decode(text: &str, label: &str, what: &'static str) -> Result<Vec<u8>, CryptoError> {
    let err = |reason: String| CryptoError::Pem { what, reason };
    let begin_marker = "-----BEGIN ";
    let start = text
        .find(begin_marker)
        .ok_or_else(|| err(format!("找不到“-----BEGIN {label}-----”")))?;
    let after_begin = &text[start + begin_marker.len()..];
    let label_end = after_begin
        .find("-----")
        .ok_or_else(|| err("BEGIN 行不完整".to_string()))?;
    let found = &after_begin[..label_end];
    if found != label {
        return Err(err(format!("需要“{label}”,文件里是“{found}”")));
    }
    let body_and_rest = &after_begin[label_end + 5..];
    let end_marker = format!("-----END {label}-----");
    let body_end = body_and_rest
        .find(&end_marker)
        .ok_or_else(|| err(format!("找不到“{end_marker}”")))?;
    let body: String = body_and_rest[..body_end]
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    STANDARD
        .decode(body.as_bytes())
        .map_err(|e| err(format!("base64 内容有误: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_in_64_character_lines_and_decodes_back() {
        let der: Vec<u8> = (0u8..=99).collect();
        let pem = encode("PUBLIC KEY", &der);
        let lines: Vec<&str> = pem.lines().collect();
        assert_eq!(lines[0], "-----BEGIN PUBLIC KEY-----");
        assert_eq!(lines[1].len(), 64);
        // 100 bytes -> 136 base64 characters = 64 + 64 + 8.
        assert_eq!(lines[2].len(), 64);
        assert_eq!(lines[3].len(), 8);
        assert_eq!(lines[4], "-----END PUBLIC KEY-----");
        assert_eq!(lines.len(), 5);
        assert_eq!(decode(&pem, "PUBLIC KEY", "公钥").unwrap(), der);
        let crlf = format!("说明文字\r\n{}", pem.replace('\n', "\r\n"));
        assert_eq!(decode(&crlf, "PUBLIC KEY", "公钥").unwrap(), der);
    }

    #[test]
    fn refuses_wrong_label_and_broken_blocks() {
        let pem = encode("PRIVATE KEY", b"secret");
        match decode(&pem, "PUBLIC KEY", "公钥") {
            Err(CryptoError::Pem { what, reason }) => {
                assert_eq!(what, "公钥");
                assert_eq!(reason, "需要“PUBLIC KEY”,文件里是“PRIVATE KEY”");
            }
            other => panic!("expected a PEM error, got {other:?}"),
        }
        assert!(decode("no pem here", "PUBLIC KEY", "公钥").is_err());
        let truncated = pem.replace("-----END PRIVATE KEY-----\n", "");
        assert!(decode(&truncated, "PRIVATE KEY", "私钥").is_err());
        let garbled = pem.replace("c2Vj", "c2V!");
        assert!(decode(&garbled, "PRIVATE KEY", "私钥").is_err());
    }
}
