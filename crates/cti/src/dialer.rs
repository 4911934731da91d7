//! The dialer part of a CTI: the record the dialer called, with the fields of the reference's Respool object.
//!
//! Fields are private and only set by parsing, so a [`DialerCti`] always holds valid numbers and data, and the
//! respool draft can rely on campaign, status, contact and dialerbase being exactly what the dialer sent.
//! Numbers keep the text the dialer sent (`12-345-678` stays so): the dialer matches its own spelling.

use serde::Serialize;
use serde_json::{Map, Value};

use super::fields::{self, refused};
use agent_error::{Phrase, Result};

/// One `key=value` pair of the dialer's `data` (parameters for workflows and forms).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataPair {
    /// Parameter name: not empty, no `=` or `:`.
    pub key: String,
    /// Parameter value: no `:`.
    pub value: String,
}

/// The dialer part of a CTI, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DialerCti {
    campaign: String,
    destination: String,
    status: i64,
    data: Vec<DataPair>,
    alternatives: Vec<String>,
    retries: i64,
    contact: i64,
    dialerbase: String,
    priority: i64,
    agentphone: String,
}

/// The lowercase keys of the Respool object; any of them at the top level means "there is a dialer part".
pub(crate) const KEYS: &[&str] = &[
    "campaign",
    "destination",
    "dialerbase",
    "status",
    "data",
    "alternatives",
    "contact",
    "retries",
    "priority",
    "agentphone",
];

impl DialerCti {
    /// Reads and checks the Respool-shaped object (lowercase keys; numbers as JSON numbers or numeric strings).
    /// A missing `status` is 1 (the dialer always sends 1); missing retries, contact and priority are 0.
    pub(crate) fn from_object(obj: &Map<String, Value>) -> Result<Self> {
        let required = |key: &str| -> Result<String> {
            match fields::text(obj, key)? {
                Some(v) if !v.is_empty() => Ok(v),
                _ => Err(refused(
                    Phrase::new("error.cti_text.dialer_field").with("key", key),
                    format!("the dialer part has no '{key}'; a dialer CTI needs campaign, destination and dialerbase"),
                )),
            }
        };
        let campaign = required("campaign")?;
        let destination = required("destination")?;
        let dialerbase = required("dialerbase")?;
        phone_number::normalize(&destination).map_err(|e| {
            refused(
                Phrase::new("error.cti_text.destination")
                    .with("number", destination.as_str())
                    .with("problem", e.to_string()),
                format!("the destination '{destination}' is not a phone number: {e}"),
            )
        })?;
        let status = fields::integer(obj, "status")?.unwrap_or(1);
        if status != 0 && status != 1 {
            return Err(refused(
                Phrase::new("error.cti_text.status").with("status", status.to_string()),
                format!("'status' must be 1 (enabled) or 0, got {status}"),
            ));
        }
        let retries = fields::integer(obj, "retries")?.unwrap_or(0);
        if retries < 0 {
            return Err(refused(
                Phrase::new("error.cti_text.retries").with("retries", retries.to_string()),
                format!("'retries' must not be negative, got {retries}"),
            ));
        }
        Ok(Self {
            campaign,
            destination,
            status,
            data: parse_data(&fields::text(obj, "data")?.unwrap_or_default())?,
            alternatives: parse_alternatives(
                &fields::text(obj, "alternatives")?.unwrap_or_default(),
            )?,
            retries,
            contact: fields::integer(obj, "contact")?.unwrap_or(0),
            dialerbase,
            priority: fields::integer(obj, "priority")?.unwrap_or(0),
            agentphone: fields::text(obj, "agentphone")?.unwrap_or_default(),
        })
    }

    /// Checks a Respool object received from elsewhere (e.g. the portal's `objetoRespool`).
    pub fn from_respool(spool: &integra::Respool) -> Result<Self> {
        match serde_json::to_value(spool) {
            Ok(Value::Object(obj)) => Self::from_object(&obj),
            _ => Err(refused(
                Phrase::new("error.cti_text.respool_unreadable"),
                "the respool object cannot be read",
            )),
        }
    }

    /// The Respool object, exactly as the reference shows it (`data` as `k=v:k=v`, alternatives `:`-joined).
    pub fn to_respool(&self) -> integra::Respool {
        integra::Respool {
            campaign: self.campaign.clone(),
            destination: self.destination.clone(),
            dialerbase: self.dialerbase.clone(),
            status: self.status,
            data: join_data(&self.data),
            alternatives: self.alternatives.join(":"),
            contact: self.contact,
            retries: self.retries,
            priority: self.priority,
            agentphone: self.agentphone.clone(),
        }
    }

    /// Dialer campaign.
    pub fn campaign(&self) -> &str {
        &self.campaign
    }
    /// The main number (the Respool's `destination`).
    pub fn destination(&self) -> &str {
        &self.destination
    }
    /// 1 when the record is enabled.
    pub fn status(&self) -> i64 {
        self.status
    }
    /// Workflow and form parameters, in the dialer's order.
    pub fn data(&self) -> &[DataPair] {
        &self.data
    }
    /// Alternative numbers, in the dialer's order.
    pub fn alternatives(&self) -> &[String] {
        &self.alternatives
    }
    /// Retries of the main number.
    pub fn retries(&self) -> i64 {
        self.retries
    }
    /// Contact id.
    pub fn contact(&self) -> i64 {
        self.contact
    }
    /// The dialer list the record belongs to.
    pub fn dialerbase(&self) -> &str {
        &self.dialerbase
    }
    /// Ordering priority (1 is reserved for schedules).
    pub fn priority(&self) -> i64 {
        self.priority
    }
    /// Agent extension for progressive dialers (may be empty).
    pub fn agentphone(&self) -> &str {
        &self.agentphone
    }
}

