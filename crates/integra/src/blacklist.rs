//! The do-not-call registry (blacklist): single and bulk add and delete. The entry (or the array of entries) travels
//! as JSON in the form field `black`, with only the fields that are set.

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::form::Form;

/// A blacklist entry. Only `phone` and `campaign` are required; `campaign` `*` means every campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BlackEntry {
    /// The number not to call.
    pub phone: String,
    /// Campaign, or `*` for all.
    pub campaign: String,
    /// User who added it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Customer data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// Customer data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    /// Customer name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// When the entry stops applying (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_date: Option<String>,
    /// `I`, `O` or `I/O`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
}

impl BlackEntry {
    /// An entry with only the required fields.
    pub fn new(phone: impl Into<String>, campaign: impl Into<String>) -> Self {
        Self {
            phone: phone.into(),
            campaign: campaign.into(),
            ..Default::default()
        }
    }

    fn check(&self, index: Option<usize>) -> Result<()> {
        let at = index
            .map(|i| format!(" (entry {})", i + 1))
            .unwrap_or_default();
        if self.phone.trim().is_empty() {
            return Err(Error::invalid("phone", format!("must not be empty{at}")));
        }
        if self.campaign.trim().is_empty() {
            return Err(Error::invalid(
                "campaign",
                format!("must not be empty; use * for every campaign{at}"),
            ));
        }
        if let Some(date) = &self.expire_date {
            if chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err() {
                return Err(Error::invalid(
                    "expire_date",
                    format!("{date:?} is not a date like 2025-01-01{at}"),
                ));
            }
        }
        if let Some(direction) = &self.direction {
            if !matches!(direction.as_str(), "I" | "O" | "I/O") {
                return Err(Error::invalid(
                    "direction",
                    format!("{direction:?} is not I, O or I/O{at}"),
                ));
            }
        }
        Ok(())
    }
}

fn check_bulk(entries: &[BlackEntry]) -> Result<()> {
    if entries.is_empty() {
        return Err(Error::invalid("blacklist", "the list is empty"));
    }
    entries
        .iter()
        .enumerate()
        .try_for_each(|(i, e)| e.check(Some(i)))
}

impl Client {
    /// Adds a number to the blacklist (admin/addblack).
    pub async fn add_black(&self, entry: &BlackEntry) -> Result<()> {
        entry.check(None)?;
        let form = Form::new().json("black", entry)?;
        self.post_form("admin/addblack", form).await?.expect_one()
    }

    /// Adds many numbers at once (admin/addblackbulk).
    pub async fn add_black_bulk(&self, entries: &[BlackEntry]) -> Result<()> {
        check_bulk(entries)?;
        let form = Form::new().json("black", &entries)?;
        self.post_form("admin/addblackbulk", form)
            .await?
            .expect_one()
    }

    /// Removes a number from the blacklist (admin/deleteblack).
    pub async fn delete_black(&self, entry: &BlackEntry) -> Result<()> {
        entry.check(None)?;
        let form = Form::new().json("black", entry)?;
        self.post_form("admin/deleteblack", form)
            .await?
            .expect_one()
    }

    /// Removes many numbers at once (admin/deleteblackbulk).
    pub async fn delete_black_bulk(&self, entries: &[BlackEntry]) -> Result<()> {
        check_bulk(entries)?;
        let form = Form::new().json("black", &entries)?;
        self.post_form("admin/deleteblackbulk", form)
            .await?
            .expect_one()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_given_fields_are_sent() {
        let entry = BlackEntry {
            name: Some("Ana".into()),
            ..BlackEntry::new("099123456", "*")
        };
        assert_eq!(
            serde_json::to_string(&entry).unwrap(),
            r#"{"phone":"099123456","campaign":"*","name":"Ana"}"#
        );
    }

    #[test]
    fn bulk_refuses_empty_lists_and_names_the_bad_entry() {
        assert!(check_bulk(&[]).unwrap_err().to_string().contains("empty"));
        let err = check_bulk(&[BlackEntry::new("1", "*"), BlackEntry::new("", "*")]).unwrap_err();
        assert!(err.to_string().contains("entry 2"), "{err}");
    }

    #[test]
    fn dates_and_directions_are_checked() {
        let dated = BlackEntry {
            expire_date: Some("2025-01-01".into()),
            direction: Some("I/O".into()),
            ..BlackEntry::new("099123456", "Ventas->")
        };
        assert!(dated.check(None).is_ok());
        let bad_date = BlackEntry {
            expire_date: Some("01/01/2025".into()),
            ..dated.clone()
        };
        assert!(matches!(
            bad_date.check(None),
            Err(Error::InvalidInput {
                field: "expire_date",
                ..
            })
        ));
        let bad_direction = BlackEntry {
            direction: Some("both".into()),
            ..dated
        };
        assert!(matches!(
            bad_direction.check(Some(0)),
            Err(Error::InvalidInput {
                field: "direction",
                ..
            })
        ));
    }
}
