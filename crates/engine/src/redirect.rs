//! Redirects stay on the provider's origin (scheme, host and port). A key sent to a provider
//! must never be re-sent elsewhere, and a redirect re-sends every header, not only the ones
//! HTTP clients know to drop.
use std::fmt;

use reqwest::redirect::{Attempt, Policy};
use reqwest::Url;

/// Redirects followed within one origin before giving up.
const MAX_HOPS: usize = 5;

/// A redirect to another origin, refused.
#[derive(Debug)]
pub struct CrossOrigin {
    /// Where the provider sent the client, as `scheme://host[:port]`.
    pub target: String,
}

impl fmt::Display for CrossOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the provider redirected to {}; Switchyard does not follow redirects to another host, so your key stays with the provider",
            self.target
        )
    }
}

impl std::error::Error for CrossOrigin {}

/// The redirect policy of every client that carries a key.
pub fn same_origin_only() -> Policy {
    Policy::custom(check)
}

fn check(attempt: Attempt<'_>) -> reqwest::redirect::Action {
    // The first URL of `previous` is the request's own.
    let from = attempt.previous().first().map(origin);
    let to = origin(attempt.url());
    if from.as_ref() != Some(&to) {
        return attempt.error(CrossOrigin { target: to });
    }
    if attempt.previous().len() > MAX_HOPS {
        return attempt.error(format!(
            "the provider redirected more than {MAX_HOPS} times"
        ));
    }
    attempt.follow()
}

fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// The refused redirect behind a reqwest error, if that is what it is.
pub fn refused(e: &reqwest::Error) -> Option<&CrossOrigin> {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(found) = s.downcast_ref::<CrossOrigin>() {
            return Some(found);
        }
        source = s.source();
    }
    None
}
