//! What the phone needs of the audio, behind a trait so the SIP and media code can be tested with any source:
//! [`SystemAudio`] is the real one (the `voice` crate's default microphone and speaker); tests plug in ports that
//! play and record clips.

use tokio::sync::mpsc;

pub use voice::{Codec as AudioCodec, EncodedFrame as OutgoingAudio};

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

/// The system's default microphone and speaker (`voice::CallAudio`).
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemAudio;

impl AudioPort for voice::CallAudio {
    fn receive(&self, sequence: u16, timestamp: u32, payload: &[u8]) {
        voice::CallAudio::receive(self, sequence, timestamp, payload);
    }
    fn set_muted(&self, muted: bool) {
        voice::CallAudio::set_muted(self, muted);
    }
    fn set_held(&self, held: bool) {
        voice::CallAudio::set_held(self, held);
    }
}

impl AudioDevices for SystemAudio {
    fn open(
        &self,
        codec: AudioCodec,
    ) -> Result<(Box<dyn AudioPort>, mpsc::Receiver<OutgoingAudio>), String> {
        let (audio, frames) = voice::CallAudio::start(codec).map_err(|e| e.to_string())?;
        Ok((Box::new(audio), frames))
    }
}
