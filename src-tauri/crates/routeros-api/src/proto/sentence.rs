//! Sentences: words terminated by a zero-length word.

use bytes::{Buf, BufMut, Bytes, BytesMut};

use super::length::{decode_length, encode_length};
use super::ProtoError;

/// Default limit for one word (16 MiB): far above anything a router sends for the menus we use.
pub const DEFAULT_MAX_WORD: u32 = 16 * 1024 * 1024;
/// Default limit for one sentence (64 MiB).
pub const DEFAULT_MAX_SENTENCE: u64 = 64 * 1024 * 1024;

/// One sentence: a non-empty list of words. Words are raw bytes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sentence {
    words: Vec<Bytes>,
}

impl Sentence {
    /// Builds a sentence from words.
    pub fn new(words: Vec<Bytes>) -> Self {
        Self { words }
    }

    /// Builds a sentence from anything byte-like (handy in tests).
    pub fn from_words<I, W>(words: I) -> Self
    where
        I: IntoIterator<Item = W>,
        W: AsRef<[u8]>,
    {
        Self {
            words: words
                .into_iter()
                .map(|w| Bytes::copy_from_slice(w.as_ref()))
                .collect(),
        }
    }

    /// The words, first word first.
    pub fn words(&self) -> &[Bytes] {
        &self.words
    }

    /// Consumes the sentence into its words.
    pub fn into_words(self) -> Vec<Bytes> {
        self.words
    }

    /// True if the sentence has no words (such sentences are ignored on the wire).
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Appends the wire form (each word with its prefix, then the zero-length word).
    pub fn encode(&self, dst: &mut BytesMut) {
        encode_words(self.words.iter(), dst);
    }

    /// The wire form as a new buffer.
    pub fn to_bytes(&self) -> Bytes {
        let mut buf = BytesMut::with_capacity(self.encoded_len());
        self.encode(&mut buf);
        buf.freeze()
    }

    /// Exact number of bytes [`Sentence::encode`] writes.
    pub fn encoded_len(&self) -> usize {
        self.words
            .iter()
            .map(|w| super::encoded_len(word_len(w)) + w.len())
            .sum::<usize>()
            + 1
    }
}

fn word_len(word: &[u8]) -> u32 {
    u32::try_from(word.len()).unwrap_or(u32::MAX)
}

/// Encodes any list of words as one sentence.
///
/// Words longer than `u32::MAX` bytes cannot be expressed by the protocol; they are truncated
/// to that length (no real word comes close).
pub fn encode_words<I, W>(words: I, dst: &mut impl BufMut)
where
    I: IntoIterator<Item = W>,
    W: AsRef<[u8]>,
{
    for word in words {
        let word = word.as_ref();
        let len = word_len(word);
        encode_length(len, dst);
        dst.put_slice(&word[..len as usize]);
    }
    dst.put_u8(0);
}

/// Decodes one sentence from the start of `src` without consuming anything.
///
/// Returns `Ok(None)` if `src` holds no complete sentence yet, otherwise the sentence and the
/// number of bytes it used. An empty sentence (a lone zero byte) is returned as an empty
/// [`Sentence`]; callers on the wire skip it.
pub fn decode(src: &[u8]) -> Result<Option<(Sentence, usize)>, ProtoError> {
    let mut pos = 0;
    let mut words = Vec::new();
    loop {
        let Some((len, prefix)) = decode_length(&src[pos..])? else {
            return Ok(None);
        };
        if len > DEFAULT_MAX_WORD {
            return Err(ProtoError::WordTooLong {
                len: len.into(),
                max: DEFAULT_MAX_WORD.into(),
            });
        }
        pos += prefix;
        if len == 0 {
            return Ok(Some((Sentence { words }, pos)));
        }
        let end = pos + len as usize;
        if src.len() < end {
            return Ok(None);
        }
        words.push(Bytes::copy_from_slice(&src[pos..end]));
        pos = end;
    }
}

/// Incremental decoder: consumes words from a growing buffer without rescanning them.
///
/// Each finished word is split off the buffer without copying, so a fragmented 10 MB reply is
/// parsed in one pass.
#[derive(Debug)]
pub struct SentenceDecoder {
    words: Vec<Bytes>,
    sentence_bytes: u64,
    max_word: u32,
    max_sentence: u64,
}

impl Default for SentenceDecoder {
    fn default() -> Self {
        Self::with_limits(DEFAULT_MAX_WORD, DEFAULT_MAX_SENTENCE)
    }
}

impl SentenceDecoder {
    /// A decoder with explicit limits for one word and one sentence.
    pub fn with_limits(max_word: u32, max_sentence: u64) -> Self {
        Self {
            words: Vec::new(),
            sentence_bytes: 0,
            max_word,
            max_sentence,
        }
    }

    /// Takes the next complete non-empty sentence out of `src`, if there is one.
    pub fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Sentence>, ProtoError> {
        loop {
            let Some((len, prefix)) = decode_length(src)? else {
                return Ok(None);
            };
            if len > self.max_word {
                return Err(ProtoError::WordTooLong {
                    len: len.into(),
                    max: self.max_word.into(),
                });
            }
            if len == 0 {
                src.advance(prefix);
                self.sentence_bytes = 0;
                if self.words.is_empty() {
                    continue; // empty sentences are ignored
                }
                return Ok(Some(Sentence {
                    words: std::mem::take(&mut self.words),
                }));
            }
            let total = prefix + len as usize;
            self.sentence_bytes += total as u64;
            if self.sentence_bytes > self.max_sentence {
                return Err(ProtoError::SentenceTooLong {
                    max: self.max_sentence,
                });
            }
            if src.len() < total {
                self.sentence_bytes -= total as u64;
                src.reserve(total - src.len());
                return Ok(None);
            }
            src.advance(prefix);
            self.words.push(src.split_to(len as usize).freeze());
        }
    }

