//! Recording files: the four places the reference says a recording may be, the GSM fallback, and the server-side
//! conversion (Supervisor/convert).
//!
//! Files are plain GETs on the recording hosts (the telephony host, then the backup host), without the session
//! token: those may be other machines, and the reference plays them with a bare `<audio>` URL.

use serde::Serialize;
use url::Url;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::form::{required, Form};
use crate::reply::{looks_like_html, status_error};

/// The pseudo-endpoint named in errors about recording files.
const FILES: &str = "records";

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
    let valid = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok();
    if valid {
        Ok(date.replace('-', ""))
    } else {
        Err(Error::invalid(
            "calldate",
            format!("{calldate:?} does not start with a YYYY-MM-DD date"),
        ))
    }
}

fn check_guid(guid: &str) -> Result<&str> {
    let guid = guid.trim();
    let ok = !guid.is_empty()
        && guid
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok && !guid.starts_with('.') {
        Ok(guid)
    } else {
        Err(Error::invalid("guid", format!("{guid:?} is not a call id")))
    }
}

impl Client {
    /// The MP3 candidates of a recording, in the order to try them; see [`Client::recording_urls_for`].
    pub fn recording_urls(&self, guid: &str, calldate: &str) -> Vec<Url> {
        self.recording_urls_for(guid, calldate, AudioFormat::Mp3)
    }

    /// The places a recording may be: the telephony host's `records/<guid>.<ext>` and its date folder
    /// `records/YYYYMMDD/<guid>.<ext>`, then the backup host's date folder and its `records/`. Duplicates (one host
    /// for both roles) are left out, and so are the date folders when `calldate` has no date. The GUID is always one
    /// path segment (`/` in it would be escaped).
    pub fn recording_urls_for(&self, guid: &str, calldate: &str, format: AudioFormat) -> Vec<Url> {
        let hosts = self.recordings_hosts();
        let telephony = &hosts[0];
        let backup = hosts.get(1).unwrap_or(telephony);
        let folder = date_folder(calldate).ok();
        let file = format!("{}.{}", guid.trim(), format.extension());
        let mut urls: Vec<Url> = Vec::with_capacity(4);
        for (host, dated) in [
            (telephony, false),
            (telephony, true),
            (backup, true),
            (backup, false),
        ] {
            let segments: Vec<&str> = match (&folder, dated) {
                (Some(folder), true) => vec!["records", folder, &file],
                (None, true) => continue,
                (_, false) => vec!["records", &file],
            };
            let mut url = host.clone();
            match url.path_segments_mut() {
                Ok(mut path) => {
                    path.pop_if_empty().extend(segments);
                }
                Err(()) => continue,
            }
            if !urls.contains(&url) {
                urls.push(url);
            }
        }
        urls
    }

    /// Downloads a recording: MP3 from each candidate place, then GSM from the same places. A place that answers
    /// 404, an HTML page, or an error (a backup host may be down while the other works) is skipped; when no place
    /// has the file the result is `NotFound`, or the last error seen if a place failed.
    pub async fn fetch_recording(&self, guid: &str, calldate: &str) -> Result<FetchedRecording> {
        let guid = check_guid(guid)?;
        let mut failure = None;
        for format in [AudioFormat::Mp3, AudioFormat::Gsm] {
            for url in self.recording_urls_for(guid, calldate, format) {
                match self.download(&url).await {
                    Ok(Some(bytes)) => return Ok(FetchedRecording { url, format, bytes }),
                    Ok(None) => {}
                    Err(err) => {
                        tracing::debug!(%url, error = %err, "recording place failed");
                        failure = Some(err);
                    }
                }
            }
        }
        Err(failure.unwrap_or(Error::NotFound { endpoint: FILES }))
    }

