//! Counts that do not depend on how busy the machine is, read beside each phase's times:
//! the server's group-commit batches (from its log: one debug line per batch, counts only)
//! and the kernel's TCP counters (listen-queue overflows, SYN retransmissions). A figure that
//! moves between runs while these stay put is the machine; one that moves with them is the
//! protocol.

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::service::group_commit::Stats;

/// The server log filter that makes each writer log one line per batch.
pub const SERVER_LOG: &str = "warn,congress::service::group_commit=debug";

/// Reads the server's log from where the last read stopped.
pub struct LogCounter {
    path: PathBuf,
    offset: u64,
}

fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn field<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let i = line.find(&format!("{name}="))? + name.len() + 1;
    let rest = &line[i..];
    let end = rest.find(' ').unwrap_or(rest.len());
    Some(rest[..end].trim_matches('"'))
}

impl LogCounter {
    /// Counts from the end of the log as it is now.
    pub fn new(path: &Path) -> LogCounter {
        let offset = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        LogCounter {
            path: path.to_path_buf(),
            offset,
        }
    }

    /// Each writer's batches since the last call (by writer thread name).
    pub fn take(&mut self) -> BTreeMap<String, Stats> {
        let mut out: BTreeMap<String, Stats> = BTreeMap::new();
        let Ok(mut f) = std::fs::File::open(&self.path) else {
            return out;
        };
        let mut text = String::new();
        if f.seek(SeekFrom::Start(self.offset)).is_err() || f.read_to_string(&mut text).is_err() {
            return out;
        }
        // Only whole lines; a line being written stays for the next call.
        let whole = text.rfind('\n').map_or(0, |i| i + 1);
        self.offset += whole as u64;
        for raw in text[..whole].lines() {
            let line = strip_ansi(raw);
            let committed = line.contains("batch committed");
            let failed = line.contains("batch failed");
            if !committed && !failed {
                continue;
            }
            let (Some(writer), Some(n)) = (
                field(&line, "writer"),
                field(&line, "batch").and_then(|b| b.parse::<u64>().ok()),
            ) else {
                continue;
            };
            let s = out.entry(writer.to_string()).or_default();
            if committed {
                // Every batch logs this line, also one whose items were then retried singly.
                s.batches += 1;
                s.items += n;
            } else {
                s.failed_batches += 1;
                s.retried_singly += n;
            }
        }
        for s in out.values_mut() {
            s.batches -= s.failed_batches.min(s.batches);
            s.items -= s.retried_singly.min(s.items);
        }
        out
    }
}

/// The kernel's TCP counters (whole machine: other programs' connections count too).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tcp {
    /// Connections the listen queue had no room for (`TcpExt: ListenOverflows`): each costs
    /// the client a SYN retransmission, 1 s later.
    pub listen_overflows: u64,
    /// SYNs retransmitted (`TcpExt: TCPSynRetrans`).
    pub syn_retrans: u64,
    /// Segments retransmitted (`Tcp: RetransSegs`).
    pub retrans_segs: u64,
}

fn proc_net(path: &str, prefix: &str, names: &[&str]) -> Vec<u64> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut lines = text.lines().filter(|l| l.starts_with(prefix));
    let (Some(head), Some(vals)) = (lines.next(), lines.next()) else {
        return vec![0; names.len()];
    };
    let head: Vec<&str> = head.split_whitespace().collect();
    let vals: Vec<&str> = vals.split_whitespace().collect();
    names
        .iter()
        .map(|n| {
            head.iter()
                .position(|h| h == n)
                .and_then(|i| vals.get(i))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        })
        .collect()
}

impl Tcp {
    /// The counters now.
    pub fn now() -> Tcp {
        let ext = proc_net(
            "/proc/net/netstat",
            "TcpExt:",
            &["ListenOverflows", "TCPSynRetrans"],
        );
        let tcp = proc_net("/proc/net/snmp", "Tcp:", &["RetransSegs"]);
        Tcp {
            listen_overflows: ext[0],
            syn_retrans: ext[1],
            retrans_segs: tcp[0],
        }
    }

    /// The counts since `earlier`.
    pub fn since(&self, earlier: &Tcp) -> Tcp {
        Tcp {
            listen_overflows: self
                .listen_overflows
                .saturating_sub(earlier.listen_overflows),
            syn_retrans: self.syn_retrans.saturating_sub(earlier.syn_retrans),
            retrans_segs: self.retrans_segs.saturating_sub(earlier.retrans_segs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_batches_from_the_log() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.log");
        std::fs::write(&path, "old line\n").unwrap();
        let mut c = LogCounter::new(&path);
        let lines = "2026-01-01T00:00:00Z DEBUG congress::service::group_commit: batch committed writer=\"ballot-box\" batch=12\n\
             2026-01-01T00:00:00Z \u{1b}[33m WARN\u{1b}[0m congress::service::group_commit: batch failed; retrying singly \u{1b}[3mwriter\u{1b}[0m\u{1b}[2m=\u{1b}[0m\"paper-issuer\" \u{1b}[3mbatch\u{1b}[0m\u{1b}[2m=\u{1b}[0m3 error=x\n\
             2026-01-01T00:00:00Z DEBUG congress::service::group_commit: batch committed writer=\"paper-issuer\" batch=3\n\
             2026-01-01T00:00:00Z DEBUG congress::service::group_commit: batch committed writer=\"paper-issuer\" batch=5\n\
             2026-01-01T00:00:00Z DEBUG congress::service::group_commit: batch committed writer=\"ballot-box\" batch=1";
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, lines.as_bytes()))
            .unwrap();
        let got = c.take();
        assert_eq!(
            got["ballot-box"],
            Stats {
                batches: 1,
                items: 12,
                failed_batches: 0,
                retried_singly: 0
            },
            "the unfinished last line waits"
        );
        assert_eq!(
            got["paper-issuer"],
            Stats {
                batches: 1,
                items: 5,
                failed_batches: 1,
                retried_singly: 3
            }
        );
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, b"\n"))
            .unwrap();
        assert_eq!(c.take()["ballot-box"].items, 1);
        assert!(c.take().is_empty());
    }

    #[test]
    fn tcp_counters_do_not_go_backwards() {
        let a = Tcp::now();
        let b = Tcp::now();
        assert_eq!(b.since(&b), Tcp::default());
        assert!(b.listen_overflows >= a.listen_overflows);
    }
}
