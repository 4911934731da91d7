//! Fuzz targets for what pages and the portal push at the app: click-to-dial links and the bridge's request
//! bodies (CTI JSON and encrypted CTI blobs are the `cti` crate's targets). Each checks the promise its parser
//! makes, not only "no panic".

use bridge::BridgeRequest;
use bridge::{parse_action, parse_cti, parse_event, PortalEvent, PortalEventKind};
use dial_links::{dial_request, parse_link};
use phone_number::normalize;

/// A `tel:`/`callto:` link or a launch's arguments: a number that comes out is one a typed number would give.
pub fn link(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(number) = parse_link(&text) {
        assert_eq!(
            normalize(number.as_str())
                .expect("a link's number is valid")
                .as_str(),
            number.as_str()
        );
    }
    let args: Vec<&str> = std::iter::once("ucontact-agent-companion")
        .chain(text.split('\n'))
        .collect();
    if let Some(Ok(number)) = dial_request(&args) {
        assert!(normalize(number.as_str()).is_ok());
    }
}

/// A bridge request body, on the three routes: what is accepted is a request the app can act on.
pub fn bridge_request(data: &[u8]) {
    for parsed in [parse_cti(data), parse_action(data), parse_event(data)] {
        match parsed {
            Ok(BridgeRequest::Cti(value)) => {
                assert!(value.as_object().is_some_and(|o| !o.is_empty()), "{value}")
            }
            Ok(BridgeRequest::Call { destination, .. }) => assert!(!destination.trim().is_empty()),
            Ok(BridgeRequest::Tag { guid, message }) => {
                assert!(!guid.trim().is_empty() && !message.is_empty())
            }
            Ok(BridgeRequest::Respool(value)) => assert!(value.is_object()),
            Ok(BridgeRequest::Schedule { dialer, .. }) => assert!(dialer.is_object()),
            Ok(BridgeRequest::Portal(event)) => portal_event(&event),
            Ok(BridgeRequest::Hangup) | Err(_) => {}
        }
    }
}

/// A portal event the desk can act on: a ring names its call, and every field it read is trimmed text.
fn portal_event(event: &PortalEvent) {
    if event.kind == PortalEventKind::Ringing {
        assert!(event.guid.is_some(), "{event:?}");
    }
    for text in [&event.guid, &event.campaign, &event.number, &event.channel]
        .into_iter()
        .flatten()
    {
        assert!(!text.is_empty() && text.trim() == text, "{event:?}");
    }
}
