//! An append-only list that clones share: the simulation's steps and
//! event records.
//!
//! A timeline keeps a copy of the simulation every few dozen steps. If each
//! copy carried its own history, memory would grow as copies × history. A
//! [`Log`] keeps its items in chunks of [`CHUNK`] behind `Rc`, so a clone
//! copies the list of chunks only, and the clones share every chunk that
//! none of them changes afterwards. Appending to a shared last chunk, or
//! changing an item (an event folded into an earlier record), copies that
//! one chunk.

use std::iter::FlatMap;
use std::ops::Index;
use std::rc::Rc;
use std::slice;

/// Items per chunk.
pub const CHUNK: usize = 256;

/// The items of a [`Log`], in order.
pub type Iter<'a, T> = FlatMap<
    slice::Iter<'a, Rc<Vec<T>>>,
    slice::Iter<'a, T>,
    fn(&'a Rc<Vec<T>>) -> slice::Iter<'a, T>,
>;

#[derive(Clone, Debug)]
pub struct Log<T> {
    chunks: Vec<Rc<Vec<T>>>,
    len: usize,
}

impl<T> Default for Log<T> {
    fn default() -> Self {
        Log {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Log<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i / CHUNK)?.get(i % CHUNK)
    }

    pub fn first(&self) -> Option<&T> {
        self.get(0)
    }

    pub fn last(&self) -> Option<&T> {
        self.chunks.last()?.last()
    }

    /// Every item, in order.
    pub fn iter(&self) -> Iter<'_, T> {
        let items: fn(&Rc<Vec<T>>) -> slice::Iter<'_, T> = |chunk| chunk.iter();
        self.chunks.iter().flat_map(items)
    }
}

impl<T: Clone> Log<T> {
    pub fn push(&mut self, item: T) {
        match self.chunks.last_mut() {
            Some(chunk) if chunk.len() < CHUNK => Rc::make_mut(chunk).push(item),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(item);
                self.chunks.push(Rc::new(chunk));
            }
        }
        self.len += 1;
    }

    /// The item at `i`, to change: its chunk is copied first if a clone
    /// shares it.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        let chunk = self.chunks.get_mut(i / CHUNK)?;
        Rc::make_mut(chunk).get_mut(i % CHUNK)
    }
}

impl<T> Index<usize> for Log<T> {
    type Output = T;

    fn index(&self, i: usize) -> &T {
        match self.get(i) {
            Some(item) => item,
            None => panic!("index {i} out of a log of {}", self.len),
        }
    }
}

impl<'a, T> IntoIterator for &'a Log<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_their_past_and_part_on_change() {
        let mut a = Log::default();
        for i in 0..CHUNK * 2 + 3 {
            a.push(i);
        }
        let mut b = a.clone();
        assert!(Rc::ptr_eq(&a.chunks[0], &b.chunks[0]));
        b.push(1000);
        *b.get_mut(1).unwrap() = 7;
        assert_eq!(a[1], 1);
        assert_eq!(b[1], 7);
        assert_eq!(a.len() + 1, b.len());
        assert_eq!(b.last(), Some(&1000));
        assert!(Rc::ptr_eq(&a.chunks[1], &b.chunks[1]));
        assert_eq!(
            a.iter().copied().collect::<Vec<_>>(),
            (0..CHUNK * 2 + 3).collect::<Vec<_>>()
        );
        assert_eq!(a.iter().next_back(), a.last());
    }
}
