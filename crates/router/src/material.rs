//! The ask and the material: many prompts state what to do, then hand over the text, data or
//! code to do it on ("Classify the sentiment of this review:\n\n<review>", "Summarize the
//! article below.\n\n<article>"), or paste it first and ask after ("<plot summary>\n\nWho
//! wins the auction?"). The material's words name its topic, not the ask: a review that quotes
//! prices is not a math question. This finds the byte range the material spans, so the
//! detector can weigh its keywords less and the complexity can count it.

use crate::keywords;

/// A first paragraph shorter than this many words is a greeting or a heading, not an ask.
const MIN_ASK_WORDS: usize = 3;
/// A last paragraph at most this long, after the material, is read as the ask again ("…
/// What does this function return?").
const MAX_CLOSING_ASK: usize = 300;
/// A closing paragraph after material that follows the ask is an ask again when it is written
/// as one, or has at most this many words ("Bullet points, at most ten."); longer prose is the
/// material's own last paragraph.
const MAX_CLOSING_FRAGMENT_WORDS: usize = 12;
/// Material shorter than this (non-blank bytes) is not worth setting apart.
const MIN_MATERIAL: usize = 12;
/// A first paragraph longer than this, with a short ask closing the text, is material handed
/// over before the ask (a pasted article, then "What is the author's main point?").
const MAX_LEADING_ASK: usize = 300;

/// The byte range of the material, when the text has an ask and material: the ask is the first
/// paragraph (or a first line ending with a colon), the material what follows, less a short
/// closing paragraph; or, when the first paragraph is too long for an ask and not written as
/// one, the material is everything before the closing paragraph, which is the ask.
pub fn material_span(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut start = ask_end(text)?;
    let mut end = bytes.len();
    // A short last paragraph after a blank line closes the material: it is an ask again.
    if let Some(closing) = closing_ask(text) {
        let lead = bytes.len() - text.trim_start().len();
        // A first paragraph too long for an ask, and not written as one, is itself material:
        // the ask is the closing paragraph.
        let first = text[lead..start].trim_end();
        if closing >= start && first.len() > MAX_LEADING_ASK && !reads_as_ask(first) {
            start = lead;
            end = closing;
        } else if closing > start && closes_as_ask(&text[closing..]) {
            end = closing;
        }
    }
    let body = &bytes[start..end];
    let filled = body.iter().filter(|b| !b.is_ascii_whitespace()).count();
    (filled >= MIN_MATERIAL).then_some((start, end))
}

/// Where the ask ends: after a first line that ends with a colon and is followed by more text
/// ("Translate into French:\n…"), or at the first blank line; `None` when the text is one
/// paragraph or its first paragraph is too short to be an ask. (A colon further down, such as
/// "Options:" under a question, heads part of the ask, not material.)
fn ask_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let lead = bytes.len() - text.trim_start().len();
    let mut pos = lead;
    while let Some(nl) = memchr::memchr(b'\n', &bytes[pos..]) {
        let line_end = pos + nl;
        let line = text[pos..line_end].trim();
        let next = line_end + 1;
        let ask = &text[lead..line_end];
        if line.is_empty() {
            // A blank line: the paragraph before it is the ask.
            return (words(ask) >= MIN_ASK_WORDS).then_some(next);
        }
        let first_line = pos == lead;
        if first_line
            && line.ends_with(':')
            && words(ask) >= MIN_ASK_WORDS
            && !text[next..].trim().is_empty()
        {
            return Some(next);
        }
        pos = next;
    }
    None
}

/// Whether a paragraph is written as an ask: it opens as one ("Summarize…", "Can you…", "I need
/// a script…"), ends by announcing what follows ("…the text below:") or with a question, or
/// its first sentence speaks to the reader ("This article, as you will see…", "Please…"). A
/// pasted story, article or abstract rarely does; a pasted email may say "you" further on.
fn reads_as_ask(paragraph: &str) -> bool {
    if paragraph.ends_with(':') || paragraph.ends_with('?') {
        return true;
    }
    let first_sentence = paragraph
        .split_inclusive(['.', '!', '\n'])
        .next()
        .unwrap_or(paragraph);
    let mut words = keywords::words(first_sentence);
    let opens = |w: &str| {
        keywords::is_listed(w, keywords::REQUEST_OPENERS)
            || keywords::is_listed(w, keywords::ASK_OPENERS)
    };
    // "I need…", "I want…": the opener may follow "I".
    match words.next() {
        Some(w) if opens(w) => return true,
        Some("I") if words.clone().next().is_some_and(opens) => return true,
        _ => {}
    }
    keywords::words(first_sentence).any(|w| keywords::is_listed(w, &["you", "your", "please"]))
}

