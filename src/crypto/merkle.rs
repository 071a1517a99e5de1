//! RFC 6962 (Certificate Transparency) Merkle trees over a board's ballot hashes: the tree
//! root published as `merkle_root`, audit paths (inclusion proofs) and their verification by
//! the RFC 9162 section 2.1.3.2 algorithm.
//!
//! Definitions (RFC 6962 section 2.1), with `D[n]` the list of leaf data in board order:
//! - `MTH({}) = SHA-256("")` (empty input);
//! - `MTH({d0}) = SHA-256(0x00 || d0)`;
//! - `MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n]))`, k the largest power of two < n.
//!
//! On a board, each leaf datum is the 32 raw bytes of a ballot hash (not its hex). The generic
//! `*_of_data` functions take arbitrary leaf data so the published RFC 6962 test vectors apply.
//!
//! Speed: a root is computed without allocating per node. Each range is folded left to right
//! with a fixed stack of at most 64 subtree roots (the binary decomposition of its size, which
//! is exactly the RFC's split), and ranges above [`PARALLEL_LEAVES`] leaves are split at the
//! RFC's power-of-two point and hashed on both sides at once with rayon.

use rayon::join;

use super::{hash_from_hex, CryptoError};

/// A SHA-256 value: a ballot hash, a leaf hash, a node or a root.
pub type Hash = [u8; 32];

/// Ranges larger than this are split and hashed in parallel; below it the thread hand-off
/// would cost more than the hashing (4096 leaves take roughly a millisecond).
pub const PARALLEL_LEAVES: usize = 4096;

const LEAF_PREFIX: u8 = 0x00;
const NODE_PREFIX: u8 = 0x01;

/// RFC 6962 leaf hash: SHA-256(0x00 || data).
pub fn hash_leaf(data: &[u8]) -> Hash {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    ctx.update(&[LEAF_PREFIX]);
    ctx.update(data);
    to_hash(ctx.finish())
}

/// Leaf hash of a 32-byte ballot hash: one contiguous 33-byte input, no context buffering.
fn hash_leaf32(data: &Hash) -> Hash {
    let mut buf = [0u8; 33];
    buf[0] = LEAF_PREFIX;
    buf[1..].copy_from_slice(data);
    to_hash(ring::digest::digest(&ring::digest::SHA256, &buf))
}

/// RFC 6962 interior node: SHA-256(0x01 || left || right).
pub fn hash_children(left: &Hash, right: &Hash) -> Hash {
    let mut buf = [0u8; 65];
    buf[0] = NODE_PREFIX;
    buf[1..33].copy_from_slice(left);
    buf[33..].copy_from_slice(right);
    to_hash(ring::digest::digest(&ring::digest::SHA256, &buf))
}

fn to_hash(digest: ring::digest::Digest) -> Hash {
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}

/// The `merkle_root` of a board: MTH over the ballot hashes in board order.
pub fn root(hashes: &[Hash]) -> Hash {
    tree_root(hashes.len(), &|i: usize| hash_leaf32(&hashes[i]))
}

/// MTH over arbitrary leaf data (for the RFC 6962 test vectors and other logs).
pub fn root_of_data(leaves: &[&[u8]]) -> Hash {
    tree_root(leaves.len(), &|i: usize| hash_leaf(leaves[i]))
}

/// The RFC 6962 audit path of the ballot hash at `index` on a board, leaf-side first;
/// `None` if `index` is not on the board.
pub fn audit_path(hashes: &[Hash], index: usize) -> Option<Vec<Hash>> {
    path(hashes.len(), index, &|i: usize| hash_leaf32(&hashes[i]))
}

/// The audit path of leaf `index` over arbitrary leaf data.
pub fn audit_path_of_data(leaves: &[&[u8]], index: usize) -> Option<Vec<Hash>> {
    path(leaves.len(), index, &|i: usize| hash_leaf(leaves[i]))
}

/// Checks that the ballot hash `ballot_hash` (the leaf datum, as on the board) is leaf `index`
/// of a tree of `tree_size` leaves with root `root`, given its audit path.
pub fn verify_inclusion(
    ballot_hash: &Hash,
    index: usize,
    tree_size: usize,
    path: &[Hash],
    root: &Hash,
) -> bool {
    verify_inclusion_leaf_hash(&hash_leaf32(ballot_hash), index, tree_size, path, root)
}

/// Inclusion check from an already computed leaf hash (SHA-256(0x00 || data)).
pub fn verify_inclusion_leaf_hash(
    leaf_hash: &Hash,
    index: usize,
    tree_size: usize,
    path: &[Hash],
    root: &Hash,
) -> bool {
    root_from_inclusion(leaf_hash, index, tree_size, path).is_some_and(|r| &r == root)
}

/// The root an audit path leads to (RFC 9162 section 2.1.3.2), or `None` when the path has the
/// wrong length for `index` in a tree of `tree_size` leaves.
pub fn root_from_inclusion(
    leaf_hash: &Hash,
    index: usize,
    tree_size: usize,
    path: &[Hash],
) -> Option<Hash> {
    walk_inclusion(leaf_hash, index, tree_size, path, |_| {})
}

/// One step of an audit path walked up to the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathStep {
    /// The path's next hash.
    pub sibling: Hash,
    /// Whether it goes on the left: SHA-256(0x01 || sibling || node), else (node || sibling).
    pub sibling_on_left: bool,
    /// The node this step computes.
    pub node: Hash,
}

