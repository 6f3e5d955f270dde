//! `cargo xtask serve`, and a small static file server for the end-to-end
//! tests (`dist/`, with `index.html` for any path that is not a file).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

use crate::setup;

pub fn serve(root: &Path) -> Result<(), String> {
    setup::ensure(root, false)?;
    eprintln!("xtask: serving pvsim on http://127.0.0.1:8080 (Ctrl-C stops)");
    let status = setup::tool(root, "trunk")
        .args(["serve", "--release"])
        .status()
        .map_err(|e| format!("cannot run trunk: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("trunk serve failed ({status})"))
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

fn respond(dist: &Path, stream: TcpStream) {
    let mut reader = BufReader::new(&stream);
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    // Drain the headers.
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let target = target.split(['?', '#']).next().unwrap_or("/");
    let relative: PathBuf = target
        .split('/')
        .filter(|s| !s.is_empty() && *s != "..")
        .collect();
    let mut file = dist.join(relative);
    if !file.is_file() {
        file = dist.join("index.html");
    }
    let body = std::fs::read(&file).unwrap_or_default();
    let header = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        content_type(&file),
        body.len()
    );
    let mut stream = stream;
    let _ = stream
        .write_all(header.as_bytes())
        .and_then(|()| stream.write_all(&body));
}

/// Serves `dist` on a free loopback port in the background; returns the URL.
pub fn static_server(dist: PathBuf) -> Result<String, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot listen: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dist = dist.clone();
            std::thread::spawn(move || respond(&dist, stream));
        }
    });
    Ok(format!("http://127.0.0.1:{port}"))
}
