//! Probes of the promise tests/pictures.rs makes (no picture shows a secret, however the
//! page draws it) in ways that test does not draw it. tests/fixtures/reveal-more.html
//! has one "Show <way>" button per way; each draws the token it was given, alone, in the
//! one colour nothing else on the page uses. A picture is judged by its pixels of that
//! colour, as tests/pictures.rs judges them; each test runs first with the token not a
//! secret, a control that the way draws it at all.
//!
//! The ways the engine does not cover yet are listed in docs/how-it-works.md ("What a
//! picture's covers do not reach"). The fixture's `animated-content` (generated content
//! an animation draws every other 20 ms, which the engine reads from the animation's
//! keyframes) is not run: no control can say its picture caught the drawn half.

mod common;

use common::*;

const TOKEN: &str = "T0ken-7c1f9e2ab4";

/// Ways the engine holds (probed; each picture was clean).
const HELD: &[&str] = &[
    "plain",
    "uppercase",
    "small-caps",
    "entities",
    "text-nodes",
    "wbr",
    "first-letter",
    "textarea",
    "contenteditable",
    "value-attribute",
    "details",
    "foreign-object",
    "iframe-srcdoc",
    "transform",
    "overflow",
    "select",
    "content-url",
    "delayed-content",
];

/// Per way, the secret-coloured pixels of its step's picture, and the picture.
fn pictures(ways: &[&str], secret: bool) -> Vec<(String, usize, String)> {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let mut run = Run::new(show_ways_runbook("reveal-more.html", ways, secret))
        .input("base", &fx.base)
        .artifacts(&artifacts)
        .args(["--step-timeout", "10s"]);
    run = if secret {
        run.env("SETUPWRIGHT_TOKEN", TOKEN)
    } else {
        run.input("token", TOKEN)
    };
    let out = run.output();
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let dir = run_dir(&out.stdout);
    let report = report(&dir);
    let steps = report["steps"].as_array().unwrap();
    assert_eq!(steps.len(), ways.len() + 2);
    let mut list = Vec::new();
    for (i, way) in ways.iter().enumerate() {
        let step = &steps[i + 2];
        assert!(
            step.get("screenshot_withheld").is_none(),
            "every step is pictured: {step}"
        );
        let file = step["screenshot"].as_str().expect("a screenshot per step");
        let n = secret_pixels(&std::fs::read(dir.join(file)).unwrap());
        list.push((way.to_string(), n, dir.join(file).display().to_string()));
    }
    // The token's own field is covered in the first pictures too.
    for step in &steps[..2] {
        let file = step["screenshot"].as_str().unwrap();
        assert_eq!(
            secret_pixels(&std::fs::read(dir.join(file)).unwrap()),
            0,
            "{file}"
        );
    }
    list
}

