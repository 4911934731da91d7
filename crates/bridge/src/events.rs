//! The desk's call events on their way out to paired pages (`GET /v1/events`): what the app publishes
//! ([`BridgeEvent`]: an event name and its JSON, opaque to this crate) and the publisher ([`BridgeEvents`]), a
//! bounded broadcast channel every open stream listens on.
//!
//! The payload stays opaque on purpose: the app decides what a call event carries, the bridge only needs its name
//! for the SSE `event:` line. Events are not kept: a page that subscribes later does not get the ones before, and
//! one that falls more than the buffer behind is told how many it missed (`event: lagged`) and goes on.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;
use serde_json::Value;
use tokio::sync::broadcast;

use agent_error::{AgentError, Result};

/// Events a subscriber may fall behind by before it is told it missed some: a call makes a handful, so 64 only
/// fills when a page stops reading.
pub const DEFAULT_EVENT_BUFFER: usize = 64;

/// Open event streams at once: a few tabs of the CRM; more means a page reconnecting in a loop.
pub const DEFAULT_MAX_SUBSCRIBERS: usize = 8;

/// How often an idle stream gets a comment line, so proxies and the page see it is alive (and a closed page is
/// noticed when the write fails).
pub const DEFAULT_KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The name of the bridge's own notice to a subscriber that fell behind; the app cannot publish it.
pub const LAGGED_EVENT: &str = "lagged";

/// Longest event name: the desk's are a dozen letters.
const MAX_NAME_LEN: usize = 64;

/// One desk event as the app hands it over: a JSON object whose `event` member names it, e.g.
/// `{"event": "answered", "at": "…", "call": {…}}`. Cheap to clone (it is shared by every stream).
#[derive(Clone, PartialEq, Eq)]
pub struct BridgeEvent {
    name: Arc<str>,
    /// The JSON on one line, as the stream's `data:` line.
    data: Arc<str>,
}

impl fmt::Debug for BridgeEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The payload holds the customer's number: not for logs.
        f.debug_struct("BridgeEvent")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl BridgeEvent {
    /// The event in `payload`, named by its `event` member: lowercase letters, digits and `_`, starting with a
    /// letter (so it cannot break the SSE frame), and not `lagged`. `invalid_input` otherwise.
    pub fn from_value(payload: &Value) -> Result<Self> {
        let Some(name) = payload.get("event").and_then(Value::as_str) else {
            return Err(AgentError::invalid(
                "a bridge event is a JSON object with an \"event\" name",
            ));
        };
        let well_formed = name.len() <= MAX_NAME_LEN
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !well_formed || name == LAGGED_EVENT {
            return Err(AgentError::invalid(format!(
                "'{}' is not a bridge event name (lowercase letters, digits and _, not \"{LAGGED_EVENT}\")",
                name.chars().take(MAX_NAME_LEN).collect::<String>()
            )));
        }
        Ok(Self {
            name: name.into(),
            // Compact JSON escapes line breaks inside strings, so the data is one `data:` line.
            data: payload.to_string().into(),
        })
    }

    /// [`BridgeEvent::from_value`] of JSON text (as the shell serializes the desk's events).
    pub fn from_json(text: &str) -> Result<Self> {
        let payload: Value = serde_json::from_str(text)
            .map_err(|err| AgentError::invalid(format!("a bridge event is not JSON ({err})")))?;
        Self::from_value(&payload)
    }

    /// The event's name (the SSE `event:` line).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The event's JSON on one line (the SSE `data:` line).
    pub fn data(&self) -> &str {
        &self.data
    }
}

/// An event with its place in the sequence (the SSE `id:`), the same for every subscriber, so a gap after
/// `lagged` shows which were missed.
#[derive(Debug, Clone)]
pub(crate) struct Numbered {
    pub id: u64,
    pub event: BridgeEvent,
}

/// Publishes desk events to the pages subscribed to `GET /v1/events`. Clones publish into the same channel.
///
/// Make one before starting the bridge and pass it to [`crate::Bridge::start_with_events`] to keep publishing
/// through restarts of the bridge (settings changed); or use the one every [`crate::BridgeHandle`] has.
#[derive(Clone)]
pub struct BridgeEvents {
    sender: broadcast::Sender<Numbered>,
    /// The last id given; under the lock so ids enter the channel in order.
    last_id: Arc<Mutex<u64>>,
}

impl fmt::Debug for BridgeEvents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BridgeEvents")
            .field("subscribers", &self.subscribers())
            .field("published", &*self.last_id.lock())
            .finish()
    }
}

impl Default for BridgeEvents {
    fn default() -> Self {
        Self::new()
    }
}

impl BridgeEvents {
    /// A publisher whose subscribers may fall [`DEFAULT_EVENT_BUFFER`] events behind.
    pub fn new() -> Self {
        Self::with_buffer(DEFAULT_EVENT_BUFFER)
    }

    /// A publisher whose subscribers may fall `buffer` events behind (at least 1).
    pub fn with_buffer(buffer: usize) -> Self {
        let (sender, _) = broadcast::channel(buffer.max(1));
        Self {
            sender,
            last_id: Arc::new(Mutex::new(0)),
        }
    }

    /// Sends `event` to every open stream; returns how many there were. None is not an error: the event is
    /// dropped (nothing is kept for pages that subscribe later).
    pub fn publish(&self, event: BridgeEvent) -> usize {
        let mut last_id = self.last_id.lock();
        *last_id += 1;
        let numbered = Numbered {
            id: *last_id,
            event,
        };
        self.sender.send(numbered).unwrap_or(0)
    }

    /// How many streams are open now.
    pub fn subscribers(&self) -> usize {
        self.sender.receiver_count()
    }

    pub(crate) fn subscribe(&self) -> broadcast::Receiver<Numbered> {
        self.sender.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn events_are_named_by_their_event_member_and_kept_on_one_line() {
        let event = BridgeEvent::from_json(
            "{\n \"event\": \"answered\",\n \"call\": {\"campaign\": \"Ventas\\n->\"}\n}",
        )
        .unwrap();
        assert_eq!(event.name(), "answered");
        assert!(!event.data().contains('\n'));
        let back: Value = serde_json::from_str(event.data()).unwrap();
        assert_eq!(back["call"]["campaign"], "Ventas\n->");
    }

    #[test]
    fn names_that_could_break_the_frame_or_pose_as_the_bridge_are_refused() {
        for bad in [
            json!({"event": "answered\nevent: filed"}),
            json!({"event": "Answered"}),
            json!({"event": ""}),
            json!({"event": "lagged"}),
            json!({"event": "x".repeat(65)}),
            json!({"event": 3}),
            json!({"call": null}),
            json!("answered"),
        ] {
            assert!(BridgeEvent::from_value(&bad).is_err(), "{bad}");
        }
        assert!(BridgeEvent::from_json("{\"event\": ").is_err());
    }

    #[test]
    fn publishing_without_subscribers_is_fine_and_ids_keep_counting() {
        let events = BridgeEvents::with_buffer(4);
        let event = BridgeEvent::from_value(&json!({"event": "ringing"})).unwrap();
        assert_eq!(events.publish(event.clone()), 0);
        let mut receiver = events.subscribe();
        assert_eq!(events.publish(event), 1);
        let got = receiver.try_recv().unwrap();
        assert_eq!((got.id, got.event.name()), (2, "ringing"));
        assert!(
            receiver.try_recv().is_err(),
            "nothing before it is replayed"
        );
    }
}
