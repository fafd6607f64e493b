//! Work split over cores: a slice in, results out in slice order whatever
//! the number of threads (so output stays deterministic) — one per chunk
//! ([`map_chunks`]), or one per item of a prefix, for work that may stop
//! early ([`map_prefix`]), or item by item from a shared work list
//! ([`map_each`]).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

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

/// Runs `f` on the items in order, spread over at most `max_threads` threads
/// (each with its own state from `init`), until `stop` says so of a result:
/// from then on no further item is started. Returns the results of a prefix
/// of `items`, in order: every item started, and so every item before the
/// last one started. Which items make the prefix depends on timing; a caller
/// that needs a deterministic answer finds it in the prefix (see
/// `view::budget`). A panic in `f` is passed on.
pub fn map_prefix<T, S, R, I, F, P>(
    items: &[T],
    max_threads: usize,
    init: I,
    f: F,
    stop: P,
) -> Vec<R>
where
    T: Sync,
    R: Send,
    I: Fn() -> S + Sync,
    F: Fn(&mut S, &T) -> R + Sync,
    P: Fn(&R) -> bool + Sync,
{
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, max_threads.max(1))
        .min(items.len().div_ceil(16).max(1));
    if threads == 1 {
        let mut state = init();
        let mut out = Vec::new();
        for item in items {
            let r = f(&mut state, item);
            let done = stop(&r);
            out.push(r);
            if done {
                break;
            }
        }
        return out;
    }
    let next = AtomicUsize::new(0);
    let stopped = AtomicBool::new(false);
    let results: Mutex<Vec<(usize, R)>> = Mutex::new(Vec::new());
    let worker = || {
        let mut state = init();
        let mut mine = Vec::new();
        while !stopped.load(Ordering::SeqCst) {
            let i = next.fetch_add(1, Ordering::SeqCst);
            let Some(item) = items.get(i) else { break };
            let r = f(&mut state, item);
            if stop(&r) {
                stopped.store(true, Ordering::SeqCst);
            }
            mine.push((i, r));
        }
        if let Ok(mut all) = results.lock() {
            all.append(&mut mine);
        }
    };
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads).map(|_| s.spawn(worker)).collect();
        for h in handles {
            h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        }
    });
    let mut all = results.into_inner().unwrap_or_else(|e| e.into_inner());
    all.sort_unstable_by_key(|(i, _)| *i);
    // Every index below the last one taken was taken, and finished.
    all.into_iter().map(|(_, r)| r).collect()
}

/// Runs `f` on every item, spread over at most `max_threads` threads that
/// each take the next item not yet started (so items of very different
/// sizes still keep every thread busy; put the largest first). Returns the
/// results in item order. A panic in `f` is passed on.
pub fn map_each<T, R, F>(items: &[T], max_threads: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, max_threads.max(1))
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut mine = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            mine.push((i, f(item)));
        }
        mine
    };
    let mut all: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads).map(|_| s.spawn(worker)).collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    all.sort_unstable_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::{map_chunks, map_each, map_prefix};
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn a_prefix_comes_back_in_order_and_stops_after_the_stopping_item() {
        let items: Vec<usize> = (0..1000).collect();
        let all = map_prefix(&items, 8, || (), |_, x| *x, |_| false);
        assert_eq!(all, items);
        let seen = AtomicUsize::new(0);
        let some = map_prefix(
            &items,
            8,
            || (),
            |_, x| *x,
            |x| *x == 500 || seen.fetch_add(1, Ordering::SeqCst) > 2000,
        );
        assert_eq!(some, items[..some.len()]);
        assert!(some.len() > 500, "the stopping item is in the prefix");
    }

    #[test]
    fn results_come_back_in_order() {
        let items: Vec<usize> = (0..1000).collect();
        let sums = map_chunks(&items, 8, 10, |c| c.to_vec());
        assert_eq!(sums.concat(), items);
        assert_eq!(map_chunks(&[] as &[u8], 8, 10, <[u8]>::len), vec![0]);
        let doubled = map_each(&items, 8, |x| x * 2);
        assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert!(map_each(&[] as &[u8], 8, |x| *x).is_empty());
    }
}