/// No picture of `ways` may show the secret's colour; the control run (the token not a
/// secret) shows that each way did draw it.
fn no_picture_shows_it(ways: &[&str]) {
    let plain = pictures(ways, false);
    for (way, n, file) in &plain {
        assert!(
            *n > 300,
            "control: {way} drew only {n} pixels of the colour ({file})"
        );
    }
    let shown: Vec<_> = pictures(ways, true)
        .into_iter()
        .filter(|(_, n, _)| *n > 0)
        .collect();
    assert!(
        shown.is_empty(),
        "pictures that show the secret (way, pixels of its colour, picture):\n{}",
        shown
            .iter()
            .map(|(w, n, f)| format!("  {w}: {n} px  {f}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Ways the engine covered from the start, and those covered since the probe found them
/// (drawn, not spelled: characters that draw nothing between the secret's, white space
/// between flex items, the secret lower-cased; text from attributes; list markers; glyphs
/// painted again by a shadow or a reflection). One
/// run of them all (and one control): each is a step of its own, judged by its picture.
#[test]
fn no_picture_shows_the_secret_in_these_ways_either() {
    let ways: Vec<&str> = HELD
        .iter()
        .chain(COVERED_SINCE)
        .chain(COVERED_AFTER_SECOND_PROBE)
        .chain(HELD_IN_SECOND_PROBE)
        .copied()
        .collect();
    no_picture_shows_it(&ways);
}

/// Found by the probe, covered since.
const COVERED_SINCE: &[&str] = &[
    // U+200B, U+200D, U+FEFF, a soft hyphen between each two characters: drawn as the
    // secret, held in the DOM as another string.
    "zero-width-space",
    "zero-width-joiner",
    "bom",
    "soft-hyphen",
    // The whitespace of pretty-printed flex items between two parts: not drawn.
    "flex-pretty",
    // The secret shown in lower case only.
    "lowercase-copy",
    // A broken image's alt, an option's label, an optgroup's label in a list box.
    "img-alt",
    "option-label",
    "optgroup-label",
    // A list marker given text: `list-style-type: "…"`, `::marker { content }`.
    "marker-string",
    "marker-content",
    // The glyphs painted again outside their box: `text-shadow`, `-webkit-box-reflect`,
    // `filter: drop-shadow`.
    "text-shadow",
    "box-reflect",
    "drop-shadow",
    // A <q>'s quotation marks filled by the page; an SVG image of the secret as a data URL.
    "quotes",
    "img-svg",
    // Drawn in another order than the DOM holds it: reversed by a bidi override or CSS
    // `direction`, one letter a flex item (`order`, `row-reverse`), letters placed one by
    // one, halves floated right.
    "bidi-override",
    "css-direction",
    "flex-order",
    "row-reverse",
    "absolute-letters",
    "float-right",
    // Something that draws nothing between two halves: an element hidden, transparent,
    // invisible, of a colour with no ink, of font size 0; a ruby annotation (drawn above
    // the base).
    "hidden-between",
    "transparent-between",
    "invisible-between",
    "colourless-between",
    "sizeless-between",
    "ruby",
    // A counter style's symbols, in generated content and as a list marker; an SVG
    // image of the secret behind an element or as its mask.
    "counter-style",
    "counter-marker",
    "background-svg",
    "mask-svg",
    // Parts of the secret in two or three frames, or beside a frame and in it.
    "two-frames",
    "three-frames",
    "beside-frame",
];

/// Found by the second probe (each showed the secret in its picture), covered since.
const COVERED_AFTER_SECOND_PROBE: &[&str] = &[
    // Held in another order than drawn, not just reversed.
    "svg-glyph-x",
    "bidi-half",
    "css-rtl-half",
    "vertical-columns",
    // Characters that draw as the secret's.
    "math-sans-bold",
    "nb-hyphen",
    "cyrillic",
    "combining-underline",
    // Generated content not read as drawn.
    "counters-spell",
    "summary-marker",
    // SVG drawn by reference.
    "svg-use",
    "svg-pattern",
    "clip-path-text",
    // SVG images not read.
    "pseudo-background",
    "img-srcset",
    "picture-source",
    "video-poster",
    "list-style-image",
    "svg-image",
    // A text's reading as drawn losing what the DOM's order held (a tall or placed
    // character beside the secret, deep `display: contents`, text painted by `fill`,
    // `::highlight`, `::first-line`, `::selection`, `background-clip: text`, a popover
    // under an opacity of 0).
    "tall-tail",
    "abs-tail",
    "contents-deep",
    "svg-fill",
    "highlight",
    "first-line-colour",
    "selection-colour",
    "clip-text-parent",
    "popover-under-opacity",
    // A filler between two halves, of an opacity just above 0.
    "opacity-tiny-between",
    // Generated content on a scroller's button and marker.
    "scroll-button",
    "scroll-marker",
    // A copy of a text an SVG <use> draws elsewhere.
    "svg-use-visible",
];

/// Tried by the second probe and covered (the first six since: characters that draw
/// nothing by Unicode's default ignorable code points, generated content's alternative
/// text).
const HELD_IN_SECOND_PROBE: &[&str] = &[
    "variation-selector",
    "vs-supplement",
    "tag-chars",
    "deprecated-format",
    "hangul-filler",
    "content-alt-text",
    "content-attr",
    "input-button",
    "pre-tabs",
    "grid-areas",
    "shadow-slots",
    "rtl-cells",
    "svg-tspan-x",
    "svg-textpath",
    "mirror-halves",
    "column-halves",
    "tiny-font-between",
];

/// Generated content an animation draws every other 20 ms, pictured eight times: no
/// picture may show it. Not run by default (`--ignored`): with no control to say a
/// picture caught the drawn half, it passes on an engine that covers nothing whenever
/// each capture falls on the empty half; on one that does not read the keyframes it
/// fails most runs.
#[test]
#[ignore]
fn animated_generated_content_is_covered_in_every_frame() {
    let ways = ["animated-content"; 8];
    let shown: Vec<_> = pictures(&ways, true)
        .into_iter()
        .filter(|(_, n, _)| *n > 0)
        .collect();
    assert!(shown.is_empty(), "pictures that show the secret: {shown:?}");
}
