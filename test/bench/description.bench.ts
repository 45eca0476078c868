/**
 * `npm run bench:prompt`: how fast product descriptions become prompt text.
 * Prints the time for 1 MB of Word-style markup, the 8×-input/1×-input time
 * ratio (linear work gives about 8; quadratic about 64), and a pathological
 * input, each the best of several runs in this one process.
 */
import { descriptionToText } from "~/generation/prompt/description-to-text";

function fastest(input: string, runs = 9): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    descriptionToText(input);
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

const chunk =
  '<p class="MsoNormal" style="color:#333">Organic cotton &amp; linen &mdash; <span onclick="x(\'>\')">soft</span></p><ul><li>Item &#8482;</li></ul><!-- note --><script>var a = "<p>";</script>';
const html = chunk.repeat(Math.ceil(1_048_576 / chunk.length));
const eighth = html.slice(0, html.length / 8);
const nasty = "<a b='".repeat(100_000) + "<".repeat(200_000) + "&amp".repeat(50_000);

fastest(html, 3); // warm-up
const full = fastest(html);
const partial = fastest(eighth);
const pathological = fastest(nasty, 5);
console.log(`1 MB of markup:            ${full.toFixed(1)} ms (aim: under 100 ms)`);
console.log(`8× input / 1× input:       ${(full / partial).toFixed(2)} (linear ≈ 8, quadratic ≈ 64)`);
console.log(`pathological ${(nasty.length / 1e6).toFixed(1)} MB:      ${pathological.toFixed(1)} ms`);
