//! The portal part of a CTI: what uContact's agent portal hands its forms about the answered call, with
//! capitalized keys (`{"Guid":…,"Screen":"FALSE","Form":"f","Campaign":"SalienteTest->","Callerid":"17410632",
//! "ParAndValues":"","Beep":"FALSE","Answer":"FALSE"}`). Booleans are the strings `"TRUE"`/`"FALSE"`.

use serde::Serialize;
use serde_json::{Map, Value};

use super::fields;
use agent_error::Result;

/// The portal part of a CTI. Keys the portal adds later are kept in `extra`, untouched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct PortalCti {
    /// The call id (DispositionCall and TagRecord's `guid`); empty when not given.
    pub guid: String,
    /// The call's campaign.
    pub campaign: String,
    /// The customer's number as the portal shows it.
    pub callerid: String,
    /// `key=value` parameters as the portal sent them (the separator varies between portals, so kept as text).
    pub par_and_values: String,
    /// The form the portal opens for the call.
    pub form: String,
    /// Whether the portal pops the screen.
    pub screen: bool,
    /// Whether the call is answered automatically.
    pub answer: bool,
    /// Whether the portal beeps, when it says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beep: Option<bool>,
    /// Keys this app does not know, as received.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Value>,
}

/// The portal's keys; any of them in an object means "there is a portal part".
pub(crate) const KEYS: &[&str] = &[
    "Guid",
    "Campaign",
    "Callerid",
    "ParAndValues",
    "Form",
    "Screen",
    "Answer",
    "Beep",
];

impl PortalCti {
    /// Reads the capitalized portal keys; `ignore` names keys that belong to someone else (the dialer part, the
    /// nesting keys) and must not land in `extra`.
    pub(crate) fn from_object(obj: &Map<String, Value>, ignore: &[&str]) -> Result<Self> {
        let text = |key: &str| fields::text(obj, key).map(Option::unwrap_or_default);
        let extra = obj
            .iter()
            .filter(|(k, _)| !KEYS.contains(&k.as_str()) && !ignore.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Ok(Self {
            guid: text("Guid")?,
            campaign: text("Campaign")?,
            callerid: text("Callerid")?,
            par_and_values: text("ParAndValues")?,
            form: text("Form")?,
            screen: fields::flag(obj, "Screen")?.unwrap_or(false),
            answer: fields::flag(obj, "Answer")?.unwrap_or(false),
            beep: fields::flag(obj, "Beep")?,
            extra,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_public_sample_is_read_and_new_keys_are_kept() {
        let value = json!({"Guid":"7e4e7db9-f080-494e-b04b-7c8e47711558","Screen":"TRUE","Form":"f",
            "Campaign":"SalienteTest->","Callerid":17410632,"ParAndValues":"a=1","Beep":"FALSE","Answer":"FALSE",
            "Queue":"x"});
        let portal = PortalCti::from_object(value.as_object().unwrap(), &[]).unwrap();
        assert_eq!(portal.guid, "7e4e7db9-f080-494e-b04b-7c8e47711558");
        assert_eq!(portal.callerid, "17410632");
        assert_eq!(
            (portal.screen, portal.answer, portal.beep),
            (true, false, Some(false))
        );
        assert_eq!(portal.extra.get("Queue"), Some(&json!("x")));
    }

    #[test]
    fn a_bad_boolean_names_its_key() {
        let value = json!({"Guid":"g","Answer":"yes"});
        let err = PortalCti::from_object(value.as_object().unwrap(), &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "'Answer' must be \"TRUE\" or \"FALSE\", got 'yes'"
        );
    }
}