/// Where the ask that closes the text starts, after a blank line: a short last paragraph, with
/// the question before it when it holds the question's options or format ("Does X predict
/// Y?\n\nOptions: …"); at most [`MAX_CLOSING_ASK`] bytes in all.
fn closing_ask(text: &str) -> Option<usize> {
    let mut closing = last_blank_line(text)?;
    let tail = text[closing..].trim();
    if tail.is_empty() || tail.len() > MAX_CLOSING_ASK {
        return None;
    }
    while let Some(blank) = last_blank_line(&text[..closing]) {
        let question = text[blank..closing].trim();
        if !question.ends_with('?') || text[blank..].trim().len() > MAX_CLOSING_ASK {
            break;
        }
        closing = blank;
    }
    Some(closing)
}

/// Whether a last paragraph, after an ask and its material, is an ask again: a question, a
/// request, a short instruction ("Bullet points, at most ten.") or a list of labelled lines
/// (options, statements to judge, requirements), rather than the last paragraph of an
/// article ("It is manufactured by… ProSavin was superseded by…").
fn closes_as_ask(paragraph: &str) -> bool {
    let paragraph = paragraph.trim();
    reads_as_ask(paragraph)
        || paragraph
            .split_ascii_whitespace()
            .nth(MAX_CLOSING_FRAGMENT_WORDS)
            .is_none()
        || labelled_lines(paragraph)
}

/// Whether every line of a paragraph of two lines or more opens with a label: "A)", "(b)",
/// "1.", "-", "*", "Statement 2:".
fn labelled_lines(paragraph: &str) -> bool {
    let labelled = |line: &str| {
        let line = line.trim_start();
        let mut words = line.split_ascii_whitespace();
        let first = words.next().unwrap_or("");
        if matches!(first, "-" | "*" | "•") {
            return true;
        }
        let label = first.trim_start_matches('(');
        let short_label = label.len() <= 4
            && label.ends_with(['.', ')', ':'])
            && label[..label.len() - 1]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric());
        // A word and a number: "Statement 2:", "Option B:", "Step 3:".
        let named = first.bytes().all(|b| b.is_ascii_alphabetic())
            && words.next().is_some_and(|w| {
                w.len() <= 4
                    && w.ends_with(':')
                    && w[..w.len() - 1].bytes().all(|b| b.is_ascii_alphanumeric())
            });
        short_label || named
    };
    let lines: Vec<&str> = paragraph.lines().filter(|l| !l.trim().is_empty()).collect();
    lines.len() >= 2 && lines.into_iter().all(labelled)
}

fn words(s: &str) -> usize {
    s.split_ascii_whitespace().take(MIN_ASK_WORDS).count()
}

