//! The streamed base upload (Dialers/uploadbase and Dialers/uploadbasewithtimezone).
//!
//! The reference wants the whole file base64-encoded inside one form field. A 1,000,000-row base is about 60 MB,
//! 80 MB as base64 and more once percent-encoded, so nothing here holds it: a first pass checks and counts the rows
//! (`cant` comes before the file), then the body is produced while it is sent — the other fields, then the file read
//! in chunks of 3·N bytes (so each chunk's base64 has no padding and the pieces concatenate into one valid base64
//! text), each chunk base64-encoded and percent-encoded on its own. The first pass also measures the exact length
//! of that body (see `length`), so it goes out with a `Content-Length` rather than chunked: servers, proxies and
//! servlet containers that need a length (or answer 411) get one.

use std::path::Path;
use std::sync::Arc;

use base64::Engine;
use bytes::Bytes;
use futures_util::{stream, Stream, StreamExt};
use tokio::io::AsyncReadExt;

use super::{count_and_measure, io_error};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::form::{encode, encode_value, required};
use crate::types::Campaign;

/// What to upload, besides the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUpload {
    /// The dialer campaign.
    pub campaign: Campaign,
    /// The user doing the upload.
    pub username: String,
    /// File name as the server should record it (default: the local file's name).
    pub filename: Option<String>,
    /// A uContact timezone name; when set, the upload goes to uploadbasewithtimezone.
    pub timezone: Option<String>,
}

/// Progress callback: bytes of the file sent so far, and the file size.
pub type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// File bytes per chunk: a multiple of 3 (no base64 padding mid-stream), about 64 KiB.
pub(crate) const CHUNK: usize = 3 * 21_846;

impl Client {
    /// Uploads a dialer base (Dialers/uploadbase, or uploadbasewithtimezone when `upload.timezone` is set). The file
    /// is checked line by line first, so a bad base is refused, naming the line, before anything is sent; then it
    /// is streamed (see the module documentation). Uses the builder's upload timeout.
    pub async fn upload_base(&self, upload: &BaseUpload, path: &Path) -> Result<()> {
        self.upload_base_reporting(upload, path, None).await
    }

    /// [`Client::upload_base`] to Dialers/uploadbasewithtimezone with `timezone`.
    pub async fn upload_base_with_timezone(
        &self,
        upload: &BaseUpload,
        path: &Path,
        timezone: &str,
    ) -> Result<()> {
        required("timezone", timezone)?;
        let upload = BaseUpload {
            timezone: Some(timezone.to_string()),
            ..upload.clone()
        };
        self.upload_base_reporting(&upload, path, None).await
    }

    /// [`Client::upload_base`] calling `progress` as the file goes out.
    pub async fn upload_base_with_progress(
        &self,
        upload: &BaseUpload,
        path: &Path,
        progress: Progress,
    ) -> Result<()> {
        self.upload_base_reporting(upload, path, Some(progress))
            .await
    }

    async fn upload_base_reporting(
        &self,
        upload: &BaseUpload,
        path: &Path,
        progress: Option<Progress>,
    ) -> Result<()> {
        required("campaign", upload.campaign.as_str())?;
        required("username", &upload.username)?;
        if let Some(tz) = &upload.timezone {
            required("timezone", tz)?;
        }
        let filename = upload
            .filename
            .clone()
            .or_else(|| path.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "base.txt".into());
        required("filename", &filename)?;
        let (rows, measured) = count_and_measure(path).await?;
        let file = tokio::fs::File::open(path)
            .await
            .map_err(|e| io_error(path, e))?;
        let size = measured.file_bytes();
        let rows_text = rows.to_string();
        let mut fields = vec![
            ("filename", filename.as_str()),
            ("campaign", upload.campaign.as_str()),
            ("cant", rows_text.as_str()),
            ("username", upload.username.as_str()),
        ];
        let endpoint = match &upload.timezone {
            Some(tz) => {
                fields.push(("timezone", tz.as_str()));
                "Dialers/uploadbasewithtimezone"
            }
            None => "Dialers/uploadbase",
        };
        let prefix = format!("{}&fileb64=", encode(fields));
        let length = prefix.len() as u64 + measured.total();
        let body = reqwest::Body::wrap_stream(form_body(prefix, file, size, length, progress));
        self.post_stream(endpoint, body, length)
            .await
            .map_err(|e| tell_io(e, path))?
            .expect_one()
    }
}

/// A read error while streaming reaches reqwest as a body error; say it was the file, not the network.
fn tell_io(err: Error, path: &Path) -> Error {
    match err {
        Error::Transport { detail, .. } if detail.starts_with(READ_FAILED) => Error::Io {
            detail: format!("{}: {}", path.display(), &detail[READ_FAILED.len()..]),
        },
        other => other,
    }
}

const READ_FAILED: &str = "reading the base file: ";

