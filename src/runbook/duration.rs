//! Durations as runbooks and people write them: `500ms`, `30s`, `2m`.

use std::time::Duration;

/// `500ms`, `30s`, `2m`, or a bare number of seconds.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let t = text.trim();
    let (num, mult) = if let Some(n) = t.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60.0)
    } else {
        (t, 1.0)
    };
    let v: f64 = num.trim().parse().ok()?;
    (v.is_finite() && v >= 0.0 && v * mult < 86_400.0).then(|| Duration::from_secs_f64(v * mult))
}

/// A duration the way [`parse_duration`] reads it back ("30s", "1500ms", "2m").
pub fn human(d: Duration) -> String {
    let ms = d.as_millis();
    if ms % 1000 != 0 && ms < 10_000 {
        format!("{ms}ms")
    } else if ms >= 60_000 && ms % 60_000 == 0 {
        format!("{}m", ms / 60_000)
    } else {
        format!("{}s", d.as_secs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_durations_read_back_as_themselves() {
        for d in [30_000, 1500, 120_000, 500, 45_000] {
            let d = Duration::from_millis(d);
            assert_eq!(parse_duration(&human(d)), Some(d), "{}", human(d));
        }
        assert_eq!(human(Duration::from_secs(30)), "30s");
        assert_eq!(human(Duration::from_millis(1500)), "1500ms");
        assert_eq!(human(Duration::from_secs(120)), "2m");
    }
}
