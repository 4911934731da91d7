//! The addresses the phone offers as host candidates: every up IPv4 interface, loopback included only when it is
//! the only one or the far end offered a loopback candidate itself (a test rig on one machine). Server-reflexive
//! candidates for these sockets come from the ICE servers (`gather`).

use std::net::IpAddr;

/// The local addresses to bind a media socket on, for an offer whose candidates name `remote`.
pub(crate) fn local_addresses(remote: &[IpAddr]) -> Vec<IpAddr> {
    let mut found: Vec<IpAddr> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .map(|i| i.ip())
        .filter(|ip| ip.is_ipv4())
        .collect();
    found.sort();
    found.dedup();
    let remote_loopback = remote.iter().any(IpAddr::is_loopback);
    let others = found.iter().any(|ip| !ip.is_loopback());
    found.retain(|ip| !ip.is_loopback() || remote_loopback || !others);
    if found.is_empty() {
        found.push(IpAddr::from([127, 0, 0, 1]));
    }
    found
}

/// The addresses of the `a=candidate` lines of an SDP.
pub(crate) fn remote_addresses(sdp: &str) -> Vec<IpAddr> {
    sdp.lines()
        .filter_map(|l| l.trim().strip_prefix("a=candidate:"))
        .filter_map(|c| c.split_whitespace().nth(4)?.parse().ok())
        .collect()
}

/// The transport addresses of the `a=candidate` lines of an SDP (a TURN relay asks permissions for them).
pub(crate) fn remote_transports(sdp: &str) -> Vec<std::net::SocketAddr> {
    sdp.lines()
        .filter_map(|l| l.trim().strip_prefix("a=candidate:"))
        .filter_map(|c| {
            let mut words = c.split_whitespace().skip(4);
            let ip: IpAddr = words.next()?.parse().ok()?;
            Some(std::net::SocketAddr::new(ip, words.next()?.parse().ok()?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_only_for_a_far_end_on_loopback() {
        let offer = "a=candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host\r\na=candidate:2 1 udp 1 10.0.0.9 6 typ host\r\n";
        let remote = remote_addresses(offer);
        assert_eq!(
            remote,
            vec![IpAddr::from([127, 0, 0, 1]), IpAddr::from([10, 0, 0, 9])]
        );
        assert!(local_addresses(&remote).contains(&IpAddr::from([127, 0, 0, 1])));
        assert_eq!(
            remote_transports(offer),
            vec![
                "127.0.0.1:5000".parse::<std::net::SocketAddr>().unwrap(),
                "10.0.0.9:6".parse::<std::net::SocketAddr>().unwrap()
            ]
        );
        let far = local_addresses(&[IpAddr::from([192, 0, 2, 1])]);
        assert!(!far.is_empty());
    }
}
