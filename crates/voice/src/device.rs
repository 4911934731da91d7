//! The system's default microphone and speaker through cpal's default host (ALSA on Linux, which reaches PipeWire or
//! PulseAudio through their ALSA plugins; WASAPI on Windows; CoreAudio on macOS). No platform code here.
//!
//! Each stream runs at the device's own rate, sample format and channel count, and talks to the rest of the crate
//! through one lock-free ring of mono `f32` samples at that rate: the microphone's callback averages the channels
//! into the ring, the speaker's callback copies each sample to every channel. The callbacks never lock, never
//! allocate, never panic; they count what they could not do and wake the audio thread.
//!
//! A stream error that means the device is gone (unplugged, the stream invalidated) raises [`Link::lost`] for the
//! audio thread to act on; xruns are only counted.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::thread::Thread;
use std::time::Instant;

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{BufferSize, FromSample, SampleFormat, SizedSample, StreamConfig, SupportedBufferSize};

use crate::error::Direction;
use crate::stats::Counters;
use crate::VoiceError;

/// What a stream's callbacks share with the audio thread.
pub(crate) struct Link {
    /// Set by the error callback when the device is gone.
    pub lost: AtomicBool,
    /// The error's text, for the event (`try_lock` only: the error callback never waits).
    pub reason: Mutex<Option<String>>,
    /// Data callbacks so far: the watchdog sees a stream that stopped without an error.
    pub callbacks: AtomicU64,
    /// Largest request of the speaker's callback, in frames: the output queue keeps more than this.
    pub max_request: AtomicUsize,
    /// The device's own latency from cpal's timestamps, in microseconds.
    pub device_latency_us: AtomicU32,
    /// When the last data callback ran, in microseconds since `epoch`.
    pub last_callback_us: AtomicU64,
    pub epoch: Instant,
    pub counters: Arc<Counters>,
    /// The audio thread, woken after each callback.
    pub waker: Thread,
}

impl Link {
    pub fn new(counters: Arc<Counters>, waker: Thread) -> Arc<Self> {
        Arc::new(Link {
            lost: AtomicBool::new(false),
            reason: Mutex::new(None),
            callbacks: AtomicU64::new(0),
            max_request: AtomicUsize::new(0),
            device_latency_us: AtomicU32::new(0),
            last_callback_us: AtomicU64::new(0),
            epoch: Instant::now(),
            counters,
            waker,
        })
    }

    /// The error's text, once.
    pub fn take_reason(&self) -> Option<String> {
        self.reason.lock().ok().and_then(|mut r| r.take())
    }

    fn on_callback(&self, frames: usize, latency: Option<std::time::Duration>) {
        self.callbacks.fetch_add(1, Relaxed);
        self.max_request.fetch_max(frames, Relaxed);
        if let Some(latency) = latency {
            self.device_latency_us.store(
                latency.as_micros().min(u128::from(u32::MAX)) as u32,
                Relaxed,
            );
        }
        self.last_callback_us
            .store(self.epoch.elapsed().as_micros() as u64, Relaxed);
        self.waker.unpark();
    }

    fn on_error(&self, error: cpal::Error) {
        if self.lost.load(Relaxed) {
            // The same failure again (ALSA repeats it until the stream is dropped): counted once.
            return;
        }
        self.counters.device_errors.fetch_add(1, Relaxed);
        let gone = matches!(
            error.kind(),
            cpal::ErrorKind::DeviceNotAvailable
                | cpal::ErrorKind::StreamInvalidated
                | cpal::ErrorKind::BackendError
        );
        if gone {
            if let Ok(mut reason) = self.reason.try_lock() {
                *reason = Some(error.to_string());
            }
            self.lost.store(true, Relaxed);
            self.waker.unpark();
        }
    }
}

/// An open, playing stream.
pub(crate) struct Opened {
    /// Dropping it stops the stream and its callbacks.
    pub _stream: cpal::Stream,
    pub rate: u32,
    pub channels: u16,
    pub device: String,
}

