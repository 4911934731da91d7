//! A TURN allocation (RFC 8656) for one call: `rtc::turn`'s sans-IO client on one of the call's media sockets, with
//! the long-term credentials of `phone.turn_username` and the keychain's password. Allocated while the answer is
//! gathered (`gather`), then kept by the call's task: what the peer connection writes from the relayed address is
//! sent through the server (Send indication, then ChannelData once a channel is bound), what the server relays in
//! is handed to the peer connection as received on the relayed address, the allocation and its permissions are
//! refreshed by the client's timers, and the allocation is released (a Refresh with lifetime 0) at hang-up.

use std::net::SocketAddr;
use std::time::Instant;

use bytes::BytesMut;
use rtc::sansio::Protocol;
use rtc::shared::{TaggedBytesMut, TransportContext, TransportProtocol};
use rtc::turn::client::{Client, ClientConfig, Event};

use crate::TurnCredential;

/// One allocation, or one being made.
pub(crate) struct TurnRelay {
    client: Client,
    /// The media socket the client uses.
    pub base: SocketAddr,
    /// The TURN server.
    pub server: SocketAddr,
    /// The server's URL, for the logs and the candidate.
    pub url: String,
    /// The relayed transport address, once allocated.
    pub relayed: Option<SocketAddr>,
    /// Set when the allocation failed (wrong credentials, a quota): nothing more to wait for.
    pub failed: bool,
}

impl TurnRelay {
    /// Starts an allocation on `server` from the socket at `base`.
    pub(crate) fn allocate(
        base: SocketAddr,
        server: SocketAddr,
        url: String,
        credential: &TurnCredential,
    ) -> Option<TurnRelay> {
        let config = ClientConfig {
            turn_serv_addr: server.to_string(),
            local_addr: base,
            transport_protocol: TransportProtocol::UDP,
            username: credential.username.clone(),
            password: credential.password().to_string(),
            ..Default::default()
        };
        let started = rtc::crypto::default_provider()
            .map_err(|e| e.to_string())
            .and_then(|crypto| Client::new(config, crypto).map_err(|e| e.to_string()))
            .and_then(|mut client| {
                client.allocate(Instant::now()).map_err(|e| e.to_string())?;
                Ok(client)
            });
        match started {
            Ok(client) => Some(TurnRelay {
                client,
                base,
                server,
                url,
                relayed: None,
                failed: false,
            }),
            Err(e) => {
                tracing::warn!(server = %url, %e, "no TURN allocation");
                None
            }
        }
    }

    /// A datagram the server sent to the base socket; returns what peers sent through the relay.
    pub(crate) fn on_datagram(&mut self, bytes: &[u8]) -> Vec<(SocketAddr, BytesMut)> {
        let read = self.client.handle_read(TaggedBytesMut {
            now: Instant::now(),
            transport: TransportContext {
                local_addr: self.base,
                peer_addr: self.server,
                ecn: None,
                transport_protocol: TransportProtocol::UDP,
            },
            message: BytesMut::from(bytes),
        });
        if let Err(e) = read {
            tracing::trace!(%e, "a datagram from the TURN server was not taken");
        }
        self.events()
    }

    fn events(&mut self) -> Vec<(SocketAddr, BytesMut)> {
        let mut relayed = Vec::new();
        while let Some(event) = self.client.poll_event() {
            match event {
                Event::AllocateResponse(_, address) => {
                    tracing::debug!(server = %self.url, relayed = %address, "TURN allocation");
                    self.relayed = Some(address);
                }
                Event::AllocateError(_, e) => {
                    tracing::warn!(server = %self.url, %e, "the TURN server refused the allocation");
                    self.failed = true;
                }
                Event::CreatePermissionError(_, e) => {
                    tracing::debug!(server = %self.url, %e, "a TURN permission was refused");
                }
                Event::DataIndicationOrChannelData(_, peer, data) => {
                    tracing::trace!(%peer, bytes = data.len(), "relayed in");
                    relayed.push((peer, data));
                }
                _ => {}
            }
        }
        relayed
    }

    /// Sends `data` to `peer` through the relay; without a permission for `peer` yet, asks for one and drops the
    /// datagram (what the peer connection sends is retried: ICE checks are, and media follows them).
    pub(crate) fn send(&mut self, data: &[u8], peer: SocketAddr) {
        let Some(relayed) = self.relayed else { return };
        let now = Instant::now();
        let Ok(mut relay) = self.client.relay(relayed) else {
            return;
        };
        if relay.send_to(now, data, peer).is_ok() {
            tracing::trace!(%peer, bytes = data.len(), "relayed out");
        } else {
            if let Err(e) = relay.create_permission(now, peer) {
                tracing::debug!(%peer, %e, "no TURN permission");
            }
        }
    }

    /// Asks for permissions for `peers` now (the offer's candidates), so their first checks are let in.
    pub(crate) fn permit(&mut self, peers: &[SocketAddr]) {
        let Some(relayed) = self.relayed else { return };
        let now = Instant::now();
        if let Ok(mut relay) = self.client.relay(relayed) {
            for peer in peers {
                if let Err(e) = relay.create_permission(now, *peer) {
                    tracing::debug!(%peer, %e, "no TURN permission");
                }
            }
        }
    }

