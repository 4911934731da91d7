//! The do-not-call registry (admin/addblack & co.): entries keyed by phone and campaign, where the campaign `*`
//! stands for every campaign.

use serde_json::Value;

/// The registry, in insertion order.
#[derive(Debug, Default)]
pub(crate) struct Blacklist {
    /// Each entry as sent (phone, campaign, and any of username, company, job_title, name, expire_date,
    /// direction).
    pub entries: Vec<Value>,
}

/// The phone and campaign of an entry, trimmed.
pub(crate) fn key_of(entry: &Value) -> (&str, &str) {
    let field = |k: &str| entry.get(k).and_then(Value::as_str).unwrap_or("").trim();
    (field("phone"), field("campaign"))
}

impl Blacklist {
    /// Adds an entry, replacing one with the same phone and campaign.
    pub fn add(&mut self, entry: Value) {
        let (phone, campaign) = key_of(&entry);
        let (phone, campaign) = (phone.to_string(), campaign.to_string());
        self.entries
            .retain(|e| key_of(e) != (phone.as_str(), campaign.as_str()));
        self.entries.push(entry);
    }

    /// Deletes the phone from a campaign, or from every campaign when `campaign` is `*`.
    pub fn delete(&mut self, phone: &str, campaign: &str) {
        self.entries.retain(|e| {
            let (p, c) = key_of(e);
            !(p == phone && (campaign == "*" || c == campaign))
        });
    }

    /// True if calls to `phone` are barred on `campaign` (by an entry for it or for `*`).
    pub fn bars(&self, phone: &str, campaign: &str) -> bool {
        self.entries.iter().any(|e| {
            let (p, c) = key_of(e);
            p == phone && (c == "*" || c == campaign)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn star_covers_every_campaign_when_adding_and_deleting() {
        let mut list = Blacklist::default();
        list.add(json!({"phone": "099", "campaign": "*"}));
        list.add(json!({"phone": "098", "campaign": "Ventas->"}));
        list.add(json!({"phone": "098", "campaign": "Cobranzas->", "name": "x"}));
        assert!(list.bars("099", "Cobranzas->"));
        assert!(list.bars("098", "Ventas->") && !list.bars("098", "Soporte<-"));
        list.delete("098", "*");
        assert_eq!(list.entries, vec![json!({"phone": "099", "campaign": "*"})]);
    }

    #[test]
    fn adding_twice_keeps_one_entry_with_the_latest_data() {
        let mut list = Blacklist::default();
        list.add(json!({"phone": "099", "campaign": "Ventas->", "name": "a"}));
        list.add(json!({"phone": "099", "campaign": "Ventas->", "name": "b"}));
        assert_eq!(list.entries.len(), 1);
        assert_eq!(list.entries[0]["name"], "b");
    }
}
