//! The page's conversation with the worker, through the bytes the worker
//! carries: simulate, then ask about any step, in any order.
#![allow(clippy::disallowed_methods)]

mod common;

use pvsim_scene::protocol::{
    ObjectRef, PROTOCOL_VERSION, Request, Response, Session, decode, encode,
};

/// Sends a request as the page does and reads the answer back.
fn ask(session: &mut Session, request: &Request) -> Response {
    let request: Request = decode(&encode(request).unwrap()).unwrap();
    let response = session.handle(request);
    decode(&encode(&response).unwrap()).unwrap()
}

fn story(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../../tests/scenarios/stories/{name}.yaml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn simulate_then_ask_about_any_step() {
    let mut session = Session::default();
    assert_eq!(
        ask(&mut session, &Request::Scene { step: 0 }),
        Response::Failed {
            message: "nothing has been simulated yet".into()
        }
    );
    let simulated = ask(
        &mut session,
        &Request::Simulate {
            file: "static-provisioning.yaml".into(),
            yaml: story("static-provisioning"),
            profile: None,
            seed: None,
        },
    );
    let Response::Simulated {
        version,
        diagnostics,
        refused,
        profile,
        title,
        steps,
        ..
    } = simulated
    else {
        panic!("{simulated:?}")
    };
    assert_eq!(version, PROTOCOL_VERSION);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert!(refused.is_empty());
    assert!(profile.starts_with("profile "), "{profile}");
    assert_eq!(title, "Static provisioning");
    let last = steps.len();
    let Response::Scene { step, scene } = ask(&mut session, &Request::Scene { step: last }) else {
        panic!()
    };
    assert_eq!(step, last);
    assert_eq!(scene.claims[0].phase, "Bound");
    // Back to the start: the claim is Pending again.
    let Response::Scene { scene, .. } = ask(&mut session, &Request::Scene { step: 0 }) else {
        panic!()
    };
    assert_eq!(scene.claims[0].phase, "Pending");
    let Response::Text { text, .. } = ask(&mut session, &Request::Tables { step: last }) else {
        panic!()
    };
    assert!(
        text.contains("persistentvolumeclaim/task-pv-claim   Bound"),
        "{text}"
    );
    let Response::Text { text, .. } = ask(&mut session, &Request::Events { step: 0 }) else {
        panic!()
    };
    assert_eq!(text, "No events found.\n");
    let claim = ObjectRef {
        kind: "PersistentVolumeClaim".into(),
        namespace: "default".into(),
        name: "task-pv-claim".into(),
    };
    let Response::Text { text, .. } = ask(
        &mut session,
        &Request::Object {
            step: last,
            object: claim.clone(),
        },
    ) else {
        panic!()
    };
    assert!(text.contains("volumeName: task-pv-volume"), "{text}");
    let Response::Text { text, .. } = ask(
        &mut session,
        &Request::Describe {
            step: last,
            object: claim.clone(),
        },
    ) else {
        panic!()
    };
    assert!(
        text.starts_with("Name:          task-pv-claim\nNamespace:     default\n"),
        "{text}"
    );
    assert!(text.contains("Used By:       task-pv-pod\n"), "{text}");
    let Response::Text { text, .. } = ask(
        &mut session,
        &Request::Explain {
            step: last,
            object: Some(claim),
        },
    ) else {
        panic!()
    };
    assert!(
        text.starts_with("PersistentVolumeClaim default/task-pv-claim is Bound."),
        "{text}"
    );
}

#[test]
fn bad_input_still_answers() {
    let mut session = Session::default();
    let Response::Simulated { diagnostics, .. } = ask(
        &mut session,
        &Request::Simulate {
            file: "bad.yaml".into(),
            yaml:
                "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: <b>x</b>}\nspec: [\n"
                    .into(),
            profile: None,
            seed: None,
        },
    ) else {
        panic!()
    };
    assert_eq!(diagnostics[0].file, "bad.yaml");
    assert_eq!(diagnostics[0].severity, pvsim_engine::Severity::Error);
    assert_eq!(
        ask(
            &mut session,
            &Request::Simulate {
                file: "x.yaml".into(),
                yaml: String::new(),
                profile: Some("aks".into()),
                seed: None,
            }
        ),
        Response::Failed {
            message:
                "unknown profile \"aks\": pvsim knows auto, none, generic, bare, kind, eks, gke"
                    .into()
        }
    );
    let Response::Failed { message } = ask(
        &mut session,
        &Request::Object {
            step: 0,
            object: ObjectRef {
                kind: "Pod".into(),
                namespace: "default".into(),
                name: "nope".into(),
            },
        },
    ) else {
        panic!()
    };
    assert_eq!(message, "nothing has been simulated yet");
}

#[test]
fn check_reads_without_simulating() {
    let mut session = Session::default();
    let checked = ask(
        &mut session,
        &Request::Check {
            file: "claim.yaml".into(),
            yaml: "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  resources:\n    requests:\n      storage: 1Gi\n".into(),
        },
    );
    let Response::Checked { diagnostics } = checked else {
        panic!("{checked:?}")
    };
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0].line, 5);
    assert_eq!(diagnostics[0].field, "spec.accessModes");
    assert_eq!(
        diagnostics[0].message,
        "Required value: at least 1 access mode is required"
    );
    // Nothing was simulated.
    assert!(matches!(
        ask(&mut session, &Request::Scene { step: 0 }),
        Response::Failed { .. }
    ));
}

