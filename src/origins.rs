//! The org's own origins: the documents a secret may be typed into. A Setup page holds
//! frames of other parties (in-app guidance, help, analytics, partner widgets), and a
//! field of the same label in one of them must never get a password because the page's
//! own field rendered a moment later. A secret goes to the top document, to a frame of
//! the same My Domain (the hosts Salesforce serves one org from, see
//! `shared/reference/salesforce-setup-dom.md`, "Hosts and frames"), or to an origin the
//! run was told to trust (`--trust-origin`, the org's instance URL, `my_domain_url`).
//! A leaf: no browser, no I/O.

/// The Salesforce host suffixes of one org, each after `<my domain>[.<partition>].`. The
/// Visualforce ones carry a namespace in the first label (`<my domain>--<ns>`).
const SUFFIXES: [(&str, bool); 6] = [
    ("my.salesforce.com", false),
    ("lightning.force.com", false),
    ("my.salesforce-setup.com", false),
    ("my.site.com", false),
    ("vf.force.com", true),
    ("visualforce.com", true),
];

/// The enhanced-domain partitions a My Domain may sit in (`acme--uat.sandbox.my.salesforce.com`).
const PARTITIONS: [&str; 7] = [
    "sandbox",
    "develop",
    "scratch",
    "demo",
    "patch",
    "free",
    "trailblaze",
];

/// One org's My Domain as its hosts spell it: the name (with a sandbox's `--<sandbox>`)
/// and the partition, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyDomain {
    pub name: String,
    pub partition: Option<String>,
}

/// The My Domain an https host of Salesforce's belongs to, or None for any other host.
/// Exactly one label may precede the partition and suffix: `x.acme.my.salesforce.com` is
/// no host Salesforce serves an org on.
pub fn my_domain(host: &str) -> Option<MyDomain> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let (rest, vf) = SUFFIXES.iter().find_map(|(suffix, vf)| {
        host.strip_suffix(suffix)
            .and_then(|r| r.strip_suffix('.'))
            .map(|r| (r.to_string(), *vf))
    })?;
    let (label, partition) = match rest.split_once('.') {
        None => (rest.as_str(), None),
        Some((label, p)) if PARTITIONS.contains(&p) => (label, Some(p.to_string())),
        Some(_) => return None,
    };
    let valid = |s: &str| {
        !s.is_empty()
            && !s.starts_with('-')
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    // A Visualforce host names the org and a namespace: `acme--c`, `acme--uat--mypkg`.
    let name = if vf {
        let (name, ns) = label.rsplit_once("--")?;
        if !valid(ns) {
            return None;
        }
        name
    } else {
        label
    };
    valid(name).then(|| MyDomain {
        name: name.to_string(),
        partition,
    })
}

/// An origin as the browser serializes it (`https://acme.my.salesforce.com`,
/// `http://127.0.0.1:8080`), from any URL of it; None for an opaque one (`null`, `data:`,
/// a sandboxed frame), which is nobody's.
pub fn origin_of(url: &str) -> Option<String> {
    let u = url::Url::parse(url.trim()).ok()?;
    match u.origin() {
        o @ url::Origin::Tuple(..) => Some(o.ascii_serialization()),
        url::Origin::Opaque(_) => None,
    }
}

/// The My Domain of an https origin.
fn domain_of(origin: &str) -> Option<MyDomain> {
    let u = url::Url::parse(origin).ok()?;
    if u.scheme() != "https" {
        return None;
    }
    my_domain(u.host_str()?)
}

/// The origins a run counts as the org's, besides the top document's.
#[derive(Debug, Clone, Default)]
pub struct OrgOrigins {
    /// Trusted exactly (the simulator's two loopback origins, an org's instance URL).
    exact: Vec<String>,
    /// Every Salesforce host of these My Domains.
    domains: Vec<MyDomain>,
}

