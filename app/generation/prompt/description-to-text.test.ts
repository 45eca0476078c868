import { describe, expect, it } from "vitest";
import { decodeEntities, descriptionToText } from "./description-to-text";

describe("descriptionToText", () => {
  it("turns paragraphs and lists into lines, dropping empty items", () => {
    const html =
      "<p>Soft <strong>organic&nbsp;cotton</strong> tee.</p><ul><li>Relaxed fit</li><li>Pre-washed &amp; pre-shrunk</li><li> </li></ul><p>Care: machine wash cold.</p>";
    expect(descriptionToText(html)).toBe(
      "Soft organic cotton tee.\n\n- Relaxed fit\n- Pre-washed & pre-shrunk\n\nCare: machine wash cold.",
    );
  });

  it("keeps a list item's paragraph on the bullet line", () => {
    expect(descriptionToText("<ol><li><p>First</p></li><li><p>Second</p></li></ol>")).toBe("- First\n- Second");
  });

  it("never emits attributes, even with > inside quotes", () => {
    const html = `<img src=x onerror="alert('>pwned')"><p title='a > b' onclick=steal()>Hello</p><a href="javascript:x()" onmouseover="y('<p>')">link</a>`;
    expect(descriptionToText(html)).toBe("Hello\n\nlink");
  });

  it("cleans pasted Word HTML: inline styles, spans, conditional comments, Office tags", () => {
    const html = `<p class=MsoNormal style="margin:0cm;mso-line-height-rule:exactly"><span style='font-family:"Calibri",sans-serif'>Hand-thrown<o:p></o:p></span>
<span lang=EN-GB>stoneware   mug</span></p><!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->
<p class=MsoListParagraphCxSpFirst><![if !supportLists]><span>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]>Holds 350&nbsp;ml &#150; dishwasher safe&#153;</p>`;
    expect(descriptionToText(html)).toBe("Hand-thrown stoneware mug\n\n· Holds 350 ml – dishwasher safe™");
  });

  it("drops script, style, template and noscript content entirely", () => {
    const html = `<p>Before<script>document.write("<p>evil</p></scr" + "ipt>")</script> after<style>p::after{content:"x"}</style></p><template><p>hidden <template>nested</template> still hidden</p></template><noscript>Enable JS</noscript><SCRIPT type="text/javascript">x()</SCRIPT >Done`;
    expect(descriptionToText(html)).toBe("Before after\n\nDone");
  });

  it("tolerates unclosed and broken tags", () => {
    expect(descriptionToText("<div>Unclosed <b>bold <i>italic<p>Next para<li>item one<li>item two")).toBe(
      "Unclosed bold italic\n\nNext para\n- item one\n- item two",
    );
    // Input ending inside a tag drops that tag, as browsers do.
    expect(descriptionToText('<p>Text</p><p>ends in tag <a href="x')).toBe("Text\n\nends in tag");
    expect(descriptionToText("a < b and 3<4, c </ d > e")).toBe("a < b and 3<4, c e");
    expect(descriptionToText("<p>open comment <!-- never closed <p>gone")).toBe("open comment");
  });

  it("keeps CDATA as literal text and drops comments and doctypes", () => {
    expect(descriptionToText("<!DOCTYPE html><?xml version='1.0'?>x <![CDATA[1 < 2 &amp; 3]]> y <!-- c --> z")).toBe(
      "x 1 < 2 &amp; 3 y z",
    );
  });

  it("preserves right-to-left text and emoji sequences", () => {
    const html = `<p dir="rtl">כוס קרמיקה בעבודת יד 🇮🇱</p><p dir="rtl">كوب سيراميك مصنوع يدويًا</p><p>Family 👩‍👩‍👧‍👦, skin tones 👋🏽, sparkle ✨</p>`;
    expect(descriptionToText(html)).toBe(
      "כוס קרמיקה בעבודת יד 🇮🇱\n\nكوب سيراميك مصنوع يدويًا\n\nFamily 👩‍👩‍👧‍👦, skin tones 👋🏽, sparkle ✨",
    );
  });

  it("renders table rows as lines with cells separated by |", () => {
    const html = "<table><tr><th>Material</th><td>Oak</td></tr><tr><td>Size</td><td>40 x 60 cm</td></tr></table>";
    expect(descriptionToText(html)).toBe("Material | Oak\nSize | 40 x 60 cm");
  });

  it("turns <br> into line breaks, at most one blank line in a row", () => {
    expect(descriptionToText("one<br>two<br/><br><br><br>three")).toBe("one\ntwo\n\nthree");
  });

  it("strips control characters, soft hyphens and byte-order marks", () => {
    expect(descriptionToText("\ufeffex\u00adtra\u0007 long&shy;er\u0000")).toBe("extra longer");
  });

  it("handles 1 MB of realistic markup", () => {
    const chunk =
      '<p class="MsoNormal" style="color:#333">Organic cotton &amp; linen &mdash; <span onclick="x(\'>\')">soft</span></p><ul><li>Item &#8482;</li></ul><!-- note --><script>var a = "<p>";</script>';
    const html = chunk.repeat(Math.ceil(1_048_576 / chunk.length));
    expect(html.length).toBeGreaterThanOrEqual(1_048_576);

    const text = descriptionToText(html);
    expect(text.startsWith("Organic cotton & linen — soft\n\n- Item ™\n\nOrganic")).toBe(true);
    expect(text).not.toContain("<");
    expect(text).not.toContain("var a");

    // Its speed (1 MB, and 8× input against 1×) is measured by `npm run bench:prompt`.
  });

  it("copes with pathological input (many unmatched quotes and brackets)", () => {
    const nasty = "<a b='".repeat(100_000) + "<".repeat(200_000) + "&amp".repeat(50_000);
    const text = descriptionToText(nasty);
    expect(text).not.toContain("<a b=");
  });
});

describe("decodeEntities", () => {
  it("decodes named, decimal and hex references", () => {
    expect(decodeEntities("&amp; &nbsp;&eacute;t&eacute; &#8482; &#x2014; &hellip; &ldquo;x&rdquo; &euro;5 &frac12; &Omega; &hearts;")).toBe(
      "& \u00a0été ™ — … “x” €5 ½ Ω ♥",
    );
  });

  it("decodes legacy names without a semicolon by longest prefix, as browsers do", () => {
    expect(decodeEntities("&copy2024 &nbspx &notit; &amp")).toBe("©2024 \u00a0x ¬it; &");
  });

  it("leaves unknown names alone and needs ';' for non-legacy names", () => {
    expect(decodeEntities("&bogus; &hellip &AT&T")).toBe("&bogus; &hellip &AT&T");
  });

  it("maps C1 numeric references through Windows-1252 and rejects invalid code points", () => {
    expect(decodeEntities("&#150;&#151;&#146;&#128; &#0; &#xD800; &#x110000;")).toBe("–—’€ \uFFFD \uFFFD \uFFFD");
  });
});
