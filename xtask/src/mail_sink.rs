//! A small SMTP server for the end-to-end run: the app sends real SMTP to it, and each message
//! it receives is written as `<n>.eml` in a folder the browser tests read.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct MailSink {
    pub port: u16,
    pub folder: PathBuf,
}

impl MailSink {
    /// Listens on a free localhost port; runs until the process ends.
    pub fn start(folder: &Path) -> Result<Self, String> {
        std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("mail sink: {e}"))?;
        let port = listener
            .local_addr()
            .map_err(|e| format!("mail sink: {e}"))?
            .port();
        let counter = Arc::new(AtomicUsize::new(0));
        let keep = folder.to_path_buf();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (folder, counter) = (keep.clone(), counter.clone());
                std::thread::spawn(move || {
                    let _ = converse(stream, &folder, &counter);
                });
            }
        });
        Ok(Self {
            port,
            folder: folder.to_path_buf(),
        })
    }
}

/// One SMTP conversation: enough of the protocol for a client that sends plain mail.
fn converse(stream: TcpStream, folder: &Path, counter: &AtomicUsize) -> std::io::Result<()> {
    let mut write = stream.try_clone()?;
    let mut lines = BufReader::new(stream);
    write.write_all(b"220 aula-e2e-sink ESMTP\r\n")?;
    let mut message: Option<String> = None;
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let text = line.trim_end_matches(['\r', '\n']);
        if let Some(body) = message.as_mut() {
            if text == "." {
                let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                // Written whole under another name first: a reader never sees half a message.
                let partial = folder.join(format!("{n:05}.part"));
                std::fs::write(&partial, body.as_bytes())?;
                std::fs::rename(&partial, folder.join(format!("{n:05}.eml")))?;
                message = None;
                write.write_all(b"250 queued\r\n")?;
            } else {
                body.push_str(text.strip_prefix('.').unwrap_or(text));
                body.push('\n');
            }
            continue;
        }
        let verb = text.get(..4).unwrap_or("").to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-aula-e2e-sink\r\n250 8BITMIME\r\n",
            "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 ok\r\n",
            "DATA" => {
                message = Some(String::new());
                b"354 go on\r\n"
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n")?;
                return Ok(());
            }
            _ => b"502 not here\r\n",
        };
        write.write_all(reply)?;
    }
}
