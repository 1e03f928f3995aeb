//! The translation rules, each on a small recording of its own.

use std::path::Path;

use super::*;
use crate::author::emit_checked;

fn recorder(steps: &str) -> Imported {
    import(
        &format!(r##"{{"title":"Make the app","steps":[{steps}]}}"##),
        None,
    )
    .unwrap_or_else(|e| panic!("{}", e.display("r.json")))
}

fn text(i: &Imported) -> String {
    emit_checked(&i.draft, Path::new("imported.yaml")).unwrap_or_else(|e| panic!("{e}"))
}

const LOGIN: &str = r##"
    {"type":"navigate","url":"https://acme.my.salesforce.com/lightning/setup/SetupOneHome/home",
     "assertedEvents":[{"type":"navigation","url":"https://acme.my.salesforce.com/","title":"Login | Salesforce"}]},
    {"type":"change","value":"admin@acme.com","selectors":[["aria/Username"],["#username"]]},
    {"type":"change","value":"hunter2 secret","selectors":[["aria/Password"],["#password"]]},
    {"type":"click","selectors":[["aria/Log In"],["#Login"]]}"##;

#[test]
fn password_values_become_secret_inputs_never_literals() {
    let i = recorder(LOGIN);
    let t = text(&i);
    assert!(!t.contains("hunter2"), "{t}");
    assert!(
        t.contains("- fill: { field: Password, with: \"${login_password}\" }"),
        "{t}"
    );
    assert!(t.contains("  login_password:\n    secret: true\n"), "{t}");
    // A field told a password only by its CSS is one too.
    let i = recorder(
        r##"{"type":"change","value":"s3cr3t!","selectors":[["aria/Key[role=\"textbox\"]"],["input[type=\"password\"]"]]}"##,
    );
    let t = text(&i);
    assert!(!t.contains("s3cr3t"), "{t}");
    assert!(t.contains("with: \"${key}\""), "{t}");
}

#[test]
fn fields_named_as_secrets_hold_secrets_whatever_their_type() {
    for label in [
        "Password",
        "Verification Code",
        "Consumer Secret",
        "Security Token",
    ] {
        assert!(secret_label(label), "{label}");
    }
    for label in ["Consumer Key", "Name", "Callback URL"] {
        assert!(!secret_label(label), "{label}");
    }
}

#[test]
fn the_origin_of_navigations_and_values_typed_twice_become_inputs() {
    let i = recorder(&format!(
        r##"{LOGIN},
        {{"type":"change","value":"My App","selectors":[["aria/External Client App Name[role=\"textbox\"]"],["#input-12"]]}},
        {{"type":"change","value":"https://acme.my.salesforce.com/","selectors":[["aria/Callback URL[role=\"textbox\"]"]]}},
        {{"type":"click","selectors":[["aria/My App[role=\"link\"]"]]}}"##
    ));
    let t = text(&i);
    assert!(
        t.contains("  my_domain_url:\n    example: \"https://acme.my.salesforce.com\"\n"),
        "{t}"
    );
    assert!(
        t.contains("- goto: \"${my_domain_url}/lightning/setup/SetupOneHome/home\""),
        "{t}"
    );
    assert!(t.contains("with: \"${my_domain_url}/\""), "{t}");
    assert!(
        t.contains("  external_client_app_name:\n    default: My App\n"),
        "{t}"
    );
    assert!(
        t.contains("- click: { link: \"${external_client_app_name}\" }"),
        "{t}"
    );
    // Typed once: stays a literal.
    assert!(t.contains("with: \"admin@acme.com\""), "{t}");
}

#[test]
fn a_combobox_click_then_its_option_is_one_select() {
    let i = recorder(
        r##"{"type":"click","selectors":[["aria/Distribution State[role=\"combobox\"]"],["#combobox-button-9"]]},
           {"type":"click","selectors":[["aria/Local[role=\"option\"]"],["#option-21-2"],["pierce/#option-21-2"]]}"##,
    );
    let t = text(&i);
    assert!(
        t.contains("- select: { field: Distribution State, option: Local }"),
        "{t}"
    );
    assert!(!t.contains("click"), "{t}");
    // Without the option after it, the click stays a click.
    let i = recorder(
        r##"{"type":"click","selectors":[["aria/Distribution State[role=\"combobox\"]"]]}"##,
    );
    assert!(text(&i).contains("- click: { field: Distribution State }"));
}

#[test]
fn a_change_on_a_native_select_is_a_select() {
    let i = recorder(
        r##"{"type":"change","value":"Salesforce","frame":[0],"selectors":[["aria/Provider Type"],["select#ProviderType"]]}"##,
    );
    let t = text(&i);
    assert!(
        t.contains("- select: { field: Provider Type, option: Salesforce }"),
        "{t}"
    );
}

#[test]
fn options_moved_in_a_dual_listbox_are_one_choose() {
    let i = recorder(
        r##"{"type":"click","selectors":[["aria/Full access (full)[role=\"option\"]"]]},
           {"type":"click","selectors":[["aria/Manage user data via APIs (api)[role=\"option\"]"]]},
           {"type":"click","selectors":[["aria/Move selection to Selected OAuth Scopes[role=\"button\"]"]]}"##,
    );
    let t = text(&i);
    assert!(t.contains("choose: { field: OAuth Scopes, add: [ Full access (full), Manage user data via APIs (api) ] }"), "{t}");
}

/// Chrome's Recorder on a combobox it found no unique name for (two "Country" fields): the
/// button by CSS, then its item; a dual listbox's option and its move button right after.
/// The combobox's item is no option of the dual listbox.
#[test]
fn a_combobox_item_is_not_gathered_into_the_next_dual_listbox_choose() {
    let i = recorder(
        r##"{"type":"click","selectors":[["div.slds-grid > div:nth-of-type(2) lightning-combobox button"],["pierce/#combobox-button-25"]]},
           {"type":"click","selectors":[["aria/Japan"],["#dropdown-element-25 > lightning-base-combobox-item:nth-of-type(3)"],["text/Japan"]]},
           {"type":"click","selectors":[["aria/French"],["#option-29-0"],["text/French"]]},
           {"type":"click","selectors":[["aria/Move selection to Chosen"]]}"##,
    );
    let t = text(&i);
    assert!(t.contains("- click: Japan\n"), "{t}");
    assert!(t.contains("add: [ French ]"), "{t}");
}

/// Chrome's Recorder on a `lightning-dual-listbox` with its default labels: an option's
/// selectors name only its text and the list it is in (`#source-list-32`), and the buttons
/// are "Move selection to Selected" / "… to Available"; a list named otherwise is the
/// selected one unless it is "Available …".
#[test]
fn dual_listbox_options_by_their_list_and_the_direction_by_the_button() {
    let i = recorder(
        r##"{"type":"click","selectors":[["aria/French"],["#source-list-32 > li:nth-of-type(2) > div"]]},
           {"type":"click","selectors":[["aria/Move selection to Selected"]]},
           {"type":"click","selectors":[["aria/English"],["#selected-list-32 > li:nth-of-type(1) > div"]]},
           {"type":"click","selectors":[["aria/Move selection to Available"]]},
           {"type":"click","selectors":[["aria/Phone[role=\"option\"]"]]},
           {"type":"click","selectors":[["aria/Move selection to Visible Channels[role=\"button\"]"]]}"##,
    );
    let t = text(&i);
    assert!(
        t.contains("- choose: { field: Selected, add: [ French ] }"),
        "{t}"
    );
    assert!(
        t.contains("- choose: { field: Available, remove: [ English ] }"),
        "{t}"
    );
    assert!(
        t.contains("- choose: { field: Visible Channels, add: [ Phone ] }"),
        "{t}"
    );
}

/// Setup's search typed, then a tab of the page already open clicked: no `setup:`.
#[test]
fn a_search_then_a_tab_clicked_is_no_setup_page() {
    let i = recorder(
        r##"{"type":"change","value":"Users","selectors":[["aria/Search Setup[role=\"combobox\"]"]]},
           {"type":"click","selectors":[["aria/Related[role=\"tab\"]"]]}"##,
    );
    let t = text(&i);
    assert!(!t.contains("setup:"), "{t}");
    assert!(t.contains("- click: { tab: Related }"), "{t}");
}

#[test]
fn quick_find_then_a_page_is_setup_and_starts_a_group() {
    let i = recorder(
        r##"{"type":"click","selectors":[["aria/Quick Find[role=\"searchbox\"]"]]},
           {"type":"change","value":"External Client Apps","selectors":[["aria/Quick Find[role=\"searchbox\"]"]]},
           {"type":"click","selectors":[["aria/External Client App Manager[role=\"link\"]"]],
            "assertedEvents":[{"type":"navigation","url":"x","title":"x"}]},
           {"type":"click","selectors":[["aria/New External Client App[role=\"button\"]"]]}"##,
    );
    let t = text(&i);
    assert!(
        t.contains("  - group: External Client App Manager\n    steps:\n      - name: \"In Quick Find, enter External Client Apps, then select External Client App Manager\"\n        setup: { section: External Client Apps, page: External Client App Manager }\n      - click: { button: New External Client App }"),
        "{t}"
    );
}

#[test]
fn a_navigation_starts_a_group_titled_by_the_page() {
    let i = recorder(LOGIN);
    assert!(
        matches!(&i.draft.items[0], DraftItem::Group { title, steps, .. } if title == "Login | Salesforce" && steps.len() == 4)
    );
    assert_eq!(i.draft.title, "Make the app");
}

#[test]
fn generated_ids_are_never_written_and_the_step_says_why() {
    let i = recorder(
        r##"{"type":"setViewport","width":1280,"height":720},
           {"type":"change","value":"x","selectors":[["#input-12"],["xpath///*[@id=\"input-12\"]"],["pierce/#input-12"]]},
           {"type":"click","selectors":[["aria/Save[role=\"button\"]"]]}"##,
    );
    let t = text(&i);
    assert!(!t.contains("input-12"), "{t}");
    assert_eq!(i.unnamed, [2]);
    assert!(
        i.warnings[0].starts_with("warning: step 2 (change): only ids the page generated"),
        "{:?}",
        i.warnings
    );
    assert!(i.warnings[0].contains("--resolve"), "{:?}", i.warnings);
    assert!(
        t.contains("# Recorded step 1 set the viewport to 1280x720"),
        "{t}"
    );
}

#[test]
fn css_kept_only_when_nothing_better_with_a_comment_and_a_warning() {
    let i = recorder(r##"{"type":"click","selectors":[["div.actions > button.save"]]}"##);
    let t = text(&i);
    assert!(
        t.contains("- click: { css: \"div.actions > button.save\" }"),
        "{t}"
    );
    assert!(
        t.contains("# Recorded step 1: only CSS/XPath identified this element"),
        "{t}"
    );
    assert!(
        i.warnings[0].starts_with("warning: step 1 (click): only CSS or XPath"),
        "{:?}",
        i.warnings
    );
}

#[test]
fn keys_become_press_steps() {
    let i = recorder(
        r##"{"type":"change","value":"My App","selectors":[["aria/External Client App Name"]]},
           {"type":"keyDown","key":"Tab"},{"type":"keyUp","key":"Tab"}"##,
    );
    assert!(text(&i).contains("- press: Tab"), "{}", text(&i));
}

#[test]
fn wait_for_element_on_text_is_a_wait_for() {
    let i = recorder(
        r##"{"type":"waitForElement","selectors":[["text/Settings"]]},
           {"type":"waitForElement","selectors":[["aria/Saving[role=\"status\"]"]],"count":0}"##,
    );
    let t = text(&i);
    assert!(t.contains("- wait_for: { text: Settings }"), "{t}");
    assert!(
        t.contains("- wait_for: { text: Saving, gone: true }"),
        "{t}"
    );
}

#[test]
fn unsupported_steps_are_comments_with_their_index_and_what_to_do() {
    let i = recorder(
        r##"{"type":"click","selectors":[["aria/Save[role=\"button\"]"]]},
           {"type":"waitForExpression","expression":"window.done === true"},
           {"type":"customStep","name":"lighthouse","parameters":{}},
           {"type":"teleport"}"##,
    );
    let t = text(&i);
    assert_eq!(i.warnings.len(), 3, "{:?}", i.warnings);
    assert!(i.warnings[0].starts_with("warning: step 2 (waitForExpression): waits for a JavaScript expression (window.done === true)"), "{:?}", i.warnings);
    assert!(
        i.warnings[0].contains("help: replace it with a `wait_for`"),
        "{:?}",
        i.warnings
    );
    assert!(
        i.warnings[1].starts_with("warning: step 3 (customStep)"),
        "{:?}",
        i.warnings
    );
    assert!(
        i.warnings[2].starts_with("warning: step 4 (teleport)"),
        "{:?}",
        i.warnings
    );
    assert!(
        t.contains("# Recorded step 2 (waitForExpression) not imported"),
        "{t}"
    );
}

#[test]
fn a_file_of_no_known_format_is_an_error_with_its_place() {
    let e = import("{\"hello\": 1}", None).unwrap_err();
    assert!(
        e.message
            .contains("neither a Chrome DevTools Recorder recording"),
        "{e:?}"
    );
    let e = import("{\n  \"steps\": [\n  }", None).unwrap_err();
    assert_eq!(e.line, Some(3), "{e:?}");
    assert!(
        e.display("x.json").starts_with("error: x.json:3:"),
        "{}",
        e.display("x.json")
    );
    // Forced as the other format: said as that format's error.
    let e = import(r##"{"title":"t","steps":[]}"##, Some(Format::Side)).unwrap_err();
    assert!(e.message.starts_with("not a Selenium IDE project"), "{e:?}");
}

#[test]
fn a_side_project_reads_as_the_same_steps() {
    let side = r##"{"id":"1","version":"2.0","name":"eca","url":"https://acme.my.salesforce.com",
      "tests":[{"id":"t","name":"Create the app","commands":[
        {"id":"a","comment":"","command":"open","target":"/lightning/setup/SetupOneHome/home","targets":[],"value":""},
        {"id":"b","comment":"","command":"type","target":"id=username","targets":[["id=username","id"],["css=#username","css:finder"]],"value":"admin@acme.com"},
        {"id":"c","comment":"","command":"type","target":"id=password","targets":[],"value":"hunter2"},
        {"id":"d","comment":"","command":"click","target":"id=Login","targets":[],"value":""},
        {"id":"e","comment":"","command":"click","target":"linkText=My App","targets":[],"value":""},
        {"id":"f","comment":"","command":"select","target":"id=j_id0:j_id5:type","targets":[["xpath=//select[@id='j_id0:j_id5:type']","xpath:attributes"]],"value":"label=Salesforce"},
        {"id":"g","comment":"","command":"check","target":"xpath=//label[contains(text(),'Enable OAuth')]","targets":[],"value":""},
        {"id":"h","comment":"","command":"sendKeys","target":"id=username","targets":[],"value":"${KEY_TAB}"},
        {"id":"i","comment":"","command":"runScript","target":"window.x=1","targets":[],"value":""}
      ]}],"suites":[],"urls":[],"plugins":[]}"##;
    let i = import(side, None).unwrap_or_else(|e| panic!("{}", e.display("p.side")));
    assert_eq!(i.format, Format::Side);
    let t = text(&i);
    assert!(t.starts_with("# Create the app\n"), "{t}");
    assert!(!t.contains("hunter2"), "{t}");
    assert!(!t.contains("j_id0"), "{t}");
    assert!(
        t.contains("- fill: { css: \"#password\", with: \"${login_password}\" }"),
        "{t}"
    );
    assert!(t.contains("- check: { field: Enable OAuth }"), "{t}");
    assert!(t.contains("- press: Tab"), "{t}");
    assert!(
        t.contains("- goto: \"${my_domain_url}/lightning/setup/SetupOneHome/home\""),
        "{t}"
    );
    assert!(
        i.warnings
            .iter()
            .any(|w| w.starts_with("warning: step 6 (select): only ids the page generated")),
        "{:?}",
        i.warnings
    );
    assert!(
        i.warnings
            .iter()
            .any(|w| w.starts_with("warning: step 9 (runScript): is the command `runScript`")),
        "{:?}",
        i.warnings
    );
}

#[test]
fn input_names_are_snake_case_from_labels() {
    assert_eq!(
        input_name("External Client App Name"),
        "external_client_app_name"
    );
    assert_eq!(input_name("Auth. Provider: Name"), "auth_provider_name");
    assert_eq!(input_name("2nd"), "value_2nd");
    assert_eq!(input_name("ConsumerSecret"), "consumer_secret");
    assert_eq!(input_name("API Name"), "api_name");
    assert_eq!(input_name("oauthToken2"), "oauth_token2");
}

/// Selenium IDE's `assertValue` / `verifyValue` on a field named by its label: an `expect`
/// of the field's value.
#[test]
fn a_side_value_assertion_is_an_expect_of_the_field() {
    let side = r##"{"id":"1","version":"2.0","name":"p","url":"https://acme.my.salesforce.com",
      "tests":[{"id":"t","name":"Check","commands":[
        {"id":"a","comment":"","command":"verifyValue","target":"xpath=//input[@id='input-12']","targets":[["xpath=//input[@id='input-12']","xpath:attributes"],["xpath=//label[contains(.,'Website')]","xpath:innerText"]],"value":"https://acme.example.com"},
        {"id":"b","comment":"","command":"assertValue","target":"id=input-4","targets":[],"value":"x"}
      ]}],"suites":[],"urls":[],"plugins":[]}"##;
    let i = import(side, None).unwrap_or_else(|e| panic!("{}", e.display("p.side")));
    let t = text(&i);
    assert!(
        t.contains("- expect: { field: Website, value: \"https://acme.example.com\" }"),
        "{t}"
    );
    // Only a generated id names the second: a comment, as for any step.
    assert!(
        t.contains("Recorded step 2 (assertValue) not imported: only ids"),
        "{t}"
    );
}

/// Selenium IDE keeps a blank row where a command was deleted: nothing to import, and
/// nothing to warn about.
#[test]
fn a_side_blank_row_is_left_out_without_a_word() {
    let side = r##"{"id":"1","version":"2.0","name":"p","url":"https://acme.my.salesforce.com",
      "tests":[{"id":"t","name":"Blank","commands":[
        {"id":"a","comment":"","command":"open","target":"/lightning/setup/SetupOneHome/home","targets":[],"value":""},
        {"id":"b","comment":"","command":"","target":"","targets":[],"value":""},
        {"id":"c","comment":"","command":"click","target":"linkText=My App","targets":[],"value":""}
      ]}],"suites":[],"urls":[],"plugins":[]}"##;
    let i = import(side, None).unwrap_or_else(|e| panic!("{}", e.display("p.side")));
    let t = text(&i);
    assert!(i.warnings.is_empty(), "{:?}", i.warnings);
    assert!(!t.contains("the command ``"), "{t}");
    assert!(t.contains("- click: { link: My App }"), "{t}");
}

