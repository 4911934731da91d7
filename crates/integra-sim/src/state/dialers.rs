//! The dialers' side: the spool of numbers waiting to be dialed per campaign (fed by base uploads and respools),
//! scheduled calls, dialer tasks, removed contacts and the uploaded bases.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;
use serde_json::{json, Value};

use super::history::History;

/// Records of a base kept verbatim for inspection (a base can have a million).
pub(crate) const SAMPLE_ROWS: usize = 100;

/// An uploaded dialer base.
#[derive(Debug, Clone, Serialize)]
pub struct Base {
    /// File name given.
    pub filename: String,
    /// Campaign given in the form.
    pub campaign: String,
    /// Records in the file (equal to the `cant` sent, or the upload was refused).
    pub rows: usize,
    /// User who uploaded.
    pub username: String,
    /// Timezone (uploadbasewithtimezone only).
    pub timezone: Option<String>,
    /// Decoded size in bytes.
    pub bytes: usize,
    /// The first records, split on `;` as sent.
    pub first_rows: Vec<Vec<String>>,
}

/// Everything the dialer endpoints stored.
#[derive(Debug, Default)]
pub(crate) struct Dialers {
    /// campaign → destinations waiting on the spool. Sorted by campaign for a stable state JSON.
    spooled: BTreeMap<String, HashSet<String>>,
    /// Each accepted Respool object.
    pub respools: History<Value>,
    /// Each scheduled call (ScheduleDialerCall), until RemoveScheduleDialerCall deletes it.
    pub schedules: History<Value>,
    pub tasks: History<Value>,
    pub removed_contacts: History<Value>,
    pub bases: History<Base>,
}

impl Dialers {
    /// True if `destination` waits on `campaign`'s spool.
    pub fn is_spooled(&self, campaign: &str, destination: &str) -> bool {
        self.spooled
            .get(campaign)
            .is_some_and(|numbers| numbers.contains(destination))
    }

    /// Puts a number on a campaign's spool.
    pub fn spool(&mut self, campaign: &str, destination: &str) {
        self.spooled
            .entry(campaign.to_string())
            .or_default()
            .insert(destination.to_string());
    }

    /// RemoveContact: takes a number off a campaign's spool (true if it was there).
    pub fn unspool(&mut self, campaign: &str, destination: &str) -> bool {
        self.spooled
            .get_mut(campaign)
            .is_some_and(|numbers| numbers.remove(destination))
    }

    /// Accepts an uploaded base: every record's number goes on the spool of the base's campaign.
    pub fn add_base(&mut self, base: Base, numbers: Vec<String>) {
        let spool = self.spooled.entry(base.campaign.clone()).or_default();
        spool.extend(numbers);
        self.bases.push(base);
    }

    /// Numbers on the spool per campaign (the whole spool can be a million numbers: only counts are shown).
    pub fn spool_sizes(&self) -> Value {
        let sizes: serde_json::Map<String, Value> = self
            .spooled
            .iter()
            .map(|(campaign, numbers)| (campaign.clone(), json!(numbers.len())))
            .collect();
        Value::Object(sizes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spool_is_per_campaign() {
        let mut dialers = Dialers::default();
        dialers.spool("Ventas->", "099123456");
        assert!(dialers.is_spooled("Ventas->", "099123456"));
        assert!(!dialers.is_spooled("Cobranzas->", "099123456"));
        assert!(dialers.unspool("Ventas->", "099123456"));
        assert!(!dialers.unspool("Ventas->", "099123456"));
        assert_eq!(dialers.spool_sizes(), json!({"Ventas->": 0}));
    }
}
