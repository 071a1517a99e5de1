//! Tests of the random secrets: formats, alphabets, uniform mapping, normalisation of what a
//! delegate types, storage hashing and constant-time comparison.

use super::*;
use proptest::prelude::*;
use std::collections::HashSet;

#[test]
fn crockford_encodes_most_significant_bits_first() {
    // 0x08 0x86 0x42 0x98 0xe8 = 00001 00010 00011 00100 00101 00110 00111 01000.
    assert_eq!(crockford(&[0x08, 0x86, 0x42, 0x98, 0xe8], 8), "12345678");
    assert_eq!(crockford(&[0xff; 17], 26), "z".repeat(26));
    assert_eq!(crockford(&[0x00; 17], 26), "0".repeat(26));
    // 11111 000|00 00000 0 -> "z", "0", "0": the 3 leftover bits of the first byte lead.
    assert_eq!(crockford(&[0xf8, 0x00], 3), "z00");
}

#[test]
fn tokens_are_26_crockford_characters_and_use_every_digit() {
    let tokens: Vec<String> = (0..2000).map(|_| new_token()).collect();
    let distinct: HashSet<&String> = tokens.iter().collect();
    assert_eq!(distinct.len(), tokens.len());
    for token in &tokens {
        assert_eq!(token.len(), TOKEN_LEN);
        assert!(token.bytes().all(|b| CROCKFORD.contains(&b)), "{token}");
    }
    // Every position is random: with 2000 tokens each of the 32 digits shows up in the first
    // and the last position (missing one has probability about 32 x (31/32)^2000 ~ 1e-26).
    for position in [0, TOKEN_LEN - 1] {
        let seen: HashSet<u8> = tokens.iter().map(|t| t.as_bytes()[position]).collect();
        assert_eq!(seen.len(), 32, "position {position}");
    }
}

#[test]
fn code_symbols_are_uniform_by_construction() {
    // Each of the 31 symbols has exactly 8 byte values; the 8 bytes 248..=255 are dropped.
    let mut preimages = [0usize; 31];
    for byte in 0..=255u8 {
        if let Some(symbol) = code_symbol(byte) {
            let at = CODE_ALPHABET.iter().position(|s| *s == symbol).unwrap();
            preimages[at] += 1;
        }
    }
    assert_eq!(preimages, [8; 31]);
    assert_eq!((248..=255).filter_map(code_symbol).count(), 0);
    for ambiguous in b"01OIL" {
        assert!(!CODE_ALPHABET.contains(ambiguous));
    }
}

#[test]
fn manual_codes_look_like_the_printed_card() {
    let codes: Vec<String> = (0..2000).map(|_| new_manual_code()).collect();
    for code in &codes {
        assert_eq!(code.len(), 11, "{code}");
        assert_eq!(&code[5..6], "-", "{code}");
        let symbols = normalise_manual_code(code);
        assert!(is_manual_code_shape(&symbols), "{code}");
        assert_eq!(symbols, code.replace('-', ""));
    }
    let distinct: HashSet<&String> = codes.iter().collect();
    assert_eq!(distinct.len(), codes.len());
    let seen: HashSet<u8> = codes.iter().flat_map(|c| c.bytes()).collect();
    assert_eq!(seen.len(), 32, "31 symbols and the dash");
}

#[test]
fn normalises_what_delegates_type() {
    let want = "K7QM4TXZ9R";
    for typed in [
        "K7QM4-TXZ9R",
        "k7qm4-txz9r",
        "k7qm4 txz9r",
        " K7QM4\u{3000}TXZ9R ",
        "Ｋ７ＱＭ４－ＴＸＺ９Ｒ",
        "ｋ７ｑｍ４ｔｘｚ９ｒ",
        "K7QM4—TXZ9R",
        "K7QM4–TXZ9R",
        "K7-QM-4T-XZ-9R",
        "K7QM4\tTXZ9R\n",
    ] {
        assert_eq!(normalise_manual_code(typed), want, "typed {typed:?}");
    }
    assert!(is_manual_code_shape(want));
    assert!(!is_manual_code_shape("K7QM4TXZ9"));
    assert!(
        !is_manual_code_shape("K7QM4TXZ0R"),
        "0 is not in the alphabet"
    );
    assert!(!is_manual_code_shape("K7QM4TXZ9RR"));
    assert_eq!(normalise_manual_code(""), "");
}

#[test]
fn ballot_ids_are_128_bit_lower_hex() {
    let ids: HashSet<String> = (0..1000).map(|_| new_ballot_id()).collect();
    assert_eq!(ids.len(), 1000);
    for id in &ids {
        assert_eq!(id.len(), 32);
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
            "{id}"
        );
    }
}

#[test]
fn passwords_are_three_groups_of_six() {
    let lower: Vec<u8> = CODE_ALPHABET.to_ascii_lowercase();
    for _ in 0..500 {
        let password = new_password();
        let groups: Vec<&str> = password.split('-').collect();
        assert_eq!(groups.len(), 3, "{password}");
        assert!(groups.iter().all(|g| g.len() == 6), "{password}");
        assert!(
            groups.concat().bytes().all(|b| lower.contains(&b)),
            "{password}"
        );
    }
    // 18 symbols of 31: at least 80 bits.
    assert!(PASSWORD_LEN as f64 * 31f64.log2() >= 80.0);
}

#[test]
fn secrets_are_stored_as_sha256_hex() {
    assert_eq!(
        hash_secret("abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    let token = new_token();
    assert_eq!(
        hash_secret(&token),
        crate::crypto::sha256_hex(token.as_bytes())
    );
}

#[test]
fn constant_time_equality() {
    assert!(ct_eq(b"csrf-token-1", b"csrf-token-1"));
    assert!(!ct_eq(b"csrf-token-1", b"csrf-token-2"));
    assert!(!ct_eq(b"csrf", b"csrf-token"));
    assert!(ct_eq(b"", b""));
}

proptest! {
    #[test]
    fn normalising_is_idempotent(input in any::<String>()) {
        let once = normalise_manual_code(&input);
        prop_assert_eq!(normalise_manual_code(&once), once);
    }

    #[test]
    fn ct_eq_agrees_with_eq(a in any::<Vec<u8>>(), b in any::<Vec<u8>>()) {
        prop_assert_eq!(ct_eq(&a, &b), a == b);
        prop_assert!(ct_eq(&a, &a));
    }
}
