//! Cryptography of `spec/verification.md`: canonical JSON, SHA-256, RFC 6962 Merkle trees,
//! Ed25519 keys and signatures (ring), random tokens and constant-time comparison.
