//! PersistentVolume, PersistentVolumeClaim and StorageClass validation on
//! create, in upstream order.

use super::{
    FieldError, dns1123_subdomain, duplicate, forbidden, invalid, invalid_number, not_supported,
};
use super::{object_meta, qualified_name, required, too_long};
use crate::model::{
    PV_SOURCES, PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec, StorageClass,
};

pub const ACCESS_MODES: &[&str] = &[
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOnce",
    "ReadWriteOncePod",
];
pub const VOLUME_MODES: &[&str] = &["Block", "Filesystem"];
pub const PV_RECLAIM_POLICIES: &[&str] = &["Delete", "Recycle", "Retain"];
pub const CLASS_RECLAIM_POLICIES: &[&str] = &["Delete", "Retain"];
pub const BINDING_MODES: &[&str] = &["Immediate", "WaitForFirstConsumer"];

fn access_modes(modes: &[String], field: &str, empty_detail: &str, errs: &mut Vec<FieldError>) {
    if modes.is_empty() {
        errs.push(required(field, empty_detail));
    }
    let mut found_rwop = false;
    for (i, mode) in modes.iter().enumerate() {
        if !ACCESS_MODES.contains(&mode.as_str()) {
            // Upstream names the list (`spec.accessModes`); the diagnostic
            // points at the item the user must change.
            errs.push(not_supported(field, mode, ACCESS_MODES).located(&format!("{field}[{i}]")));
        }
        found_rwop |= mode == "ReadWriteOncePod";
    }
    if found_rwop && modes.len() > 1 {
        errs.push(forbidden(
            field,
            "may not use ReadWriteOncePod with other access modes",
        ));
    }
}

fn class_name(name: Option<&String>, field: &str, errs: &mut Vec<FieldError>) {
    if let Some(name) = name.filter(|n| !n.is_empty()) {
        errs.extend(
            dns1123_subdomain(name)
                .iter()
                .map(|m| invalid(field, name, m)),
        );
    }
}

fn volume_mode(mode: Option<&String>, field: &str, errs: &mut Vec<FieldError>) {
    if let Some(mode) = mode
        && !VOLUME_MODES.contains(&mode.as_str())
    {
        errs.push(not_supported(field, mode, VOLUME_MODES));
    }
}

/// `ValidatePersistentVolume` on create.
pub fn persistent_volume(pv: &PersistentVolume) -> Vec<FieldError> {
    let mut errs = object_meta(&pv.metadata, false, dns1123_subdomain);
    let spec = &pv.spec;
    access_modes(&spec.access_modes, "spec.accessModes", "", &mut errs);

    if spec.capacity.is_empty() {
        errs.push(required("spec.capacity", ""));
    }
    if !spec.capacity.contains_key("storage") || spec.capacity.len() > 1 {
        let keys: Vec<&str> = spec.capacity.keys().map(String::as_str).collect();
        let shown = if keys.is_empty() {
            "core.ResourceList(nil)".to_owned()
        } else {
            keys.join(", ")
        };
        errs.push(super::FieldError::new(
            "spec.capacity",
            format!("Unsupported value: {shown}: supported values: \"storage\""),
        ));
    }
    for (resource, qty) in &spec.capacity {
        let field = format!("spec.capacity[{resource}]");
        let located = format!("spec.capacity.{resource}");
        let parsed = qty.parsed();
        if parsed.nanos() < 0 {
            errs.push(
                invalid_number(&field, parsed.value(), "must be a valid resource quantity")
                    .located(&located),
            );
        }
        if !parsed.is_positive() {
            errs.push(invalid(&field, qty.as_str(), "must be greater than zero").located(&located));
        }
    }

    let policy = spec.persistent_volume_reclaim_policy.as_str();
    if !policy.is_empty() && !PV_RECLAIM_POLICIES.contains(&policy) {
        errs.push(not_supported(
            "spec.persistentVolumeReclaimPolicy",
            policy,
            PV_RECLAIM_POLICIES,
        ));
    }
    class_name(
        spec.storage_class_name.as_ref(),
        "spec.storageClassName",
        &mut errs,
    );
    volume_mode(spec.volume_mode.as_ref(), "spec.volumeMode", &mut errs);

    let present = pv_sources_present(spec);
    match present.as_slice() {
        [] => errs.push(required("spec", "must specify a volume type")),
        [_, extra @ ..] => {
            for src in extra {
                errs.push(forbidden(
                    &format!("spec.{src}"),
                    "may not specify more than 1 volume type",
                ));
            }
        }
    }
    if let Some(hp) = &spec.host_path {
        if hp.path.is_empty() {
            errs.push(required("spec.hostPath.path", ""));
        }
        if policy == "Recycle" && hp.path == "/" {
            errs.push(forbidden(
                "spec.persistentVolumeReclaimPolicy",
                "may not be 'recycle' for a hostPath mount of '/'",
            ));
        }
    }
    if let Some(nfs) = &spec.nfs {
        if nfs.server.is_empty() {
            errs.push(required("spec.nfs.server", ""));
        }
        if nfs.path.is_empty() {
            errs.push(required("spec.nfs.path", ""));
        } else if !nfs.path.starts_with('/') {
            errs.push(invalid(
                "spec.nfs.path",
                &nfs.path,
                "must be an absolute path",
            ));
        }
    }
    if let Some(local) = &spec.local {
        if local.path.is_empty() {
            errs.push(required("spec.local.path", ""));
        }
        if spec.node_affinity.is_none() {
            errs.push(required(
                "spec.nodeAffinity",
                "Local volume requires node affinity",
            ));
        }
    }
    if let Some(csi) = &spec.csi {
        if csi.driver.is_empty() {
            errs.push(required("spec.csi.driver", ""));
        }
        if csi.volume_handle.is_empty() {
            errs.push(required("spec.csi.volumeHandle", ""));
        }
    }
    errs
}