/// The form body as a stream: `prefix`, then the file as percent-encoded base64, chunk by chunk. `length` is the
/// measured length sent as `Content-Length`: a file that changed since it was measured ends the stream with an
/// error rather than a body of another length (which the server would cut or wait for).
pub(crate) fn form_body(
    prefix: String,
    file: impl tokio::io::AsyncRead + Unpin + Send + 'static,
    size: u64,
    length: u64,
    progress: Option<Progress>,
) -> impl Stream<Item = std::io::Result<Bytes>> + Send + 'static {
    let emitted = prefix.len() as u64;
    let first = stream::once(async move { Ok(Bytes::from(prefix)) });
    let rest = stream::try_unfold(
        (file, vec![0u8; CHUNK], 0u64, emitted),
        move |(mut file, mut buf, mut sent, mut emitted)| {
            let progress = progress.clone();
            async move {
                let filled = fill(&mut file, &mut buf)
                    .await
                    .map_err(|e| std::io::Error::new(e.kind(), format!("{READ_FAILED}{e}")))?;
                if filled == 0 {
                    return match emitted == length {
                        true => Ok(None),
                        false => Err(changed()),
                    };
                }
                sent += filled as u64;
                if let Some(report) = &progress {
                    report(sent.min(size), size);
                }
                let b64 = base64::engine::general_purpose::STANDARD.encode(&buf[..filled]);
                let chunk = Bytes::from(encode_value(&b64));
                emitted += chunk.len() as u64;
                if emitted > length {
                    return Err(changed());
                }
                Ok(Some((chunk, (file, buf, sent, emitted))))
            }
        },
    );
    first.chain(rest)
}

fn changed() -> std::io::Error {
    std::io::Error::other(format!(
        "{READ_FAILED}the file changed while it was being sent (it no longer has the length measured before); \
         nothing was uploaded: send it again"
    ))
}

/// Reads until `buf` is full or the file ends: a short read mid-file would put base64 padding mid-stream.
async fn fill(
    file: &mut (impl tokio::io::AsyncRead + Unpin),
    buf: &mut [u8],
) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]).await? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::atomic::{AtomicU64, Ordering};

    fn measured(content: &[u8]) -> u64 {
        let mut length = super::super::length::EncodedLength::default();
        length.feed(content);
        length.total()
    }

    async fn body_of(content: &[u8], progress: Option<Progress>) -> (Vec<usize>, Vec<u8>) {
        let prefix = "cant=2&fileb64=";
        let chunks: Vec<Bytes> = form_body(
            prefix.into(),
            std::io::Cursor::new(content.to_vec()),
            content.len() as u64,
            prefix.len() as u64 + measured(content),
            progress,
        )
        .map(|c| c.unwrap())
        .collect()
        .await;
        let sizes = chunks.iter().map(Bytes::len).collect();
        (sizes, chunks.concat())
    }

    #[tokio::test]
    async fn streamed_body_decodes_to_the_file_whatever_its_size() {
        for len in [0, 1, 2, 3, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 2] {
            let content: Vec<u8> = (0..len).map(|i| (i * 7 % 256) as u8).collect();
            let (_, body) = body_of(&content, None).await;
            let fields: std::collections::HashMap<String, String> =
                form_urlencoded::parse(&body).into_owned().collect();
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(&fields["fileb64"])
                .unwrap();
            assert_eq!(decoded, content, "{len} bytes");
            assert_eq!(fields["cant"], "2");
        }
    }

    #[tokio::test]
    async fn a_file_that_changed_since_it_was_measured_ends_the_body_with_an_error() {
        let measured_for = |content: &[u8]| 2 + measured(content);
        for (measured_content, sent_content) in [
            (&b"c;099123456\n"[..], &b"c;099123456\nc;099123457\n"[..]),
            (b"c;099123456\nc;099123457\n", b"c;099123456\n"),
        ] {
            let items: Vec<std::io::Result<Bytes>> = form_body(
                "a=".into(),
                std::io::Cursor::new(sent_content.to_vec()),
                sent_content.len() as u64,
                measured_for(measured_content),
                None,
            )
            .collect()
            .await;
            let err = items.into_iter().find_map(Result::err).expect("an error");
            assert!(err.to_string().contains("the file changed"), "{err}");
        }
    }

    #[tokio::test]
    async fn chunks_stay_small_and_progress_reaches_the_size() {
        let mut content = Vec::new();
        for i in 0..50_000 {
            writeln!(content, "Ventas->;09{i:07};id={i};;{};", i % 10).unwrap();
        }
        let seen = Arc::new(AtomicU64::new(0));
        let report = seen.clone();
        let progress: Progress = Arc::new(move |sent, size| {
            assert!(sent <= size);
            report.store(sent, Ordering::SeqCst);
        });
        let (sizes, _) = body_of(&content, Some(progress)).await;
        assert!(sizes.len() > 10, "the file went out in many pieces");
        // base64 is 4/3 of the input, percent-encoding at most triples a character.
        assert!(
            sizes.iter().all(|&s| s <= CHUNK * 4),
            "{:?}",
            sizes.iter().max()
        );
        assert_eq!(seen.load(Ordering::SeqCst), content.len() as u64);
    }
}
