//! Stable sorting with one copy of the sort code.
//!
//! `slice::sort_by` and `sort_by_key` are generic over the element and the
//! comparison, so every call site compiles its own copy of the standard
//! library's sort: about 4 KB of WebAssembly each, and there were more than
//! thirty in the page's worker. These functions sort the elements'
//! positions with a comparison behind `dyn`, a sort that is compiled once,
//! then move the elements into that order. The result is the one
//! `sort_by` gives: a stable sort is unique for a given comparison.
//!
//! Use them for every sort in code that ships in the page: [`stable`] in
//! place of `sort()`, [`by`] and [`by_key`] in place of `sort_by` and
//! `sort_by_key`.

use std::cmp::Ordering;

/// Sorts `items` stably in their natural order, as `slice::sort` does.
pub fn stable<T: Ord>(items: &mut [T]) {
    by(items, T::cmp);
}

/// Sorts `items` stably by `compare`, as `slice::sort_by` does.
pub fn by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    let order = sorted_positions(items.len(), &mut |a, b| compare(&items[a], &items[b]));
    permute(items, order);
}

/// Sorts `items` stably by `key`, as `slice::sort_by_key` does.
pub fn by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    by(items, |a, b| key(a).cmp(&key(b)));
}

/// The positions `0..len` in the order `compare` puts them in.
fn sorted_positions(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Moves `items[order[i]]` to position `i`, in place, as
/// `slice::sort_by_cached_key` does: a position below `i` has been swapped
/// away already, and `order` says where its element went.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for i in 0..items.len() {
        let mut from = order[i];
        while from < i {
            from = order[from];
        }
        order[i] = from;
        items.swap(i, from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_order_as_the_standard_sort() {
        // Pairs with repeated keys, so that stability shows.
        let mut seed = 7u32;
        for len in 0..40 {
            let items: Vec<(u32, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    ((seed >> 16) % 5, i)
                })
                .collect();
            let mut expected = items.clone();
            expected.sort_by_key(|p| p.0);
            let mut got = items.clone();
            by_key(&mut got, |p| p.0);
            assert_eq!(got, expected);
            let mut reversed = items;
            expected.sort_by_key(|p| std::cmp::Reverse(p.0));
            by(&mut reversed, |a, b| b.0.cmp(&a.0));
            assert_eq!(reversed, expected);
        }
    }
}
