//! Parallel work with output in input order, without a barrier.
//!
//! Cleaning in fixed chunks (`par_iter` over 32 inputs, write, repeat)
//! leaves a core idle at the end of every chunk while the other finishes
//! the largest page. Here the pool's threads take the next input as soon as
//! they are free, and the calling thread writes the results in input
//! order as they arrive. A window bounds how far the workers may run ahead
//! of the writer, so memory stays bounded when one input is slow.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};

/// Applies `work` to every item of `items` on the threads of `pool`, and
/// calls `write` with each result in the order of `items`. Both the
/// iteration and `write` run on the calling thread (so `items` may read
/// from a locked standard input); at most `window` items are in flight or
/// waiting to be written. When `write` breaks, no new item is started and
/// the break is returned. A panic in `work` is raised on the calling
/// thread.
pub(crate) fn map_in_order<I, R, B>(
    pool: &rayon::ThreadPool,
    mut items: I,
    window: usize,
    work: impl Fn(I::Item) -> R + Sync,
    mut write: impl FnMut(R) -> ControlFlow<B>,
) -> ControlFlow<B>
where
    I: Iterator,
    I::Item: Send,
    R: Send,
{
    let window = window.max(1);
    let work = &work;
    pool.in_place_scope(move |scope| {
        let (todo_tx, todo_rx) = mpsc::channel::<(usize, I::Item)>();
        let todo_rx = Arc::new(Mutex::new(todo_rx));
        let (done_tx, done_rx) = mpsc::channel();
        for _ in 0..pool.current_num_threads() {
            let (todo_rx, done_tx) = (Arc::clone(&todo_rx), done_tx.clone());
            scope.spawn(move |_| loop {
                let next = todo_rx
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .recv();
                let Ok((index, item)) = next else {
                    return; // the writer is done: no more work
                };
                let result = catch_unwind(AssertUnwindSafe(|| work(item)));
                if done_tx.send((index, result)).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        let (mut sent, mut written) = (0, 0);
        let mut exhausted = false;
        let mut pending = BTreeMap::new();
        loop {
            while !exhausted && sent < written + window {
                match items.next() {
                    Some(item) => {
                        // The workers hold the receiver until this sender
                        // is dropped, so the send cannot fail.
                        let _ = todo_tx.send((sent, item));
                        sent += 1;
                    }
                    None => exhausted = true,
                }
            }
            if written == sent {
                return ControlFlow::Continue(());
            }
            let Ok((index, result)) = done_rx.recv() else {
                return ControlFlow::Continue(());
            };
            match result {
                Ok(result) => pending.insert(index, result),
                Err(panic) => resume_unwind(panic),
            };
            while let Some(result) = pending.remove(&written) {
                written += 1;
                write(result)?;
            }
        }
        // Returning drops `todo_tx`: the workers finish the item in hand
        // and stop.
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(n: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
    }

    #[test]
    fn results_come_in_input_order_whatever_the_finishing_order() {
        let mut seen = Vec::new();
        let flow: ControlFlow<()> = map_in_order(
            &pool(4),
            0..200u64,
            8,
            |i| {
                // Early items take longest, so they finish last.
                std::thread::sleep(std::time::Duration::from_micros((200 - i) * 20));
                i * 2
            },
            |r| {
                seen.push(r);
                ControlFlow::Continue(())
            },
        );
        assert!(flow.is_continue());
        assert_eq!(seen, (0..200).map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn workers_never_run_more_than_the_window_ahead_of_the_writer() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let started = AtomicUsize::new(0);
        let mut written = 0;
        let _: ControlFlow<()> = map_in_order(
            &pool(3),
            0..100usize,
            5,
            |i| {
                started.fetch_add(1, Ordering::SeqCst);
                i
            },
            |i| {
                // When item i is written, at most i + window items started.
                assert!(started.load(Ordering::SeqCst) <= i + 5);
                written += 1;
                ControlFlow::Continue(())
            },
        );
        assert_eq!(written, 100);
    }

    #[test]
    fn a_break_stops_the_work_and_is_returned() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let started = AtomicUsize::new(0);
        let flow = map_in_order(
            &pool(2),
            0..10_000usize,
            4,
            |i| {
                started.fetch_add(1, Ordering::SeqCst);
                i
            },
            |i| {
                if i == 10 {
                    ControlFlow::Break("stop")
                } else {
                    ControlFlow::Continue(())
                }
            },
        );
        assert_eq!(flow, ControlFlow::Break("stop"));
        assert!(started.load(Ordering::SeqCst) < 100);
    }

    #[test]
    fn a_panicking_worker_is_raised_not_hung_on() {
        let result = std::panic::catch_unwind(|| {
            map_in_order(
                &pool(2),
                0..1000usize,
                4,
                |i| {
                    assert!(i != 3, "boom");
                    i
                },
                |_| ControlFlow::<()>::Continue(()),
            )
        });
        assert!(result.is_err());
    }
}