/// Opens the default microphone; its audio arrives in the returned ring (mono, at `Opened::rate`).
pub(crate) fn open_input(link: &Arc<Link>) -> Result<(Opened, rtrb::Consumer<f32>), VoiceError> {
    let host = cpal::default_host();
    let device = host
        .default_input_device()
        .ok_or(VoiceError::NoMicrophone)?;
    let name = device.to_string();
    let supported = device
        .default_input_config()
        .map_err(|e| no_format(Direction::Microphone, &name, e))?;
    let (rate, channels) = (supported.sample_rate(), supported.channels());
    let build = |buffer_size| {
        let config = StreamConfig {
            channels,
            sample_rate: rate,
            buffer_size,
        };
        // A second of audio: the audio thread drains it every few milliseconds. A new ring for each try, as a
        // failed build drops the callback that owned the last one.
        let (producer, consumer) = rtrb::RingBuffer::new(rate as usize);
        let link = link.clone();
        let stream = match supported.sample_format() {
            SampleFormat::F32 => input::<f32>(&device, config, producer, link),
            SampleFormat::F64 => input::<f64>(&device, config, producer, link),
            SampleFormat::I16 => input::<i16>(&device, config, producer, link),
            SampleFormat::I32 => input::<i32>(&device, config, producer, link),
            SampleFormat::U16 => input::<u16>(&device, config, producer, link),
            SampleFormat::U8 => input::<u8>(&device, config, producer, link),
            SampleFormat::I8 => input::<i8>(&device, config, producer, link),
            other => Err(unsupported(other)),
        }?;
        Ok((stream, consumer))
    };
    let (stream, consumer) = build_either(build, supported.buffer_size(), rate)
        .map_err(|e| open_error(Direction::Microphone, &name, e))?;
    stream
        .play()
        .map_err(|e| VoiceError::opening(Direction::Microphone, &name, e))?;
    Ok((
        Opened {
            _stream: stream,
            rate,
            channels,
            device: name,
        },
        consumer,
    ))
}

/// Opens the default speaker; it plays what is pushed into the returned ring (mono, at `Opened::rate`), silence
/// when the ring is empty. `prefill_ms` of silence are queued first, so the first callback finds audio.
pub(crate) fn open_output(
    link: &Arc<Link>,
    prefill_ms: u32,
) -> Result<(Opened, rtrb::Producer<f32>), VoiceError> {
    let host = cpal::default_host();
    let device = host.default_output_device().ok_or(VoiceError::NoSpeaker)?;
    let name = device.to_string();
    let supported = device
        .default_output_config()
        .map_err(|e| no_format(Direction::Speaker, &name, e))?;
    let (rate, channels) = (supported.sample_rate(), supported.channels());
    let build = |buffer_size| {
        let config = StreamConfig {
            channels,
            sample_rate: rate,
            buffer_size,
        };
        let (mut producer, consumer) = rtrb::RingBuffer::new(rate as usize / 2);
        for _ in 0..(rate * prefill_ms / 1000) {
            let _ = producer.push(0.0);
        }
        let link = link.clone();
        let stream = match supported.sample_format() {
            SampleFormat::F32 => output::<f32>(&device, config, consumer, link),
            SampleFormat::F64 => output::<f64>(&device, config, consumer, link),
            SampleFormat::I16 => output::<i16>(&device, config, consumer, link),
            SampleFormat::I32 => output::<i32>(&device, config, consumer, link),
            SampleFormat::U16 => output::<u16>(&device, config, consumer, link),
            SampleFormat::U8 => output::<u8>(&device, config, consumer, link),
            SampleFormat::I8 => output::<i8>(&device, config, consumer, link),
            other => Err(unsupported(other)),
        }?;
        Ok((stream, producer))
    };
    let (stream, producer) = build_either(build, supported.buffer_size(), rate)
        .map_err(|e| open_error(Direction::Speaker, &name, e))?;
    stream
        .play()
        .map_err(|e| VoiceError::opening(Direction::Speaker, &name, e))?;
    Ok((
        Opened {
            _stream: stream,
            rate,
            channels,
            device: name,
        },
        producer,
    ))
}