    /// True if part of a sentence has been read but not its terminator.
    pub fn has_partial(&self) -> bool {
        !self.words.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hex(s: &str) -> Vec<u8> {
        s.split_whitespace()
            .map(|b| u8::from_str_radix(b, 16).expect("hex"))
            .collect()
    }

    #[test]
    fn golden_sentences_encode_exactly() {
        let cases: [(&[&str], &str); 5] = [
            (
                &["/login", "=name=admin", "=password="],
                "06 2f 6c 6f 67 69 6e 0b 3d 6e 61 6d 65 3d 61 64 6d 69 6e 0a 3d 70 61 73 73 77 6f \
                 72 64 3d 00",
            ),
            (&["!done"], "05 21 64 6f 6e 65 00"),
            (
                &["!done", "=ret=*1"],
                "05 21 64 6f 6e 65 07 3d 72 65 74 3d 2a 31 00",
            ),
            (&["!empty"], "06 21 65 6d 70 74 79 00"),
            (
                &["/cancel", "=tag=2", ".tag=7"],
                "07 2f 63 61 6e 63 65 6c 06 3d 74 61 67 3d 32 06 2e 74 61 67 3d 37 00",
            ),
        ];
        for (words, wire) in cases {
            let s = Sentence::from_words(words);
            assert_eq!(s.to_bytes().as_ref(), hex(wire).as_slice(), "{words:?}");
            assert_eq!(s.encoded_len(), hex(wire).len());
            let (back, used) = decode(&hex(wire)).expect("valid").expect("complete");
            assert_eq!(back, s);
            assert_eq!(used, hex(wire).len());
        }
    }

    #[test]
    fn word_of_256_bytes_has_a_zero_in_its_prefix_and_still_decodes() {
        let word = vec![b'x'; 256];
        let s = Sentence::from_words([&word[..]]);
        let wire = s.to_bytes();
        assert_eq!(&wire[..2], &[0x81, 0x00]);
        let mut buf = BytesMut::from(&wire[..]);
        let got = SentenceDecoder::default()
            .decode(&mut buf)
            .expect("valid")
            .expect("complete");
        assert_eq!(got, s);
        assert!(buf.is_empty());
    }

    #[test]
    fn empty_sentences_are_skipped_by_the_stream_decoder() {
        let mut buf = BytesMut::from(&b"\x00\x00\x05!done\x00"[..]);
        let got = SentenceDecoder::default()
            .decode(&mut buf)
            .expect("valid")
            .expect("complete");
        assert_eq!(got, Sentence::from_words(["!done"]));
    }

    #[test]
    fn limits_are_enforced() {
        let mut dec = SentenceDecoder::with_limits(4, 8);
        let mut buf = BytesMut::from(&b"\x05hello\x00"[..]);
        assert!(matches!(
            dec.decode(&mut buf),
            Err(ProtoError::WordTooLong { len: 5, max: 4 })
        ));
        let mut dec = SentenceDecoder::with_limits(4, 8);
        let mut buf = BytesMut::from(&b"\x04abcd\x04abcd\x00"[..]);
        assert!(matches!(
            dec.decode(&mut buf),
            Err(ProtoError::SentenceTooLong { .. })
        ));
    }

    fn sentence_strategy() -> impl Strategy<Value = Vec<Vec<u8>>> {
        let word = prop_oneof![
            4 => proptest::collection::vec(any::<u8>(), 1..40),
            1 => proptest::collection::vec(any::<u8>(), 100..300),
            1 => proptest::collection::vec(any::<u8>(), 0x3FF0..0x4010),
        ];
        proptest::collection::vec(word, 1..8)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn sentences_round_trip_through_any_fragmentation(
            sentences in proptest::collection::vec(sentence_strategy(), 1..5),
            cuts in proptest::collection::vec(1usize..5000, 0..20),
        ) {
            let mut wire = BytesMut::new();
            for s in &sentences {
                encode_words(s, &mut wire);
            }
            // Pure decoder: sentence by sentence.
            let mut off = 0;
            for s in &sentences {
                let (got, used) = decode(&wire[off..]).expect("valid").expect("complete");
                prop_assert_eq!(got, Sentence::from_words(s));
                off += used;
            }
            prop_assert_eq!(off, wire.len());
            // Incremental decoder fed in arbitrary chunks.
            let mut dec = SentenceDecoder::default();
            let mut buf = BytesMut::new();
            let mut out = Vec::new();
            let mut rest = &wire[..];
            let mut cuts = cuts.into_iter();
            while !rest.is_empty() {
                let n = cuts.next().unwrap_or(rest.len()).min(rest.len());
                buf.extend_from_slice(&rest[..n]);
                rest = &rest[n..];
                while let Some(s) = dec.decode(&mut buf).expect("valid") {
                    out.push(s);
                }
            }
            let want: Vec<_> = sentences.iter().map(Sentence::from_words).collect();
            prop_assert_eq!(out, want);
            prop_assert!(!dec.has_partial());
        }
    }
}
