//! The call's peer connection (webrtc-rs `rtc`) and its one audio sender: answering an offer with host candidates
//! and the server-reflexive and relayed ones gathered for them, renegotiating for hold and the far end's re-INVITEs on the same
//! connection, and writing RTP.

use std::sync::Arc;
use std::time::Instant;

use rtc::media_stream::MediaStreamTrack;
use rtc::peer_connection::configuration::media_engine::{
    MediaEngine, MIME_TYPE_PCMA, MIME_TYPE_PCMU, MIME_TYPE_TELEPHONE_EVENT,
};
use rtc::peer_connection::configuration::setting_engine::SettingEngineBuilder;
use rtc::peer_connection::configuration::RTCConfigurationBuilder;
use rtc::peer_connection::sdp::RTCSessionDescription;
use rtc::peer_connection::transport::{
    CandidateConfig, CandidateHostConfig, CandidateRelayConfig, CandidateServerReflexiveConfig,
    RTCIceCandidate,
};
use rtc::peer_connection::{RTCPeerConnection, RTCPeerConnectionBuilder};
use rtc::rtp::packet::Packet;
use rtc::rtp_transceiver::rtp_sender::{
    RTCRtpCodec, RTCRtpCodecParameters, RTCRtpCodingParameters, RTCRtpEncodingParameters,
    RtpCodecKind,
};
use rtc::rtp_transceiver::{RTCRtpSenderId, RTCRtpTransceiverDirection};
use tokio::net::UdpSocket;

use super::gather::Gathered;
use super::session::random_u32;
use super::{sdp, MediaError};

/// How often ICE checks a candidate pair while the call connects. `rtc`'s 200 ms left the app's side ~170 ms
/// behind two aiortc ends (which need 27–41 ms for the same) between the 200 OK and the first audio
/// (BENCHMARKS.md, *The phone*); RFC 8445 paces real-time media's checks at 20 ms or more.
const ICE_CHECK_INTERVAL: std::time::Duration = std::time::Duration::from_millis(50);
/// Checks per candidate pair: with [`ICE_CHECK_INTERVAL`], the 1.4 s `rtc` tries a pair for by default.
const ICE_ATTEMPTS: u16 = 28;

/// The peer connection and our one audio sender.
pub(super) struct Engine {
    pub(super) pc: RTCPeerConnection,
    sender: Option<RTCRtpSenderId>,
    pub(super) ssrc: u32,
}

fn codec(mime: &str, payload_type: u8, fmtp: &str) -> RTCRtpCodecParameters {
    RTCRtpCodecParameters {
        rtp_codec: RTCRtpCodec {
            mime_type: mime.to_owned(),
            clock_rate: 8000,
            channels: 1,
            sdp_fmtp_line: fmtp.to_owned(),
            rtcp_feedback: vec![],
        },
        payload_type,
    }
}

fn sdp_error(e: impl std::fmt::Display) -> MediaError {
    MediaError::Sdp(e.to_string())
}

impl Engine {
    pub(super) fn new() -> Result<Engine, MediaError> {
        let mut media = MediaEngine::default();
        for (mime, pt, fmtp) in [
            (MIME_TYPE_PCMU, 0, ""),
            (MIME_TYPE_PCMA, 8, ""),
            (MIME_TYPE_TELEPHONE_EVENT, 101, "0-16"),
        ] {
            media
                .register_codec(codec(mime, pt, fmtp), RtpCodecKind::Audio)
                .map_err(sdp_error)?;
        }
        let settings = SettingEngineBuilder::new()
            .with_ice_connection_attempts(Some(ICE_CHECK_INTERVAL), Some(ICE_ATTEMPTS))
            .build();
        let pc = RTCPeerConnectionBuilder::new()
            .with_configuration(RTCConfigurationBuilder::new().build())
            .with_setting_engine(settings)
            .with_media_engine(media)
            .build(Instant::now())
            .map_err(sdp_error)?;
        Ok(Engine {
            pc,
            sender: None,
            ssrc: random_u32(),
        })
    }