/// Splits `k=v:k=v` keeping order. Empty segments (a trailing `:`) are skipped; a pair without `=` or with an
/// empty key is refused.
pub(crate) fn parse_data(text: &str) -> Result<Vec<DataPair>> {
    let mut pairs = Vec::new();
    for segment in text.split(':').filter(|s| !s.trim().is_empty()) {
        let Some((key, value)) = segment.split_once('=') else {
            return Err(refused(
                Phrase::new("error.cti_text.pair_no_equals").with("pair", segment),
                format!("the data pair '{segment}' has no '=' (data is key=value:key=value)"),
            ));
        };
        if key.trim().is_empty() {
            return Err(refused(
                Phrase::new("error.cti_text.pair_empty_key").with("pair", segment),
                format!("the data pair '{segment}' has an empty key"),
            ));
        }
        pairs.push(DataPair {
            key: key.to_string(),
            value: value.to_string(),
        });
    }
    Ok(pairs)
}

/// Joins pairs back into `k=v:k=v`.
pub(crate) fn join_data(pairs: &[DataPair]) -> String {
    pairs
        .iter()
        .map(|p| format!("{}={}", p.key, p.value))
        .collect::<Vec<_>>()
        .join(":")
}

/// Splits `:`-joined alternatives keeping order; empty segments are skipped, each number must be a phone number.
pub(crate) fn parse_alternatives(text: &str) -> Result<Vec<String>> {
    text.split(':')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|number| {
            phone_number::normalize(number)
                .map(|_| number.to_string())
                .map_err(|e| {
                    refused(
                        Phrase::new("error.cti_text.alternative")
                            .with("number", number)
                            .with("problem", e.to_string()),
                        format!("the alternative '{number}' is not a phone number: {e}"),
                    )
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dialer(value: Value) -> Result<DialerCti> {
        DialerCti::from_object(value.as_object().unwrap())
    }

    fn sample() -> Value {
        json!({"campaign":"Ventas->","destination":"098344484","dialerbase":"basetest","status":1,
            "data":"Par1=Val1:Par2=Val2","alternatives":"098124484:099 121 212","contact":222,"retries":0,
            "priority":9999,"agentphone":"1001"})
    }

    #[test]
    fn the_reference_respool_object_round_trips() {
        let cti = dialer(sample()).unwrap();
        assert_eq!(cti.data()[1].key, "Par2");
        assert_eq!(cti.alternatives(), ["098124484", "099 121 212"]);
        let spool = serde_json::to_value(cti.to_respool()).unwrap();
        assert_eq!(spool, sample());
    }

    #[test]
    fn quoted_numbers_and_missing_optionals_are_read() {
        let cti = dialer(
            json!({"campaign":"V->","destination":"099123456","dialerbase":"b",
            "status":"1","contact":"222","retries":"2","priority":"50"}),
        )
        .unwrap();
        assert_eq!(
            (cti.status(), cti.contact(), cti.retries(), cti.priority()),
            (1, 222, 2, 50)
        );
        assert!(
            cti.data().is_empty() && cti.alternatives().is_empty() && cti.agentphone().is_empty()
        );
    }

    #[test]
    fn data_keeps_order_and_values_with_equals() {
        let pairs = parse_data("z=1:a=b=c:").unwrap();
        assert_eq!(
            pairs
                .iter()
                .map(|p| (p.key.as_str(), p.value.as_str()))
                .collect::<Vec<_>>(),
            [("z", "1"), ("a", "b=c")]
        );
        assert_eq!(join_data(&pairs), "z=1:a=b=c");
    }

    #[test]
    fn each_bad_field_has_its_own_message() {
        let with = |key: &str, value: Value| {
            let mut v = sample();
            v[key] = value;
            dialer(v).unwrap_err().to_string()
        };
        assert_eq!(
            with("alternatives", json!("098124484:09-CALL")),
            "the alternative '09-CALL' is not a phone number: letters are not allowed in a phone number: 'CALL'"
        );
        assert_eq!(
            with("data", json!("a=1:broken")),
            "the data pair 'broken' has no '=' (data is key=value:key=value)"
        );
        assert_eq!(
            with("data", json!("=1")),
            "the data pair '=1' has an empty key"
        );
        assert_eq!(
            with("retries", json!(-1)),
            "'retries' must not be negative, got -1"
        );
        assert_eq!(
            with("contact", json!("x1")),
            "'contact' must be a whole number, got 'x1'"
        );
        assert_eq!(
            with("status", json!(2)),
            "'status' must be 1 (enabled) or 0, got 2"
        );
        assert!(with("destination", json!("abc")).starts_with("the destination 'abc'"));
        for key in ["campaign", "destination", "dialerbase"] {
            let mut v = sample();
            v.as_object_mut().unwrap().remove(key);
            assert!(
                dialer(v)
                    .unwrap_err()
                    .to_string()
                    .contains(&format!("no '{key}'")),
                "{key}"
            );
        }
    }

    #[test]
    fn a_respool_object_from_elsewhere_is_checked() {
        let mut spool = dialer(sample()).unwrap().to_respool();
        assert!(DialerCti::from_respool(&spool).is_ok());
        spool.alternatives = "not-a-number".into();
        assert_eq!(
            DialerCti::from_respool(&spool).unwrap_err().code(),
            agent_error::ErrorCode::InvalidCti
        );
    }
}
