import { LEGACY_ENTITIES, LONGEST_LEGACY_NAME, NAMED_ENTITIES, WINDOWS_1252_C1 } from "./html-entities";

/**
 * Turns a product's `descriptionHtml` into plain text for prompts.
 *
 * A single forward pass over the input, modelled on the HTML tokenizer states
 * that matter for text extraction (data, tag, attribute values, comments,
 * CDATA, raw text). Each character is looked at a bounded number of times, so
 * the cost is linear in the input. Nothing from attributes is ever emitted, so
 * event handlers and URLs cannot leak into a prompt.
 */
export function descriptionToText(html: string): string {
  const sink = new TextSink();
  const n = html.length;
  let suppressed: { name: string; depth: number } | null = null;
  let i = 0;

  while (i < n) {
    const lt = html.indexOf("<", i);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > i && !suppressed) sink.text(decodeEntities(html.slice(i, textEnd)));
    if (lt === -1) break;

    if (html.startsWith("<!--", lt)) {
      i = commentEnd(html, lt + 4);
      continue;
    }
    if (html.startsWith("<![CDATA[", lt)) {
      const close = html.indexOf("]]>", lt + 9);
      // CDATA is literal text by definition: no entity decoding.
      if (!suppressed) sink.text(html.slice(lt + 9, close === -1 ? n : close));
      i = close === -1 ? n : close + 3;
      continue;
    }

    const next = html.charCodeAt(lt + 1);
    if (next === BANG || next === QUESTION) {
      // Doctype, processing instruction, Word's <?xml:namespace>: bogus comments up to ">".
      i = afterChar(html, ">", lt + 2);
      continue;
    }
    if (next === SLASH) {
      const nameStart = lt + 2;
      if (!isAsciiLetter(html.charCodeAt(nameStart))) {
        i = afterChar(html, ">", nameStart);
        continue;
      }
      const nameEnd = tagNameEnd(html, nameStart);
      const tagEnd = skipAttributes(html, nameEnd);
      if (tagEnd === -1) break; // EOF inside a tag: the tag is discarded.
      const name = html.slice(nameStart, nameEnd).toLowerCase();
      if (suppressed) {
        if (name === suppressed.name && --suppressed.depth === 0) suppressed = null;
      } else {
        sink.endTag(name);
      }
      i = tagEnd;
      continue;
    }
    if (!isAsciiLetter(next)) {
      if (!suppressed) sink.text("<");
      i = lt + 1;
      continue;
    }

    const nameEnd = tagNameEnd(html, lt + 1);
    const tagEnd = skipAttributes(html, nameEnd);
    if (tagEnd === -1) break;
    const name = html.slice(lt + 1, nameEnd).toLowerCase();
    i = tagEnd;

    const rawEnd = RAW_TEXT_END.get(name);
    if (rawEnd) {
      i = rawTextEnd(html, rawEnd, i);
      continue;
    }
    // "<svg/>": a self-closed element has no content to suppress.
    if (SUPPRESSED.has(name) && html.charCodeAt(tagEnd - 2) !== SLASH) {
      if (!suppressed) suppressed = { name, depth: 1 };
      else if (suppressed.name === name) suppressed.depth++;
      continue;
    }
    if (!suppressed) sink.startTag(name);
  }

  return sink.result();
}

const BANG = 0x21;
const QUESTION = 0x3f;
const SLASH = 0x2f;
const GT = 0x3e;
const EQUALS = 0x3d;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;

/** Elements whose content is not markup; it is skipped up to the matching end tag. */
const RAW_TEXT_ELEMENTS = ["script", "style", "noscript", "iframe", "noembed", "noframes", "xmp", "title", "textarea"];
const RAW_TEXT_END = new Map(RAW_TEXT_ELEMENTS.map((name) => [name, new RegExp(`</${name}(?=[\\t\\n\\f\\r />]|$)`, "gi")]));

/** Elements whose content is markup but never shown as product copy. */
const SUPPRESSED = new Set(["template", "head", "svg", "math", "select", "object", "video", "audio", "canvas", "map"]);

const PARAGRAPH_ELEMENTS = new Set([
  "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote", "pre", "hr",
]);
const LINE_ELEMENTS = new Set([
  "div", "tr", "dt", "dd", "section", "article", "header", "footer", "nav", "aside", "main", "address",
  "figure", "figcaption", "details", "summary", "form", "fieldset", "legend", "caption", "center", "option",
  "tbody", "thead", "tfoot",
]);

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isHtmlSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d;
}

function afterChar(html: string, char: string, from: number): number {
  const at = html.indexOf(char, from);
  return at === -1 ? html.length : at + 1;
}

