/**
 * Draws the benchmark results as one SVG: the failover matrix (time to resume writes, and
 * acknowledged writes lost, per event and client) and the throughput ratios against the peers.
 * Hand-written SVG keeps the benchmark free of a plotting dependency.
 */

export interface ResumeBar {
  event: string;
  client: string;
  /** Milliseconds, or null when writes never resumed within the cap. */
  resumeMs: number | null;
  lost: number;
}

export interface RatioBar {
  label: string;
  /** ours ÷ peer; 1.0 = as fast. */
  ratio: number;
  /** The goal line for this bar, e.g. 0.95 or 1.0. */
  goal: number;
}

const COLORS: Record<string, string> = { 'sentinel-kit': '#2b8a3e' };
const PEER_COLORS = ['#c92a2a', '#e67700', '#1971c2', '#7048e8'];
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function colorOf(client: string, clients: string[]): string {
  const peers = clients.filter((c) => !(c in COLORS));
  return COLORS[client] ?? PEER_COLORS[peers.indexOf(client) % PEER_COLORS.length] ?? '#495057';
}

/** Log-scaled bar length, so 20 ms and 10 s both stay readable. */
const logScale = (ms: number, capMs: number, width: number) =>
  (Math.log10(Math.max(ms, 1) + 1) / Math.log10(capMs + 1)) * width;

export function renderChart(resume: ResumeBar[], ratios: RatioBar[], capMs: number): string {
  const width = 920;
  const barHeight = 16;
  const labelWidth = 300;
  const plotWidth = width - labelWidth - 260;
  const clients = [...new Set(resume.map((r) => r.client))];
  const parts: string[] = [];
  let y = 30;
  parts.push(
    `<text x="10" y="${y}" font-size="16" font-weight="bold">Failover: time from the first +switch-master to writes on the new master (log scale)</text>`,
  );
  y += 16;
  for (const event of [...new Set(resume.map((r) => r.event))]) {
    y += 14;
    parts.push(`<text x="10" y="${y + 12}" font-size="13" font-weight="bold">${escapeXml(event)}</text>`);
    y += 18;
    for (const row of resume.filter((r) => r.event === event)) {
      const ms = row.resumeMs ?? capMs;
      const length = Math.max(2, logScale(ms, capMs, plotWidth));
      const value = row.resumeMs === null ? `none in ${capMs / 1000} s` : `${row.resumeMs} ms`;
      parts.push(
        `<text x="20" y="${y + 12}" font-size="12">${escapeXml(row.client)}</text>`,
        `<rect x="${labelWidth}" y="${y}" width="${length.toFixed(1)}" height="${barHeight}" fill="${colorOf(row.client, clients)}"/>`,
        `<text x="${labelWidth + length + 6}" y="${y + 12}" font-size="12">${value}; ${row.lost} acked writes lost</text>`,
      );
      y += barHeight + 4;
    }
  }
  y += 30;
  parts.push(
    `<text x="10" y="${y}" font-size="16" font-weight="bold">Throughput: sentinel-kit ÷ peer, same server, same run (goal line dashed)</text>`,
  );
  y += 14;
  const maxRatio = Math.max(1.5, ...ratios.map((r) => r.ratio));
  const scale = (ratio: number) => (ratio / maxRatio) * plotWidth;
  const top = y;
  for (const bar of ratios) {
    const length = Math.max(2, scale(bar.ratio));
    const fill = bar.ratio >= bar.goal ? '#2b8a3e' : '#e67700';
    parts.push(
      `<text x="20" y="${y + 12}" font-size="12">${escapeXml(bar.label)}</text>`,
      `<rect x="${labelWidth}" y="${y}" width="${length.toFixed(1)}" height="${barHeight}" fill="${fill}"/>`,
      `<text x="${labelWidth + length + 6}" y="${y + 12}" font-size="12">${bar.ratio.toFixed(2)} (goal ${bar.goal})</text>`,
      `<line x1="${labelWidth + scale(bar.goal)}" x2="${labelWidth + scale(bar.goal)}" y1="${y - 2}" y2="${y + barHeight + 2}" stroke="#212529" stroke-dasharray="3,2"/>`,
    );
    y += barHeight + 4;
  }
  parts.push(`<line x1="${labelWidth}" x2="${labelWidth}" y1="${top - 4}" y2="${y}" stroke="#868e96"/>`);
  const height = y + 20;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" role="img">
<title>sentinel-kit benchmarks: failover matrix and throughput ratios against the peers</title>
<rect width="100%" height="100%" fill="#ffffff"/>
${parts.join('\n')}
</svg>
`;
}
