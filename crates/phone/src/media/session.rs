//! The task that drives one call's peer connection (see the module doc).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use rtc::peer_connection::event::RTCPeerConnectionEvent;
use rtc::peer_connection::message::RTCMessage;
use rtc::peer_connection::state::RTCPeerConnectionState;
use rtc::rtp::header::Header;
use rtc::rtp::packet::Packet;
use rtc::sansio::Protocol;
use rtc::shared::{TaggedBytesMut, TransportContext, TransportProtocol};
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, oneshot};

use super::engine::Engine;
use super::relay::TurnRelay;
use super::{candidates, dtmf, gather, sdp, MediaError};
use crate::audio::{AudioCodec, AudioDevices, AudioPort, OutgoingAudio};

/// What the media tells the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MediaEvent {
    /// ICE and DTLS are up: audio flows.
    Connected,
    /// A digit the far end sent (RFC 4733), once per press.
    Digit(char),
    /// The media failed (ICE or DTLS), with the reason.
    Failed(String),
}

enum Command {
    /// The far end's offer in a re-INVITE: the answer comes back.
    RemoteOffer(String, oneshot::Sender<Result<String, MediaError>>),
    /// Our re-INVITE's offer, held or not.
    LocalOffer(bool, oneshot::Sender<Result<String, MediaError>>),
    /// The answer to our offer.
    RemoteAnswer(String, oneshot::Sender<Result<(), MediaError>>),
    Mute(bool),
    Digits(String),
}

/// The handle the SIP side holds; dropping it ends the media.
pub(crate) struct MediaCall {
    commands: mpsc::UnboundedSender<Command>,
    /// Media events, for the SIP side to read.
    pub events: mpsc::UnboundedReceiver<MediaEvent>,
}

impl MediaCall {
    /// Answers `offer`: binds the sockets, asks `ice_servers` what they see of them and, with `turn_credential`,
    /// for a relay (within [`gather::GATHER_BOUND`]), opens the audio for the codec the answer settles on, and
    /// starts the media. Returns the answer SDP.
    pub(crate) async fn answer(
        offer: &str,
        devices: Arc<dyn AudioDevices>,
        ice_servers: &[crate::IceServer],
        turn_credential: Option<&crate::TurnCredential>,
    ) -> Result<(MediaCall, String), MediaError> {
        let mut engine = Engine::new()?;
        let remote = candidates::remote_addresses(offer);
        let mut sockets = Vec::new();
        for ip in candidates::local_addresses(&remote) {
            let socket = UdpSocket::bind(SocketAddr::new(ip, 0))
                .await
                .map_err(|e| MediaError::Network(format!("{ip}: {e}")))?;
            sockets.push(Arc::new(socket));
        }
        // Before the task below reads the sockets: the servers' answers arrive on them.
        let gathered =
            gather::gather(&sockets, ice_servers, turn_credential, gather::GATHER_BOUND).await;
        let answer = engine.answer(offer, &sockets, &gathered)?;
        let mut relays = gathered.relays;
        let peers = candidates::remote_transports(offer);
        for relay in &mut relays {
            relay.permit(&peers);
        }
        tracing::debug!(answer = %crate::redact::for_log(&answer), "media answer");
        let negotiated = sdp::negotiated(&answer).ok_or(MediaError::NoCommonCodec)?;
        // Opening the devices takes tens of milliseconds of blocking calls: not on the phone's task.
        let codec = negotiated.codec;
        let (audio, frames) = tokio::task::spawn_blocking(move || devices.open(codec))
            .await
            .map_err(|e| MediaError::Devices(e.to_string()))?
            .map_err(MediaError::Devices)?;
        let (commands, receiver) = mpsc::unbounded_channel();
        let (events_sender, events) = mpsc::unbounded_channel();
        let held = matches!(sdp::direction(offer), "sendonly" | "inactive");
        audio.set_held(held);
        let task = Task {
            engine,
            sockets,
            relays,
            audio,
            codec: negotiated.codec,
            telephone_event: negotiated.telephone_event,
            events: events_sender,
            sequence: random_u16(),
            timestamp_base: random_u32(),
            digits: Vec::new(),
            digit_start: None,
            last_digit_heard: None,
            held,
            connected: false,
        };
        tokio::spawn(task.run(receiver, frames));
        Ok((MediaCall { commands, events }, answer))
    }

