/**
 * The benchmark chart: a horizontal bar chart of every ratio against its peer, on a log scale
 * (so 2x better and 2x worse are the same length), with a line at 1.0 and a marker at each
 * target. Plain SVG text, no dependencies.
 *
 * A row is `{ suite, name, peerName, ratio, target }`: ratios above 1 favour Tronada, `target`
 * is the smallest ratio that meets the goal (or null when there is none).
 */

const WIDTH = 1000;
const LABEL_X = 10;
const PLOT_X0 = 560;
const PLOT_X1 = 900;
const VALUE_X = 910;
const ROW = 20;
const HEADING = 22;
const TOP = 70;
const LABEL_CHARS = 92;
const COLOURS = { met: '#2e8b57', missed: '#d9534f', none: '#5b7db1' };

/** Escapes text for SVG content and attribute values. */
function xml(text) {
  return String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

function clip(text) {
  return text.length <= LABEL_CHARS ? text : `${text.slice(0, LABEL_CHARS - 1)}…`;
}

/** Powers of two around every ratio and target, at least 0.5 to 2 and at most 1/64 to 64. */
function scaleBounds(rows) {
  const values = rows.flatMap((r) => [r.ratio, r.target ?? 1]).filter((v) => v > 0);
  const lo = Math.max(-6, Math.min(-1, Math.floor(Math.log2(Math.min(...values)))));
  const hi = Math.min(6, Math.max(1, Math.ceil(Math.log2(Math.max(...values)))));
  return { lo, hi };
}

function ratioText(ratio) {
  return `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}x`;
}

/** The chart of `rows` (in order, grouped under a heading per suite) as an SVG document. */
export function chartSvg(rows, { title = 'Tronada against its peers' } = {}) {
  const { lo, hi } = scaleBounds(rows);
  const x = (ratio) => {
    const clamped = Math.min(2 ** hi, Math.max(2 ** lo, ratio));
    return PLOT_X0 + ((Math.log2(clamped) - lo) / (hi - lo)) * (PLOT_X1 - PLOT_X0);
  };
  const body = [];
  let y = TOP;
  let suite;
  for (const row of rows) {
    if (row.suite !== suite) {
      suite = row.suite;
      y += 6;
      body.push(`<text x="${LABEL_X}" y="${y + 15}" font-weight="bold">${xml(suite)}</text>`);
      y += HEADING;
    }
    const label = `${row.name} vs ${row.peerName}`;
    const met = row.target == null ? 'none' : row.ratio >= row.target ? 'met' : 'missed';
    const [a, b] = [x(1), x(row.ratio)];
    const mid = y + ROW / 2;
    const hint = `${label}: ${ratioText(row.ratio)}${row.target == null ? '' : ` (target ≥ ${ratioText(row.target)})`}`;
    body.push(
      `<g><title>${xml(hint)}</title>`,
      `<text x="${LABEL_X + 12}" y="${mid + 4}">${xml(clip(label))}</text>`,
      `<rect x="${Math.min(a, b).toFixed(1)}" y="${y + 3}" width="${Math.max(1, Math.abs(b - a)).toFixed(1)}" height="${ROW - 6}" fill="${COLOURS[met]}"/>`,
      `<text x="${VALUE_X}" y="${mid + 4}">${ratioText(row.ratio)}</text>`,
    );
    if (row.target != null) {
      const t = x(row.target).toFixed(1);
      body.push(
        `<path d="M${t} ${y + 1}l4 ${ROW / 2 - 1}l-4 ${ROW / 2 - 1}l-4 ${1 - ROW / 2}z" fill="none" stroke="#222" stroke-width="1.5"/>`,
      );
    }
    body.push('</g>');
    y += ROW;
  }
  const bottom = y + 6;
  const grid = [];
  for (let p = lo; p <= hi; p++) {
    const gx = x(2 ** p).toFixed(1);
    const text = p < 0 ? `1/${2 ** -p}x` : `${2 ** p}x`;
    grid.push(
      `<line x1="${gx}" y1="${TOP - 4}" x2="${gx}" y2="${bottom}" stroke="${p === 0 ? '#000' : '#ddd'}" stroke-width="${p === 0 ? 1.5 : 1}"/>`,
      `<text x="${gx}" y="${TOP - 8}" text-anchor="middle" fill="#555">${text}</text>`,
      `<text x="${gx}" y="${bottom + 14}" text-anchor="middle" fill="#555">${text}</text>`,
    );
  }
  const legend = [
    ['met', 'meets its target'],
    ['missed', 'below its target'],
    ['none', 'no target'],
  ]
    .map(
      ([key, text], i) =>
        `<rect x="${LABEL_X + i * 150}" y="36" width="12" height="12" fill="${COLOURS[key]}"/><text x="${LABEL_X + 18 + i * 150}" y="46">${text}</text>`,
    )
    .join('');
  const height = bottom + 26;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="11">`,
    '<title>Tronada benchmark ratios against its peers</title>',
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="${LABEL_X}" y="20" font-size="15" font-weight="bold">${xml(title)}</text>`,
    `<text x="${PLOT_X0}" y="20" fill="#333">ratio vs the peer, log scale; above 1x Tronada is ahead</text>`,
    `${legend}<path d="M${LABEL_X + 462} 36l4 6l-4 6l-4 -6z" fill="none" stroke="#222" stroke-width="1.5"/><text x="${LABEL_X + 472}" y="46">target</text>`,
    ...grid,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
