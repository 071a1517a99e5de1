//! The server as a separate process (`congress serve`), for the benchmark (its own peak RSS,
//! CPU time and writer counts) and the crash tests (kill -9 in the middle of a vote burst,
//! then restart; two servers on one database).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context};

/// A `congress serve` child process on 127.0.0.1.
pub struct ServerProcess {
    child: Child,
    pub base: String,
    pub port: u16,
    /// Where the server's log goes (`server-<port>.log` in its data directory).
    pub log_path: PathBuf,
}

/// A free port on 127.0.0.1 (bound and released; the server binds it right after).
pub fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl ServerProcess {
    /// Starts `exe serve` on `port` with the given data and key directories and database, and
    /// waits until `/health` answers.
    pub fn start(
        exe: &Path,
        data_dir: &Path,
        key_dir: &Path,
        database_url: &str,
        port: u16,
    ) -> anyhow::Result<ServerProcess> {
        Self::start_logging(exe, data_dir, key_dir, database_url, port, "warn")
    }

    /// [`ServerProcess::start`] with the server's log filter (`RUST_LOG`); the log goes to
    /// [`ServerProcess::log_path`].
    pub fn start_logging(
        exe: &Path,
        data_dir: &Path,
        key_dir: &Path,
        database_url: &str,
        port: u16,
        rust_log: &str,
    ) -> anyhow::Result<ServerProcess> {
        let base = format!("http://127.0.0.1:{port}");
        let args: Vec<std::ffi::OsString> = vec![
            "--key-dir".into(),
            key_dir.into(),
            "--database-url".into(),
            database_url.into(),
            "serve".into(),
            "--bind".into(),
            format!("127.0.0.1:{port}").into(),
            "--public-url".into(),
            base.into(),
        ];
        Self::start_with(exe, data_dir, port, &args, rust_log)
    }

    /// Starts `exe --data-dir DATA_DIR ARGS...` (a server listening on `port`: `serve`, or
    /// `registry serve`) with the log filter `rust_log`, and waits until `/health` answers.
    pub fn start_with(
        exe: &Path,
        data_dir: &Path,
        port: u16,
        args: &[std::ffi::OsString],
        rust_log: &str,
    ) -> anyhow::Result<ServerProcess> {
        let base = format!("http://127.0.0.1:{port}");
        let log_path = data_dir.join(format!("server-{port}.log"));
        // Appended to: a restarted server keeps the first one's lines.
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)?;
        let child = Command::new(exe)
            .arg("--data-dir")
            .arg(data_dir)
            .args(args)
            .env("RUST_LOG", rust_log)
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .with_context(|| format!("无法启动 {}", exe.display()))?;
        let mut me = ServerProcess {
            child,
            base,
            port,
            log_path,
        };
        me.wait_healthy(Duration::from_secs(60))?;
        Ok(me)
    }

    fn wait_healthy(&mut self, limit: Duration) -> anyhow::Result<()> {
        let deadline = Instant::now() + limit;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(anyhow!("服务器进程已退出: {status}"));
            }
            if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", self.port)) {
                use std::io::{Read, Write};
                let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
                if s.write_all(b"GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    .is_ok()
                {
                    let mut buf = [0u8; 16];
                    if s.read(&mut buf).is_ok()
                        && buf.starts_with(b"HTTP/1.")
                        && buf[9..12] == *b"200"
                    {
                        return Ok(());
                    }
                }
            }
            if Instant::now() > deadline {
                return Err(anyhow!("服务器 {} 在 {:?} 内没有就绪", self.base, limit));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Peak resident set size of the server process so far, in KiB (Linux `VmHWM`).
    pub fn peak_rss_kib(&self) -> Option<u64> {
        proc_status_kib(self.pid(), "VmHWM:")
    }

    /// Resident set size of the server process now, in KiB (Linux `VmRSS`).
    pub fn rss_kib(&self) -> Option<u64> {
        proc_status_kib(self.pid(), "VmRSS:")
    }

    /// CPU seconds (user + system) the server process has used so far (Linux /proc).
    pub fn cpu_seconds(&self) -> Option<f64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).ok()?;
        // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
        let rest = &stat[stat.rfind(')')? + 2..];
        let f: Vec<&str> = rest.split_whitespace().collect();
        let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
        // SAFETY: sysconf has no preconditions.
        let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
        Some(ticks / if hz > 0.0 { hz } else { 100.0 })
    }

    /// SIGKILL: no shutdown, no flush (the crash test).
    pub fn kill9(&mut self) -> anyhow::Result<()> {
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// CPU seconds (user + system) this process has used so far, all threads: the load
/// generator's own cost beside the server's.
pub fn self_cpu_seconds() -> f64 {
    // SAFETY: getrusage fills a local struct; no memory is shared.
    let u = unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut u) != 0 {
            return 0.0;
        }
        u
    };
    let t = |v: libc::timeval| v.tv_sec as f64 + v.tv_usec as f64 / 1e6;
    t(u.ru_utime) + t(u.ru_stime)
}

/// A `/proc/<pid>/status` field in KiB.
pub fn proc_status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

/// The `congress` executable: the running one (the CLI), or `CONGRESS_EXE`.
pub fn congress_exe() -> anyhow::Result<PathBuf> {
    match std::env::var_os("CONGRESS_EXE") {
        Some(p) => Ok(PathBuf::from(p)),
        None => Ok(std::env::current_exe()?),
    }
}

/// Raises this process's open-file limit to its hard limit: a hall of 2,000 phones is 2,000
/// sockets on each side.
pub fn raise_fd_limit() -> u64 {
    #[cfg(unix)]
    // SAFETY: getrlimit/setrlimit on a local struct; no memory is shared.
    unsafe {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 {
            lim.rlim_cur = lim.rlim_max;
            let _ = libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
            return lim.rlim_cur;
        }
    }
    0
}