/// The offset in `text` of the start of its last paragraph after a blank line.
fn last_blank_line(text: &str) -> Option<usize> {
    let trimmed = text.trim_end();
    let bytes = trimmed.as_bytes();
    let mut end = bytes.len();
    while let Some(nl) = memchr::memrchr(b'\n', &bytes[..end]) {
        // The line before this newline is blank when only whitespace lies between it and the
        // previous newline.
        let prev = memchr::memrchr(b'\n', &bytes[..nl]);
        let line = &trimmed[prev.map_or(0, |p| p + 1)..nl];
        if line.trim().is_empty() && prev.is_some() {
            return Some(nl + 1);
        }
        end = nl;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn material(text: &str) -> Option<&str> {
        material_span(text).map(|(s, e)| &text[s..e])
    }

    #[test]
    fn an_ask_then_material() {
        let review = "Classify the sentiment of this review.\n\nThe soup was $4.50 and cold.";
        assert_eq!(material(review), Some("The soup was $4.50 and cold."));
        let colon = "Translate the following into French:\nThe library opens at nine.";
        assert_eq!(material(colon), Some("The library opens at nine."));
    }

    #[test]
    fn a_short_closing_paragraph_is_an_ask_again() {
        let text = "Here is my code that fails.\n\nfn main() {\n    let x: u8 = 300;\n}\n\nWhy does it not compile?";
        assert_eq!(
            material(text),
            Some("fn main() {\n    let x: u8 = 300;\n}\n\n")
        );
    }

    #[test]
    fn one_paragraph_a_greeting_or_little_material_is_none() {
        assert_eq!(
            material("A train leaves at 3 pm at 60 km/h. When does it arrive?"),
            None
        );
        assert_eq!(
            material("Hi,\n\nwhat is the capital of France and why?"),
            None
        );
        assert_eq!(material("Summarize this text:\nok"), None);
        assert_eq!(material(""), None);
        // Options under a question are part of the ask.
        let choice = "What is 20% of 360?\nOptions:\nA) 72\nB) 70\nC) 60\nD) 80";
        assert_eq!(material(choice), None);
    }

    #[test]
    fn the_last_paragraph_of_an_article_after_the_ask_is_material() {
        let text = "What is ProSavin\n\nProSavin is an experimental drug believed to be of use in the treatment of Parkinson's disease.\n\nIt is manufactured by Oxford BioMedica. Results from a Phase I/II trial were published in 2013.[2] It was superseded by OXB-102.[4]";
        let start = text.find("ProSavin is").unwrap();
        assert_eq!(material(text), Some(&text[start..]));
        // A closing question or request is still the ask, and so is a short instruction.
        for closing in [
            "Who makes it, and when was it tested?",
            "Answer in the words of the passage, and cite the paragraph you used.",
            "Two sentences at most.",
            "Statement 1: It treats Parkinson's disease and was tested in a phase I/II trial.\nStatement 2: Oxford BioMedica no longer makes it, and a newer version replaced it.",
            "A) It was approved in 2013 after a trial in the Lancet.\nB) It was replaced by a newer version of the same drug.",
        ] {
            let text = format!("What is ProSavin\n\nProSavin is an experimental drug believed to be of use in the treatment of Parkinson's disease.\n\n{closing}");
            let end = text.find(closing).unwrap();
            assert_eq!(material(&text), Some(&text[start..end]), "{closing}");
        }
    }

    #[test]
    fn a_long_passage_then_a_question_is_material_before_the_ask() {
        let passage = "The expedition left the coast in March with forty mules and a year of supplies. By June the river had flooded the lower valley, and the party turned north into the hills, where two of the guides deserted and the maps proved useless. The leader kept a careful journal of every camp, every crossing and every quarrel.";
        let text = format!("{passage}\n\nWhy did the party turn north?");
        assert_eq!(material(&text), Some(format!("{passage}\n\n").as_str()));
        // The question keeps the options or format line after it.
        let text = format!("{passage}\n\nDid the guides stay?\n\nOptions:\nA. yes\nB. no");
        assert_eq!(material(&text), Some(format!("{passage}\n\n").as_str()));
        // A short first paragraph is the ask, whatever follows.
        let text = "Summarize the passage below.\n\nThe expedition left the coast in March.";
        assert_eq!(
            material(text),
            Some("The expedition left the coast in March.")
        );
    }

    #[test]
    fn a_long_first_paragraph_written_as_an_ask_stays_the_ask() {
        let ask = "You are given a news article and you need to name every category it belongs to. Possible categories include music, sports, politics, technology, finance, basketball, soccer, tennis, entertainment and world news. Write its categories one by one, separated by commas, with the most specific first.";
        let text = format!("{ask}\n\nThe club sold its stadium to a chip maker on Friday.");
        assert_eq!(
            material(&text),
            Some("The club sold its stadium to a chip maker on Friday.")
        );
    }

    #[test]
    fn a_pasted_email_that_says_you_further_on_is_still_material() {
        let email = "Hello all, the spring concert moves from the chapel to the town hall on the 3rd, doors at seven. The choir meets at six for a sound check, and the orchestra at half past five. If you are bringing family, seats in the first two rows are kept for the mayor's guests. Tickets bought for the chapel stay valid. Best, Ruth";
        let text = format!("{email}\n\nMake this shorter and warmer.");
        assert_eq!(material(&text), Some(format!("{email}\n\n").as_str()));
    }

    #[test]
    fn a_long_first_paragraph_opening_as_an_ask_stays_the_ask() {
        let ask = "Summarize the main arguments for and against a four-day working week, drawing on the trials run in Iceland, Britain and New Zealand, the effects on productivity and staff wellbeing that employers reported, the sectors where it is hardest to apply, and the costs economists have raised.";
        let text = format!("{ask}\n\nBullet points, at most ten.");
        assert_eq!(material(&text), Some("Bullet points, at most ten."));
        let text = format!("I need a plan. {ask}\n\nKeep it short and simple.");
        assert_eq!(material(&text), Some("Keep it short and simple."));
    }
}
