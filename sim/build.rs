//! Embeds the simulator's Lightning bundle (built by `scripts/build-lightning.sh` into
//! `lightning/dist`) gzipped into the crate, so that a binary installed with
//! `cargo install` serves the Lightning pages from any folder. The files are compressed
//! once here and sent as they are to a browser that accepts gzip.
//!
//! A build without the bundle (a packaged crate, a clone where Node.js never ran) embeds
//! nothing; the simulator then reads the bundle from `SETUPWRIGHT_SIM_LIGHTNING` or says
//! how to build it.

use std::io::Write as _;
use std::path::Path;

const FILES: &[&str] = &["pages.js", "synthetic-shadow.js", "slds.css"];

fn main() {
    let dist = Path::new("lightning/dist");
    println!("cargo:rerun-if-changed=lightning/dist");
    for f in FILES {
        println!("cargo:rerun-if-changed=lightning/dist/{f}");
    }
    println!("cargo:rerun-if-env-changed=SETUPWRIGHT_SIM_EMBED");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let wanted = std::env::var("SETUPWRIGHT_SIM_EMBED").map_or(true, |v| v != "0");
    let mut entries = String::new();
    let all_there = FILES.iter().all(|f| dist.join(f).is_file());
    if wanted && all_there {
        for f in FILES {
            let raw = std::fs::read(dist.join(f)).expect("the bundle's file reads");
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            gz.write_all(&raw).expect("gzip in memory");
            let packed = gz.finish().expect("gzip in memory");
            let path = out.join(format!("{f}.gz"));
            std::fs::write(&path, packed).expect("OUT_DIR is writable");
            entries.push_str(&format!(
                "    ({f:?}, include_bytes!({:?})),\n",
                path.display().to_string()
            ));
        }
    } else if wanted {
        println!(
            "cargo:warning=the simulator's Lightning bundle is not built (lightning/dist): this build will not embed it; run `bash scripts/build-lightning.sh` first for a binary whose `demo` works from any folder"
        );
    }
    std::fs::write(out.join("embedded.rs"), format!("&[\n{entries}]\n"))
        .expect("OUT_DIR is writable");
}
