//! The routing metrics of `switchyard eval`: task accuracy and APGR (average performance gap
//! recovered, from the RouteLLM paper).

/// APGR of a ranking: prompts are sent to the strong model in order of `score` (highest first),
/// from none to all; the area under the mean-quality curve, less weak-only quality, over the gap
/// between strong-only and weak-only. Equal scores share their gain evenly (the expected value
/// of a random tie-break), so a constant score gives 0.5. `None` when the two models tie overall.
pub fn apgr(rows: &[(f64, f64, f64)]) -> Option<f64> {
    // rows: (score, strong quality, weak quality)
    let n = rows.len();
    if n == 0 {
        return None;
    }
    let weak_total: f64 = rows.iter().map(|r| r.2).sum();
    let strong_total: f64 = rows.iter().map(|r| r.1).sum();
    if (strong_total - weak_total).abs() < 1e-12 {
        return None;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| rows[b].0.total_cmp(&rows[a].0));
    // Walk groups of equal score; within a group the curve is linear (shared gain), so the
    // area over the group is the trapezoid between its ends.
    let mut area = 0.0; // in units of (total quality) × (prompts)
    let mut total = weak_total;
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j < n && rows[order[j]].0 == rows[order[i]].0 {
            j += 1;
        }
        let gain: f64 = order[i..j].iter().map(|&k| rows[k].1 - rows[k].2).sum();
        let width = (j - i) as f64;
        area += width * (total + total + gain) / 2.0;
        total += gain;
        i = j;
    }
    let curve_mean = area / n as f64; // mean of total quality over x in [0, 1]
    Some((curve_mean - weak_total) / (strong_total - weak_total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_reversed_and_constant_rankings() {
        let rows = [
            (3.0, 10.0, 2.0),
            (2.0, 9.0, 8.0),
            (1.0, 5.0, 5.0),
            (0.0, 6.0, 7.0),
        ];
        let perfect = apgr(&rows).unwrap();
        let reversed: Vec<_> = rows.iter().map(|r| (-r.0, r.1, r.2)).collect();
        let constant: Vec<_> = rows.iter().map(|r| (1.0, r.1, r.2)).collect();
        assert!(perfect > 0.5);
        assert!(apgr(&reversed).unwrap() < 0.5);
        assert!((apgr(&constant).unwrap() - 0.5).abs() < 1e-12);
        assert_eq!(apgr(&[(1.0, 5.0, 5.0)]), None);
        assert_eq!(apgr(&[]), None);
    }

    #[test]
    fn one_gainful_prompt_ranked_first_recovers_most_of_the_gap() {
        // Two prompts; only the first gains. Ranked first: the curve jumps in the first half.
        let rows = [(1.0, 10.0, 0.0), (0.0, 5.0, 5.0)];
        assert!((apgr(&rows).unwrap() - 0.75).abs() < 1e-12);
    }
}