/// The RFC 9162 section 2.1.3.2 walk of `path` from `leaf_hash` (leaf `index` of a tree of
/// `tree_size` leaves), telling `on_step` each node it computes. Returns the root reached, or
/// `None` when the path has the wrong length. The one walk: the check of a proof and the
/// steps shown to whoever checks a tracker are the same computation.
pub fn walk_inclusion(
    leaf_hash: &Hash,
    index: usize,
    tree_size: usize,
    path: &[Hash],
    mut on_step: impl FnMut(&PathStep),
) -> Option<Hash> {
    if index >= tree_size {
        return None;
    }
    // fn walks the leaf's position up the tree, sn the position of the last leaf; where they
    // meet with fn even, the right neighbour is missing and the node is promoted unchanged.
    let (mut fnode, mut snode) = (index, tree_size - 1);
    let mut r = *leaf_hash;
    for p in path {
        if snode == 0 {
            return None; // path longer than the tree is tall
        }
        let sibling_on_left = fnode & 1 == 1 || fnode == snode;
        if sibling_on_left {
            r = hash_children(p, &r);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            r = hash_children(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
        on_step(&PathStep {
            sibling: *p,
            sibling_on_left,
            node: r,
        });
    }
    (snode == 0).then_some(r)
}

/// A ballot hash's inclusion proof laid out for a person: the leaf hash, every step up the
/// path, and whether the walk ends at `root`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inclusion {
    /// SHA-256(0x00 || ballot hash).
    pub leaf: Hash,
    pub steps: Vec<PathStep>,
    pub verified: bool,
}

/// Checks that `ballot_hash` is leaf `index` of a tree of `tree_size` leaves with root `root`
/// (like [`verify_inclusion`]), keeping the steps.
pub fn explain_inclusion(
    ballot_hash: &Hash,
    index: usize,
    tree_size: usize,
    path: &[Hash],
    root: &Hash,
) -> Inclusion {
    let leaf = hash_leaf32(ballot_hash);
    let mut steps = Vec::with_capacity(path.len());
    let reached = walk_inclusion(&leaf, index, tree_size, path, |s| steps.push(*s));
    Inclusion {
        leaf,
        steps,
        verified: reached.as_ref() == Some(root),
    }
}

/// Lower-case hex of a hash, as written in our JSON.
pub fn hash_to_hex(hash: &Hash) -> String {
    hex::encode(hash)
}

/// An audit path as lower-case hex strings, leaf-side first.
pub fn path_to_hex(path: &[Hash]) -> Vec<String> {
    path.iter().map(hash_to_hex).collect()
}

/// Reads an audit path written as lower-case hex strings.
pub fn path_from_hex<S: AsRef<str>>(path: &[S]) -> Result<Vec<Hash>, CryptoError> {
    path.iter().map(|s| hash_from_hex(s.as_ref())).collect()
}

/// Largest power of two strictly below `n` (n >= 2): where RFC 6962 splits a range of n leaves.
fn split_point(n: usize) -> usize {
    debug_assert!(n >= 2);
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

fn tree_root<F: Fn(usize) -> Hash + Sync>(n: usize, leaf: &F) -> Hash {
    if n == 0 {
        return super::sha256(b"");
    }
    range_root(leaf, 0, n)
}

/// MTH of the non-empty leaf range `start..end`.
fn range_root<F: Fn(usize) -> Hash + Sync>(leaf: &F, start: usize, end: usize) -> Hash {
    let n = end - start;
    if n > PARALLEL_LEAVES {
        let mid = start + split_point(n);
        let (left, right) = join(
            || range_root(leaf, start, mid),
            || range_root(leaf, mid, end),
        );
        return hash_children(&left, &right);
    }
    // Binary-counter fold: after leaf i the stack holds the roots of the perfect subtrees of
    // the binary decomposition of i + 1, largest first. Folding it from the right gives MTH,
    // because RFC 6962 splits off exactly those power-of-two subtrees from the left.
    let mut stack = [[0u8; 32]; 64];
    let mut len = 0;
    for i in 0..n {
        let mut node = leaf(start + i);
        let mut merges = (i + 1).trailing_zeros();
        while merges > 0 {
            len -= 1;
            node = hash_children(&stack[len], &node);
            merges -= 1;
        }
        stack[len] = node;
        len += 1;
    }
    let mut acc = stack[len - 1];
    for left in stack[..len - 1].iter().rev() {
        acc = hash_children(left, &acc);
    }
    acc
}

/// RFC 6962 `PATH(m, D[n])`, built top-down (the sibling of each split) and returned bottom-up.
fn path<F: Fn(usize) -> Hash + Sync>(n: usize, index: usize, leaf: &F) -> Option<Vec<Hash>> {
    if index >= n {
        return None;
    }
    let mut out = Vec::with_capacity(usize::BITS as usize);
    let (mut lo, mut hi) = (0, n);
    while hi - lo > 1 {
        let mid = lo + split_point(hi - lo);
        if index < mid {
            out.push(range_root(leaf, mid, hi));
            hi = mid;
        } else {
            out.push(range_root(leaf, lo, mid));
            lo = mid;
        }
    }
    out.reverse();
    Some(out)
}

#[cfg(test)]
#[path = "merkle_tests.rs"]
mod tests;
