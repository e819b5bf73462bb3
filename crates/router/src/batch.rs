//! Many decisions at once, over several threads, in input order: what `switchyard route
//! --jsonl` uses, and what a replay of saved history can use. Still pure: threads, no I/O.
use std::num::NonZeroUsize;
use std::thread;

use crate::catalog::Catalog;
use crate::compiled::CompiledRules;
use crate::decide::decide;
use crate::error::RouteError;
use crate::request::Request;
use crate::trace::Decision;

/// Below this many items per thread, a thread costs more than it saves.
const MIN_PER_THREAD: usize = 64;

/// The threads to use: the machine's parallelism, or one when it cannot be read.
pub fn default_threads() -> usize {
    thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// `f` applied to every item, over up to `threads` scoped threads, each taking one contiguous
/// share; the results keep the items' order. The caller's work around a decision (parsing a
/// line, writing its answer) goes in `f` too, so it runs in parallel with the decisions.
pub fn map_ordered<T, R, F>(items: &[T], threads: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let threads = threads
        .max(1)
        .min(items.len().div_ceil(MIN_PER_THREAD).max(1));
    if threads == 1 {
        return items.iter().map(&f).collect();
    }
    let share = items.len().div_ceil(threads);
    let f = &f;
    thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(share)
            .map(|chunk| scope.spawn(move || chunk.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for worker in workers {
            match worker.join() {
                Ok(part) => out.extend(part),
                // A panic in `f` is the caller's bug: pass it on unchanged.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

/// The decision for every request, in order, over the machine's cores.
pub fn decide_batch(
    requests: &[Request],
    rules: &CompiledRules,
    catalog: &Catalog,
) -> Vec<Result<Decision, RouteError>> {
    map_ordered(requests, default_threads(), |r| decide(r, rules, catalog))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{default_catalog, presets};

    #[test]
    fn keeps_the_input_order_and_matches_one_by_one_decisions() {
        let rules = CompiledRules::new(presets::smart_router()).unwrap();
        let catalog = default_catalog();
        let prompts = [
            "Write a poem about rain",
            "def f(xs: list[int]) -> int:\n    \"\"\"Return the sum.\"\"\"",
            "Translate into French: good morning",
            "What is 17% of 340?",
        ];
        let mut requests: Vec<Request> = (0..1000)
            .map(|i| Request::from_prompt(prompts[i % prompts.len()]))
            .collect();
        requests.push(Request::default());
        let batch = decide_batch(&requests, &rules, &catalog);
        assert_eq!(batch.len(), requests.len());
        for (request, got) in requests.iter().zip(&batch) {
            let one = decide(request, &rules, &catalog);
            assert_eq!(got.as_ref().ok(), one.as_ref().ok());
            assert_eq!(got.is_err(), one.is_err());
        }
        let squares = map_ordered(&(0..500u64).collect::<Vec<_>>(), 3, |x| x * x);
        assert!(squares
            .iter()
            .enumerate()
            .all(|(i, s)| *s == (i * i) as u64));
        assert!(map_ordered(&[] as &[u8], 4, |x| *x).is_empty());
    }
}
