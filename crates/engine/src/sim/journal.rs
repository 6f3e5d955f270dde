//! Which keys changed since a mark.
//!
//! A view that follows the simulation step by step (the scene's slots)
//! asks what changed since it last looked, so that each step costs what
//! the step changed rather than everything there is. A [`Journal`] keeps,
//! for every key ever changed, the number of its last change, and the keys
//! by that number; memory grows with the keys, not with the changes.
//!
//! The journal only records: nothing in the simulation reads it, so it
//! cannot change what the simulation does.

use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub struct Journal<K> {
    /// Changes noted so far.
    count: u64,
    /// Key → the number of its last change.
    last: BTreeMap<K, u64>,
    /// The number of each key's last change → the key.
    order: BTreeMap<u64, K>,
}

impl<K> Default for Journal<K> {
    fn default() -> Self {
        Journal {
            count: 0,
            last: BTreeMap::new(),
            order: BTreeMap::new(),
        }
    }
}

impl<K: Ord + Clone> Journal<K> {
    /// Notes a change to `key`.
    pub fn note(&mut self, key: &K) {
        self.count += 1;
        if let Some(at) = self.last.get_mut(key) {
            let old = std::mem::replace(at, self.count);
            if let Some(k) = self.order.remove(&old) {
                self.order.insert(self.count, k);
            }
        } else {
            self.last.insert(key.clone(), self.count);
            self.order.insert(self.count, key.clone());
        }
    }

    /// A mark to ask [`Journal::since`] about later.
    pub fn mark(&self) -> u64 {
        self.count
    }

    /// Every key changed after `mark`, once, in the order of its last change.
    pub fn since(&self, mark: u64) -> impl Iterator<Item = &K> {
        self.order.range(mark + 1..).map(|(_, k)| k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_gives_each_key_changed_after_the_mark_once() {
        let mut j = Journal::default();
        j.note(&"a");
        let mark = j.mark();
        j.note(&"b");
        j.note(&"c");
        j.note(&"b");
        assert_eq!(j.since(mark).copied().collect::<Vec<_>>(), ["c", "b"]);
        assert_eq!(j.since(0).copied().collect::<Vec<_>>(), ["a", "c", "b"]);
        assert_eq!(j.since(j.mark()).count(), 0);
    }
}