function commentEnd(html: string, contentStart: number): number {
  // "<!-->" and "<!--->" close immediately in browsers.
  if (html.startsWith(">", contentStart)) return contentStart + 1;
  if (html.startsWith("->", contentStart)) return contentStart + 2;
  const close = html.indexOf("-->", contentStart);
  return close === -1 ? html.length : close + 3;
}

function tagNameEnd(html: string, from: number): number {
  let p = from;
  while (p < html.length) {
    const c = html.charCodeAt(p);
    if (isHtmlSpace(c) || c === SLASH || c === GT) break;
    p++;
  }
  return p;
}

/**
 * Walks attributes to the ">" that really ends the tag, honouring quotes so
 * `onerror="a>b"` does not end it early. Returns the index after the ">", or
 * -1 when the input ends inside the tag.
 */
function skipAttributes(html: string, from: number): number {
  const n = html.length;
  let p = from;
  while (p < n) {
    const c = html.charCodeAt(p);
    if (c === GT) return p + 1;
    if (isHtmlSpace(c) || c === SLASH) {
      p++;
      continue;
    }
    // The first character of a name may be anything, even "=".
    p++;
    while (p < n) {
      const d = html.charCodeAt(p);
      if (isHtmlSpace(d) || d === SLASH || d === GT || d === EQUALS) break;
      p++;
    }
    while (p < n && isHtmlSpace(html.charCodeAt(p))) p++;
    if (html.charCodeAt(p) !== EQUALS) continue;
    p++;
    while (p < n && isHtmlSpace(html.charCodeAt(p))) p++;
    const q = html.charCodeAt(p);
    if (q === DOUBLE_QUOTE || q === SINGLE_QUOTE) {
      const close = html.indexOf(q === DOUBLE_QUOTE ? '"' : "'", p + 1);
      if (close === -1) return -1;
      p = close + 1;
    } else {
      while (p < n) {
        const d = html.charCodeAt(p);
        if (isHtmlSpace(d) || d === GT) break;
        p++;
      }
    }
  }
  return -1;
}

function rawTextEnd(html: string, endTag: RegExp, from: number): number {
  endTag.lastIndex = from;
  const match = endTag.exec(html);
  if (!match) return html.length;
  const tagEnd = skipAttributes(html, match.index + match[0].length);
  return tagEnd === -1 ? html.length : tagEnd;
}

/**
 * Character references, decoded as the HTML standard does in text. Scanned by
 * hand rather than with a replace callback: on large descriptions this is
 * the hottest loop.
 */
export function decodeEntities(text: string): string {
  let amp = text.indexOf("&");
  if (amp === -1) return text;
  let out = "";
  let copied = 0;
  while (amp !== -1) {
    const ref = referenceAt(text, amp);
    if (ref) {
      out += text.slice(copied, amp) + ref.value;
      copied = ref.end;
    }
    amp = text.indexOf("&", ref ? ref.end : amp + 1);
  }
  return out + text.slice(copied);
}

const HASH = 0x23;
const SEMICOLON = 0x3b;
const MAX_NAME_LENGTH = 32;

function referenceAt(text: string, amp: number): { value: string; end: number } | null {
  let p = amp + 1;
  if (text.charCodeAt(p) === HASH) {
    p++;
    const hex = (text.charCodeAt(p) | 0x20) === 0x78;
    if (hex) p++;
    const digitsStart = p;
    while (p < text.length && (hex ? isHexDigit(text.charCodeAt(p)) : isDigit(text.charCodeAt(p)))) p++;
    if (p === digitsStart) return null;
    const code = parseInt(text.slice(digitsStart, Math.min(p, digitsStart + 10)), hex ? 16 : 10);
    const end = text.charCodeAt(p) === SEMICOLON ? p + 1 : p;
    return { value: decodeCodePoint(p - digitsStart > 10 ? Infinity : code), end };
  }
  if (!isAsciiLetter(text.charCodeAt(p))) return null;
  while (p < text.length && p - amp <= MAX_NAME_LENGTH && isAsciiAlphanumeric(text.charCodeAt(p))) p++;
  const name = text.slice(amp + 1, p);
  if (text.charCodeAt(p) === SEMICOLON) {
    const exact = NAMED_ENTITIES.get(name);
    if (exact !== undefined) return { value: exact, end: p + 1 };
  }
  // Legacy names decode without ";" and by longest prefix: "&copy2024" is "©2024".
  for (let len = Math.min(name.length, LONGEST_LEGACY_NAME); len >= 2; len--) {
    const prefix = name.slice(0, len);
    const value = LEGACY_ENTITIES.has(prefix) ? NAMED_ENTITIES.get(prefix) : undefined;
    if (value !== undefined) return { value, end: amp + 1 + len };
  }
  return null;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isHexDigit(code: number): boolean {
  return isDigit(code) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x66);
}

