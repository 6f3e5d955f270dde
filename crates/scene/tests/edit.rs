//! Acting at a moment of the timeline: the step [`with_step`] adds runs at
//! that moment's simulated time, after the same work, in every story.
#![allow(clippy::disallowed_methods)]

mod common;

use pvsim_engine::load;
use pvsim_engine::scenario::RunOptions;
use pvsim_scene::edit::with_step;
use pvsim_scene::{CHECKPOINT_EVERY, Timeline};

fn timeline(name: &str, yaml: &str) -> Timeline {
    let loaded = load(name, yaml.as_bytes());
    Timeline::new(&loaded, &RunOptions::default(), CHECKPOINT_EVERY).unwrap()
}

#[test]
fn an_action_runs_at_the_moment_it_was_taken() {
    let files = common::stories();
    let mut checked = 0;
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let yaml = std::fs::read_to_string(&path).unwrap();
        let original = timeline(&name, &yaml);
        let Some(node) = original
            .scene(0)
            .zones
            .iter()
            .flat_map(|z| &z.nodes)
            .map(|n| n.name.clone())
            .next()
        else {
            continue;
        };
        let steps = original.steps();
        // A few moments: early, in the middle, at the end.
        for t in [1, steps.len() / 3, steps.len() / 2, steps.len()] {
            if t == 0 {
                continue;
            }
            let moment = &steps[t - 1];
            let acted = with_step(&yaml, moment.replay, &format!("cordon: {node}")).unwrap();
            let run = timeline(&name, &acted);
            // The run's last step by a person is the cordon.
            let (index, cordon) = run
                .steps()
                .iter()
                .enumerate()
                .rev()
                .find(|(_, s)| s.component == "kubectl")
                .unwrap_or_else(|| panic!("{name} at {t}: no step by kubectl in\n{acted}"));
            // Everything the moment had done was done again before it.
            assert!(
                index >= t,
                "{name} at {t}: the cordon came at step {index}\n{acted}"
            );
            let work = |s: &[pvsim_scene::StepInfo]| {
                s.iter()
                    .map(|s| {
                        (
                            s.at,
                            s.component.clone(),
                            s.writes.clone(),
                            s.events.clone(),
                        )
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                work(&run.steps()[..t]),
                work(&steps[..t]),
                "{name} at {t}: the run before differs"
            );
            assert!(
                cordon.writes.contains(&format!("update Node/{node}")),
                "{name} at {t}: {:?}",
                cordon.writes
            );
            assert_eq!(
                cordon.at, moment.at,
                "{name} at step {t} ({}): the cordon ran at another time\n{acted}",
                moment.clock
            );
            checked += 1;
        }
    }
    assert!(checked >= 40, "{checked}");
}
