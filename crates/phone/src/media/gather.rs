//! Server-reflexive and relayed candidates: a STUN Binding request (RFC 8489) from each media socket to each configured ICE
//! server (a TURN server answers Binding too), read before the answer is sent and before the call's task starts
//! reading the sockets, so no answer is taken from the media path; with TURN credentials, an allocation on each
//! `turn:` server (`relay`), made in the same time on the same sockets.
//!
//! Gathering is bounded ([`GATHER_BOUND`] for the whole call, servers asked at once, the name lookups included): a
//! server that does not answer in time is skipped with a warning and the call goes on with the candidates it has.
//! The requests are built and read with `rtc`'s own STUN messages; `rtc::stun::client` is not used because its
//! transactions retransmit on their own timers (RFC 8489's 500 ms first RTO), longer than the whole bound here.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use rtc::stun::message::{Getter, Message, TransactionId, BINDING_REQUEST, BINDING_SUCCESS};
use rtc::stun::xoraddr::XorMappedAddress;
use tokio::net::UdpSocket;
use tokio::time::Instant;

use super::relay::TurnRelay;
use crate::{IceServer, IceServerKind, TurnCredential};

/// How long a call's answer may wait for its ICE servers, at most: about one round trip to a distant server and
/// one retransmission, small beside the ring the caller hears.
pub(crate) const GATHER_BOUND: Duration = Duration::from_millis(300);

/// A Binding request not answered after this long is sent again (once: within [`GATHER_BOUND`]).
const RETRANSMIT_AFTER: Duration = Duration::from_millis(120);

/// A server-reflexive address: what `server` saw of the socket at `base`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reflexive {
    pub base: SocketAddr,
    pub mapped: SocketAddr,
    pub server: String,
}

/// What a call's ICE servers gave: server-reflexive addresses, and TURN allocations.
#[derive(Default)]
pub(crate) struct Gathered {
    pub reflexive: Vec<Reflexive>,
    pub relays: Vec<TurnRelay>,
}

/// The reflexive addresses of `sockets` as `servers` see them, and with `credential` an allocation on each `turn:`
/// server, within `bound`. An address equal to its socket's own is left out (RFC 8445 §5.1.3: the host candidate
/// already offers it), as is a second server's same answer.
pub(crate) async fn gather(
    sockets: &[Arc<UdpSocket>],
    servers: &[IceServer],
    credential: Option<&TurnCredential>,
    bound: Duration,
) -> Gathered {
    if servers.is_empty() || sockets.is_empty() {
        return Gathered::default();
    }
    let deadline = Instant::now() + bound;
    let resolved = resolve(servers, deadline).await;
    let locals: Vec<Option<SocketAddr>> = sockets.iter().map(|s| s.local_addr().ok()).collect();
    // One allocation per TURN server and call, from the socket that reaches it most plainly: a loopback server from
    // the loopback socket, any other from the first socket on a real interface.
    let mut relays: Vec<Vec<TurnRelay>> = sockets.iter().map(|_| Vec::new()).collect();
    for (i, server) in servers.iter().enumerate() {
        if server.kind != IceServerKind::Turn {
            continue;
        }
        let Some(credential) = credential else {
            tracing::warn!(%server, "no TURN credentials: the server is asked as a STUN server only");
            continue;
        };
        let Some(&(_, address)) = resolved.iter().find(|(s, _)| *s == i) else {
            continue;
        };
        let fits = |local: &&Option<SocketAddr>| {
            local.is_some_and(|l| l.ip().is_loopback() == address.ip().is_loopback())
        };
        let chosen = locals.iter().position(|l| fits(&l)).unwrap_or(0);
        if let Some(base) = locals[chosen] {
            relays[chosen].extend(TurnRelay::allocate(
                base,
                address,
                server.to_string(),
                credential,
            ));
        }
    }
    let per_socket = sockets
        .iter()
        .zip(relays)
        .map(|(socket, relays)| ask(socket, &resolved, relays, deadline));
    let answers: Vec<SocketAnswers> = futures_util::future::join_all(per_socket).await;
    let mut found = Gathered::default();
    let mut answered = vec![false; servers.len()];
    for (socket, (answers, relays)) in sockets.iter().zip(answers) {
        let Ok(base) = socket.local_addr() else {
            continue;
        };
        for (server, mapped) in answers {
            answered[server] = true;
            let server = servers[server].to_string();
            if mapped == base {
                tracing::debug!(%base, %server, "no NAT between this address and the server: host candidate only");
            } else if !found
                .reflexive
                .iter()
                .any(|r| r.base == base && r.mapped == mapped)
            {
                tracing::debug!(%base, %mapped, %server, "server-reflexive candidate");
                found.reflexive.push(Reflexive {
                    base,
                    mapped,
                    server,
                });
            }
        }
        for relay in relays {
            if relay.relayed.is_some() {
                found.relays.push(relay);
            } else if !relay.failed {
                tracing::warn!(
                    server = %relay.url,
                    bound_ms = bound.as_millis(),
                    "the TURN server did not allocate in time; the call goes on without a relay"
                );
            }
        }
    }
    for (server, answered) in servers.iter().zip(answered) {
        if !answered {
            tracing::warn!(
                %server,
                bound_ms = bound.as_millis(),
                "the ICE server did not answer in time; the call goes on without its candidate"
            );
        }
    }
    found
}

