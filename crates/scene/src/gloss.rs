//! The timeline caption's one line of plain English: what a step did, in
//! the words a person would use (`the PV controller bound claim
//! default/data to volume task-pv-volume`), from the step's component,
//! its first event and the writes it made.
//!
//! The gloss only restates what the step record says; it never explains
//! why (that is `explain`'s job). Steps it has no words for get a neutral
//! line naming the component and what it wrote.

use crate::{CONTROLLERS, controller_slot};

/// `the PV controller`, `you`, `the ReplicaSet controller`.
fn who(component: &str) -> String {
    match component {
        "kubectl" => "you".into(),
        "deployment-controller" => "the Deployment controller".into(),
        "replicaset-controller" => "the ReplicaSet controller".into(),
        "statefulset-controller" => "the StatefulSet controller".into(),
        "ephemeral-volume-controller" => "the ephemeral volume controller".into(),
        "garbage-collector" => "the garbage collector".into(),
        "pvc-protection-controller" | "pv-protection-controller" => {
            "the protection controller".into()
        }
        "taint-eviction-controller" => "the taint eviction controller".into(),
        other => {
            let slot = controller_slot(other);
            let label = CONTROLLERS
                .iter()
                .find(|(name, _)| *name == slot)
                .map_or(other, |(_, label)| label);
            format!("the {label}")
        }
    }
}

/// The name part of `persistentvolumeclaim/default/data` or of a write's
/// `PersistentVolumeClaim/default/data`: `default/data`.
fn name_of(reference: &str) -> &str {
    reference
        .split_once('/')
        .map_or(reference, |(_, rest)| rest)
}

