//! `congress serve` as a subprocess for the secrecy and attack tests: every log line
//! collected, stopped with SIGKILL (nothing flushed) or SIGTERM (a clean shutdown, which
//! checkpoints and truncates the SQLite WAL).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use reqwest::redirect::Policy;

use crate::common::http::Client;
use crate::common::TestDb;

/// `congress serve` on a free port, its stdout and stderr collected line by line.
pub struct Server {
    child: Child,
    pub base: String,
    lines: Arc<Mutex<Vec<String>>>,
    readers: Vec<JoinHandle<()>>,
}

impl Server {
    pub fn start(t: &TestDb) -> Server {
        let config = t.config();
        let mut child = Command::new(env!("CARGO_BIN_EXE_congress"))
            .arg("--data-dir")
            .arg(&config.data_dir)
            .arg("--key-dir")
            .arg(&config.key_dir)
            .args(["--database-url", &config.database_url])
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("RUST_LOG", "trace")
            .env_remove("CONGRESS_PUBLIC_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start congress serve");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let mut readers = Vec::new();
        for (stream, tx) in [
            (Box::new(stdout) as Box<dyn std::io::Read + Send>, Some(tx)),
            (Box::new(stderr), None),
        ] {
            let lines = lines.clone();
            readers.push(std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if let (Some(tx), Some((_, url))) = (&tx, line.split_once("已启动: ")) {
                        let _ = tx.send(url.trim().to_string());
                    }
                    lines.lock().expect("lines").push(line);
                }
            }));
        }
        let base = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("server did not start: {:?}", lines.lock()));
        Server {
            child,
            base,
            lines,
            readers,
        }
    }

    /// Stops the server cleanly (SIGTERM, as `systemctl stop` does), waits for it to exit,
    /// and returns everything it wrote.
    pub fn terminate(&mut self) -> Vec<String> {
        // SAFETY: kill(2) on our own child's pid.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM);
        }
        let _ = self.child.wait();
        for r in self.readers.drain(..) {
            let _ = r.join();
        }
        self.lines.lock().expect("lines").clone()
    }

    /// Stops the server and returns everything it wrote.
    pub fn stop(&mut self) -> Vec<String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        for r in self.readers.drain(..) {
            let _ = r.join();
        }
        self.lines.lock().expect("lines").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn staff_client(base: &str) -> Client {
    Client {
        base: base.to_string(),
        http: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .expect("client"),
        csrf: None,
    }
}