/// The Recorder's "wait for element" with a property to hold: a field's value is an
/// `expect` of it; what a runbook cannot check that way is said above the step, not
/// dropped unsaid.
#[test]
fn a_wait_for_a_fields_value_is_an_expect_and_other_properties_are_said() {
    let i = recorder(
        r##"{"type":"waitForElement","selectors":[["aria/Callback URL"],["#input-7"]],"properties":{"value":"https://cb.example.com"}},
           {"type":"waitForElement","selectors":[["aria/Enable OAuth"]],"attributes":{"aria-checked":"true"}}"##,
    );
    let t = text(&i);
    assert!(
        t.contains("- expect: { field: Callback URL, value: \"https://cb.example.com\" }"),
        "{t}"
    );
    assert!(
        t.contains("# Recorded step 2 also waited for the element's aria-checked; add an `expect`"),
        "{t}"
    );
}

/// Selenium IDE's checks of a checkbox and of a picklist's chosen label are `expect`s.
#[test]
fn side_checked_and_selected_label_assertions_are_expects() {
    let side = r##"{"id":"1","version":"2.0","name":"p","url":"https://acme.my.salesforce.com",
      "tests":[{"id":"t","name":"Check","commands":[
        {"id":"a","comment":"","command":"assertChecked","target":"xpath=//label[contains(.,'Enable OAuth')]","targets":[],"value":""},
        {"id":"b","comment":"","command":"verifyNotChecked","target":"xpath=//label[contains(.,'Require PKCE')]","targets":[],"value":""},
        {"id":"c","comment":"","command":"assertSelectedLabel","target":"xpath=//label[contains(.,'Provider Type')]","targets":[],"value":"Salesforce"}
      ]}],"suites":[],"urls":[],"plugins":[]}"##;
    let i = import(side, None).unwrap_or_else(|e| panic!("{}", e.display("p.side")));
    let t = text(&i);
    assert!(
        t.contains("- expect: { field: Enable OAuth, checked: true }"),
        "{t}"
    );
    assert!(
        t.contains("- expect: { field: Require PKCE, checked: false }"),
        "{t}"
    );
    assert!(
        t.contains("- expect: { field: Provider Type, value: Salesforce }"),
        "{t}"
    );
    assert!(i.warnings.is_empty(), "{:?}", i.warnings);
}