impl OrgOrigins {
    /// The org's origins from URLs the run was given: each URL's origin, and every host of
    /// its My Domain when it is a Salesforce one. A URL that is none is left out.
    pub fn new<'a>(urls: impl IntoIterator<Item = &'a str>) -> OrgOrigins {
        let mut o = OrgOrigins::default();
        for url in urls {
            let Some(origin) = origin_of(url) else {
                continue;
            };
            if let Some(d) = domain_of(&origin) {
                if !o.domains.contains(&d) {
                    o.domains.push(d);
                }
            }
            if !o.exact.contains(&origin) {
                o.exact.push(origin);
            }
        }
        o
    }

    /// May a secret be typed into a document of `origin`, in a window whose top document
    /// is of `top`? The top document is where the runbook went; its My Domain's hosts are
    /// the org's too (a classic page's frame inside Lightning Setup).
    pub fn allows(&self, origin: &str, top: &str) -> bool {
        let (Some(origin), top) = (origin_of(origin), origin_of(top)) else {
            return false;
        };
        if top.as_deref() == Some(origin.as_str()) || self.exact.contains(&origin) {
            return true;
        }
        let Some(d) = domain_of(&origin) else {
            return false;
        };
        self.domains.contains(&d) || top.and_then(|t| domain_of(&t)) == Some(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(name: &str, partition: Option<&str>) -> Option<MyDomain> {
        Some(MyDomain {
            name: name.into(),
            partition: partition.map(String::from),
        })
    }

    #[test]
    fn reads_the_my_domain_of_every_host_an_org_is_served_from() {
        for host in [
            "acme.my.salesforce.com",
            "acme.lightning.force.com",
            "acme.my.salesforce-setup.com",
            "acme.my.site.com",
            "acme--c.vf.force.com",
            "acme--mypkg.vf.force.com",
            "acme--c.visualforce.com",
            "ACME.My.Salesforce.com.",
        ] {
            assert_eq!(my_domain(host), d("acme", None), "{host}");
        }
        for host in [
            "acme--uat.sandbox.my.salesforce.com",
            "acme--uat.sandbox.lightning.force.com",
            "acme--uat.sandbox.my.salesforce-setup.com",
            "acme--uat--c.sandbox.vf.force.com",
        ] {
            assert_eq!(my_domain(host), d("acme--uat", Some("sandbox")), "{host}");
        }
        assert_eq!(
            my_domain("acme-dev-ed--c.develop.vf.force.com"),
            d("acme-dev-ed", Some("develop"))
        );
    }

    #[test]
    fn other_hosts_have_no_my_domain() {
        for host in [
            "example.com",
            "salesforce.com",
            "my.salesforce.com",
            "evil.acme.my.salesforce.com",
            "acme.evil.my.salesforce.com",
            "acme.my.salesforce.com.evil.com",
            "acmemy.salesforce.com",
            "acme.vf.force.com",
            "--c.vf.force.com",
            "acme--.vf.force.com",
            "help.salesforce.com",
            "127.0.0.1",
        ] {
            assert_eq!(my_domain(host), None, "{host}");
        }
    }

    #[test]
    fn the_top_document_and_its_my_domain_are_the_org_s() {
        let none = OrgOrigins::default();
        let top = "https://acme.my.salesforce-setup.com";
        assert!(none.allows(top, top));
        assert!(none.allows("https://acme.my.salesforce.com", top));
        assert!(none.allows("https://acme--c.vf.force.com", top));
        // Another org, a sandbox of this one, a third party, a plain-http lookalike.
        assert!(!none.allows("https://other.my.salesforce.com", top));
        assert!(!none.allows("https://acme--uat.sandbox.my.salesforce.com", top));
        assert!(!none.allows("https://widget.example.com", top));
        assert!(!none.allows("http://acme.my.salesforce.com", top));
        // An opaque origin is nobody's, even where the top's is opaque too.
        assert!(!none.allows("null", top));
        assert!(!none.allows("null", "null"));
    }

    #[test]
    fn origins_the_run_was_given_are_the_org_s() {
        let sim = OrgOrigins::new([
            "http://127.0.0.1:4100/lightning/setup",
            "http://127.0.0.1:4101",
        ]);
        let top = "http://127.0.0.1:4100";
        assert!(sim.allows("http://127.0.0.1:4101", top));
        assert!(!sim.allows("http://127.0.0.1:4102", top));
        assert!(!sim.allows("http://localhost:4101", top));
        // A Salesforce URL brings its whole My Domain, whatever the top document is.
        let org = OrgOrigins::new(["https://acme--uat.sandbox.my.salesforce.com", "not a url"]);
        let elsewhere = "https://login.example.com";
        assert!(org.allows("https://acme--uat--c.sandbox.vf.force.com", elsewhere));
        assert!(org.allows(
            "https://acme--uat.sandbox.lightning.force.com:443",
            elsewhere
        ));
        assert!(!org.allows("https://acme.my.salesforce.com", elsewhere));
    }

    #[test]
    fn origins_are_read_from_any_url_of_them() {
        assert_eq!(
            origin_of("https://Acme.my.salesforce.com:443/path?q").as_deref(),
            Some("https://acme.my.salesforce.com")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(origin_of("null"), None);
        assert_eq!(origin_of("about:blank"), None);
        assert_eq!(origin_of("data:text/html,x"), None);
    }
}
