//! Feeds arbitrary bytes to the sentence decoders and the reply parser.
//!
//! Checks: nothing panics; the one-shot and the incremental decoder agree whatever the
//! fragmentation; every decoded sentence re-encodes to exactly the bytes it came from (modulo
//! the ignored bits of a 0xF0..0xF7 marker and non-minimal prefixes, which are re-decoded).
#![no_main]

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use routeros_api::proto::{sentence, Reply, Sentence, SentenceDecoder};
use routeros_api::Encoding;

fuzz_target!(|data: &[u8]| {
    if data.is_empty() {
        return;
    }
    // First byte chooses the chunk size for the incremental decoder.
    let chunk = usize::from(data[0] % 64) + 1;
    let input = &data[1..];

    // One-shot decoder, sentence after sentence.
    let mut oneshot = Vec::new();
    let mut off = 0;
    let oneshot_err = loop {
        match sentence::decode(&input[off..]) {
            Ok(Some((s, used))) => {
                assert!(used > 0);
                off += used;
                if !s.is_empty() {
                    oneshot.push(s);
                }
            }
            Ok(None) => break false,
            Err(_) => break true,
        }
    };

    // Incremental decoder fed in chunks.
    let mut dec = SentenceDecoder::default();
    let mut buf = BytesMut::new();
    let mut incremental = Vec::new();
    let mut inc_err = false;
    'outer: for piece in input.chunks(chunk) {
        buf.extend_from_slice(piece);
        loop {
            match dec.decode(&mut buf) {
                Ok(Some(s)) => incremental.push(s),
                Ok(None) => break,
                Err(_) => {
                    inc_err = true;
                    break 'outer;
                }
            }
        }
    }
    assert_eq!(oneshot_err, inc_err, "decoders disagree on validity");
    assert_eq!(oneshot, incremental, "decoders disagree on sentences");

    for s in oneshot {
        // Re-encoding and decoding gives the same words back.
        let wire = s.to_bytes();
        let (again, used) = sentence::decode(&wire).expect("re-encoded is valid").expect("complete");
        assert_eq!(used, wire.len());
        assert_eq!(again, s);
        // The reply parser and the text decoders never panic.
        if let Ok(reply) = Reply::parse(Sentence::new(s.words().to_vec())) {
            for (k, v) in &reply.attributes {
                let _ = Encoding::Cp1252.decode(k);
                let _ = Encoding::Utf8.decode(v);
                let _ = Encoding::Latin1.decode(v);
            }
        }
    }
});
