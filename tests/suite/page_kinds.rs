//! Adding a kind of page is one declaration plus its template: a test
//! declares a small one and both `build` and `serve` produce it, and
//! `serve` renders it again when the incident it shows changes.

use std::path::Path;

use hindsight::render::{Key, PageKind, Shows, kinds};
use hindsight::serve::Engine;
use hindsight::site::{self, SiteOptions};

use super::support::SiteTest;

/// `cards/<slug>/`: a card per incident, with its title.
static CARD: PageKind = PageKind {
    name: "card",
    pages: |r| (0..r.archive().incidents.len()).map(Key::Nth).collect(),
    url: |r, key| match key {
        Key::Nth(i) => format!("cards/{}/", r.archive().incidents[i].slug),
        _ => String::new(),
    },
    render: |r, key| {
        let url = (CARD.url)(r, key);
        let title = match key {
            Key::Nth(i) => r.archive().incidents[i].title.clone(),
            _ => String::new(),
        };
        let ctx = r.context(&url, &title);
        r.file(&url, "card.html", &ctx)
    },
    stream: None,
    shows: |_, key| match key {
        Key::Nth(i) => Shows::Incident(i),
        _ => Shows::Nothing,
    },
    html: true,
};

const CDN: &str = "content/2022/2022-06-10-cdn-cache.md";
const CARD_PAGE: &str = "cards/2022-06-10-cdn-cache/index.html";

fn site_with_cards() -> (SiteTest, SiteOptions) {
    let site = SiteTest::new("basic");
    site.write("templates/card.html", "<p>{{ page.title }}</p>\n");
    let opts = SiteOptions {
        drafts: true,
        kinds: [kinds::BUILT_IN, &[&CARD]].concat(),
        ..site.options()
    };
    (site, opts)
}

fn card_of(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_page_kind_declared_once_is_built_and_served() {
    let (site, opts) = site_with_cards();
    let report = site::build(&opts, Path::new("public"), false).expect("build runs");
    assert!(report.written.is_some(), "{:#?}", report.diagnostics);
    let built = std::fs::read(site.output(CARD_PAGE)).expect("the card is built");
    assert_eq!(
        card_of(&built),
        "<p>CDN served a stale homepage for seven minutes</p>\n"
    );
    let sitemap = std::fs::read_to_string(site.output("sitemap.xml")).unwrap();
    assert!(sitemap.contains("cards/2022-06-10-cdn-cache/"), "{sitemap}");

    let mut engine = Engine::new(opts.clone()).expect("engine");
    assert_eq!(engine.site[CARD_PAGE].as_slice(), built.as_slice());

    let text = std::fs::read_to_string(site.root.join(CDN)).unwrap();
    site.write(
        CDN,
        &text.replacen(
            "CDN served a stale homepage",
            "CDN served an old homepage",
            1,
        ),
    );
    let outcome = engine.apply(&[site.root.join(CDN)]);
    assert!(outcome.ok(), "{:?}", outcome.problems);
    engine.finish_deferred();
    assert_eq!(
        card_of(&engine.site[CARD_PAGE]),
        "<p>CDN served an old homepage for seven minutes</p>\n",
        "serve renders the card again when its incident changes"
    );
    let (_, full) = site::render_site(&opts).expect("full build");
    for file in &full {
        assert_eq!(
            engine.site.get(&file.path).map(|b| b.as_slice()),
            Some(file.bytes.as_slice()),
            "{} differs from a full build",
            file.path
        );
    }
    assert_eq!(engine.site.len(), full.len());
}
