//! G.711 µ-law (PCMU, RTP payload type 0) and A-law (PCMA, payload type 8), by hand: the classic segment
//! arithmetic of ITU-T G.711 (as in Sun's public-domain `g711.c`), on 16-bit linear samples.
//!
//! µ-law works on the top 14 bits and A-law on the top 13 bits of a 16-bit sample, so decoded values are the
//! ITU tables' values scaled by 4 and 8.

/// µ-law's bias (0x84 = 132 on the 16-bit scale, 33 on the 14-bit scale).
const ULAW_BIAS: i32 = 0x84;
/// Largest 14-bit magnitude µ-law represents before its bias is added.
const ULAW_CLIP: i32 = 8159;

/// One 16-bit linear sample to µ-law.
pub fn ulaw_encode(sample: i16) -> u8 {
    let mut pcm = i32::from(sample) >> 2;
    let mask = if pcm < 0 {
        pcm = -pcm;
        0x7F
    } else {
        0xFF
    };
    pcm = pcm.min(ULAW_CLIP) + (ULAW_BIAS >> 2);
    // Segment ends are 0x3F, 0x7F, … 0x1FFF: the segment is how far the highest set bit is above bit 5.
    let segment = 32 - (pcm >> 6).leading_zeros() as i32;
    if segment >= 8 {
        return (0x7F ^ mask) as u8;
    }
    let value = (segment << 4) | ((pcm >> (segment + 1)) & 0x0F);
    (value ^ mask) as u8
}

/// One µ-law byte to a 16-bit linear sample.
pub fn ulaw_decode(code: u8) -> i16 {
    let code = !code;
    let mut t = (i32::from(code & 0x0F) << 3) + ULAW_BIAS;
    t <<= (code & 0x70) >> 4;
    let value = if code & 0x80 != 0 {
        ULAW_BIAS - t
    } else {
        t - ULAW_BIAS
    };
    value as i16
}

/// One 16-bit linear sample to A-law.
pub fn alaw_encode(sample: i16) -> u8 {
    let mut pcm = i32::from(sample) >> 3;
    let mask = if pcm >= 0 {
        0xD5
    } else {
        pcm = -pcm - 1;
        0x55
    };
    // Segment ends 0x1F, 0x3F, … 0xFFF: the segment is how far the highest set bit is above bit 4.
    let segment = 32 - (pcm >> 5).leading_zeros() as i32;
    if segment >= 8 {
        return (0x7F ^ mask) as u8;
    }
    let quant = if segment < 2 {
        (pcm >> 1) & 0x0F
    } else {
        (pcm >> segment) & 0x0F
    };
    ((segment << 4 | quant) ^ mask) as u8
}

/// One A-law byte to a 16-bit linear sample.
pub fn alaw_decode(code: u8) -> i16 {
    let code = code ^ 0x55;
    let mut t = i32::from(code & 0x0F) << 4;
    match (code & 0x70) >> 4 {
        0 => t += 8,
        1 => t += 0x108,
        segment => {
            t += 0x108;
            t <<= segment - 1;
        }
    }
    let value = if code & 0x80 != 0 { t } else { -t };
    value as i16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ulaw_reference_values() {
        // ITU-T G.711 table 2 (14-bit decoder outputs ±8031, ±0), scaled by 4.
        assert_eq!(ulaw_decode(0x80), 32124);
        assert_eq!(ulaw_decode(0x00), -32124);
        assert_eq!(ulaw_decode(0xFF), 0);
        assert_eq!(ulaw_decode(0x7F), 0);
        assert_eq!(ulaw_encode(0), 0xFF);
        assert_eq!(ulaw_encode(i16::MAX), 0x80);
        assert_eq!(ulaw_encode(i16::MIN), 0x00);
        // First step above zero: 14-bit values 1..=2 decode to 2 (×4 = 8); code 0xFE.
        assert_eq!(ulaw_decode(0xFE), 8);
        assert_eq!(ulaw_encode(8), 0xFE);
    }

    #[test]
    fn alaw_reference_values() {
        // ITU-T G.711 table 1 (13-bit decoder outputs ±4032, ±1), scaled by 8; zero encodes as 0xD5.
        assert_eq!(alaw_decode(0xAA), 32256);
        assert_eq!(alaw_decode(0x2A), -32256);
        assert_eq!(alaw_decode(0xD5), 8);
        assert_eq!(alaw_decode(0x55), -8);
        assert_eq!(alaw_encode(0), 0xD5);
        assert_eq!(alaw_encode(i16::MAX), 0xAA);
        assert_eq!(alaw_encode(i16::MIN), 0x2A);
    }

    #[test]
    fn every_code_survives_decode_then_encode() {
        for code in 0..=255u8 {
            // µ-law has two zeros (0xFF and 0x7F); encoding zero gives the positive one.
            let expected = if code == 0x7F { 0xFF } else { code };
            assert_eq!(
                ulaw_encode(ulaw_decode(code)),
                expected,
                "µ-law code {code:#04x}"
            );
            assert_eq!(
                alaw_encode(alaw_decode(code)),
                code,
                "A-law code {code:#04x}"
            );
        }
    }

    #[test]
    fn decoding_is_monotonic_in_the_sample() {
        let mut last_u = i16::MIN;
        let mut last_a = i16::MIN;
        for sample in (i16::MIN..=i16::MAX).step_by(7) {
            let u = ulaw_decode(ulaw_encode(sample));
            let a = alaw_decode(alaw_encode(sample));
            assert!(u >= last_u && a >= last_a, "not monotonic at {sample}");
            last_u = u;
            last_a = a;
        }
    }

    /// Speech-level tones come back with G.711's ~38 dB signal-to-noise ratio (each law's ideal is about that).
    #[test]
    fn a_tone_comes_back_clean() {
        for (name, encode, decode) in [
            (
                "µ-law",
                ulaw_encode as fn(i16) -> u8,
                ulaw_decode as fn(u8) -> i16,
            ),
            ("A-law", alaw_encode, alaw_decode),
        ] {
            let (mut signal, mut noise) = (0.0f64, 0.0f64);
            for n in 0..8000 {
                let x = (10_000.0 * (2.0 * std::f64::consts::PI * 1004.0 * n as f64 / 8000.0).sin())
                    as i16;
                let y = decode(encode(x));
                signal += f64::from(x).powi(2);
                noise += f64::from(x - y).powi(2);
            }
            let snr = 10.0 * (signal / noise).log10();
            assert!(snr > 35.0, "{name}: SNR {snr:.1} dB");
        }
    }
}
