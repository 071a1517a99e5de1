//! The one error type of the crypto layer, with messages in Simplified Chinese that name the
//! file, field or value at fault.
//!
//! Which variant when: malformed input (JSON, PEM, hex, base64) gets a variant naming what was
//! expected and what was found; a signature that does not verify is [`CryptoError::BadSignature`]
//! and nothing else, so callers can tell "tampered" from "unreadable"; key-file problems carry
//! the path so an operator can fix them without reading code.

use std::path::PathBuf;

/// Everything that can go wrong in `crate::crypto`.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// Canonical JSON carries integers only (`docs/formats.md`, Encodings).
    #[error("规范 JSON 只允许整数,{path} 处是非整数数值 {value}")]
    NotInteger {
        /// JSON Pointer (RFC 6901) of the value, `""` for the root.
        path: String,
        value: String,
    },

    /// A Rust value could not be turned into JSON (e.g. a map with non-string keys).
    #[error("无法转换为 JSON: {0}")]
    Serialize(String),

    /// A hash that is not 64 lower-case hex characters.
    #[error("哈希值应为 64 位小写十六进制字符,实际为“{found}”")]
    BadHash { found: String },

    /// A PEM block that cannot be read (wrong label, bad base64, wrong DER).
    #[error("{what}不是有效的 PEM: {reason}")]
    Pem { what: &'static str, reason: String },

    /// ring refused a key (e.g. a PKCS#8 document that is not Ed25519).
    #[error("{what}无效: {reason}")]
    BadKey { what: &'static str, reason: String },

    /// A signature that is not 64 bytes of standard, padded base64.
    #[error("签名应为 64 字节、标准 base64(带 = 填充)编码: {reason}")]
    BadSignatureEncoding { reason: String },

    /// The OS random number generator failed (getrandom).
    #[error("操作系统随机数生成器不可用,无法生成密钥")]
    Rng,

    /// A congress id that cannot be used as a file name in the key directory.
    #[error("大会编号“{id}”不能用作密钥文件名:只允许英文字母、数字、- 和 _,长度 1 到 64")]
    BadKeyId { id: String },

    /// `KeyStore::create` never overwrites a key.
    #[error("密钥文件 {} 已存在,拒绝覆盖(每个大会只生成一次签名密钥)", .path.display())]
    KeyFileExists { path: PathBuf },

    /// `KeyStore::load` of a key that was never created (or a wrong key directory).
    #[error("找不到私钥文件 {}(该大会的签名密钥尚未创建,或密钥目录配置有误)", .path.display())]
    KeyFileMissing { path: PathBuf },

    /// A private key file readable or writable by group or others.
    #[error(
        "私钥文件 {} 的权限为 {mode:03o},同组或其他用户可以访问;请执行 chmod 600 {}",
        .path.display(),
        .path.display()
    )]
    KeyFilePermissions { path: PathBuf, mode: u32 },

    /// Any other IO failure on a key file or the key directory.
    #[error("{action}密钥文件 {} 失败: {source}", .path.display())]
    KeyFileIo {
        /// 读取 / 写入 / 创建 ...
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A private key file whose public half disagrees with the `.pub.pem` beside it.
    #[error("私钥文件 {} 与公钥文件 {} 不是一对", .key_path.display(), .pub_path.display())]
    KeyMismatch {
        key_path: PathBuf,
        pub_path: PathBuf,
    },

    /// A receipt (or other signed object) that is not JSON at all.
    #[error("回执不是有效的 JSON: {0}")]
    ReceiptJson(#[source] serde_json::Error),

    /// `"v"` is not 1.
    #[error("回执格式版本应为 1,实际为 {found}")]
    ReceiptVersion { found: String },

    /// `"kind"` is not `"receipt"`.
    #[error("回执的 kind 应为 \"receipt\",实际为 {found}")]
    ReceiptKind { found: String },

    /// A missing, mistyped, malformed or unexpected receipt field.
    #[error("回执字段 {field}: {problem}")]
    ReceiptField { field: String, problem: String },

    /// The Ed25519 signature does not verify under the given public key.
    #[error("签名验证失败:内容已被改动,或不是由指纹为 {fingerprint} 的公钥签发")]
    BadSignature { fingerprint: String },

    /// `KeyStore::create_contest_key` never overwrites a contest's ballot-paper key.
    #[error("选票签发密钥文件 {} 已存在,拒绝覆盖(每个投票事项只在开始投票时生成一次密钥)", .path.display())]
    ContestKeyFileExists { path: PathBuf },

    /// `KeyStore::load_contest_key` of a contest whose key was never made.
    #[error("找不到选票签发密钥文件 {}(该投票事项尚未开始投票,或密钥目录配置有误)", .path.display())]
    ContestKeyFileMissing { path: PathBuf },

    /// A contest id that cannot be used as a file name in the key directory.
    #[error("投票事项编号“{id}”不能用作密钥文件名:只允许英文字母、数字、- 和 _,长度 1 到 64")]
    BadContestKeyId { id: String },

    /// A blinded message (领票) that is not `modulus_len` bytes or not below the modulus.
    #[error("盲化消息无效: {reason}")]
    BadBlindedMessage { reason: String },

    /// RFC 9474 BlindSign: the private operation's result failed its own public check (a
    /// hardware or memory fault); nothing is sent out.
    #[error("盲签名自检失败:私钥运算结果未通过公钥验算,拒绝发出(可能是硬件或内存故障)")]
    BlindSignFault,

    /// The phone side could not blind a token (RFC 9474 Blind: input not coprime with n).
    #[error("无法盲化选票凭证: {reason}")]
    BlindInput { reason: String },

    /// The phone side: a blind signature that does not unblind into a valid signature.
    #[error("服务器返回的盲签名无效: {reason}")]
    BadBlindSignature { reason: String },

    /// An OpenSSL operation on a contest key that failed (out of memory, a broken library).
    #[error("OpenSSL {action}失败: {reason}")]
    Openssl {
        action: &'static str,
        reason: String,
    },

    /// argon2 refused to hash (only with impossible parameters or an RNG failure).
    #[error("密码哈希失败: {0}")]
    PasswordHash(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_file_and_mode() {
        let err = CryptoError::KeyFilePermissions {
            path: PathBuf::from("/srv/congress/keys/c1.key.pem"),
            mode: 0o644,
        };
        assert_eq!(
            err.to_string(),
            "私钥文件 /srv/congress/keys/c1.key.pem 的权限为 644,同组或其他用户可以访问;\
             请执行 chmod 600 /srv/congress/keys/c1.key.pem"
        );
        let err = CryptoError::NotInteger {
            path: "/choices/票数".into(),
            value: "1.5".into(),
        };
        assert_eq!(
            err.to_string(),
            "规范 JSON 只允许整数,/choices/票数 处是非整数数值 1.5"
        );
    }
}
