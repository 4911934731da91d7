//! Recordings: search (Cdr/getrecords) with pagination, locating the file among the four documented places,
//! the GSM fallback, and server-side conversion (Supervisor/convert).

use futures_util::{Stream, TryStreamExt};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::client::{looks_like_html, Auth, Client};
use crate::error::{Error, Result};
use crate::form::Form;
use crate::types::{lenient_i64, lenient_string};

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

/// One recorded call. Fields the client does not model are kept in `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recording {
    /// The call's GUID (also the recording's file name).
    #[serde(alias = "uniqueid", deserialize_with = "lenient_string::deserialize")]
    pub guid: String,
    /// When the call happened.
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
    /// The `lastrow` this page was asked with.
    pub lastrow: u32,
    /// The page size asked for.
    pub limit: u32,
}

impl RecordPage {
    /// True when the server had no more rows than this page.
    pub fn is_last(&self) -> bool {
        (self.records.len() as u32) < self.limit
    }
}

/// The audio format of a recording file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AudioFormat {
    /// MP3.
    Mp3,
    /// GSM (convert it with Supervisor/convert, or play it as is).
    Gsm,
}

impl AudioFormat {
    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            AudioFormat::Mp3 => "mp3",
            AudioFormat::Gsm => "gsm",
        }
    }
}

/// A recording file that was found.
#[derive(Debug, Clone)]
pub struct FetchedRecording {
    /// Where it was found.
    pub url: Url,
    /// Its format.
    pub format: AudioFormat,
    /// The file.
    pub bytes: bytes::Bytes,
}

/// The date folder of a recording: the call date without hyphens or time (`2016-01-18 10:00:00` → `20160118`).
pub fn date_folder(calldate: &str) -> Result<String> {
    let date = calldate.trim().get(..10).unwrap_or("");
    let folder: String = date.chars().filter(|c| *c != '-').collect();
    if folder.len() == 8 && folder.bytes().all(|b| b.is_ascii_digit()) {
        Ok(folder)
    } else {
        Err(Error::invalid(
            "calldate",
            format!("{calldate:?} does not start with a YYYY-MM-DD date"),
        ))
    }
}

