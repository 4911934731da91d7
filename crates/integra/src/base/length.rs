//! The exact length of a base upload's form body, measured during the first pass over the file.
//!
//! A server, proxy or servlet container that needs a `Content-Length` (or answers 411 to a chunked body) must get
//! one, yet the body is 80+ MB and is never held. Its length is still known in advance: base64 turns every 3 bytes
//! into 4 characters, and form encoding keeps letters and digits as they are but turns `+`, `/` and `=` into three
//! bytes each (`%2B`, `%2F`, `%3D`). So the file's bytes are fed through [`EncodedLength`] as the row check reads
//! them ([`Measuring`] does that without a second read), and the prefix of the other fields is added.

use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, ReadBuf};

/// Counts the bytes of `percent_encode(base64(file))` without producing it.
#[derive(Debug, Default, Clone)]
pub(crate) struct EncodedLength {
    /// Bytes of the file that do not yet make a whole 3-byte group.
    pending: [u8; 3],
    pending_len: usize,
    /// Encoded bytes of the whole groups so far.
    encoded: u64,
    /// File bytes seen.
    read: u64,
}

/// Form-encoded length of one base64 character given its 6-bit value: 62 and 63 are `+` and `/`.
fn sextet_len(sextet: u8) -> u64 {
    if sextet >= 62 {
        3
    } else {
        1
    }
}

fn group_len(group: [u8; 3]) -> u64 {
    let [a, b, c] = group;
    sextet_len(a >> 2)
        + sextet_len(((a & 0b11) << 4) | (b >> 4))
        + sextet_len(((b & 0b1111) << 2) | (c >> 6))
        + sextet_len(c & 0b11_1111)
}

impl EncodedLength {
    /// Takes the next bytes of the file.
    pub fn feed(&mut self, mut bytes: &[u8]) {
        self.read += bytes.len() as u64;
        while self.pending_len > 0 && !bytes.is_empty() {
            self.pending[self.pending_len] = bytes[0];
            self.pending_len += 1;
            bytes = &bytes[1..];
            if self.pending_len == 3 {
                self.encoded += group_len(self.pending);
                self.pending_len = 0;
            }
        }
        if self.pending_len > 0 {
            return; // all of `bytes` went into the pending group
        }
        let mut groups = bytes.chunks_exact(3);
        for group in &mut groups {
            self.encoded += group_len([group[0], group[1], group[2]]);
        }
        let rest = groups.remainder();
        self.pending[..rest.len()].copy_from_slice(rest);
        self.pending_len = rest.len();
    }

    /// File bytes fed so far.
    pub fn file_bytes(&self) -> u64 {
        self.read
    }

    /// The encoded length of everything fed, padding included.
    pub fn total(&self) -> u64 {
        // A last group of 1 or 2 bytes is padded with zero bits; its `=` signs become `%3D`.
        let [a, b, _] = self.pending;
        let tail = match self.pending_len {
            0 => 0,
            1 => sextet_len(a >> 2) + sextet_len((a & 0b11) << 4) + 2 * 3,
            _ => {
                sextet_len(a >> 2)
                    + sextet_len(((a & 0b11) << 4) | (b >> 4))
                    + sextet_len((b & 0b1111) << 2)
                    + 3
            }
        };
        self.encoded + tail
    }
}

/// A reader that feeds every byte it passes on to an [`EncodedLength`].
pub(crate) struct Measuring<R> {
    inner: R,
    length: EncodedLength,
}

impl<R> Measuring<R> {
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            length: EncodedLength::default(),
        }
    }

    /// What was measured.
    pub fn length(&self) -> &EncodedLength {
        &self.length
    }
}

impl<R: AsyncRead + Unpin> AsyncRead for Measuring<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let this = &mut *self;
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = &polled {
            this.length.feed(&buf.filled()[before..]);
        }
        polled
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::encode_value;
    use base64::Engine;
    use proptest::prelude::*;

    fn real_len(bytes: &[u8]) -> u64 {
        encode_value(&base64::engine::general_purpose::STANDARD.encode(bytes)).len() as u64
    }

    #[test]
    fn plus_slash_and_padding_count_three_bytes() {
        // 0xfb 0xff 0xbf is "+/+/" in base64; one byte more needs "==", two more one "=".
        for bytes in [
            &b""[..],
            b"a",
            b"ab",
            b"abc",
            &[0xfb, 0xff, 0xbf],
            &[0xfb, 0xff, 0xbf, 0xff],
            &[0xff, 0xff],
        ] {
            let mut length = EncodedLength::default();
            length.feed(bytes);
            assert_eq!(length.total(), real_len(bytes), "{bytes:?}");
        }
    }

    proptest! {
        #[test]
        fn any_bytes_in_any_pieces_measure_exactly(bytes in proptest::collection::vec(any::<u8>(), 0..600), cuts in proptest::collection::vec(0usize..600, 0..6)) {
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(bytes.len())).collect();
            cuts.sort_unstable();
            let mut length = EncodedLength::default();
            let mut from = 0;
            for cut in cuts.into_iter().chain([bytes.len()]) {
                length.feed(&bytes[from..cut]);
                from = cut;
            }
            prop_assert_eq!(length.total(), real_len(&bytes));
            prop_assert_eq!(length.file_bytes(), bytes.len() as u64);
        }
    }
}
