//! Errors worded for the person at the terminal, in Chinese. Storage errors are written in
//! English for the logs (`storage::StorageError`); this is where the command line says
//! what they mean and what to do, with the cause's own text after it.

use std::error::Error;

use crate::errors::chain;
use crate::service::ServiceError;
use crate::storage::StorageError;

/// A storage error in Chinese, with its causes.
pub fn storage(e: &StorageError) -> String {
    let cause = |c: Option<&(dyn std::error::Error + 'static)>| match c {
        Some(c) => format!(": {}", chain(c)),
        None => String::new(),
    };
    match e {
        StorageError::Missing(path) => format!(
            "数据库文件 {} 不存在; 请先运行 `congress init` 创建",
            path.display()
        ),
        StorageError::Connect { url, .. } => format!("无法连接数据库 {url}{}", cause(e.source())),
        StorageError::Migration(_) => format!("数据库迁移失败{}", cause(e.source())),
        StorageError::Pool(_) => format!("无法取得数据库连接{}", cause(e.source())),
        StorageError::Diesel(_) => format!("数据库错误{}", cause(e.source())),
        StorageError::Corrupt { what, .. } => {
            format!("数据库中的数据无法读取 ({what}){}", cause(e.source()))
        }
        StorageError::OutOfRange { column, value } => {
            format!("数值 {value} 超出数据库字段 {column} 的范围")
        }
    }
}

/// A service error for the terminal: the user's message with its details, or the Chinese
/// wording of a storage or internal error.
pub fn service(e: &ServiceError) -> String {
    match e {
        ServiceError::Storage(s) => storage(s),
        ServiceError::Internal(cause) => format!("内部错误: {}", chain(cause.as_ref())),
        other => other.full(),
    }
}

/// Any error a command returned: what was being done (anyhow's context), then the storage
/// or service error worded in Chinese, or the plain chain of causes.
pub fn error(e: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for link in e.chain() {
        if let Some(s) = link.downcast_ref::<StorageError>() {
            parts.push(storage(s));
            break;
        }
        if let Some(s) = link.downcast_ref::<ServiceError>() {
            parts.push(service(s));
            break;
        }
        let text = link.to_string();
        if !parts.last().is_some_and(|p| p.ends_with(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn storage_errors_are_worded_in_chinese_with_their_cause() {
        let missing = StorageError::Missing("data/typo.sqlite3".into());
        assert_eq!(
            storage(&missing),
            "数据库文件 data/typo.sqlite3 不存在; 请先运行 `congress init` 创建"
        );
        let query = StorageError::from(diesel::result::Error::NotFound);
        assert_eq!(storage(&query), "数据库错误: Record not found");
        let e = Err::<(), _>(StorageError::corrupt("user u1: role x"))
            .context("读取账户")
            .unwrap_err();
        assert_eq!(
            error(&e),
            "读取账户: 数据库中的数据无法读取 (user u1: role x)"
        );
        let e = anyhow::Error::new(ServiceError::Storage(missing));
        assert!(error(&e).contains("congress init"));
        let e = anyhow::Error::new(ServiceError::internal("no key"));
        assert_eq!(error(&e), "内部错误: no key");
    }
}