/// What a test recorded last and import left out is said at the end of that test's
/// group, not above the next test's first step.
#[test]
fn what_ends_a_part_and_is_not_imported_stays_with_that_part() {
    let side = r##"{"id":"1","version":"2.0","name":"p","url":"https://acme.my.salesforce.com",
      "tests":[{"id":"t","name":"First","commands":[
        {"id":"a","comment":"","command":"open","target":"/lightning/setup/SetupOneHome/home","targets":[],"value":""},
        {"id":"b","comment":"","command":"click","target":"linkText=My App","targets":[],"value":""},
        {"id":"c","comment":"","command":"pause","target":"1000","targets":[],"value":""}
      ]},{"id":"u","name":"Second","commands":[
        {"id":"d","comment":"","command":"open","target":"/lightning/setup/NamedCredential/home","targets":[],"value":""}
      ]}],"suites":[],"urls":[],"plugins":[]}"##;
    let i = import(side, None).unwrap_or_else(|e| panic!("{}", e.display("p.side")));
    let t = text(&i);
    let pause = t
        .find("# Recorded command 3 paused 1000 ms")
        .unwrap_or_else(|| panic!("{t}"));
    let second = t
        .find("- group: Open /lightning/setup/NamedCredential/home")
        .unwrap_or_else(|| panic!("{t}"));
    assert!(pause < second, "{t}");
    assert!(
        t[pause..second].contains("\n\n"),
        "the comment ends the first group:\n{t}"
    );
}

