//! What can go wrong when a call's audio starts, in words an agent (or the support desk reading the log) can act on.

use std::fmt;

/// Which side of the audio a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// The default input device: the headset's microphone, usually.
    Microphone,
    /// The default output device: the headset's earpiece or the speakers.
    Speaker,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Microphone => "microphone",
            Direction::Speaker => "speaker",
        })
    }
}

/// Why the call's audio (or the ring tone) could not start.
#[derive(Debug, thiserror::Error)]
pub enum VoiceError {
    /// The system reports no default input device.
    #[error("no microphone: the system has no default audio input device")]
    NoMicrophone,
    /// The system reports no default output device.
    #[error("no speaker or headset: the system has no default audio output device")]
    NoSpeaker,
    /// The operating system refused access (on macOS and Windows, the privacy settings).
    #[error("the system denied access to the {0}; allow the app to use it in the system's privacy settings")]
    PermissionDenied(Direction),
    /// Another program holds the device exclusively.
    #[error("the {direction} '{device}' is busy: another program is using it")]
    Busy {
        /// Which side.
        direction: Direction,
        /// The device's name as the system gives it.
        device: String,
    },
    /// The device offers no format this crate can use.
    #[error("the {direction} '{device}' offers no usable audio format: {detail}")]
    NoUsableFormat {
        /// Which side.
        direction: Direction,
        /// The device's name as the system gives it.
        device: String,
        /// What was offered or what failed.
        detail: String,
    },
    /// Opening or starting the stream failed for another reason.
    #[error("could not open the {direction} '{device}': {source}")]
    Open {
        /// Which side.
        direction: Direction,
        /// The device's name as the system gives it.
        device: String,
        /// The audio system's own error.
        #[source]
        source: cpal::Error,
    },
    /// The resampler refused the device's sample rate.
    #[error("cannot convert audio between {from} Hz and {to} Hz: {detail}")]
    Resampler {
        /// Input rate.
        from: u32,
        /// Output rate.
        to: u32,
        /// The resampler's reason.
        detail: String,
    },
    /// The audio thread could not be started (the system is out of threads or memory).
    #[error("could not start the audio thread: {0}")]
    Thread(#[from] std::io::Error),
}

impl VoiceError {
    /// Maps an error from opening a stream, keeping the cases an agent can fix apart.
    pub(crate) fn opening(direction: Direction, device: &str, source: cpal::Error) -> Self {
        match source.kind() {
            cpal::ErrorKind::PermissionDenied => VoiceError::PermissionDenied(direction),
            cpal::ErrorKind::DeviceBusy => VoiceError::Busy {
                direction,
                device: device.to_owned(),
            },
            cpal::ErrorKind::DeviceNotAvailable => match direction {
                Direction::Microphone => VoiceError::NoMicrophone,
                Direction::Speaker => VoiceError::NoSpeaker,
            },
            _ => VoiceError::Open {
                direction,
                device: device.to_owned(),
                source,
            },
        }
    }
}