/// Each server's IPv4 addresses (the media sockets are IPv4), looked up at once and within the deadline; a server
/// whose name does not resolve in time has none.
async fn resolve(servers: &[IceServer], deadline: Instant) -> Vec<(usize, SocketAddr)> {
    let lookups = servers.iter().enumerate().map(|(i, server)| async move {
        let host = server.host.as_str();
        let addresses: Vec<SocketAddr> = match host.parse::<IpAddr>() {
            Ok(ip) => vec![SocketAddr::new(ip, server.port)],
            Err(_) => match tokio::time::timeout_at(
                deadline,
                tokio::net::lookup_host((host, server.port)),
            )
            .await
            {
                Ok(Ok(found)) => found.collect(),
                Ok(Err(e)) => {
                    tracing::debug!(%server, %e, "the ICE server's name did not resolve");
                    Vec::new()
                }
                Err(_) => Vec::new(),
            },
        };
        addresses
            .into_iter()
            .filter(SocketAddr::is_ipv4)
            .map(move |a| (i, a))
            .collect::<Vec<_>>()
    });
    futures_util::future::join_all(lookups)
        .await
        .into_iter()
        .flatten()
        .collect()
}

/// What one socket heard: the servers' mapped addresses by the server's index, and its relays.
type SocketAnswers = (Vec<(usize, SocketAddr)>, Vec<TurnRelay>);

/// Binding requests from `socket` to every server address, and the mapped addresses answered before `deadline`,
/// by the server's index; and `relays`' allocations on the same socket, driven until allocated, refused or late.
async fn ask(
    socket: &UdpSocket,
    servers: &[(usize, SocketAddr)],
    mut relays: Vec<TurnRelay>,
    deadline: Instant,
) -> SocketAnswers {
    let Ok(local) = socket.local_addr() else {
        return (Vec::new(), relays);
    };
    // A socket on loopback reaches only servers on loopback (and another address's socket reaches those too).
    let mut waiting: HashMap<TransactionId, (usize, SocketAddr, Vec<u8>)> = HashMap::new();
    for &(server, address) in servers {
        if local.ip().is_loopback() && !address.ip().is_loopback() {
            continue;
        }
        let mut request = Message::new();
        let id = TransactionId::new();
        if request
            .build(&[Box::new(id), Box::new(BINDING_REQUEST)])
            .is_err()
        {
            continue;
        }
        waiting.insert(id, (server, address, request.raw));
    }
    for (_, address, raw) in waiting.values() {
        send(socket, raw, *address).await;
    }
    let mut answers = Vec::new();
    let mut retransmit = Some(Instant::now() + RETRANSMIT_AFTER);
    let mut buffer = [0u8; 1500];
    let allocating = |relays: &[TurnRelay]| relays.iter().any(|r| r.relayed.is_none() && !r.failed);
    while (!waiting.is_empty() || allocating(&relays)) && Instant::now() < deadline {
        for relay in &mut relays {
            for (to, bytes) in relay.transmits() {
                send(socket, &bytes, to).await;
            }
        }
        let turn_timer = relays
            .iter_mut()
            .filter_map(|r| r.poll_timeout())
            .min()
            .map(Instant::from_std);
        let wake = [Some(deadline), retransmit, turn_timer]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(deadline);
        match tokio::time::timeout_at(wake, socket.recv_from(&mut buffer)).await {
            Ok(Ok((n, from))) => {
                // Our Binding requests' answers by their transaction, then what the TURN client waits for.
                if let Some((id, mapped)) = mapped_address(&buffer[..n]) {
                    if waiting
                        .get(&id)
                        .is_some_and(|(_, address, _)| *address == from)
                    {
                        if let Some((server, _, _)) = waiting.remove(&id) {
                            answers.push((server, mapped));
                        }
                        continue;
                    }
                }
                if let Some(relay) = relays.iter_mut().find(|r| r.server == from) {
                    relay.on_datagram(&buffer[..n]);
                }
            }
            // ICMP port unreachable and the like surface as read errors on some systems: keep waiting.
            Ok(Err(e)) => tracing::trace!(%e, "STUN read"),
            Err(_) if Instant::now() >= deadline => break,
            Err(_) => {
                for relay in &mut relays {
                    relay.handle_timeout();
                }
                if retransmit.is_some_and(|r| r <= Instant::now()) {
                    retransmit = None;
                    for (_, address, raw) in waiting.values() {
                        send(socket, raw, *address).await;
                    }
                }
            }
        }
    }
    (answers, relays)
}

