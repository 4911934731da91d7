//! Gives back to the OS the memory glibc's allocator keeps after it was freed. Over a shift the app frees almost
//! everything it allocates (its live heap peaks at ~7 MiB under heaptrack), but glibc keeps each thread arena's
//! high-water mark resident: tokio's and WebKit's threads made that ~1 MiB per 100 calls. `malloc_trim(0)` returns
//! the free pages of every arena (BENCHMARKS.md, Decisions: heap trim between calls). Elsewhere (macOS, Windows,
//! musl) it does nothing: their allocators return memory on their own terms.

/// Returns glibc's free pages to the OS; `true` when some memory was released. Cheap on a small heap (it walks the
/// arenas' free lists under their locks), so it is meant for quiet moments: after a call, not on the dial path.
pub fn trim() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: malloc_trim takes no pointers and only walks glibc's own arenas under their locks; it is safe to
        // call from any thread at any time (glibc documents it MT-Safe).
        #[allow(unsafe_code)]
        let released = unsafe { libc::malloc_trim(0) };
        released == 1
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Memory freed in the middle of the heap (below a block still in use, so glibc cannot shrink the heap's top) is
    /// kept resident until a trim; the trim releases it.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn memory_freed_below_a_live_block_is_released_by_a_trim() {
        fn resident_kib() -> u64 {
            let status = std::fs::read_to_string("/proc/self/status").unwrap();
            let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
            line.split_whitespace().nth(1).unwrap().parse().unwrap()
        }
        // Blocks under glibc's mmap threshold (128 KiB), so they come from the heap, not from their own mappings.
        let mut blocks: Vec<Vec<u8>> = (0..2_000).map(|_| vec![1u8; 64 * 1024]).collect();
        let keep = vec![1u8; 64 * 1024]; // above the freed ones: the heap's top cannot move down
        blocks.clear();
        blocks.shrink_to_fit();
        let before = resident_kib();
        assert!(trim(), "some memory was released");
        let after = resident_kib();
        assert!(
            before.saturating_sub(after) > 64 * 1024,
            "at least 64 MiB of the 125 MiB freed went back: {before} KiB -> {after} KiB"
        );
        drop(keep);
    }
}