    /// One GET: `Some(file)`, `None` when it is not there, or the error.
    async fn download(&self, url: &Url) -> Result<Option<bytes::Bytes>> {
        let response = self
            .http()
            .get(url.clone())
            .timeout(self.transfer_timeout())
            .send()
            .await
            .map_err(|e| self.network_error(FILES, url, e))?;
        let status = response.status().as_u16();
        if status == 407 {
            return Err(self.proxy_refusal(FILES, url));
        }
        let bytes = response
            .bytes()
            .await
            .map_err(|e| Error::from_reqwest(FILES, e))?;
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).into_owned();
        match status {
            404 => Ok(None),
            // A web server's "not here" page served with 200 is not a recording.
            200..=299 if bytes.is_empty() || looks_like_html(&head) => Ok(None),
            200..=299 => Ok(Some(bytes)),
            _ => Err(status_error(FILES, status, &head, None)),
        }
    }

    /// Asks the server to convert a GSM recording to MP3 (Supervisor/convert). `folder` is the date folder
    /// (`YYYYMMDD`, see [`date_folder`]) where the recording is, or empty. Then fetch the MP3 again.
    pub async fn convert_recording(&self, guid: &str, folder: &str) -> Result<()> {
        required("guid", guid)?;
        let guid = check_guid(guid)?;
        let folder = folder.trim();
        if !(folder.is_empty() || (folder.len() == 8 && folder.bytes().all(|b| b.is_ascii_digit())))
        {
            return Err(Error::invalid(
                "folder",
                format!("{folder:?} is not a YYYYMMDD folder"),
            ));
        }
        let form = Form::new().field("guid", guid).field("folder", folder);
        self.post_form("Supervisor/convert", form)
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
        assert_eq!(date_folder("2016-01-18").unwrap(), "20160118");
        assert!(date_folder("18/01/2016").is_err());
        assert!(date_folder("2016-13-01 00:00:00").is_err());
    }

    fn urls(client: &Client, guid: &str, calldate: &str, format: AudioFormat) -> Vec<String> {
        client
            .recording_urls_for(guid, calldate, format)
            .into_iter()
            .map(String::from)
            .collect()
    }

    #[test]
    fn four_candidate_urls_in_order_with_two_hosts() {
        let client = Client::builder("https://pbx.example")
            .recordings_hosts(["https://pbx.example", "https://backup.example/store"])
            .build()
            .unwrap();
        assert_eq!(
            urls(
                &client,
                "7e4e7db9-f080",
                "2016-01-18 10:00:00",
                AudioFormat::Mp3
            ),
            [
                "https://pbx.example/records/7e4e7db9-f080.mp3",
                "https://pbx.example/records/20160118/7e4e7db9-f080.mp3",
                "https://backup.example/store/records/20160118/7e4e7db9-f080.mp3",
                "https://backup.example/store/records/7e4e7db9-f080.mp3",
            ]
        );
        assert_eq!(client.recording_urls("g", "2016-01-18").len(), 4);
    }

    #[test]
    fn one_host_gives_two_places_and_no_date_gives_no_folder() {
        let client = Client::builder("https://pbx.example").build().unwrap();
        assert_eq!(
            urls(&client, "g1", "2016-01-18 10:00:00", AudioFormat::Gsm),
            [
                "https://pbx.example/records/g1.gsm",
                "https://pbx.example/records/20160118/g1.gsm"
            ]
        );
        assert_eq!(
            urls(&client, "g1", "", AudioFormat::Mp3),
            ["https://pbx.example/records/g1.mp3"]
        );
        let hostile = urls(&client, "../../etc/passwd", "", AudioFormat::Mp3);
        assert_eq!(
            hostile,
            ["https://pbx.example/records/..%2F..%2Fetc%2Fpasswd.mp3"]
        );
    }

    #[test]
    fn guids_must_look_like_call_ids() {
        assert!(check_guid("7e4e7db9-f080-494e-b04b-7c8e47711558").is_ok());
        assert!(
            check_guid("1454335842.123").is_ok(),
            "Asterisk unique ids have a dot"
        );
        for bad in ["", "../x", ".hidden", "a b", "a/b"] {
            assert!(check_guid(bad).is_err(), "{bad:?}");
        }
    }
}
