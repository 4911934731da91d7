//! Reading a campaign's disposition tree through forms/FormGet.
//!
//! uContact has no endpoint that lists dispositions; its own forms read the `dispositions` table with FormGet,
//! which runs SQL. The client only ever sends one fixed read-only SELECT, and refuses campaign names outside a
//! conservative character set instead of relying on escaping alone.

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::form::Form;
use crate::types::{lenient_string, Campaign};

/// One leaf row of the dispositions table: level 1, 2 and 3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispositionRow {
    /// Level 1.
    #[serde(deserialize_with = "lenient_string::deserialize")]
    pub value1: String,
    /// Level 2 (may be empty).
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub value2: String,
    /// Level 3 (may be empty).
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub value3: String,
}

/// The SELECT sent for `campaign`, or why the name is refused.
pub fn disposition_query(campaign: &Campaign) -> Result<String> {
    let name = campaign.as_str();
    let allowed = |c: char| c.is_alphanumeric() || " _-.<>@#".contains(c);
    if name.is_empty() || name.len() > 100 || !name.chars().all(allowed) {
        return Err(Error::invalid(
            "campaign",
            format!("{name:?} has characters that cannot be used in a disposition query (letters, digits, space and _-.<>@# only)"),
        ));
    }
    // The set above has no quote or backslash, so doubling quotes is belt and braces.
    Ok(format!(
        "SELECT value1,value2,value3 FROM dispositions WHERE campaign = '{}'",
        name.replace('\'', "''")
    ))
}

impl Client {
    /// The disposition rows of `campaign` from the `dispositions` table (forms/FormGet), through the DSN `dsn`
    /// (`Repo` or `Data` on most instances). Needs a user allowed to run FormGet; prefer a read-only API user.
    pub async fn disposition_rows(
        &self,
        campaign: &Campaign,
        dsn: &str,
    ) -> Result<Vec<DispositionRow>> {
        let query = disposition_query(campaign)?;
        let dsn = dsn.trim();
        if dsn.is_empty()
            || !dsn
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            return Err(Error::invalid(
                "dsn",
                format!("{dsn:?} is not a data source name (letters, digits, _ - .)"),
            ));
        }
        let form = Form::new().field("query", query).field("dsn", dsn);
        self.post_form("forms/FormGet", form).await?.expect_json()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_is_fixed_and_names_are_checked() {
        assert_eq!(
            disposition_query(&Campaign::new("Ventas->")).unwrap(),
            "SELECT value1,value2,value3 FROM dispositions WHERE campaign = 'Ventas->'"
        );
        assert_eq!(
            disposition_query(&Campaign::new("Atención Nº 2<-")).unwrap(),
            "SELECT value1,value2,value3 FROM dispositions WHERE campaign = 'Atención Nº 2<-'"
        );
        for hostile in [
            "x' OR '1'='1",
            "a;DROP TABLE dispositions",
            "a\\'",
            "",
            "a\"b",
            "a/*b*/",
            "a\nb",
        ] {
            assert!(
                disposition_query(&Campaign::new(hostile)).is_err(),
                "{hostile:?} must be refused"
            );
        }
    }
}
