//! Slots: where an element sits inside its container (a zone's nodes, a
//! node's pods, a backend's volumes), kept from step to step.
//!
//! A slot comes from the element's identity and its container, never from
//! a layout pass over everything: an element keeps its slot for as long as
//! it stays in the same container, a new element takes the lowest free
//! slot, and a removed one frees its slot. So adding an object never moves
//! another, and an element only moves when it really changes container (a
//! pod scheduled onto a node, or moved to another one).

use std::collections::{BTreeMap, BTreeSet};

/// The slots of every element, carried from one step's scene to the next.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Slots {
    /// Container → its slots, each empty or holding an element. The last
    /// slot is never empty, so equal placements compare equal.
    taken: BTreeMap<String, Vec<Option<String>>>,
    /// Element → (container, slot).
    of: BTreeMap<String, (String, u32)>,
    /// Container → the most slots it has used at once (the highest slot
    /// plus one): with a whole run's slots, every container's size.
    extent: BTreeMap<String, usize>,
}

impl Slots {
    /// The slot of `id` in `container`: the one it has, or the lowest free.
    pub fn place(&mut self, container: &str, id: &str) -> u32 {
        if let Some((c, slot)) = self.of.get(id)
            && c == container
        {
            return *slot;
        }
        self.free(id);
        let used = self.taken.entry(container.to_owned()).or_default();
        // The lowest empty slot, or a new one at the end.
        let index = used.iter().position(Option::is_none).unwrap_or(used.len());
        if index == used.len() {
            used.push(None);
        }
        used[index] = Some(id.to_owned());
        let slot = u32::try_from(index).unwrap_or(u32::MAX);
        self.of.insert(id.to_owned(), (container.to_owned(), slot));
        let high = self.extent.entry(container.to_owned()).or_default();
        *high = (*high).max(index + 1);
        slot
    }

    /// How many slots each container has needed so far.
    pub fn extent(&self) -> &BTreeMap<String, usize> {
        &self.extent
    }

    /// Frees the slots of every element not in `alive`.
    pub fn keep_only(&mut self, alive: &BTreeSet<String>) {
        self.retain(|id| alive.contains(id));
    }

    /// Frees the slots of every element for which `alive` is false.
    pub(crate) fn retain(&mut self, alive: impl Fn(&str) -> bool) {
        let gone: Vec<String> = self.of.keys().filter(|id| !alive(id)).cloned().collect();
        for id in gone {
            self.free(&id);
        }
    }

    /// Frees the slot of `id`, if it has one.
    pub(crate) fn free(&mut self, id: &str) {
        if let Some((container, slot)) = self.of.remove(id)
            && let Some(used) = self.taken.get_mut(&container)
        {
            if let Some(place) = used.get_mut(slot as usize) {
                *place = None;
            }
            while used.last().is_some_and(Option::is_none) {
                used.pop();
            }
            if used.is_empty() {
                self.taken.remove(&container);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_element_moves_no_other() {
        let mut s = Slots::default();
        assert_eq!(s.place("node/a", "p1"), 0);
        assert_eq!(s.place("node/a", "p2"), 1);
        assert_eq!(s.place("node/a", "p0"), 2);
        assert_eq!(s.place("node/a", "p1"), 0);
        assert_eq!(s.place("node/a", "p2"), 1);
    }

    #[test]
    fn a_freed_slot_is_reused_and_others_stay() {
        let mut s = Slots::default();
        for p in ["p1", "p2", "p3"] {
            s.place("node/a", p);
        }
        s.keep_only(&["p1".to_owned(), "p3".to_owned()].into());
        assert_eq!(s.place("node/a", "p4"), 1);
        assert_eq!(s.place("node/a", "p3"), 2);
    }

    #[test]
    fn extent_remembers_the_most_slots_used() {
        let mut s = Slots::default();
        s.place("tray", "p1");
        s.place("tray", "p2");
        s.keep_only(&BTreeSet::new());
        s.place("tray", "p3");
        assert_eq!(s.extent()["tray"], 2);
    }

    #[test]
    fn moving_to_another_container_frees_the_old_slot() {
        let mut s = Slots::default();
        s.place("tray", "p1");
        s.place("tray", "p2");
        assert_eq!(s.place("node/b", "p1"), 0);
        assert_eq!(s.place("tray", "p3"), 0);
        assert_eq!(s.place("tray", "p2"), 1);
    }
}