#[test]
fn a_secret_typed_again_is_never_a_default_and_an_empty_or_short_one_hides_nothing_else() {
    // Typed into the password field, then into fields no label marks as secret.
    let t = text(&recorder(
        r##"{"type":"change","value":"Hunter2!","selectors":[["aria/Password"]]},
            {"type":"change","value":"Hunter2!","selectors":[["aria/Confirm"]]},
            {"type":"change","value":"Hunter2!","selectors":[["aria/Retype"]]}"##,
    ));
    assert!(!t.contains("Hunter2"), "{t}");
    assert!(
        t.contains("- fill: { field: Confirm, with: \"${login_password}\" }"),
        "{t}"
    );
    // An empty password: the empty value of another field stays its own.
    let t = text(&recorder(
        r##"{"type":"change","value":"","selectors":[["aria/Password"]]},
            {"type":"change","value":"","selectors":[["aria/Description"]]}"##,
    ));
    assert!(
        t.contains("- fill: { field: Description, with: \"\" }"),
        "{t}"
    );
    // A one-letter password is hidden where it stands alone, not inside every word.
    let i = recorder(
        r##"{"type":"change","value":"e","selectors":[["aria/Password"]]},
            {"type":"scroll"},
            {"type":"change","value":"e","selectors":[["aria/Description"]]},
            {"type":"click","selectors":[["aria/Save[role=\"button\"]"]]}"##,
    );
    let t = text(&i);
    assert!(t.contains("# Recorded step 2 scrolled the page"), "{t}");
    assert!(!t.contains("***"), "{t}");
    assert!(
        t.contains("- fill: { field: Description, with: \"${login_password}\" }"),
        "{t}"
    );
}