fn unsupported(format: SampleFormat) -> cpal::Error {
    cpal::Error::with_message(
        cpal::ErrorKind::UnsupportedConfig,
        format!("{format} samples are not handled"),
    )
}

fn open_error(direction: Direction, device: &str, e: cpal::Error) -> VoiceError {
    match e.kind() {
        cpal::ErrorKind::UnsupportedConfig => no_format(direction, device, e),
        _ => VoiceError::opening(direction, device, e),
    }
}

fn no_format(direction: Direction, device: &str, e: cpal::Error) -> VoiceError {
    VoiceError::NoUsableFormat {
        direction,
        device: device.to_owned(),
        detail: e.to_string(),
    }
}

/// Builds with 10 ms callbacks where the device allows them (less delay than ALSA's default), else the default.
fn build_either<R>(
    mut build: impl FnMut(BufferSize) -> Result<R, cpal::Error>,
    range: &SupportedBufferSize,
    rate: u32,
) -> Result<R, cpal::Error> {
    let wanted = rate / 100;
    if let SupportedBufferSize::Range { min, max } = *range {
        if (min..=max).contains(&wanted) {
            if let Ok(built) = build(BufferSize::Fixed(wanted)) {
                return Ok(built);
            }
        }
    }
    build(BufferSize::Default)
}

fn input<T>(
    device: &cpal::Device,
    config: StreamConfig,
    mut producer: rtrb::Producer<f32>,
    link: Arc<Link>,
) -> Result<cpal::Stream, cpal::Error>
where
    T: SizedSample + Send + 'static,
    f32: FromSample<T>,
{
    let channels = usize::from(config.channels.max(1));
    let scale = 1.0 / channels as f32;
    let error_link = link.clone();
    device.build_input_stream::<T, _, _>(
        config,
        move |data: &[T], info: &cpal::InputCallbackInfo| {
            let mut lost = 0u64;
            for frame in data.chunks_exact(channels) {
                let sum: f32 = frame.iter().map(|s| s.to_sample::<f32>()).sum();
                if producer.push(sum * scale).is_err() {
                    lost += 1;
                }
            }
            if lost > 0 {
                link.counters.overruns.fetch_add(lost, Relaxed);
            }
            let t = info.timestamp();
            link.on_callback(
                data.len() / channels,
                t.callback.checked_duration_since(t.capture),
            );
        },
        move |error| error_link.on_error(error),
        None,
    )
}

fn output<T>(
    device: &cpal::Device,
    config: StreamConfig,
    mut consumer: rtrb::Consumer<f32>,
    link: Arc<Link>,
) -> Result<cpal::Stream, cpal::Error>
where
    T: SizedSample + FromSample<f32> + Send + 'static,
{
    let channels = usize::from(config.channels.max(1));
    let error_link = link.clone();
    let mut first = true;
    device.build_output_stream::<T, _, _>(
        config,
        move |data: &mut [T], info: &cpal::OutputCallbackInfo| {
            let mut missing = false;
            for frame in data.chunks_exact_mut(channels) {
                let sample = consumer.pop().unwrap_or_else(|_| {
                    missing = true;
                    0.0
                });
                frame.fill(T::from_sample(sample));
            }
            // The very first request may be for a whole device buffer, more than was queued: not a glitch.
            if missing && !std::mem::take(&mut first) {
                link.counters.underruns.fetch_add(1, Relaxed);
            }
            first = false;
            let t = info.timestamp();
            link.on_callback(
                data.len() / channels,
                t.playback.checked_duration_since(t.callback),
            );
        },
        move |error| error_link.on_error(error),
        None,
    )
}
