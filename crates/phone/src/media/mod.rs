//! One call's media: ICE, DTLS-SRTP and RTP through webrtc-rs's sans-IO `rtc` peer connection, with the WebRTC
//! profile Asterisk uses for a `wss` peer (the browser's: ICE, `UDP/TLS/RTP/SAVPF`, rtcp-mux, a sha-256
//! fingerprint, answering `a=setup:actpass` as the DTLS client). G.711 only; RFC 4733 digits both ways.
//!
//! The peer connection is driven by one task per call that owns the UDP sockets (one per local address, so each
//! host candidate is the socket it names), the TURN allocation if there is one (what rtc sends from the relayed
//! address goes through the server's relay), the audio port and the RTP numbering. Hold and the far end's re-INVITEs
//! renegotiate on the same peer connection, so the ICE credentials and the DTLS association stay: no ICE restart
//! and no second handshake.

pub(crate) mod candidates;
pub(crate) mod dtmf;
mod engine;
mod gather;
mod relay;
pub(crate) mod sdp;
mod session;

pub(crate) use dtmf::event_code;
pub(crate) use sdp::direction;

/// True when an offer has G.711 audio the phone can answer (else 488 before ringing).
pub(crate) fn offers_g711(offer: &str) -> bool {
    sdp::negotiated(offer).is_some()
}
pub(crate) use session::{MediaCall, MediaEvent};

/// Why a call's media could not be set up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    /// The offer has no G.711 (the phone answers 488).
    #[error("the call offers no codec this phone speaks (G.711 µ-law or A-law)")]
    NoCommonCodec,
    /// The offer or answer could not be used.
    #[error("the call's session description could not be used: {0}")]
    Sdp(String),
    /// No local address to receive media on.
    #[error("no network address to receive the call's audio on: {0}")]
    Network(String),
    /// The microphone or speaker could not be opened.
    #[error("the audio devices could not be opened: {0}")]
    Devices(String),
    /// The media task ended.
    #[error("the call's media has ended")]
    Ended,
}
