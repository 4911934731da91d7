//! Recordings: search (Cdr/getrecords) one page at a time or as a stream that pages by itself; locating, fetching
//! and converting the audio files is in [`files`].

use futures_util::{Stream, TryStreamExt};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::form::Form;
use crate::types::{lenient_i64, lenient_string};

pub mod files;

pub use files::{date_folder, AudioFormat, FetchedRecording};

/// getrecords' filter object. Empty strings mean "any"; `type` is always `record`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordFilter {
    /// Start, `YYYY-MM-DD HH:MM:SS`.
    pub calldatei: String,
    /// End, `YYYY-MM-DD HH:MM:SS`.
    pub calldatef: String,
    /// Agent.
    pub agent: String,
    /// Campaign.
    pub campaign: String,
    /// Source number.
    pub source: String,
    /// Destination number.
    pub destination: String,
    /// Call tag data.
    pub data: String,
    /// Hour range.
    pub range: String,
    /// Qualification.
    pub rating: String,
    /// Minimum duration.
    pub mindur: String,
    /// Number to exclude.
    pub exclude: String,
    /// Always `record`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Minimum times the number appears in the range.
    pub cont: String,
}

impl RecordFilter {
    /// A filter for the calls between two date-times (`YYYY-MM-DD HH:MM:SS`), everything else open.
    pub fn between(from: impl Into<String>, to: impl Into<String>) -> Self {
        Self {
            calldatei: from.into(),
            calldatef: to.into(),
            agent: String::new(),
            campaign: String::new(),
            source: String::new(),
            destination: String::new(),
            data: String::new(),
            range: String::new(),
            rating: String::new(),
            mindur: String::new(),
            exclude: String::new(),
            kind: "record".into(),
            cont: String::new(),
        }
    }
}

/// One recorded call. Numbers may come as strings; fields the client does not model are kept in `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recording {
    /// The call's GUID (also the recording's file name).
    #[serde(alias = "uniqueid", deserialize_with = "lenient_string::deserialize")]
    pub guid: String,
    /// When the call happened, as the server wrote it.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub calldate: String,
    /// Agent.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub agent: String,
    /// Campaign.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub campaign: String,
    /// Calling number.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub source: String,
    /// Called number.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub destination: String,
    /// Seconds.
    #[serde(default, deserialize_with = "lenient_i64::deserialize")]
    pub duration: i64,
    /// Everything else the server sent.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// One page of search results.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordPage {
    /// The rows.
    pub records: Vec<Recording>,
    /// The `lastrow` this page was asked with (rows skipped).
    pub lastrow: u32,
    /// The page size asked for (`searchLimit`).
    pub limit: u32,
}

impl RecordPage {
    /// True when the server had no more rows than this page.
    pub fn is_last(&self) -> bool {
        (self.records.len() as u32) < self.limit
    }

    /// The `lastrow` of the next page.
    pub fn next_lastrow(&self) -> u32 {
        self.lastrow.saturating_add(self.limit)
    }
}

const GET_RECORDS: &str = "Cdr/getrecords";

impl Client {
    /// One page of recordings (Cdr/getrecords): `lastrow` rows are skipped, at most `limit` come back. `Random=1` is
    /// always sent, as the reference requires.
    pub async fn get_records(
        &self,
        filter: &RecordFilter,
        lastrow: u32,
        limit: u32,
    ) -> Result<RecordPage> {
        if limit == 0 {
            return Err(Error::invalid("searchLimit", "must be at least 1"));
        }
        let form = Form::new()
            .field("lastrow", lastrow.to_string())
            .field("searchLimit", limit.to_string())
            .json("filter", filter)?
            .field("Random", "1");
        let records = self
            .post_form(GET_RECORDS, form)
            .await?
            .expect_json::<Vec<Recording>>()?;
        Ok(RecordPage {
            records,
            lastrow,
            limit,
        })
    }

    /// Every recording matching `filter`, fetched `page_size` at a time as the stream is read. The stream ends after
    /// a short page. A server that ignores `lastrow` would repeat the same page forever, so a page identical to the
    /// previous one ends the stream with an error instead.
    pub fn records(
        &self,
        filter: RecordFilter,
        page_size: u32,
    ) -> impl Stream<Item = Result<Recording>> + Send + 'static {
        let client = self.clone();
        let pages = futures_util::stream::try_unfold(
            (Some(0u32), None::<Vec<Recording>>),
            move |(next, previous)| {
                let (client, filter) = (client.clone(), filter.clone());
                async move {
                    let Some(lastrow) = next else { return Ok(None) };
                    let page = client.get_records(&filter, lastrow, page_size).await?;
                    if !page.records.is_empty() && previous.as_ref() == Some(&page.records) {
                        return Err(Error::UnexpectedBody {
                            endpoint: GET_RECORDS,
                            status: 200,
                            body: format!(
                                "the same {} rows again at lastrow {lastrow}",
                                page.records.len()
                            ),
                            expected: "the next page (the server seems to ignore lastrow)",
                        });
                    }
                    let following = (!page.is_last()).then(|| page.next_lastrow());
                    let rows = page.records;
                    Ok(Some((rows.clone(), (following, Some(rows)))))
                }
            },
        );
        pages
            .map_ok(|rows| futures_util::stream::iter(rows.into_iter().map(Ok)))
            .try_flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recordings_parse_with_numbers_as_strings_aliases_and_unknown_fields() {
        let json = r#"[{"uniqueid":"g1","calldate":"2016-01-18 10:00:00.0","duration":"42","agent":"alice","rating":5},
                      {"guid":"g2","duration":null,"source":1001}]"#;
        let rows: Vec<Recording> = serde_json::from_str(json).unwrap();
        assert_eq!((rows[0].guid.as_str(), rows[0].duration), ("g1", 42));
        assert_eq!(rows[0].extra["rating"], 5);
        assert_eq!(
            (
                rows[1].duration,
                rows[1].source.as_str(),
                rows[1].campaign.as_str()
            ),
            (0, "1001", "")
        );
        assert!(
            serde_json::from_str::<Vec<Recording>>(r#"[{"calldate":"x"}]"#).is_err(),
            "a row needs its guid"
        );
    }

    #[test]
    fn the_filter_serializes_as_the_reference_object() {
        let filter = RecordFilter::between("2015-12-03 00:00:00", "2016-02-24 23:59:59");
        let value = serde_json::to_value(&filter).unwrap();
        assert_eq!(value["type"], "record");
        assert_eq!(value["calldatei"], "2015-12-03 00:00:00");
        assert_eq!(value.as_object().unwrap().len(), 13);
    }

    #[test]
    fn a_short_page_is_the_last() {
        let page = |n: usize| RecordPage {
            records: vec![serde_json::from_str(r#"{"guid":"g"}"#).unwrap(); n],
            lastrow: 50,
            limit: 50,
        };
        assert!(!page(50).is_last());
        assert!(page(49).is_last() && page(0).is_last());
        assert_eq!(page(50).next_lastrow(), 100);
    }
}
