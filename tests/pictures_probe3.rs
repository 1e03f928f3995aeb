//! Probe three of the pictures' promise ("no screenshot ever shows a secret, however the
//! page draws it"; "a picture is never refused or a run broken by an ordinary page"),
//! with tests/fixtures/probe3.html: one "Show <way>" button per way. Three kinds:
//! `odd-*` pages must run and be pictured; `over-*` pages show the secret once among
//! ordinary text, whose covers must stay near it; the leak ways draw the token in the one
//! colour rgb(255, 0, 255), judged as tests/pictures_more.rs judges them.

mod common;

use common::*;

const TOKEN: &str = "T0ken-7c1f9e2ab4";

/// Robustness: ordinary (if unusual) content. All pictured but `odd-big-table` (1,900
/// rows of 10 cells, 778 KB: refused at 20,000 texts) and, in some runs, `odd-secret-ticking`
/// (a secret in a text that ticks every 100 ms: "the page kept drawing something new to
/// cover while it was pictured (3 tries)"); `odd-render-1mb`, and any picture
/// after `odd-rerender-200k`, were refused for the text changed before the first look
/// until the fix on this branch.
const ODD: &[&str] = &[
    "odd-svg-unrendered",
    "odd-svg-textpath-overflow",
    "odd-svg-use",
    "odd-counters",
    "odd-cross-origin-sheet",
    "odd-adopted-sheets",
    "odd-scroll-buttons",
    "odd-sideways",
    "odd-bidi-unclosed",
    "odd-many-items",
    "odd-contents-deep",
    "odd-lone-surrogate",
    "odd-bad-data-urls",
    "odd-mathml-misc",
    "odd-shadow-closed-deep",
    "odd-frames",
    "odd-rerender-40k",
    "odd-rerender-200k",
    "odd-secret-rerendered",
];

/// Over-covering: the secret once among ordinary text. Too wide (2026-12-08): the secret
/// as a text node of an SVG <text> with <tspan> lines (the whole <text>), in a
/// <textarea> (the whole field), in `::after` of a large block (the whole block); text
/// right inside a <foreignObject> covered the whole object until the fix on this branch.
const OVER: &[&str] = &[
    "over-scroller",
    "over-scroller-plain",
    "over-list-item",
    "over-svg",
    "over-foreign-object",
    "over-marker-secret",
];

/// Leaks: variations of ways the engine covers, each found showing the secret by this
/// probe (2026-12-08) and covered since, or held from the start: bidi runs (an LRO
/// inside an RLO, a right-to-left paragraph that swaps two left-to-right runs split by
/// an RLM, a U+202E in generated content or a field's value: the executor matches in the
/// order the Unicode Bidirectional Algorithm draws), a `<use>` of a `<use>`, nested
/// RLO, an RLO run over two text nodes or spans, `<bdo>` around half, SVG
/// `rotate`/`textLength`/`direction`, `<use>` of a `<symbol>` or of another SVG's text,
/// `border-image-source` on `::after`, `<summary>` with a string marker, full-width
/// digits among ASCII, Greek look-alikes, a braille blank between halves, sideways text,
/// U+FFF9..U+FFFB between halves, counter names beyond ASCII, a counter style from an
/// `@import`-ed sheet. Those still shown are in `NOT_YET`.
const LEAK: &[&str] = &[
    "bidi-nested-rlo",
    "bidi-lro-in-rlo",
    "rlo-two-nodes",
    "rlo-two-spans",
    "rtl-mark-halves",
    "plaintext-rlm",
    "bdo-half",
    "svg-rotate",
    "svg-textlength",
    "svg-use-of-use",
    "svg-use-symbol",
    "counter-non-ascii-name",
    "border-image-after",
    "summary-list-style",
    "full-width-mixed",
    "greek-lookalikes",
    "braille-blank-between",
    "annotation-chars-between",
    "svg-text-direction",
    "sideways-lr-flex",
    "sideways-lr-abs",
    "counter-style-imported",
    "content-rlo-half",
    "input-rlo-half",
    "svg-use-cross-svg",
];

/// One step's outcome: the way, its status, why its picture was withheld, the picture's
/// secret-coloured pixels, cover pixels, rows holding a cover run of 40+ pixels, the file.
#[derive(Debug)]
struct Pic {
    way: String,
    status: String,
    error: Option<String>,
    withheld: Option<String>,
    secret: usize,
    cover: usize,
    cover_rows: usize,
    size: (u32, u32),
    file: String,
}