#[test]
fn a_session_id_in_a_url_is_a_secret_input() {
    let i = recorder(
        r##"{"type":"navigate","url":"https://acme.my.salesforce.com/secur/frontdoor.jsp?sid=00D5g000004XyZ1!AQ4AQFakeSessionToken&retURL=%2Fsetup"},
            {"type":"navigate","url":"https://user:pa55word@example.com/x"}"##,
    );
    let t = text(&i);
    assert!(!t.contains("FakeSessionToken"), "{t}");
    assert!(!t.contains("pa55word"), "{t}");
    assert!(
        t.contains(
            "- goto: \"${my_domain_url}/secur/frontdoor.jsp?sid=${session_id}&retURL=%2Fsetup\""
        ),
        "{t}"
    );
    assert!(t.contains("  session_id: { secret: true"), "{t}");
    assert!(t.contains("  url_password: { secret: true"), "{t}");
    // The group is titled by the path, not the query.
    assert!(t.contains("Open /secur/frontdoor.jsp\n"), "{t}");
    assert!(
        i.warnings
            .iter()
            .any(|w| w.contains("the URL carries a credential")),
        "{:?}",
        i.warnings
    );
    assert!(i.warnings.iter().all(|w| !w.contains("FakeSessionToken")));
}

#[test]
fn a_typed_value_that_names_a_key_or_a_window_stays_a_name_there() {
    let t = text(&recorder(
        r##"{"type":"change","value":"Tab","selectors":[["aria/Key"]]},
            {"type":"keyDown","key":"Tab"},{"type":"keyUp","key":"Tab"},
            {"type":"change","value":"new","selectors":[["aria/Status"]]},
            {"type":"click","target":"popup","selectors":[["aria/Go[role=\"button\"]"]]}"##,
    ));
    assert!(t.contains("- press: Tab\n"), "{t}");
    assert!(t.contains("- window: new\n"), "{t}");
    assert!(t.contains("- fill: { field: Key, with: Tab }"), "{t}");
}

