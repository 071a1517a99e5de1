//! The server as a separate process (`congress serve`), for the benchmark (its own peak RSS)
//! and the crash test (kill -9 in the middle of a vote burst, then restart).

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
        Self::start_with(exe, data_dir, port, &args)
    }

    /// Starts `exe --data-dir DATA_DIR ARGS...` (a server listening on `port`: `serve`, or
    /// `registry serve`) and waits until `/health` answers.
    pub fn start_with(
        exe: &Path,
        data_dir: &Path,
        port: u16,
        args: &[std::ffi::OsString],
    ) -> anyhow::Result<ServerProcess> {
        let base = format!("http://127.0.0.1:{port}");
        let log = std::fs::File::create(data_dir.join(format!("server-{port}.log")))?;
        let child = Command::new(exe)
            .arg("--data-dir")
            .arg(data_dir)
            .args(args)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .with_context(|| format!("无法启动 {}", exe.display()))?;
        let mut me = ServerProcess { child, base, port };
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
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
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