fn cover_rows(png: &[u8]) -> (usize, (u32, u32)) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let ch = match info.color_type {
        png::ColorType::Rgba => 4,
        _ => 3,
    };
    let mut rows = 0;
    for line in buf[..info.line_size * info.height as usize].chunks(info.line_size) {
        let n = line
            .chunks(ch)
            .filter(|p| p[..3] == [0x3b, 0x3b, 0x3b])
            .count();
        rows += usize::from(n >= 40);
    }
    (rows, (info.width, info.height))
}

fn pictures(ways: &[&str], secret: bool) -> (Vec<Pic>, Output) {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let mut run = Run::new(show_ways_runbook("probe3.html", ways, secret))
        .input("base", &fx.base)
        .artifacts(&artifacts)
        .args(["--step-timeout", "20s"]);
    run = if secret {
        run.env("SETUPWRIGHT_TOKEN", TOKEN)
    } else {
        run.input("token", TOKEN)
    };
    let out = run.output();
    let dir = run_dir(&out.stdout);
    let report = report(&dir);
    let steps = report["steps"].as_array().unwrap().clone();
    let mut list = Vec::new();
    for (i, way) in ways.iter().enumerate() {
        let Some(step) = steps.get(i + 2) else {
            list.push(Pic {
                way: way.to_string(),
                status: "not run".into(),
                error: None,
                withheld: None,
                secret: 0,
                cover: 0,
                cover_rows: 0,
                size: (0, 0),
                file: String::new(),
            });
            continue;
        };
        let (mut s, mut c, mut rows, mut size, mut f) = (0, 0, 0, (0, 0), String::new());
        if let Some(file) = step["screenshot"].as_str() {
            let bytes = std::fs::read(dir.join(file)).unwrap();
            (s, c) = pixel_counts(&bytes);
            (rows, size) = cover_rows(&bytes);
            f = dir.join(file).display().to_string();
        }
        list.push(Pic {
            way: way.to_string(),
            status: step["status"].to_string(),
            error: step["error"].as_str().map(String::from),
            withheld: step["screenshot_withheld"].as_str().map(String::from),
            secret: s,
            cover: c,
            cover_rows: rows,
            size,
            file: f,
        });
    }
    (list, out)
}

