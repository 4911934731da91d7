//! Reads `GET /v1/events` the way a page's `fetch()` does: the body as it arrives, cut into SSE frames. Every
//! wait has a deadline, so a stream that never sends fails the test instead of hanging it.

use std::pin::Pin;
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use reqwest::StatusCode;
use serde_json::Value;

use crate::support::ORIGIN;

/// Longer than any wait a passing test has.
pub const PATIENCE: Duration = Duration::from_secs(5);

type Body = Pin<Box<dyn Stream<Item = reqwest::Result<axum::body::Bytes>> + Send>>;

/// One frame: its fields, or only comments (`id`, `event` and `data` all empty).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Frame {
    pub id: Option<String>,
    pub event: Option<String>,
    pub data: Option<String>,
    pub comments: Vec<String>,
}

impl Frame {
    pub fn json(&self) -> Value {
        serde_json::from_str(self.data.as_deref().expect("the frame has data")).unwrap()
    }
}

pub struct EventReader {
    body: Body,
    pending: String,
    /// Everything read, as sent.
    pub raw: String,
}

impl EventReader {
    /// The stream of a `200` answer, after checking its headers.
    pub fn open(response: reqwest::Response) -> Self {
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers();
        assert_eq!(headers["content-type"], "text/event-stream");
        assert_eq!(headers["cache-control"], "no-store");
        assert_eq!(headers["access-control-allow-origin"], ORIGIN);
        Self {
            body: Box::pin(response.bytes_stream()),
            pending: String::new(),
            raw: String::new(),
        }
    }

    /// The next frame, comments included; `None` when the stream ended cleanly.
    pub async fn frame(&mut self) -> Option<Frame> {
        loop {
            if let Some(end) = self.pending.find("\n\n") {
                let text: String = self.pending.drain(..end + 2).collect();
                return Some(parse(&text));
            }
            let chunk = tokio::time::timeout(PATIENCE, self.body.next())
                .await
                .expect("the stream sent nothing in time");
            match chunk {
                Some(Ok(bytes)) => {
                    let text = std::str::from_utf8(&bytes).unwrap();
                    self.raw.push_str(text);
                    self.pending.push_str(text);
                }
                Some(Err(err)) => panic!("the stream broke instead of ending: {err}"),
                None => {
                    assert!(
                        self.pending.is_empty(),
                        "a frame was cut: {:?}",
                        self.pending
                    );
                    return None;
                }
            }
        }
    }

    /// The next event (frames with only comments, greeting and keep-alives, skipped).
    pub async fn event(&mut self) -> Option<Frame> {
        loop {
            let frame = self.frame().await?;
            if frame.event.is_some() || frame.data.is_some() {
                return Some(frame);
            }
        }
    }

    /// Whether the stream ends (cleanly) before another event comes.
    pub async fn ends(&mut self) -> bool {
        self.event().await.is_none()
    }
}

fn parse(text: &str) -> Frame {
    let mut frame = Frame::default();
    for line in text.lines().filter(|l| !l.is_empty()) {
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value).to_string();
        match field {
            "" => frame.comments.push(value),
            "id" => frame.id = Some(value),
            "event" => frame.event = Some(value),
            "data" => {
                frame.data = Some(match frame.data.take() {
                    Some(before) => format!("{before}\n{value}"),
                    None => value,
                })
            }
            other => panic!("unexpected field {other:?} in {text:?}"),
        }
    }
    frame
}
