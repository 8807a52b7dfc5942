import QRCode, { type QRCodeToStringOptions } from 'qrcode';
import type { Db } from '@sports/db';
import { ASSET_CATALOGUE, type AssetType } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { labelUrl, managedAssetVenue, venueAssetsForLabels, type AssetLinks } from './assets.ts';

/**
 * How each label's QR code is drawn: SVG, so it prints sharp at any size, with error correction Q
 * (a quarter of the code may be scratched or faded outdoors and it still scans), one module of quiet
 * zone (the label's white margin adds the rest).
 */
export const LABEL_QR_OPTIONS = { type: 'svg', errorCorrectionLevel: 'Q', margin: 1 } as const satisfies QRCodeToStringOptions;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe to place in HTML content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

interface Label {
  code: string;
  type: AssetType;
  name: string;
  resourceName: string | null;
}

const STYLE = `
  @page { size: A4; margin: 10mm; }
  * { box-sizing: border-box; }
  body { margin: 0; font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Zen Hei", sans-serif; color: #000; }
  .sheet { display: grid; grid-template-columns: repeat(2, 1fr); grid-auto-rows: 52mm; gap: 3mm; width: 190mm; }
  .label { display: flex; gap: 3mm; align-items: center; padding: 3mm; border: 0.3mm dashed #888; break-inside: avoid; overflow: hidden; }
  .qr { flex: none; width: 42mm; height: 42mm; }
  .qr svg { display: block; width: 100%; height: 100%; }
  .text { display: flex; flex-direction: column; gap: 1mm; min-width: 0; }
  .cta { margin: 0; font-size: 15pt; font-weight: 700; line-height: 1.1; }
  .cta span { display: block; font-size: 8pt; font-weight: 400; letter-spacing: 0.02em; }
  .name { margin: 0; font-size: 10pt; font-weight: 700; line-height: 1.2; }
  .meta { margin: 0; font-size: 7.5pt; line-height: 1.25; }
  .code { margin: 0; font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13pt; font-weight: 700; letter-spacing: 0.08em; }
  .url { margin: 0; font-size: 6pt; word-break: break-all; color: #333; }
  .screen-only { margin: 0 0 6mm; }
  .screen-only h1 { margin: 0 0 2mm; font-size: 14pt; }
  .screen-only p { margin: 0; font-size: 10pt; }
  @media screen { body { padding: 10mm; background: #f2f2f2; } .sheet { background: #fff; padding: 3mm; } }
  @media print { .screen-only { display: none; } }
`;

async function renderLabel(label: Label, venueName: string, links: AssetLinks): Promise<string> {
  const url = labelUrl(links, label.code);
  const svg = await QRCode.toString(url, LABEL_QR_OPTIONS);
  const type = ASSET_CATALOGUE[label.type];
  const place = label.resourceName ? `${venueName} · ${label.resourceName}` : venueName;
  return `<article class="label">
<div class="qr" role="img" aria-label="${escapeHtml(`二维码 QR code: ${url}`)}">${svg}</div>
<div class="text">
<p class="cta">扫码报修<span>Scan to report</span></p>
<p class="name">${escapeHtml(label.name)}</p>
<p class="meta">${escapeHtml(`${type.zh} ${type.en}`)}</p>
<p class="meta">${escapeHtml(place)}</p>
<p class="code">${escapeHtml(label.code)}</p>
<p class="url">${escapeHtml(url)}</p>
</div>
</article>`;
}

/**
 * A print-ready A4 page of QR labels for every asset of a venue, two across and five down: each code
 * encodes `<PUBLIC_BASE_URL>/r/<code>` and carries the code in text, the asset, and the venue.
 */
export async function venueLabelSheet(db: Db, actor: Actor, venueId: string, links: AssetLinks): Promise<string> {
  const venue = await managedAssetVenue(db, actor, venueId);
  const labels = await venueAssetsForLabels(db, venueId);
  const rendered = await Promise.all(labels.map((label) => renderLabel(label, venue.name, links)));
  const title = `${venue.name} · 设施报修二维码 Repair QR labels`;
  const summary =
    labels.length === 0
      ? '该场馆还没有登记设施。No equipment is registered at this venue yet.'
      : `共 ${labels.length} 张，每页 10 张。请用 A4 纸、100% 缩放打印。${labels.length} labels, 10 per page: print on A4 at 100% scale.`;
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="screen-only">
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(summary)}</p>
</header>
<main class="sheet">
${rendered.join('\n')}
</main>
</body>
</html>
`;
}