fn table(list: &[Pic]) -> String {
    list.iter()
        .map(|p| {
            format!(
                "  {}: status {} secret {} px, cover {} px in {} rows of {:?} {} {}{}",
                p.way,
                p.status,
                p.secret,
                p.cover,
                p.cover_rows,
                p.size,
                p.file,
                p.withheld
                    .as_ref()
                    .map(|w| format!("WITHHELD: {w} "))
                    .unwrap_or_default(),
                p.error
                    .as_ref()
                    .map(|e| format!("ERROR: {e}"))
                    .unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every odd page's step passes and is pictured, the secret filled.
#[test]
fn odd_pages_are_pictured_and_break_nothing() {
    let (list, out) = pictures(ODD, true);
    eprintln!("odd pages:\n{}", table(&list));
    let bad: Vec<&Pic> = list
        .iter()
        .filter(|p| p.status != "\"passed\"" || p.withheld.is_some() || p.file.is_empty())
        .collect();
    assert!(
        bad.is_empty() && out.code == 0,
        "steps failed or not pictured:\n{}\nstdout:\n{}\nstderr:\n{}",
        table(
            &bad.into_iter()
                .map(|p| Pic {
                    way: p.way.clone(),
                    status: p.status.clone(),
                    error: p.error.clone(),
                    withheld: p.withheld.clone(),
                    secret: p.secret,
                    cover: p.cover,
                    cover_rows: p.cover_rows,
                    size: p.size,
                    file: p.file.clone()
                })
                .collect::<Vec<_>>()
        ),
        out.stdout,
        out.stderr
    );
}

/// A secret shown once among ordinary text is covered, and little more: no more rows
/// of the picture hold a cover than the field's and the secret's lines need.
#[test]
fn covers_stay_near_the_secret() {
    let (plain, _) = pictures(OVER, false);
    let (secret, _) = pictures(OVER, true);
    eprintln!("control:\n{}\nsecret:\n{}", table(&plain), table(&secret));
    let wide: Vec<String> = secret
        .iter()
        .zip(&plain)
        .filter(|(s, p)| {
            let shown = if s.way == "over-list-item" { 2 } else { 1 };
            s.secret > 0 || s.cover_rows > p.cover_rows + 25 + 45 * shown
        })
        .map(|(s, p)| {
            format!(
                "  {}: secret {} px; cover rows {} (control {}), cover px {} (control {})  {}",
                s.way, s.secret, s.cover_rows, p.cover_rows, s.cover, p.cover, s.file
            )
        })
        .collect();
    assert!(
        wide.is_empty(),
        "covers far wider than the secret, or the secret shown:\n{}",
        wide.join("\n")
    );
}

/// No picture of the leak ways shows the secret's colour; the control shows each drew it.
#[test]
fn no_picture_shows_the_secret_in_probe3_ways() {
    let (plain, _) = pictures(LEAK, false);
    let weak: Vec<String> = plain
        .iter()
        .filter(|p| p.secret <= 300)
        .map(|p| format!("  {}: {} px  {}", p.way, p.secret, p.file))
        .collect();
    eprintln!("control:\n{}", table(&plain));
    let (secret, _) = pictures(LEAK, true);
    eprintln!("secret:\n{}", table(&secret));
    let shown: Vec<String> = secret
        .iter()
        .filter(|p| p.secret > 0 || p.withheld.is_some())
        .map(|p| format!("  {}: {} px  {} {:?}", p.way, p.secret, p.file, p.withheld))
        .collect();
    assert!(
        shown.is_empty(),
        "pictures that show the secret (way, pixels of its colour, picture):\n{}\n(controls that drew little: \n{})",
        shown.join("\n"),
        weak.join("\n")
    );
}

/// Orders of odd ways whose pictures a page's earlier changes may refuse: each list is a
/// run; every step must be pictured.
#[test]
fn heavy_changes_refuse_no_later_picture() {
    let mut bad = Vec::new();
    for ways in [
        &["odd-render-1mb", "odd-svg-use"][..],
        &["odd-rerender-200k", "odd-svg-use"][..],
    ] {
        let (list, _) = pictures(ways, true);
        eprintln!("{ways:?}:\n{}", table(&list));
        bad.extend(
            list.into_iter()
                .filter(|p| p.withheld.is_some() || p.status != "\"passed\"")
                .map(|p| format!("  after {ways:?}: {} {:?} {:?}", p.way, p.withheld, p.error)),
        );
    }
    assert!(bad.is_empty(), "pictures refused:\n{}", bad.join("\n"));
}

/// What this probe found and the engine does not do yet (docs/how-it-works.md, "What a
/// picture's covers do not reach"): pictures refused on ordinary pages (a table of 1,900
/// rows of 10 cells passes the 20,000 texts a look judges; a secret in a text that
/// changes every 100 ms may be taken three times and refused), covers far wider than the
/// secret (a text node right in an SVG <text>, a <textarea>, `::after` of a large block),
/// and secrets drawn in another order without a child placed apart (`direction: rtl` on
/// a grid, a negative margin, table header and footer groups, a bottom caption, a grid
/// filled by columns) or spelled by counters the engine does not count (`counter-set` on
/// an earlier sibling, a page's alphabetic or `extends` counter style, list items'
/// values). Run by hand (`--ignored`): it fails naming them.
const NOT_YET: &[&[&str]] = &[
    &["odd-big-table", "odd-secret-ticking"],
    &["over-svg-direct", "over-textarea", "over-after-label"],
    &[
        "grid-order-rtl",
        "negative-margin-halves",
        "table-header-footer",
        "caption-bottom",
        "grid-column-flow",
        "counter-set-sibling",
        "counter-style-alphabetic",
        "counter-style-extends",
        "marker-values-spell",
    ],
];

#[test]
#[ignore]
fn what_the_engine_does_not_do_yet() {
    let mut found = Vec::new();
    for ways in NOT_YET {
        let (list, _) = pictures(ways, true);
        found.extend(
            list.into_iter()
                .filter(|p| p.secret > 0 || p.withheld.is_some() || p.status != "\"passed\"")
                .map(|p| {
                    format!(
                        "  {}: secret {} px, cover rows {}, {:?}",
                        p.way, p.secret, p.cover_rows, p.withheld
                    )
                }),
        );
    }
    assert!(found.is_empty(), "not yet:\n{}", found.join("\n"));
}
