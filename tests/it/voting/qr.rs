//! The printed cards' QR codes, read back as a phone camera would: each SVG on a college's
//! sheet rasterised with resvg and decoded with rqrr gives exactly `{public_url}/t/{token}` of
//! the card it is printed on.

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{Options, Tree};

use super::*;
use crate::common::Kind;

/// The inline `<svg>...</svg>` elements of a page, in order.
fn svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").expect("closed svg") + start + "</svg>".len();
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

/// Renders the SVG 4x and decodes the one QR code in it.
fn decode(svg: &str) -> String {
    let tree = Tree::from_str(svg, &Options::default()).expect("SVG parses");
    let scale = 4.0;
    let size = tree.size();
    let (w, h) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    let mut pixmap = Pixmap::new(w, h).expect("pixmap");
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let data = pixmap.data(); // RGBA, premultiplied; opaque here
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w as usize, h as usize, |x, y| {
        let i = (y * w as usize + x) * 4;
        ((data[i] as u16 + data[i + 1] as u16 + data[i + 2] as u16) / 3) as u8
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code per card");
    grids[0].decode().expect("QR decodes").1
}

both_backends!(card_qr_codes_decode_to_the_login_url, |kind: Kind| {
    let app = TestApp::start(kind, "qr_codes");
    let fx = fixture::for_app(&app, 12);
    block_on(async {
        let staff = organiser(&app).await;
        let college = fixture::COLLEGES[1];
        let q = serde_urlencoded::to_string([("college", college)]).expect("query");
        let (status, sheet) = staff
            .get_text(&format!("/c/{}/credentials/print?{q}", fx.congress_id))
            .await;
        assert_eq!(status, 200, "{sheet}");
        let cards: Vec<_> = fx
            .cards
            .iter()
            .filter(|c| c.delegate.student.college == college)
            .collect();
        assert_eq!(cards.len(), 3, "delegates 2, 6, 10 are in {college}");
        let codes = svgs(&sheet);
        assert_eq!(codes.len(), cards.len());
        for (svg, card) in codes.iter().zip(&cards) {
            let url = decode(svg);
            assert_eq!(url, format!("{}/t/{}", app.state.public_url, card.token));
            assert!(sheet.contains(&card.code), "the manual code is printed too");
            assert!(sheet.contains(&card.delegate.student.name));
        }
        // A scanned code logs in: the URL works as it is.
        let decoded = decode(codes[0]);
        let path = decoded.strip_prefix(&app.base).expect("same server");
        let p = super::phone::Phone::new(&app.base);
        let token = path.strip_prefix("/t/").expect("a card link");
        let r = p.open_card(token).await;
        assert_eq!((r.status, r.location.as_deref()), (303, Some("/v")));
        println!(
            "qr: {} cards of {college} decoded; sheet {} bytes",
            cards.len(),
            sheet.len()
        );
    });
});