    /// The answer to the far end's re-INVITE offer (hold, resume, a session refresh).
    pub(crate) async fn remote_offer(&self, offer: String) -> Result<String, MediaError> {
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(Command::RemoteOffer(offer, reply))
            .map_err(|_| MediaError::Ended)?;
        answer.await.map_err(|_| MediaError::Ended)?
    }

    /// An offer for our own re-INVITE: `held` puts the far end on hold (`sendonly`).
    pub(crate) async fn local_offer(&self, held: bool) -> Result<String, MediaError> {
        let (reply, offer) = oneshot::channel();
        self.commands
            .send(Command::LocalOffer(held, reply))
            .map_err(|_| MediaError::Ended)?;
        offer.await.map_err(|_| MediaError::Ended)?
    }

    /// The far end's answer to our offer.
    pub(crate) async fn remote_answer(&self, answer: String) -> Result<(), MediaError> {
        let (reply, done) = oneshot::channel();
        self.commands
            .send(Command::RemoteAnswer(answer, reply))
            .map_err(|_| MediaError::Ended)?;
        done.await.map_err(|_| MediaError::Ended)?
    }

    /// Mutes or unmutes the microphone (the far end hears silence).
    pub(crate) fn mute(&self, muted: bool) {
        let _ = self.commands.send(Command::Mute(muted));
    }

    /// Sends keypad digits as RFC 4733 events, in order.
    pub(crate) fn digits(&self, digits: &str) {
        let _ = self.commands.send(Command::Digits(digits.to_string()));
    }
}

pub(super) fn random_u32() -> u32 {
    let mut bytes = [0u8; 4];
    let _ = getrandom::fill(&mut bytes);
    u32::from_be_bytes(bytes)
}

fn random_u16() -> u16 {
    (random_u32() >> 16) as u16
}

/// A datagram read by one of the sockets.
struct Datagram {
    local: SocketAddr,
    peer: SocketAddr,
    bytes: BytesMut,
}

struct Task {
    engine: Engine,
    sockets: Vec<Arc<UdpSocket>>,
    /// TURN allocations on some of the sockets: what rtc writes from a relayed address goes through them.
    relays: Vec<TurnRelay>,
    audio: Box<dyn AudioPort>,
    codec: AudioCodec,
    telephone_event: Option<u8>,
    events: mpsc::UnboundedSender<MediaEvent>,
    sequence: u16,
    timestamp_base: u32,
    /// Digits waiting, and the packets of the one being sent.
    digits: Vec<Vec<u8>>,
    digit_start: Option<u32>,
    /// The RTP timestamp of the last digit heard (its end packets repeat it).
    last_digit_heard: Option<u32>,
    held: bool,
    connected: bool,
}