/// The objects of `kind` a step wrote with `verb`, by name, without
/// repeats.
fn written<'a>(writes: &'a [String], verb: &str, kind: &str) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for w in writes {
        let Some((v, reference)) = w.split_once(' ') else {
            continue;
        };
        let Some((k, name)) = reference.split_once('/') else {
            continue;
        };
        if v == verb && k == kind && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The text between the first pair of double quotes in a message.
fn quoted(message: &str) -> Option<&str> {
    let start = message.find('"')? + 1;
    let len = message[start..].find('"')?;
    Some(&message[start..start + len])
}

/// One line of plain English for a step.
pub fn gloss(
    component: &str,
    object: &str,
    writes: &[String],
    event: Option<(&str, &str)>,
) -> String {
    let who = who(component);
    let target = name_of(object);
    let kind = object.split('/').next().unwrap_or_default();
    if let Some((reason, message)) = event {
        let said = match reason {
            "Scheduled" => message
                .strip_prefix("Successfully assigned ")
                .and_then(|m| m.split_once(" to "))
                .map(|(pod, node)| format!("{who} placed pod {pod} on node {node}")),
            "FailedScheduling" => Some(format!("{who} found no node for pod {target} yet")),
            "ProvisioningSucceeded" => Some(
                match message.strip_prefix("Successfully provisioned volume ") {
                    Some(volume) => format!("{who} created volume {volume} for claim {target}"),
                    None => format!("{who} created a volume for claim {target}"),
                },
            ),
            "Provisioning" => Some(format!(
                "{who} started creating a volume for claim {target}"
            )),
            "ExternalProvisioning" => Some(format!(
                "{who} waits for the external provisioner to create a volume for claim {target}"
            )),
            "WaitForFirstConsumer" => Some(format!(
                "{who} leaves claim {target} unbound until a pod that uses it is scheduled"
            )),
            "ProvisioningFailed" => Some(format!(
                "{who} could not create a volume for claim {target}"
            )),
            "SuccessfulAttachVolume" => Some(match quoted(message) {
                Some(volume) => format!("{who} attached volume {volume} to its node"),
                None => format!("{who} attached a volume"),
            }),
            "FailedAttachVolume" if message.starts_with("Multi-Attach error") => {
                Some(match quoted(message) {
                    Some(volume) => {
                        format!("{who} cannot attach volume {volume}: another node still has it")
                    }
                    None => format!("{who} cannot attach the volume: another node still has it"),
                })
            }
            "FailedAttachVolume" => Some(format!("{who} could not attach a volume")),
            "FailedMount" => Some(format!(
                "{who} cannot mount the volumes of pod {target} yet"
            )),
            "SuccessfulCreate" => written(writes, "create", "Pod")
                .first()
                .map(|pod| format!("{who} created pod {pod}")),
            "ScalingReplicaSet" => Some(format!("{who}: {}", lowercase_first(message))),
            "Pulled" | "Created" | "Started" => Some(format!(
                "{who} mounted the volumes and started the containers of pod {target}"
            )),
            "Killing" => Some(format!("{who} is stopping the containers of pod {target}")),
            "NodeNotReady" => Some(format!("{who} marked node {target} NotReady")),
            "NodeNotSchedulable" => Some(format!("you cordoned node {target}")),
            "NodeSchedulable" => Some(format!("you uncordoned node {target}")),
            "TaintManagerEviction" => {
                Some(format!("{who} evicted pod {target} from its failed node"))
            }
            "DataWritten" | "DataRead" => Some(format!("pod {target} {message}")),
            "VolumeResizeSuccessful" | "FileSystemResizeSuccessful" | "Resizing" => {
                Some(format!("{who}: {}", lowercase_first(message)))
            }
            _ => None,
        };
        if let Some(said) = said {
            return said;
        }
    }
    let claims = written(writes, "update", "PersistentVolumeClaim");
    let volumes = written(writes, "update", "PersistentVolume");
    if component == "persistentvolume-controller" && claims.len() == 1 && volumes.len() == 1 {
        return format!("{who} bound claim {} to volume {}", claims[0], volumes[0]);
    }
    if let Some(va) = written(writes, "create", "VolumeAttachment").first() {
        return format!("{who} asked for volume {target} to be attached (VolumeAttachment {va})");
    }
    if !written(writes, "delete", "VolumeAttachment").is_empty() {
        return format!("{who} asked for volume {target} to be detached");
    }
    if component == "external-attacher" && !written(writes, "update", "Node").is_empty() {
        return format!("{who} detached the volume of {target} and recorded it on the node");
    }
    if component == "external-attacher" {
        return format!("{who} is working on {target}");
    }
    if let Some(pv) = written(writes, "delete", "PersistentVolume").first() {
        return format!("{who} deleted volume {pv} and its storage");
    }
    if component == "kubelet"
        && let Some(pod) = written(writes, "delete", "Pod").first()
    {
        return format!("{who} finished stopping pod {pod} and removed it");
    }
    if component == "kubelet"
        && let Some(pod) = written(writes, "update", "Pod").first()
    {
        return format!("{who} updated the status of pod {pod}");
    }
    if let Some(pod) = written(writes, "delete", "Pod").first() {
        return format!("{who} removed pod {pod}");
    }
    if let Some(w) = writes.first() {
        let (verb, reference) = w.split_once(' ').unwrap_or(("update", w));
        let verb = match verb {
            "create" => "created",
            "delete" => "deleted",
            _ => "updated",
        };
        let (kind, name) = reference.split_once('/').unwrap_or((reference, ""));
        return format!("{who} {verb} {kind} {name}");
    }
    format!("{who} looked at {kind} {target} and changed nothing")
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::gloss;

    fn w(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn says_what_the_step_did() {
        assert_eq!(
            gloss(
                "persistentvolume-controller",
                "persistentvolumeclaim/default/data",
                &w(&[
                    "update PersistentVolume/task-pv-volume",
                    "update PersistentVolumeClaim/default/data",
                    "update PersistentVolumeClaim/default/data",
                ]),
                None
            ),
            "the PV controller bound claim default/data to volume task-pv-volume"
        );
        assert_eq!(
            gloss(
                "default-scheduler",
                "pod/default/web-0",
                &w(&["update Pod/default/web-0"]),
                Some(("Scheduled", "Successfully assigned default/web-0 to node-a"))
            ),
            "the scheduler placed pod default/web-0 on node node-a"
        );
        assert_eq!(
            gloss(
                "external-provisioner",
                "persistentvolumeclaim/default/cart",
                &w(&["create PersistentVolume/pvc-1"]),
                Some((
                    "ProvisioningSucceeded",
                    "Successfully provisioned volume pvc-1"
                ))
            ),
            "the external provisioner created volume pvc-1 for claim default/cart"
        );
        assert_eq!(
            gloss(
                "attachdetach-controller",
                "persistentvolume/pvc-1",
                &[],
                Some((
                    "FailedAttachVolume",
                    "Multi-Attach error for volume \"pvc-1\" Volume is already used by pod(s) a"
                ))
            ),
            "the attach/detach controller cannot attach volume pvc-1: another node still has it"
        );
        assert_eq!(
            gloss(
                "kubelet",
                "pod/default/a",
                &w(&["update Pod/default/a"]),
                None
            ),
            "the kubelet updated the status of pod default/a"
        );
        assert_eq!(
            gloss(
                "external-provisioner",
                "persistentvolumeclaim/default/a",
                &[],
                None
            ),
            "the external provisioner looked at persistentvolumeclaim default/a and changed nothing"
        );
    }
}
