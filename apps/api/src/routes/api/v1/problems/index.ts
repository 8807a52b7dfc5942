import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ERROR_TITLES, ERRORS, ProblemType, ProblemTypeList, type ErrorCode } from '@sports/contracts';
import { DomainError } from '../../../../services/shared/errors.ts';
import { problems } from '../../../responses.ts';

/**
 * The documentation of every problem type: the `type` of a problem+json answer is the URL of its
 * entry here. JSON for programs; a page for a person who follows the link in a browser.
 */
const CODES = Object.keys(ERRORS) as ErrorCode[];

function describe(code: ErrorCode): ProblemType {
  const { status, zh, en } = ERRORS[code];
  return { code, status, title: ERROR_TITLES[code], detail: { zh, en } };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(types: ProblemType[], heading: string): string {
  const rows = types
    .map(
      (t) =>
        `<section id="${t.code}"><h2><code>${t.code}</code> · ${t.status}</h2>` +
        `<p lang="zh-CN"><strong>${escapeHtml(t.title.zh)}</strong>：${escapeHtml(t.detail.zh)}</p>` +
        `<p lang="en"><strong>${escapeHtml(t.title.en)}</strong>: ${escapeHtml(t.detail.en)}</p></section>`,
    )
    .join('\n');
  return (
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(heading)}</title><style>body{font:16px/1.6 system-ui,sans-serif;max-width:48rem;margin:1rem auto;padding:0 1rem}h2{font-size:1.1rem;margin-top:1.5rem}</style></head>` +
    `<body><h1>${escapeHtml(heading)}</h1><p>接口错误（application/problem+json，RFC 9457）的 <code>code</code> 及其含义；<code>{…}</code> 处为具体取值。` +
    ` <span lang="en">The API's error codes (application/problem+json, RFC 9457) and what they mean; <code>{…}</code> stands for a value of the occurrence.</span></p>\n${rows}</body></html>`
  );
}

/** The weight Accept gives a media type: its own entry, else its type with any subtype, else any type; 0 when none. */
function weightOf(accept: string, type: string): number {
  let best: [number, number] = [0, 0]; // [specificity, weight]
  for (const range of accept.split(',').slice(0, 32)) {
    const [name = '', ...parameters] = range.trim().toLowerCase().split(';');
    const q = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2)) || 0;
    const specificity = name === type ? 3 : name === `${type.split('/')[0]}/*` ? 2 : name === '*/*' ? 1 : 0;
    if (specificity > best[0]) best = [specificity, weight];
  }
  return best[1];
}

/** Whether the caller would rather read a page than JSON (a browser following the link). */
function wantsPage(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return weightOf(accept, 'text/html') > weightOf(accept, 'application/json');
}

const problemRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const tags = ['problems'];
  const send = (request: FastifyRequest, reply: FastifyReply, types: ProblemType[], heading: string, one: boolean) => {
    reply.header('vary', 'Accept').header('cache-control', 'public, max-age=3600');
    return wantsPage(request) ? reply.type('text/html; charset=utf-8').send(page(types, heading)) : reply.send(one ? types[0] : types);
  };

  fastify.get(
    '',
    {
      schema: {
        operationId: 'listProblemTypes',
        tags,
        summary: '错误代码 Every problem type: code, status, title and message, in Chinese and English (JSON, or a page for a browser)',
        produces: ['application/json', 'text/html'],
        response: { 200: ProblemTypeList },
      },
    },
    async (request, reply) => send(request, reply, CODES.map(describe), '错误代码 Error codes', false),
  );

  fastify.get(
    '/:code',
    {
      schema: {
        operationId: 'getProblemType',
        tags,
        summary: '错误代码说明 One problem type: the document its `type` URL names',
        produces: ['application/json', 'text/html'],
        params: Type.Object({ code: Type.String({ pattern: '^[A-Z][A-Z0-9_]{1,40}$' }) }),
        response: { 200: ProblemType, ...problems(400, 404) },
      },
    },
    async (request, reply) => {
      const code = request.params.code as ErrorCode;
      if (!Object.hasOwn(ERRORS, code)) throw new DomainError('NOT_FOUND');
      return send(request, reply, [describe(code)], `${code} · ${ERROR_TITLES[code].zh} ${ERROR_TITLES[code].en}`, true);
    },
  );
};

export default problemRoutes;