#[test]
fn a_text_checked_on_an_element_of_generated_ids_is_checked_on_the_page_and_said() {
    let i = import(
        r##"{"name":"p","url":"https://acme.my.salesforce.com","tests":[{"name":"t","commands":[
            {"command":"assertText","target":"id=input-12","value":"Saved"},
            {"command":"assertText","target":"id=input-13","value":""}
        ]}]}"##,
        None,
    )
    .unwrap();
    let t = text(&i);
    assert!(t.contains("- expect: { text: Saved }"), "{t}");
    assert!(
        !t.contains("Recorded step 1 (assertText) not imported"),
        "{t}"
    );
    assert!(
        t.contains("Recorded step 1 checked this text in an element only generated ids identify"),
        "{t}"
    );
    assert!(
        t.contains("Recorded step 2 (assertText) not imported"),
        "{t}"
    );
}

#[test]
fn what_was_said_before_a_choose_stays_when_another_move_joins_it() {
    let t = text(&recorder(
        r##"{"type":"customStep","name":"login-helper"},
            {"type":"click","selectors":[["aria/Full access (full)[role=\"option\"]"]]},
            {"type":"click","selectors":[["aria/Move selection to Selected OAuth Scopes[role=\"button\"]"]]},
            {"type":"click","selectors":[["aria/Web (web)[role=\"option\"]"]]},
            {"type":"click","selectors":[["aria/Move selection to Selected OAuth Scopes[role=\"button\"]"]]}"##,
    ));
    assert!(t.contains("custom step (login-helper)"), "{t}");
    assert!(
        t.contains("Recorded as clicks on 2 options and on \"Move selection to Selected OAuth Scopes\" after each."),
        "{t}"
    );
    assert_eq!(t.matches("Recorded as clicks on").count(), 1, "{t}");
}

#[test]
fn a_recording_with_no_step_to_write_is_refused_saying_why() {
    for steps in [
        "",
        r##"{"type":"click","selectors":[["#input-12"],["xpath///*[@id=\"input-12\"]"]]}"##,
    ] {
        let e = import(&format!(r##"{{"title":"t","steps":[{steps}]}}"##), None).unwrap_err();
        assert!(e.message.starts_with("nothing to import"), "{e:?}");
        assert!(!e.help.contains("bug"), "{e:?}");
    }
    let e = import(
        r##"{"title":"t","steps":[{"type":"click","selectors":[["#input-12"]]}]}"##,
        None,
    )
    .unwrap_err();
    assert!(e.help.contains("only ids the page generated"), "{e:?}");
}
