//! The one error type of the packet layer: building boards, signing records, writing the
//! filing packet. Messages are in Simplified Chinese and name the contest, ballot, file or
//! value at fault.
//!
//! Which variant when: a ballot that cannot go on a board (malformed, not canonical, another
//! contest's, a duplicate) gets its own variant with the ballot's position among the bodies
//! given; a record that cannot yield a tally spec is [`PacketError::ContestSpec`]; anything
//! refused about the target directory says which path and why, so the operator can fix it.
//! Verification never returns this type: every problem there is a failed check in the
//! checklist (`verify::Checklist`).

use std::path::PathBuf;

use crate::crypto::CryptoError;

/// Everything that can go wrong building or writing a packet.
#[derive(Debug, thiserror::Error)]
pub enum PacketError {
    /// A contest id (or addendum kind) that cannot be used as a file name.
    #[error("{what}“{id}”不能用作文件名:只允许英文字母、数字、- 和 _,长度 1 到 64")]
    BadFileId { what: &'static str, id: String },

    /// A stored ballot that is not a v1 ballot.
    #[error("第 {position} 张选票无法读取: {reason}")]
    BadBallot { position: usize, reason: String },

    /// A stored ballot whose bytes are not its canonical JSON: its hash (the delegate's
    /// receipt) would not recompute.
    #[error("第 {position} 张选票不是规范 JSON,其哈希无法复算(存储的选票被改动过?)")]
    BallotNotCanonical { position: usize },

    /// A ballot of another congress or contest handed to this board.
    #[error("第 {position} 张选票属于 {found},不属于本场 {expected}")]
    ForeignBallot {
        position: usize,
        expected: String,
        found: String,
    },

    /// Two identical ballots: the same ballot can be cast once only.
    #[error("选票哈希 {hash} 出现两次(同一张选票不能重复计入)")]
    DuplicateBallot { hash: String },

    /// A roll with the same delegate number twice.
    #[error("签到名单中代表编号 {number} 出现两次")]
    DuplicateRollNumber { number: u32 },

    /// A record contest from which no tally spec can be built.
    #[error("记录中的 {contest} 无法还原计票规则: {reason}")]
    ContestSpec { contest: String, reason: String },

    /// The packet to write is inconsistent (missing record, file twice, unreadable key ...).
    #[error("归档材料不完整或不一致: {0}")]
    Contents(String),

    /// The target directory holds something other than an earlier packet of this congress.
    #[error("目录 {} 不是空目录,也不是本大会({congress})先前导出的归档包: {reason};拒绝写入", .path.display())]
    DirNotEmpty {
        path: PathBuf,
        congress: String,
        reason: String,
    },

    /// The target (or something in it) is a symbolic link; we never write through one.
    #[error("{} 是符号链接,拒绝写入(归档包只写入真实目录)", .path.display())]
    Symlink { path: PathBuf },

    /// An IO failure, with the path.
    #[error("{action} {} 失败: {source}", .path.display())]
    Io {
        /// 创建 / 写入 / 读取 / 重命名 ...
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Writing the zip archive failed.
    #[error("生成 zip 归档失败: {0}")]
    Zip(String),

    /// Canonical JSON or a key failed underneath.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

impl PacketError {
    /// An IO error on `path` while doing `action`.
    pub(crate) fn io(
        action: &'static str,
        path: &std::path::Path,
    ) -> impl FnOnce(std::io::Error) -> PacketError {
        let path = path.to_path_buf();
        move |source| PacketError::Io {
            action,
            path,
            source,
        }
    }
}
