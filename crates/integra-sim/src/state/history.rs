//! A bounded, ordered record of what the API was asked to store (calls, dispositions, tags, …). Oldest entries
//! go first once the bound is reached, so a benchmark sending millions of requests keeps a flat memory profile.

use std::collections::VecDeque;

use serde::{Serialize, Serializer};

/// Entries kept per kind of record.
pub(crate) const HISTORY_CAPACITY: usize = 100_000;

/// Up to [`HISTORY_CAPACITY`] records, oldest first.
#[derive(Debug)]
pub(crate) struct History<T> {
    items: VecDeque<T>,
}

impl<T> Default for History<T> {
    fn default() -> Self {
        Self {
            items: VecDeque::new(),
        }
    }
}

impl<T> History<T> {
    pub fn push(&mut self, item: T) {
        if self.items.len() == HISTORY_CAPACITY {
            self.items.pop_front();
        }
        self.items.push_back(item);
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + Clone {
        self.items.iter()
    }

    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut T> {
        self.items.iter_mut()
    }

    pub fn retain(&mut self, keep: impl FnMut(&T) -> bool) {
        self.items.retain(keep);
    }
}

impl<T: Serialize> Serialize for History<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.items.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_entry_goes_first_at_capacity() {
        let mut history = History::default();
        for i in 0..=HISTORY_CAPACITY {
            history.push(i);
        }
        assert_eq!(history.iter().count(), HISTORY_CAPACITY);
        assert_eq!(history.iter().next(), Some(&1));
        assert_eq!(history.iter().last(), Some(&HISTORY_CAPACITY));
    }
}