    /// The datagrams the client has to send to the server.
    pub(crate) fn transmits(&mut self) -> Vec<(SocketAddr, BytesMut)> {
        let mut out = Vec::new();
        while let Some(message) = self.client.poll_write() {
            out.push((message.transport.peer_addr, message.message));
        }
        out
    }

    pub(crate) fn poll_timeout(&mut self) -> Option<Instant> {
        self.client.poll_timeout()
    }

    /// Retransmissions and refreshes that are due; returns what peers sent meanwhile (none, usually).
    pub(crate) fn handle_timeout(&mut self) -> Vec<(SocketAddr, BytesMut)> {
        let _ = self.client.handle_timeout(Instant::now());
        self.events()
    }

    /// Releases the allocation (a Refresh with lifetime 0); the caller sends [`TurnRelay::transmits`].
    pub(crate) fn close(&mut self) {
        if let Some(relayed) = self.relayed.take() {
            if let Ok(mut relay) = self.client.relay(relayed) {
                if let Err(e) = relay.close(Instant::now()) {
                    tracing::debug!(server = %self.url, %e, "the TURN allocation was not released");
                }
            }
        }
    }
}

/// The test rig's coturn (crates/phone/tests/support/coturn.rs), to drive a relay against it without ICE between.
#[cfg(test)]
#[allow(dead_code)]
#[path = "../../tests/support/coturn.rs"]
mod coturn;

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use tokio::net::UdpSocket;

    use super::*;
    use crate::media::gather::{gather, GATHER_BOUND};

    use super::coturn;

    const WITHIN: Duration = Duration::from_secs(5);

    /// Sends the relay's datagrams and feeds it what the server answers, until `done` holds for what peers sent.
    async fn pump(
        relay: &mut TurnRelay,
        socket: &UdpSocket,
        mut done: impl FnMut(&[(SocketAddr, BytesMut)]) -> bool,
    ) {
        let deadline = tokio::time::Instant::now() + WITHIN;
        let mut buffer = [0u8; 1500];
        loop {
            for (to, bytes) in relay.transmits() {
                socket.send_to(&bytes, to).await.unwrap();
            }
            let read = tokio::time::timeout_at(deadline, socket.recv_from(&mut buffer))
                .await
                .expect("the TURN server answered in time")
                .unwrap();
            let relayed = relay.on_datagram(&buffer[..read.0]);
            if done(&relayed) {
                return;
            }
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn data_goes_both_ways_through_coturns_relay_and_the_release_reaches_it() {
        let coturn = tokio::task::block_in_place(coturn::Coturn::start);
        let media = Arc::new(UdpSocket::bind("127.0.0.1:0").await.unwrap());
        let servers = [crate::IceServer::parse(&format!("turn:{}", coturn.address)).unwrap()];
        let credential = TurnCredential::new(coturn::TURN_USER, coturn::TURN_PASSWORD);
        let found = gather(
            std::slice::from_ref(&media),
            &servers,
            Some(&credential),
            GATHER_BOUND,
        )
        .await;
        let mut relay = found.relays.into_iter().next().expect("an allocation");
        let relayed = relay.relayed.unwrap();
        assert_eq!(relayed.ip(), coturn.address.ip());
        assert_eq!(relay.base, media.local_addr().unwrap());

        // The far end: a plain socket, let in by a permission, heard through the relay.
        let peer = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let peer_address = peer.local_addr().unwrap();
        relay.permit(&[peer_address]);
        let mut heard = None;
        let mut sent = 0;
        pump(&mut relay, &media, |relayed_in| {
            if let Some((from, bytes)) = relayed_in.first() {
                heard = Some((*from, bytes.to_vec()));
                return true;
            }
            // Until the permission is in place the server drops what the peer sends: send again.
            sent += 1;
            let _ = peer.try_send_to(b"from the far end", relayed);
            false
        })
        .await;
        assert!(sent > 0);
        assert_eq!(heard, Some((peer_address, b"from the far end".to_vec())));

        // And back: what the call sends from the relayed address leaves coturn's relay port.
        relay.send(b"from the agent", peer_address);
        for (to, bytes) in relay.transmits() {
            media.send_to(&bytes, to).await.unwrap();
        }
        let mut buffer = [0u8; 1500];
        let (n, from) = tokio::time::timeout(WITHIN, peer.recv_from(&mut buffer))
            .await
            .expect("the relay sent it on")
            .unwrap();
        assert_eq!((&buffer[..n], from), (&b"from the agent"[..], relayed));

        relay.close();
        for (to, bytes) in relay.transmits() {
            media.send_to(&bytes, to).await.unwrap();
        }
        let deadline = std::time::Instant::now() + WITHIN;
        while !coturn.log().contains("lifetime=0") {
            assert!(std::time::Instant::now() < deadline, "{}", coturn.log());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
