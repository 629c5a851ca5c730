// The attrition funnel as a self-contained SVG bar chart (no script, no external font), one bar
// per step on a log scale: with ~1% of a population having the disease, a linear scale would
// show one long bar and thirty invisible ones.

import type { AttritionFunnel } from './attrition-funnel.js';

const ROW = 18;
const LABEL = 260;
const BAR = 420;
const COUNT = 110;
const TOP = 40;

export function funnelSvg(funnel: AttritionFunnel): string {
  const rows = [{ label: 'population', remaining: funnel.population - funnel.notScreened, dropped: 0 }, ...funnel.steps.map((s) => ({ label: s.criterion, remaining: s.remaining, dropped: s.dropped }))];
  const max = Math.max(1, rows[0]!.remaining);
  const scale = (n: number): number => (n <= 0 ? 0 : Math.max(1, (Math.log10(n + 1) / Math.log10(max + 1)) * BAR));
  const width = LABEL + BAR + COUNT + 20;
  const height = TOP + rows.length * ROW + 20;
  const bars = rows
    .map((row, i) => {
      const y = TOP + i * ROW;
      const w = scale(row.remaining).toFixed(1);
      const text = row.dropped > 0 ? `${row.remaining} (−${row.dropped})` : `${row.remaining}`;
      return [
        `<text x="${LABEL - 8}" y="${y + 13}" text-anchor="end">${escapeXml(row.label)}</text>`,
        `<rect x="${LABEL}" y="${y + 2}" width="${w}" height="${ROW - 4}" fill="${i === 0 ? '#6b7f99' : '#2f6fb3'}"><title>${escapeXml(row.label)}: ${row.remaining} remaining</title></rect>`,
        `<text x="${LABEL + Number(w) + 6}" y="${y + 13}">${escapeXml(text)}</text>`,
      ].join('');
    })
    .join('\n  ');
  const title = `Attrition: ${funnel.studyId} as of ${funnel.asOf} (log scale)`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
  <title>${escapeXml(title)}</title>
  <text x="10" y="22" font-size="14" font-weight="bold">${escapeXml(title)}</text>
  ${bars}
</svg>
`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