async fn send(socket: &UdpSocket, raw: &[u8], to: SocketAddr) {
    if let Err(e) = socket.send_to(raw, to).await {
        tracing::debug!(%to, %e, "a STUN Binding request was not sent");
    }
}

/// The transaction and XOR-MAPPED-ADDRESS of a Binding success response, if `bytes` is one.
fn mapped_address(bytes: &[u8]) -> Option<(TransactionId, SocketAddr)> {
    let mut message = Message::new();
    message.unmarshal_binary(bytes).ok()?;
    if message.typ != BINDING_SUCCESS {
        return None;
    }
    let mut mapped = XorMappedAddress::default();
    mapped.get_from(&message).ok()?;
    Some((
        message.transaction_id,
        SocketAddr::new(mapped.ip, mapped.port),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rtc::stun::message::Setter;

    /// A STUN server in the test: answers every Binding request with `mapped` (as a NAT in front of the socket
    /// would make a real server answer).
    async fn answering(mapped: SocketAddr) -> (SocketAddr, tokio::task::JoinHandle<()>) {
        let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let address = socket.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let mut buffer = [0u8; 1500];
            while let Ok((n, from)) = socket.recv_from(&mut buffer).await {
                let mut request = Message::new();
                request.unmarshal_binary(&buffer[..n]).unwrap();
                let mut answer = Message::new();
                answer
                    .build(&[Box::new(request.transaction_id), Box::new(BINDING_SUCCESS)])
                    .unwrap();
                XorMappedAddress {
                    ip: mapped.ip(),
                    port: mapped.port(),
                }
                .add_to(&mut answer)
                .unwrap();
                answer.encode();
                socket.send_to(&answer.raw, from).await.unwrap();
            }
        });
        (address, task)
    }

    fn stun(address: SocketAddr) -> IceServer {
        IceServer::parse(&format!("stun:{address}")).unwrap()
    }

    #[tokio::test]
    async fn a_silent_server_costs_the_bound_and_no_more_and_an_answering_one_its_address() {
        let media = Arc::new(UdpSocket::bind("127.0.0.1:0").await.unwrap());
        let silent = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let nat: SocketAddr = "127.0.0.1:40000".parse().unwrap();
        let (server, task) = answering(nat).await;
        let started = Instant::now();
        let found = gather(
            std::slice::from_ref(&media),
            &[stun(silent.local_addr().unwrap()), stun(server)],
            None,
            GATHER_BOUND,
        )
        .await
        .reflexive;
        let took = started.elapsed();
        assert!(
            took >= GATHER_BOUND && took < GATHER_BOUND + Duration::from_millis(150),
            "{took:?}"
        );
        assert_eq!(
            found,
            vec![Reflexive {
                base: media.local_addr().unwrap(),
                mapped: nat,
                server: format!("stun:{server}"),
            }]
        );
        // The silent server got the request and one retransmission, nothing more.
        let mut buffer = [0u8; 1500];
        for _ in 0..2 {
            let (n, from) = silent.try_recv_from(&mut buffer).unwrap();
            assert_eq!(from, media.local_addr().unwrap());
            assert!(
                mapped_address(&buffer[..n]).is_none(),
                "a request, not an answer"
            );
        }
        assert!(silent.try_recv_from(&mut buffer).is_err());
        task.abort();
    }

    #[tokio::test]
    async fn answering_servers_end_the_wait_and_a_mapping_equal_to_the_socket_is_no_candidate() {
        let media = Arc::new(UdpSocket::bind("127.0.0.1:0").await.unwrap());
        let (server, task) = answering(media.local_addr().unwrap()).await;
        let started = Instant::now();
        let found = gather(
            std::slice::from_ref(&media),
            &[stun(server)],
            None,
            GATHER_BOUND,
        )
        .await
        .reflexive;
        assert!(found.is_empty(), "{found:?}");
        assert!(started.elapsed() < GATHER_BOUND, "{:?}", started.elapsed());
        task.abort();
    }
}
