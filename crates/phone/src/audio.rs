//! What the phone needs of the audio, so the SIP and media code does not depend on sound devices: the shell plugs
//! the `voice` crate's `CallAudio` in (default microphone and speaker), tests plug in a port that plays and
//! records clips.

use tokio::sync::mpsc;

/// The G.711 variant a call settled on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioCodec {
    /// µ-law, RTP payload type 0.
    Pcmu,
    /// A-law, RTP payload type 8.
    Pcma,
}

impl AudioCodec {
    /// The static RTP payload type.
    pub fn payload_type(self) -> u8 {
        match self {
            AudioCodec::Pcmu => 0,
            AudioCodec::Pcma => 8,
        }
    }
}

/// One encoded 20 ms frame to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingAudio {
    /// 160 bytes of G.711.
    pub payload: Vec<u8>,
    /// The RTP timestamp counted from the call's first frame (0); the media adds the stream's random base.
    pub timestamp: u32,
    /// The RTP marker bit (the first frame, and the first after hold).
    pub marker: bool,
}

/// One call's audio: received payloads go in, muting and holding are told to it; encoded frames come out of the
/// receiver [`AudioDevices::open`] returned with it.
pub trait AudioPort: Send {
    /// A received RTP payload of the call's codec.
    fn receive(&self, sequence: u16, timestamp: u32, payload: &[u8]);
    /// The far end hears silence while muted.
    fn set_muted(&self, muted: bool);
    /// Nothing is sent or played while held.
    fn set_held(&self, held: bool);
}

/// Opens a call's audio once its codec is known.
pub trait AudioDevices: Send + Sync {
    /// The port and the frames it captures; the error says why the devices could not be opened.
    fn open(
        &self,
        codec: AudioCodec,
    ) -> Result<(Box<dyn AudioPort>, mpsc::Receiver<OutgoingAudio>), String>;
}
