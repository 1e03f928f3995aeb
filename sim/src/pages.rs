//! The page templates, compiled into the binary.

pub fn environment() -> minijinja::Environment<'static> {
    let mut env = minijinja::Environment::new();
    for (name, src) in [
        ("shell.html", include_str!("../templates/shell.html")),
        ("classic.html", include_str!("../templates/classic.html")),
        ("macros.html", include_str!("../templates/macros.html")),
        ("lwc_page.html", include_str!("../templates/lwc_page.html")),
        ("login.html", include_str!("../templates/login.html")),
        (
            "providers.html",
            include_str!("../templates/providers.html"),
        ),
        (
            "provider_edit.html",
            include_str!("../templates/provider_edit.html"),
        ),
        (
            "provider_detail.html",
            include_str!("../templates/provider_detail.html"),
        ),
        ("nc_edit.html", include_str!("../templates/nc_edit.html")),
        (
            "nc_detail.html",
            include_str!("../templates/nc_detail.html"),
        ),
        ("cmt_list.html", include_str!("../templates/cmt_list.html")),
        ("records.html", include_str!("../templates/records.html")),
        (
            "cmt_detail.html",
            include_str!("../templates/cmt_detail.html"),
        ),
        (
            "record_edit.html",
            include_str!("../templates/record_edit.html"),
        ),
        (
            "record_detail.html",
            include_str!("../templates/record_detail.html"),
        ),
        ("lookup.html", include_str!("../templates/lookup.html")),
        (
            "lookup_search.html",
            include_str!("../templates/lookup_search.html"),
        ),
        (
            "lookup_results.html",
            include_str!("../templates/lookup_results.html"),
        ),
        (
            "oauth_allow.html",
            include_str!("../templates/oauth_allow.html"),
        ),
        (
            "oauth_error.html",
            include_str!("../templates/oauth_error.html"),
        ),
    ] {
        if let Err(e) = env.add_template(name, src) {
            panic!("simulator template {name} does not compile: {e}");
        }
    }
    env
}

#[cfg(test)]
mod tests {
    #[test]
    fn templates_compile() {
        super::environment();
    }
}