/// The volume sources a PV spec sets, in upstream's order.
fn pv_sources_present(spec: &crate::model::PersistentVolumeSpec) -> Vec<&'static str> {
    let set = |name: &str| -> bool {
        match name {
            "hostPath" => spec.host_path.is_some(),
            "nfs" => spec.nfs.is_some(),
            "csi" => spec.csi.is_some(),
            "local" => spec.local.is_some(),
            "fc" => spec.fc.is_some(),
            "gcePersistentDisk" => spec.gce_persistent_disk.is_some(),
            "awsElasticBlockStore" => spec.aws_elastic_block_store.is_some(),
            "glusterfs" => spec.glusterfs.is_some(),
            "rbd" => spec.rbd.is_some(),
            "iscsi" => spec.iscsi.is_some(),
            "cinder" => spec.cinder.is_some(),
            "cephfs" => spec.cephfs.is_some(),
            "flocker" => spec.flocker.is_some(),
            "flexVolume" => spec.flex_volume.is_some(),
            "azureFile" => spec.azure_file.is_some(),
            "vsphereVolume" => spec.vsphere_volume.is_some(),
            "quobyte" => spec.quobyte.is_some(),
            "azureDisk" => spec.azure_disk.is_some(),
            "photonPersistentDisk" => spec.photon_persistent_disk.is_some(),
            "portworxVolume" => spec.portworx_volume.is_some(),
            "scaleIO" => spec.scale_io.is_some(),
            "storageos" => spec.storageos.is_some(),
            _ => false,
        }
    };
    PV_SOURCES.iter().copied().filter(|s| set(s)).collect()
}