    pub(super) fn answer(
        &mut self,
        offer: &str,
        sockets: &[Arc<UdpSocket>],
        gathered: &Gathered,
    ) -> Result<String, MediaError> {
        let offer = RTCSessionDescription::offer(sdp::for_rtc(offer)).map_err(sdp_error)?;
        self.pc
            .set_remote_description(Instant::now(), offer)
            .map_err(sdp_error)?;
        let track = MediaStreamTrack::new(
            "phone".into(),
            "phone-audio".into(),
            "microphone".into(),
            RtpCodecKind::Audio,
            vec![RTCRtpEncodingParameters {
                rtp_coding_parameters: RTCRtpCodingParameters {
                    ssrc: Some(self.ssrc),
                    ..Default::default()
                },
                codec: codec(MIME_TYPE_PCMU, 0, "").rtp_codec,
                ..Default::default()
            }],
        );
        self.sender = Some(self.pc.add_track(track).map_err(sdp_error)?);
        for socket in sockets {
            let local = socket
                .local_addr()
                .map_err(|e| MediaError::Network(e.to_string()))?;
            let candidate = CandidateHostConfig {
                base_config: CandidateConfig {
                    network: "udp".to_owned(),
                    address: local.ip().to_string(),
                    port: local.port(),
                    component: 1,
                    ..Default::default()
                },
                ..Default::default()
            }
            .new_candidate_host()
            .map_err(sdp_error)?;
            let init = RTCIceCandidate::from(&candidate)
                .to_json()
                .map_err(sdp_error)?;
            self.pc.add_local_candidate(init).map_err(sdp_error)?;
        }
        for found in &gathered.reflexive {
            // The related address is the socket's own: rtc sends this candidate's checks from it.
            let candidate = CandidateServerReflexiveConfig {
                base_config: CandidateConfig {
                    network: "udp".to_owned(),
                    address: found.mapped.ip().to_string(),
                    port: found.mapped.port(),
                    component: 1,
                    ..Default::default()
                },
                rel_addr: found.base.ip().to_string(),
                rel_port: found.base.port(),
                url: Some(found.server.clone()),
            }
            .new_candidate_server_reflexive()
            .map_err(sdp_error)?;
            let init = RTCIceCandidate::from(&candidate)
                .to_json()
                .map_err(sdp_error)?;
            self.pc.add_local_candidate(init).map_err(sdp_error)?;
        }
        for relay in &gathered.relays {
            let Some(relayed) = relay.relayed else {
                continue;
            };
            // rtc writes this candidate's packets from the relayed address; the call's task sends them through
            // the server (`relay`). The related address is the socket the allocation was made from.
            let candidate = CandidateRelayConfig {
                base_config: CandidateConfig {
                    network: "udp".to_owned(),
                    address: relayed.ip().to_string(),
                    port: relayed.port(),
                    component: 1,
                    ..Default::default()
                },
                rel_addr: relay.base.ip().to_string(),
                rel_port: relay.base.port(),
                url: Some(relay.url.clone()),
            }
            .new_candidate_relay()
            .map_err(sdp_error)?;
            let init = RTCIceCandidate::from(&candidate)
                .to_json()
                .map_err(sdp_error)?;
            self.pc.add_local_candidate(init).map_err(sdp_error)?;
        }
        let answer = self.pc.create_answer(None).map_err(sdp_error)?;
        self.pc
            .set_local_description(Instant::now(), answer)
            .map_err(sdp_error)?;
        self.local_sdp()
    }

    fn local_sdp(&self) -> Result<String, MediaError> {
        self.pc
            .local_description()
            .map(|d| d.sdp)
            .ok_or_else(|| MediaError::Sdp("no local description".into()))
    }

    pub(super) fn renegotiate_answer(&mut self, offer: String) -> Result<String, MediaError> {
        let offer = RTCSessionDescription::offer(sdp::for_rtc(&offer)).map_err(sdp_error)?;
        self.pc
            .set_remote_description(Instant::now(), offer)
            .map_err(sdp_error)?;
        let answer = self.pc.create_answer(None).map_err(sdp_error)?;
        self.pc
            .set_local_description(Instant::now(), answer)
            .map_err(sdp_error)?;
        self.local_sdp()
    }

    pub(super) fn offer(&mut self, held: bool) -> Result<String, MediaError> {
        let direction = if held {
            RTCRtpTransceiverDirection::Sendonly
        } else {
            RTCRtpTransceiverDirection::Sendrecv
        };
        let ids: Vec<_> = self.pc.get_transceivers().collect();
        for id in ids {
            if let Some(mut transceiver) = self.pc.rtp_transceiver(id) {
                transceiver.set_direction(direction);
            }
        }
        let offer = self.pc.create_offer(None).map_err(sdp_error)?;
        self.pc
            .set_local_description(Instant::now(), offer)
            .map_err(sdp_error)?;
        self.local_sdp()
    }

    pub(super) fn remote_answer(&mut self, answer: String) -> Result<(), MediaError> {
        let answer = RTCSessionDescription::answer(sdp::for_rtc(&answer)).map_err(sdp_error)?;
        self.pc
            .set_remote_description(Instant::now(), answer)
            .map_err(sdp_error)
    }

    pub(super) fn send(&mut self, packet: Packet) {
        let Some(id) = self.sender else { return };
        if let Some(mut sender) = self.pc.rtp_sender(id) {
            if let Err(e) = sender.write_rtp(Instant::now(), packet) {
                tracing::trace!(%e, "an RTP packet was not sent");
            }
        }
    }
}
