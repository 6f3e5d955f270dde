//! `pvsim export kind`: the scripts of three stories, checked by `sh -n`,
//! and one script run against stand-ins for kind, kubectl and docker, which
//! must receive every argument exactly as the scenario wrote it.

use std::io::Write;
use std::process::Stdio;

use assert_cmd::Command;

fn pvsim() -> Command {
    Command::cargo_bin("pvsim").unwrap()
}

fn repo() -> String {
    format!("{}/../..", env!("CARGO_MANIFEST_DIR"))
}

/// `pvsim export kind` on files named from the repository's root, so that
/// the script's header names them the same on every machine.
fn export(args: &[&str]) -> (i32, String, String) {
    let out = pvsim()
        .current_dir(repo())
        .args(["export", "kind"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Fails unless `sh -n` reads the script without a syntax error.
fn assert_shell_syntax(script: &str) {
    let mut sh = std::process::Command::new("sh")
        .arg("-n")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh runs");
    sh.stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = sh.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "sh -n: {}\n{script}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn story(name: &str) {
    let (code, script, err) = export(&[&format!("tests/scenarios/stories/{name}.yaml")]);
    assert_eq!(code, 0, "{err}");
    assert!(err.starts_with("profile auto: "), "{err}");
    assert_shell_syntax(&script);
    insta::assert_snapshot!(name, script);
}

#[test]
fn static_provisioning() {
    story("static-provisioning");
}

#[test]
fn drain_moves_the_disk() {
    story("drain-moves-the-disk");
}

/// writeData and readData, and nodes found through a pod (`nodeOf`).
#[test]
fn statefulset_node_failure() {
    story("statefulset-node-failure");
}

#[test]
fn refusals_go_to_stderr_and_exit_1_and_the_script_goes_on() {
    let (code, script, err) = export(&["tests/scenarios/expansion/invalid-resize-refused.yaml"]);
    assert_eq!(code, 1);
    assert!(
        err.contains(
            "invalid-resize-refused.yaml:23:7: The PersistentVolumeClaim \"fixed\" is invalid"
        ),
        "{err}"
    );
    assert!(
        script.contains("kubectl apply -f step-3.yaml || true\n"),
        "{script}"
    );
    assert_shell_syntax(&script);
}

#[test]
fn usage_errors_exit_2() {
    let file = "tests/scenarios/stories/static-provisioning.yaml";
    assert_eq!(export(&["--profile", "eks-ish", file]).0, 2);
    assert_eq!(export(&["/nonexistent.yaml"]).0, 2);
    assert_eq!(export(&[]).0, 2);
}

/// A scenario whose every free-text field holds what a shell would act on.
const HOSTILE: &str = r#"apiVersion: pvsim.dev/v1alpha1
kind: Scenario
metadata:
  name: quoting
spec:
  title: "Quoting\ntouch pwned-by-title"
  steps:
  - wait: idle
  - writeData:
      pod: default/web-0
      path: "/data/it's $HOME.txt"
      content: "line 1\nit's `touch pwned` $(touch pwned) <script>alert('x')</script>\nEOF\n"
  - readData: {pod: default/web-0, path: "/data/it's $HOME.txt"}
  - failNode: {nodeOf: default/web-0}
  - apply: |
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: later
      data:
        end: "EOF"
---
# A pod with a disk of its own.
apiVersion: v1
kind: Pod
metadata:
  name: web-0
spec:
  containers:
  - name: web
    image: busybox:1.36
    volumeMounts:
    - {name: data, mountPath: /data}
  volumes:
  - name: data
    emptyDir: {}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: heredoc
data:
  script: |
    cat <<'EOF'
    EOF
"#;

/// The documents the manifests must hold: the input less its Scenario.
const HOSTILE_MANIFESTS: &str = r"---
# A pod with a disk of its own.
apiVersion: v1
kind: Pod
metadata:
  name: web-0
spec:
  containers:
  - name: web
    image: busybox:1.36
    volumeMounts:
    - {name: data, mountPath: /data}
  volumes:
  - name: data
    emptyDir: {}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: heredoc
data:
  script: |
    cat <<'EOF'
    EOF
";

/// A stand-in that logs its arguments (each followed by 0x1f, each call by
/// 0x1e) and answers the pod lookups.
const STAND_IN: &str = "#!/bin/sh\n\
for a in \"$@\"; do printf '%s\\037' \"$a\"; done >> \"$PVSIM_LOG\"\n\
printf '\\036' >> \"$PVSIM_LOG\"\n\
case \"$*\" in *spec.nodeName*) printf pvsim-worker ;; *metadata.name*) printf web-0 ;; esac\n";

/// A kubectl call as the stand-in sees it: the context first.
fn kubectl<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    let mut call = vec!["--context", "kind-pvsim"];
    call.extend_from_slice(rest);
    call
}

#[cfg(unix)]
#[test]
fn the_script_passes_every_argument_as_written() {
    use std::os::unix::fs::PermissionsExt;

    let out = pvsim()
        .args(["export", "kind", "-"])
        .write_stdin(HOSTILE)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let script = String::from_utf8(out.stdout).unwrap();
    assert_shell_syntax(&script);

    let dir = std::env::temp_dir().join(format!("pvsim-export-{}", std::process::id()));
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for tool in ["kind", "kubectl", "docker", "sleep"] {
        let path = bin.join(tool);
        std::fs::write(&path, STAND_IN).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let log = dir.join("log");
    let _ = std::fs::remove_file(&log);
    let run = std::process::Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(&dir)
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        )
        .env("PVSIM_LOG", &log)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(!dir.join("pwned").exists());
    assert!(!dir.join("pwned-by-title").exists());

    let log = std::fs::read_to_string(&log).unwrap();
    let calls: Vec<Vec<&str>> = log
        .split_terminator('\u{1e}')
        .map(|call| call.split_terminator('\u{1f}').collect())
        .collect();
    let path = "/data/it's $HOME.txt";
    let content = "line 1\nit's `touch pwned` $(touch pwned) <script>alert('x')</script>\nEOF\n";
    let expected = [
        vec![
            "create",
            "cluster",
            "--name",
            "pvsim",
            "--config",
            "kind-config.yaml",
        ],
        kubectl(&["get", "serviceaccount", "default"]),
        kubectl(&["apply", "-f", "manifests.yaml"]),
        vec!["15"],
        kubectl(&[
            "wait",
            "--for=condition=Ready",
            "pod",
            "--all",
            "-n",
            "default",
            "--timeout=5m",
        ]),
        kubectl(&[
            "exec",
            "-n",
            "default",
            "web-0",
            "--",
            "sh",
            "-c",
            "printf %s \"$1\" > \"$2\"",
            "sh",
            content,
            path,
        ]),
        kubectl(&["exec", "-n", "default", "web-0", "--", "cat", path]),
        kubectl(&[
            "get",
            "pod",
            "-n",
            "default",
            "web-0",
            "-o",
            "jsonpath={.spec.nodeName}",
        ]),
        vec!["stop", "pvsim-worker"],
        kubectl(&["apply", "-f", "step-5.yaml"]),
    ];
    assert_eq!(&calls[..expected.len()], &expected[..], "{script}");
    assert_eq!(
        std::fs::read_to_string(dir.join("manifests.yaml")).unwrap(),
        HOSTILE_MANIFESTS
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("step-5.yaml")).unwrap(),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: later\ndata:\n  end: \"EOF\"\n"
    );
    assert!(
        std::fs::read_to_string(dir.join("kind-config.yaml"))
            .unwrap()
            .contains("- role: worker\n")
    );
    let _ = std::fs::remove_dir_all(&dir);
}