/// `ValidatePersistentVolumeClaimSpec` at `prefix` (`spec`, or a template's path).
pub fn claim_spec(spec: &PersistentVolumeClaimSpec, prefix: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    access_modes(
        &spec.access_modes,
        &format!("{prefix}.accessModes"),
        "at least 1 access mode is required",
        &mut errs,
    );
    let storage_field = format!("{prefix}.resources[storage]");
    match spec.resources.requests.get("storage") {
        None => {
            let located = if spec.resources.requests.is_empty() {
                format!("{prefix}.resources.requests")
            } else {
                format!("{prefix}.resources")
            };
            errs.push(required(&storage_field, "").located(&located));
        }
        Some(q) if !q.parsed().is_positive() => {
            errs.push(
                invalid(&storage_field, q.as_str(), "must be greater than zero")
                    .located(&format!("{prefix}.resources.requests.storage")),
            );
        }
        Some(_) => {}
    }
    class_name(
        spec.storage_class_name.as_ref(),
        &format!("{prefix}.storageClassName"),
        &mut errs,
    );
    volume_mode(
        spec.volume_mode.as_ref(),
        &format!("{prefix}.volumeMode"),
        &mut errs,
    );
    if let Some(ds) = &spec.data_source {
        let field = format!("{prefix}.dataSource");
        if ds.name.is_empty() {
            errs.push(required(&format!("{field}.name"), ""));
        }
        if ds.kind.is_empty() {
            errs.push(required(&format!("{field}.kind"), ""));
        }
        let group = ds.api_group.as_deref().unwrap_or("");
        if group.is_empty() && !ds.kind.is_empty() && ds.kind != "PersistentVolumeClaim" {
            errs.push(invalid(
                &field,
                &ds.kind,
                "must be 'PersistentVolumeClaim' when referencing the default apiGroup",
            ));
        }
        if let Some(r) = &spec.data_source_ref
            && (r.kind != ds.kind
                || r.name != ds.name
                || r.api_group.as_deref().unwrap_or("") != group)
        {
            errs.push(invalid(
                prefix,
                &format!("{prefix}.dataSource"),
                "must match dataSourceRef",
            ));
        }
    }
    errs
}

/// `ValidatePersistentVolumeClaim` on create.
pub fn persistent_volume_claim(pvc: &PersistentVolumeClaim) -> Vec<FieldError> {
    let mut errs = object_meta(&pvc.metadata, true, dns1123_subdomain);
    errs.extend(claim_spec(&pvc.spec, "spec"));
    errs
}

const MAX_PARAMETERS: usize = 512;
const MAX_PARAMETERS_BYTES: usize = 256 * 1024;

/// `ValidateStorageClass`.
pub fn storage_class(sc: &StorageClass) -> Vec<FieldError> {
    let mut errs = object_meta(&sc.metadata, false, dns1123_subdomain);
    if sc.provisioner.is_empty() {
        errs.push(required("provisioner", ""));
    } else {
        // Upstream lower-cases the provisioner before checking it.
        for msg in qualified_name(&sc.provisioner.to_lowercase()) {
            errs.push(invalid("provisioner", &sc.provisioner, &msg));
        }
    }
    let bytes: usize = sc.parameters.iter().map(|(k, v)| k.len() + v.len()).sum();
    if sc.parameters.len() > MAX_PARAMETERS {
        errs.push(too_long("parameters", MAX_PARAMETERS));
    }
    if bytes > MAX_PARAMETERS_BYTES {
        errs.push(too_long("parameters", MAX_PARAMETERS_BYTES));
    }
    if sc.parameters.contains_key("") {
        errs.push(invalid("parameters", "", "field can not be empty."));
    }
    if let Some(policy) = &sc.reclaim_policy
        && !CLASS_RECLAIM_POLICIES.contains(&policy.as_str())
    {
        errs.push(not_supported(
            "reclaimPolicy",
            policy,
            CLASS_RECLAIM_POLICIES,
        ));
    }
    match &sc.volume_binding_mode {
        None => errs.push(required("volumeBindingMode", "")),
        Some(mode) if !BINDING_MODES.contains(&mode.as_str()) => {
            errs.push(not_supported("volumeBindingMode", mode, BINDING_MODES));
        }
        Some(_) => {}
    }
    for (i, term) in sc.allowed_topologies.iter().enumerate() {
        let field = format!("allowedTopologies[{i}].matchLabelExpressions");
        if term.match_label_expressions.is_empty() {
            errs.push(required(&field, "must have at least one label expression"));
        }
        let mut seen: Vec<&str> = Vec::new();
        for (j, req) in term.match_label_expressions.iter().enumerate() {
            let item = format!("{field}[{j}]");
            if req.key.is_empty() {
                errs.push(required(&format!("{item}.key"), ""));
            }
            if req.values.is_empty() {
                errs.push(required(
                    &format!("{item}.values"),
                    "must specify as least one value",
                ));
            }
            if seen.contains(&req.key.as_str()) {
                errs.push(duplicate(&format!("{item}.key"), &req.key));
            }
            seen.push(&req.key);
        }
    }
    for (i, a) in sc.allowed_topologies.iter().enumerate() {
        if sc.allowed_topologies[..i].contains(a) {
            errs.push(duplicate(
                &format!("allowedTopologies[{i}].matchLabelExpressions"),
                "",
            ));
        }
    }
    errs
}