#[test]
fn a_long_timeline_comes_in_pieces() {
    use pvsim_scene::protocol::STEPS_PER_MESSAGE;
    use std::fmt::Write as _;
    let mut yaml = String::new();
    for i in 0..300 {
        let _ = write!(
            yaml,
            "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: c{i}}}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {{requests: {{storage: 1Gi}}}}\n"
        );
    }
    let mut session = Session::default();
    let Response::Simulated {
        steps, total_steps, ..
    } = ask(
        &mut session,
        &Request::Simulate {
            file: "claims.yaml".into(),
            yaml,
            profile: None,
            seed: None,
        },
    )
    else {
        panic!()
    };
    assert!(total_steps > STEPS_PER_MESSAGE, "{total_steps}");
    assert_eq!(steps.len(), STEPS_PER_MESSAGE);
    let mut all = steps;
    while all.len() < total_steps {
        let Response::Steps { from, steps } =
            ask(&mut session, &Request::Steps { from: all.len() })
        else {
            panic!()
        };
        assert_eq!(from, all.len());
        assert!(!steps.is_empty() && steps.len() <= STEPS_PER_MESSAGE);
        all.extend(steps);
    }
    assert_eq!(all.len(), total_steps);
    // Past the end: nothing more.
    let Response::Steps { steps, .. } = ask(&mut session, &Request::Steps { from: total_steps })
    else {
        panic!()
    };
    assert!(steps.is_empty());
}

/// Every answer about every story reads back exactly as it was sent: the
/// wire format loses nothing (a field skipped when empty, for one, would
/// shift every field after it).
#[test]
fn every_story_crosses_the_wire_unchanged() {
    let names = common::stories();
    for path in names {
        let mut session = Session::default();
        let simulated = session.handle(Request::Simulate {
            file: "story.yaml".into(),
            yaml: std::fs::read_to_string(&path).unwrap(),
            profile: None,
            seed: None,
        });
        let same: Response = decode(&encode(&simulated).unwrap()).unwrap();
        assert_eq!(same, simulated, "{}", path.display());
        let Response::Simulated { total_steps, .. } = simulated else {
            panic!("{}: {simulated:?}", path.display())
        };
        for step in (0..=total_steps).step_by(3).chain([total_steps]) {
            let scene = session.handle(Request::Scene { step });
            let same: Response = decode(&encode(&scene).unwrap()).unwrap();
            assert_eq!(same, scene, "{} step {step}", path.display());
        }
    }
}

#[test]
fn bytes_that_are_not_a_message_are_an_error() {
    assert!(decode::<Request>(&[]).is_err());
    assert!(decode::<Request>(&[200, 1, 2]).is_err());
}
