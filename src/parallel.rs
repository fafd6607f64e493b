//! Work split over cores: a slice in, one result per chunk out, in slice
//! order whatever the number of threads (so output stays deterministic).

/// Splits `items` into at most `max_threads` chunks of at least `min_chunk`
/// items, runs `f` on each (on its own thread when there is more than one)
/// and returns the results in order. A panic in `f` is passed on.
pub fn map_chunks<T, R, F>(items: &[T], max_threads: usize, min_chunk: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&[T]) -> R + Sync,
{
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, max_threads.max(1));
    let chunk = items.len().div_ceil(threads).max(min_chunk.max(1));
    if items.len() <= chunk {
        return vec![f(items)];
    }
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items.chunks(chunk).map(|c| s.spawn(move || f(c))).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::map_chunks;

    #[test]
    fn results_come_back_in_order() {
        let items: Vec<usize> = (0..1000).collect();
        let sums = map_chunks(&items, 8, 10, |c| c.to_vec());
        assert_eq!(sums.concat(), items);
        assert_eq!(map_chunks(&[] as &[u8], 8, 10, <[u8]>::len), vec![0]);
    }
}