impl Client {
    /// One page of recordings (Cdr/getrecords): rows `lastrow+1 ..= lastrow+limit`.
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
            .post_form("Cdr/getrecords", form, Auth::Token)
            .await?
            .expect_json::<Vec<Recording>>()?;
        Ok(RecordPage {
            records,
            lastrow,
            limit,
        })
    }

    /// Every recording matching `filter`, fetched page by page as the stream is read.
    pub fn records(
        &self,
        filter: RecordFilter,
        page_size: u32,
    ) -> impl Stream<Item = Result<Recording>> + '_ {
        let pages = futures_util::stream::try_unfold(Some(0u32), move |next| {
            let filter = filter.clone();
            async move {
                let Some(lastrow) = next else { return Ok(None) };
                let page = self.get_records(&filter, lastrow, page_size).await?;
                let following = (!page.is_last()).then(|| lastrow + page_size);
                Ok(Some((page.records, following)))
            }
        });
        pages
            .map_ok(|rows| futures_util::stream::iter(rows.into_iter().map(Ok)))
            .try_flatten()
    }

    /// The four places a recording may be, in the order to try them: the telephony host's `records/` and its date
    /// folder, then the backup host's date folder and its `records/`.
    pub fn recording_urls(
        &self,
        guid: &str,
        calldate: &str,
        format: AudioFormat,
    ) -> Result<Vec<Url>> {
        let guid = guid.trim();
        if guid.is_empty()
            || !guid
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        {
            return Err(Error::invalid("guid", format!("{guid:?} is not a call id")));
        }
        let folder = date_folder(calldate)?;
        let hosts = self.recordings_hosts();
        let telephony = &hosts[0];
        let backup = hosts.get(1).unwrap_or(telephony);
        let file = format!("{guid}.{}", format.extension());
        let mut urls = Vec::with_capacity(4);
        for (host, path) in [
            (telephony, format!("records/{file}")),
            (telephony, format!("records/{folder}/{file}")),
            (backup, format!("records/{folder}/{file}")),
            (backup, format!("records/{file}")),
        ] {
            let url = host
                .join(&path)
                .map_err(|e| Error::invalid("recordings host", e.to_string()))?;
            if !urls.contains(&url) {
                urls.push(url);
            }
        }
        Ok(urls)
    }

    /// Downloads a recording: MP3 from the four places, then GSM from the same places. The session token is not
    /// sent to recording hosts, which may be other machines.
    pub async fn fetch_recording(&self, guid: &str, calldate: &str) -> Result<FetchedRecording> {
        for format in [AudioFormat::Mp3, AudioFormat::Gsm] {
            for url in self.recording_urls(guid, calldate, format)? {
                let response = self
                    .http()
                    .get(url.clone())
                    .send()
                    .await
                    .map_err(|e| Error::from_reqwest("records", e))?;
                if response.status() == reqwest::StatusCode::NOT_FOUND {
                    continue;
                }
                let status = response.status().as_u16();
                let bytes = response
                    .bytes()
                    .await
                    .map_err(|e| Error::from_reqwest("records", e))?;
                if !(200..300).contains(&status) {
                    let body = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).into_owned();
                    return Err(Error::Status {
                        endpoint: "records",
                        status,
                        body,
                    });
                }
                if looks_like_html(&String::from_utf8_lossy(&bytes[..bytes.len().min(64)])) {
                    continue; // a web server's "not here" page served with 200
                }
                return Ok(FetchedRecording { url, format, bytes });
            }
        }
        Err(Error::NotFound {
            endpoint: "records",
        })
    }

    /// Asks the server to convert a GSM recording to MP3 (Supervisor/convert); `folder` is the date folder.
    pub async fn convert_recording(&self, guid: &str, folder: &str) -> Result<()> {
        crate::form::required("guid", guid)?;
        let form = Form::new().field("guid", guid).field("folder", folder);
        self.post_form("Supervisor/convert", form, Auth::Token)
            .await?
            .expect_one()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_folder_drops_hyphens_and_time() {
        assert_eq!(date_folder("2016-01-18 10:20:30").unwrap(), "20160118");
        assert!(date_folder("18/01/2016").is_err());
    }

    #[test]
    fn four_candidate_urls_in_order_with_two_hosts() {
        let client = Client::builder("https://pbx.example")
            .recordings_hosts(vec![
                "https://pbx.example".into(),
                "https://backup.example".into(),
            ])
            .build()
            .unwrap();
        let urls: Vec<String> = client
            .recording_urls("7e4e7db9-f080", "2016-01-18 10:00:00", AudioFormat::Mp3)
            .unwrap()
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(
            urls,
            [
                "https://pbx.example/records/7e4e7db9-f080.mp3",
                "https://pbx.example/records/20160118/7e4e7db9-f080.mp3",
                "https://backup.example/records/20160118/7e4e7db9-f080.mp3",
                "https://backup.example/records/7e4e7db9-f080.mp3",
            ]
        );
        assert!(client
            .recording_urls("../etc/passwd", "2016-01-18", AudioFormat::Mp3)
            .is_err());
    }

    #[test]
    fn recordings_parse_with_numbers_as_strings_and_unknown_fields() {
        let json = r#"[{"uniqueid":"g1","calldate":"2016-01-18 10:00:00","duration":"42","agent":"alice","rating":5}]"#;
        let rows: Vec<Recording> = serde_json::from_str(json).unwrap();
        assert_eq!((rows[0].guid.as_str(), rows[0].duration), ("g1", 42));
        assert_eq!(rows[0].extra["rating"], 5);
    }
}
