//! Word length prefixes in the five forms of the RouterOS API.
//!
//! | length              | bytes | encoding                |
//! |---------------------|-------|-------------------------|
//! | `0..=0x7F`          | 1     | `len`                   |
//! | `0x80..=0x3FFF`     | 2     | `len \| 0x8000`         |
//! | `0x4000..=0x1FFFFF` | 3     | `len \| 0xC0_0000`      |
//! | `0x200000..=0xFFFFFFF` | 4  | `len \| 0xE000_0000`    |
//! | `>= 0x10000000`     | 5     | `0xF0` then `len` (u32) |
//!
//! A first byte `>= 0xF8` is a reserved control byte and is rejected.

use bytes::BufMut;

use super::ProtoError;

/// The largest length a prefix can carry (the five-byte form holds a `u32`).
pub const MAX_WORD_LEN: u64 = u32::MAX as u64;

/// Error from [`decode_length`] when the input is not a valid prefix.
pub type LengthError = ProtoError;

/// Number of bytes the prefix for `len` occupies.
pub fn encoded_len(len: u32) -> usize {
    match len {
        0..=0x7F => 1,
        0x80..=0x3FFF => 2,
        0x4000..=0x1F_FFFF => 3,
        0x20_0000..=0xFFF_FFFF => 4,
        _ => 5,
    }
}

/// Appends the length prefix for a word of `len` bytes.
pub fn encode_length(len: u32, dst: &mut impl BufMut) {
    match len {
        0..=0x7F => dst.put_u8(len as u8),
        0x80..=0x3FFF => dst.put_u16((len | 0x8000) as u16),
        0x4000..=0x1F_FFFF => {
            let v = len | 0xC0_0000;
            dst.put_slice(&v.to_be_bytes()[1..]);
        }
        0x20_0000..=0xFFF_FFFF => dst.put_u32(len | 0xE000_0000),
        _ => {
            dst.put_u8(0xF0);
            dst.put_u32(len);
        }
    }
}

/// Decodes a length prefix at the start of `src`.
///
/// Returns `Ok(None)` when more bytes are needed, or `(length, prefix_size)`.
pub fn decode_length(src: &[u8]) -> Result<Option<(u32, usize)>, ProtoError> {
    let Some(&b0) = src.first() else {
        return Ok(None);
    };
    let (size, mask) = match b0 {
        0x00..=0x7F => return Ok(Some((u32::from(b0), 1))),
        0x80..=0xBF => (2, 0x3F),
        0xC0..=0xDF => (3, 0x1F),
        0xE0..=0xEF => (4, 0x0F),
        // 0xF0..=0xF7: the low three bits are ignored, as go-routeros does.
        0xF0..=0xF7 => (5, 0x00),
        _ => return Err(ProtoError::ControlByte(b0)),
    };
    if src.len() < size {
        return Ok(None);
    }
    let mut len = u32::from(b0 & mask);
    for &b in &src[1..size] {
        len = (len << 8) | u32::from(b);
    }
    Ok(Some((len, size)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn enc(len: u32) -> Vec<u8> {
        let mut v = Vec::new();
        encode_length(len, &mut v);
        v
    }

    // Golden vectors from librouteros, go-routeros, roswire and the MikroTik formula.
    #[rstest]
    #[case(0, &[0x00])]
    #[case(1, &[0x01])]
    #[case(127, &[0x7F])]
    #[case(0x80, &[0x80, 0x80])]
    #[case(130, &[0x80, 0x82])]
    #[case(0x87, &[0x80, 0x87])]
    #[case(256, &[0x81, 0x00])]
    #[case(0x3FFF, &[0xBF, 0xFF])]
    #[case(0x4000, &[0xC0, 0x40, 0x00])]
    #[case(0x4321, &[0xC0, 0x43, 0x21])]
    #[case(2_097_140, &[0xDF, 0xFF, 0xF4])]
    #[case(0x1F_FFFF, &[0xDF, 0xFF, 0xFF])]
    #[case(0x20_0000, &[0xE0, 0x20, 0x00, 0x00])]
    #[case(0x2A_CDEF, &[0xE0, 0x2A, 0xCD, 0xEF])]
    #[case(268_435_440, &[0xEF, 0xFF, 0xFF, 0xF0])]
    #[case(0xFFF_FFFF, &[0xEF, 0xFF, 0xFF, 0xFF])]
    #[case(0x1000_0000, &[0xF0, 0x10, 0x00, 0x00, 0x00])]
    #[case(0x1000_0080, &[0xF0, 0x10, 0x00, 0x00, 0x80])]
    #[case(0xFFFF_FFFF, &[0xF0, 0xFF, 0xFF, 0xFF, 0xFF])]
    fn golden_vectors_encode_and_decode(#[case] len: u32, #[case] bytes: &[u8]) {
        assert_eq!(enc(len), bytes, "encoding {len:#x}");
        assert_eq!(encoded_len(len), bytes.len());
        assert_eq!(decode_length(bytes), Ok(Some((len, bytes.len()))));
    }

    #[rstest]
    #[case(0x78, 1)]
    #[case(0xBF, 2)]
    #[case(0xDF, 3)]
    #[case(0xEF, 4)]
    #[case(0xF0, 5)]
    fn truncated_prefix_asks_for_more(#[case] first: u8, #[case] size: usize) {
        let mut buf = vec![first];
        buf.resize(size, 0);
        for cut in 1..size {
            assert_eq!(decode_length(&buf[..cut]), Ok(None));
        }
        assert!(decode_length(&buf).expect("valid prefix").is_some());
    }

    #[test]
    fn control_bytes_are_rejected() {
        for b in 0xF8..=0xFF_u8 {
            assert_eq!(
                decode_length(&[b, 0, 0, 0, 0]),
                Err(ProtoError::ControlByte(b))
            );
        }
        assert_eq!(
            decode_length(&[0xFF; 5]),
            Err(ProtoError::ControlByte(0xFF))
        );
    }

    #[test]
    fn low_bits_of_five_byte_marker_are_ignored() {
        assert_eq!(decode_length(&[0xF7, 0, 0, 1, 0]), Ok(Some((256, 5))));
    }

    #[test]
    fn empty_input_needs_more() {
        assert_eq!(decode_length(&[]), Ok(None));
    }

    proptest::proptest! {
        #[test]
        fn every_length_round_trips(len in proptest::num::u32::ANY) {
            let bytes = enc(len);
            proptest::prop_assert_eq!(decode_length(&bytes), Ok(Some((len, bytes.len()))));
        }
    }
}