function isAsciiAlphanumeric(code: number): boolean {
  return isDigit(code) || isAsciiLetter(code);
}

function decodeCodePoint(code: number): string {
  if (!Number.isFinite(code) || code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\uFFFD";
  return String.fromCodePoint(WINDOWS_1252_C1.get(code) ?? code);
}

/**
 * Control characters (except the whitespace ones, collapsed separately), the
 * byte-order mark and soft hyphens are invisible in a browser and noise in a
 * prompt. Zero-width joiners and bidi marks stay: emoji sequences and
 * right-to-left text need them.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the purpose
const INVISIBLE = /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f\u00ad\ufeff]/g;
// eslint-disable-next-line no-control-regex -- finding control characters is the purpose
const HAS_INVISIBLE = /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f\u00ad\ufeff]/;
const WHITESPACE_RUN = /\s+/g;

/**
 * Collects text with pending separators that are only written once more
 * text follows, so empty elements leave no blank lines or bullets behind.
 * Text between two structural tags is buffered and cleaned in one go: inline
 * tags split it into many small pieces, and cleaning each separately would
 * dominate the run time on large descriptions.
 */
class TextSink {
  /** Built by concatenation: V8 joins these as ropes, cheaper than an array of tiny parts. */
  private out = "";
  private readonly buffered: string[] = [];
  private pendingBreaks = 0;
  private pendingSpace = false;
  private pendingSeparator: string | null = null;
  private pendingBullet = false;
  /** Open list items; paragraphs inside them stay single-spaced. */
  private openItems = 0;

  text(piece: string): void {
    this.buffered.push(piece);
  }

  startTag(name: string): void {
    if (name === "br") {
      this.flushText();
      this.pendingBreaks = Math.min(2, this.pendingBreaks + 1);
      this.pendingSeparator = null;
    } else if (name === "li") {
      this.flushText();
      this.lineBreak(1);
      this.pendingBullet = true;
      this.openItems++;
    } else if (name === "td" || name === "th") {
      this.flushText();
      if (this.out !== "" && this.pendingBreaks === 0) this.pendingSeparator = " | ";
    } else {
      this.blockBoundary(name);
    }
  }

  endTag(name: string): void {
    if (name === "li" || name === "ul" || name === "ol") {
      this.flushText();
      // An item or list that ended without text leaves no bullet behind.
      this.pendingBullet = false;
      // Items are often left unclosed, so a list's end closes all of them.
      this.openItems = name === "li" ? Math.max(0, this.openItems - 1) : 0;
    }
    if (name === "li") this.lineBreak(1);
    else this.blockBoundary(name);
  }

  result(): string {
    this.flushText();
    return this.out;
  }

  private flushText(): void {
    if (this.buffered.length === 0) return;
    const raw = this.buffered.length === 1 ? (this.buffered[0] ?? "") : this.buffered.join("");
    this.buffered.length = 0;
    const cleaned = (HAS_INVISIBLE.test(raw) ? raw.replace(INVISIBLE, "") : raw).replace(WHITESPACE_RUN, " ");
    if (cleaned === "") return;
    if (cleaned === " ") {
      this.pendingSpace = true;
      return;
    }
    const leading = cleaned.startsWith(" ");
    const trailing = cleaned.endsWith(" ");
    if (leading) this.pendingSpace = true;
    this.flushSeparators();
    this.out += cleaned.slice(leading ? 1 : 0, trailing ? -1 : undefined);
    this.pendingSpace = trailing;
  }

  private blockBoundary(name: string): void {
    if (PARAGRAPH_ELEMENTS.has(name)) {
      this.flushText();
      this.lineBreak(2);
    } else if (LINE_ELEMENTS.has(name)) {
      this.flushText();
      this.lineBreak(1);
    }
  }

  private lineBreak(count: number): void {
    this.pendingBreaks = Math.max(this.pendingBreaks, this.openItems > 0 ? 1 : count);
    this.pendingSeparator = null;
  }

  private flushSeparators(): void {
    if (this.out !== "") {
      if (this.pendingBreaks > 0) this.out += this.pendingBreaks === 1 ? "\n" : "\n\n";
      else if (this.pendingSeparator !== null) this.out += this.pendingSeparator;
      else if (this.pendingSpace) this.out += " ";
    }
    if (this.pendingBullet) this.out += "- ";
    this.pendingBreaks = 0;
    this.pendingSpace = false;
    this.pendingSeparator = null;
    this.pendingBullet = false;
  }
}
