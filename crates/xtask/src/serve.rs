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

/// Whether a file's name carries trunk's content hash
/// (`pvsim-web-d6498e7688c1bd38_bg.wasm`): such a file never changes, so
/// it may be cached for good, as any real host serves it. The worker then
/// gets the page's wasm from the cache instead of downloading it again.
fn immutable(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let stem = name.split(['.', '_']).next().unwrap_or_default();
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() >= 12 && hash.chars().all(|c| c.is_ascii_hexdigit()))
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
    let cache = if immutable(&file) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let header = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: {cache}\r\nConnection: close\r\n\r\n",
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

#[cfg(test)]
mod tests {
    use super::immutable;
    use std::path::Path;

    #[test]
    fn hashed_files_are_immutable() {
        assert!(immutable(Path::new(
            "dist/pvsim-web-d6498e7688c1bd38_bg.wasm"
        )));
        assert!(immutable(Path::new("dist/pvsim-web-d6498e7688c1bd38.js")));
        assert!(immutable(Path::new("dist/style-36b86b8ca9caa04.css")));
        assert!(!immutable(Path::new("dist/index.html")));
        assert!(!immutable(Path::new("dist/pvsim-web.js")));
    }
}