impl Task {
    async fn run(
        mut self,
        mut commands: mpsc::UnboundedReceiver<Command>,
        mut frames: mpsc::Receiver<OutgoingAudio>,
    ) {
        let (datagrams_sender, mut datagrams) = mpsc::channel::<Datagram>(256);
        let mut readers = Vec::new();
        for socket in &self.sockets {
            readers.push(tokio::spawn(read_socket(
                socket.clone(),
                datagrams_sender.clone(),
            )));
        }
        drop(datagrams_sender);
        let mut pending_digits: std::collections::VecDeque<char> =
            std::collections::VecDeque::new();
        loop {
            self.flush().await;
            if !self.drain_events() {
                break;
            }
            let timeout = self
                .relays
                .iter_mut()
                .filter_map(TurnRelay::poll_timeout)
                .chain(self.engine.pc.poll_timeout())
                .min()
                .unwrap_or_else(|| Instant::now() + Duration::from_secs(1));
            let sleep = tokio::time::sleep_until(tokio::time::Instant::from_std(timeout));
            tokio::select! {
                datagram = datagrams.recv() => {
                    let Some(d) = datagram else { break };
                    let turn = self
                        .relays
                        .iter_mut()
                        .find(|r| r.base == d.local && r.server == d.peer);
                    match turn {
                        Some(relay) => {
                            let Some(relayed) = relay.relayed else { continue };
                            for (peer, bytes) in relay.on_datagram(&d.bytes) {
                                self.read(relayed, peer, bytes);
                            }
                        }
                        None => self.read(d.local, d.peer, d.bytes),
                    }
                }
                frame = frames.recv() => {
                    let Some(frame) = frame else { break };
                    if self.digits.is_empty() {
                        if let Some(digit) = pending_digits.pop_front() {
                            self.start_digit(digit, frame.timestamp);
                        }
                    }
                    self.on_frame(frame);
                }
                command = commands.recv() => match command {
                    None => break,
                    Some(Command::RemoteOffer(offer, reply)) => {
                        self.held = matches!(sdp::direction(&offer), "sendonly" | "inactive");
                        self.audio.set_held(self.held);
                        let _ = reply.send(self.engine.renegotiate_answer(offer));
                    }
                    Some(Command::LocalOffer(held, reply)) => {
                        self.held = held;
                        self.audio.set_held(held);
                        let _ = reply.send(self.engine.offer(held));
                    }
                    Some(Command::RemoteAnswer(answer, reply)) => {
                        let _ = reply.send(self.engine.remote_answer(answer));
                    }
                    Some(Command::Mute(muted)) => self.audio.set_muted(muted),
                    Some(Command::Digits(digits)) => pending_digits.extend(digits.chars()),
                },
                () = sleep => {
                    if let Err(e) = self.engine.pc.handle_timeout(Instant::now()) {
                        tracing::debug!(%e, "the media's timer failed");
                    }
                    // The TURN clients' retransmissions and refreshes (allocation, permissions, channels).
                    let mut relayed_in = Vec::new();
                    for relay in &mut self.relays {
                        let Some(relayed) = relay.relayed else { continue };
                        let heard = relay.handle_timeout();
                        relayed_in.extend(heard.into_iter().map(|(p, b)| (relayed, p, b)));
                    }
                    for (relayed, peer, bytes) in relayed_in {
                        self.read(relayed, peer, bytes);
                    }
                }
            }
        }
        let _ = self.engine.pc.close();
        self.flush().await;
        // Released now rather than left to expire: the server's relay port and quota are freed at hang-up.
        for relay in &mut self.relays {
            relay.close();
        }
        self.flush().await;
        for reader in readers {
            reader.abort();
        }
    }

    /// Hands the peer connection a datagram received on `local` (a socket's address, or a relayed one) from `peer`.
    fn read(&mut self, local: SocketAddr, peer: SocketAddr, bytes: BytesMut) {
        let read = self.engine.pc.handle_read(TaggedBytesMut {
            now: Instant::now(),
            transport: TransportContext {
                local_addr: local,
                peer_addr: peer,
                ecn: None,
                transport_protocol: TransportProtocol::UDP,
            },
            message: bytes,
        });
        if let Err(e) = read {
            tracing::trace!(%e, "a datagram was not taken");
        }
    }

    /// Sends what the peer connection has to send, through a TURN relay when it sends from a relayed address.
    async fn flush(&mut self) {
        while let Some(message) = self.engine.pc.poll_write() {
            let local = message.transport.local_addr;
            if let Some(relay) = self.relays.iter_mut().find(|r| r.relayed == Some(local)) {
                relay.send(&message.message, message.transport.peer_addr);
                continue;
            }
            let socket = self
                .sockets
                .iter()
                .find(|s| s.local_addr().is_ok_and(|a| a == local))
                .or(self.sockets.first());
            if let Some(socket) = socket {
                if let Err(e) = socket
                    .send_to(&message.message, message.transport.peer_addr)
                    .await
                {
                    tracing::trace!(%e, "a datagram was not sent");
                }
            }
        }
        for relay in &mut self.relays {
            let transmits = relay.transmits();
            let socket = self
                .sockets
                .iter()
                .find(|s| s.local_addr().is_ok_and(|a| a == relay.base));
            for (to, bytes) in transmits {
                if let Some(socket) = socket {
                    if let Err(e) = socket.send_to(&bytes, to).await {
                        tracing::trace!(%e, "a datagram to the TURN server was not sent");
                    }
                }
            }
        }
    }

    /// Reads the peer connection's events and received packets; false when the media has failed for good.
    fn drain_events(&mut self) -> bool {
        while let Some(event) = self.engine.pc.poll_event() {
            if let RTCPeerConnectionEvent::OnConnectionStateChangeEvent(state) = event {
                tracing::debug!(%state, "call media");
                match state {
                    RTCPeerConnectionState::Connected if !self.connected => {
                        self.connected = true;
                        let _ = self.events.send(MediaEvent::Connected);
                    }
                    RTCPeerConnectionState::Failed => {
                        let _ = self.events.send(MediaEvent::Failed(
                            "the audio path to the server failed (ICE or DTLS)".into(),
                        ));
                        return false;
                    }
                    _ => {}
                }
            }
        }
        while let Some(message) = self.engine.pc.poll_read() {
            if let RTCMessage::RtpPacket(_, packet) = message.message {
                self.on_packet(&packet);
            }
        }
        true
    }

    fn on_packet(&mut self, packet: &Packet) {
        let header = &packet.header;
        if Some(header.payload_type) == self.telephone_event {
            if let Some((code, true)) = dtmf::read(&packet.payload) {
                if self.last_digit_heard != Some(header.timestamp) {
                    self.last_digit_heard = Some(header.timestamp);
                    if let Some(digit) = dtmf::digit(code) {
                        let _ = self.events.send(MediaEvent::Digit(digit));
                    }
                }
            }
        } else if header.payload_type == self.codec.payload_type() {
            self.audio
                .receive(header.sequence_number, header.timestamp, &packet.payload);
        }
    }

    /// One 20 ms tick of the audio clock: the frame, or the next packet of a digit being sent instead.
    fn on_frame(&mut self, frame: OutgoingAudio) {
        if !self.connected || self.held {
            return;
        }
        let (payload_type, payload, timestamp, marker) =
            match (self.telephone_event, self.digits.is_empty()) {
                (Some(pt), false) => {
                    let payload = self.digits.remove(0);
                    let start = self.digit_start.unwrap_or(frame.timestamp);
                    let first = payload[1] & 0x80 == 0
                        && u16::from_be_bytes([payload[2], payload[3]]) == 160;
                    if self.digits.is_empty() {
                        self.digit_start = None;
                    }
                    (pt, payload, start, first)
                }
                _ => (
                    self.codec.payload_type(),
                    frame.payload,
                    frame.timestamp,
                    frame.marker,
                ),
            };
        self.sequence = self.sequence.wrapping_add(1);
        let packet = Packet {
            header: Header {
                version: 2,
                marker,
                payload_type,
                sequence_number: self.sequence,
                timestamp: self.timestamp_base.wrapping_add(timestamp),
                ssrc: self.engine.ssrc,
                ..Default::default()
            },
            payload: payload.into(),
        };
        self.engine.send(packet);
    }

    fn start_digit(&mut self, digit: char, timestamp: u32) {
        let (Some(_), Some(code)) = (self.telephone_event, dtmf::event_code(digit)) else {
            tracing::info!(%digit, "a digit was not sent: the call takes no RFC 4733 events");
            return;
        };
        // 100 ms of tone, then the gap of the next audio frames before another digit.
        self.digits = dtmf::payloads(code, 5);
        self.digit_start = Some(timestamp);
    }
}

async fn read_socket(socket: Arc<UdpSocket>, datagrams: mpsc::Sender<Datagram>) {
    let Ok(local) = socket.local_addr() else {
        return;
    };
    let mut buffer = vec![0u8; 2048];
    loop {
        match socket.recv_from(&mut buffer).await {
            Ok((n, peer)) => {
                let datagram = Datagram {
                    local,
                    peer,
                    bytes: BytesMut::from(&buffer[..n]),
                };
                if datagrams.send(datagram).await.is_err() {
                    return;
                }
            }
            // ICMP port unreachable and the like surface as errors on some systems: keep reading.
            Err(e) => {
                tracing::trace!(%e, "media socket read");
                tokio::task::yield_now().await;
            }
        }
    }
}
