/**
 * iCalendar conformance, point by point from the standards' text (no iCalendar parser is installed,
 * so the checks below read the bytes as RFC 5545 §3.1 describes them, independently of the writer):
 *
 * RFC 5545 §3.1    content lines end in CRLF; lines longer than 75 octets are folded (CRLF + one
 *                  space or tab); a fold may not split a multi-octet UTF-8 character.
 * RFC 5545 §3.3.11 TEXT escapes backslash, semicolon, comma and newline.
 * RFC 5545 §3.6    VCALENDAR has PRODID and VERSION exactly once.
 * RFC 5545 §3.6.1  every VEVENT has DTSTAMP and UID exactly once (DTSTART with METHOD present).
 * RFC 5545 §3.3.5  DATE-TIME is UTC ("Z"), or local with TZID naming a VTIMEZONE of the object (§3.2.19).
 * RFC 5545 §3.8.4.7 UID is globally unique and persistent: the same booking has the same UID however
 *                  the server was reached.
 * RFC 5546 §3.2.1  METHOD:PUBLISH: each VEVENT has DTSTAMP, DTSTART, ORGANIZER, SUMMARY, UID; no
 *                  ATTENDEE; SEQUENCE at most once; STATUS one of TENTATIVE / CONFIRMED / CANCELLED.
 * RFC 5545 §3.3.3  ORGANIZER is a CAL-ADDRESS: a URI.
 * RFC 5546 §2.1.4  SEQUENCE goes up with a significant change (cancelling: STATUS).
 * RFC 9110 §13     ETag / Last-Modified; If-None-Match (precedence) and If-Modified-Since → 304;
 *                  §8.8.3 a strong tag per content coding.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { schema } from '@sports/db';
import { loadConfig } from '../src/config.ts';
import { calendar, fold, reservationEvent, type CalendarBooking } from '../src/services/booking/icalendar.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { JINSHUI, ZHENGZHOU, insertCityFixture, insertUser } from './support/fixtures.ts';

// ——— an independent reader of RFC 5545 §3.1 ———

interface Prop {
  name: string;
  params: Record<string, string>;
  value: string;
}
interface Component {
  name: string;
  props: Prop[];
  children: Component[];
}

/** Physical lines, checking CRLF everywhere, 75 octets each and whole UTF-8 characters per line. */
function physicalLines(raw: Buffer): string[] {
  const text = raw.toString('latin1');
  expect(text.endsWith('\r\n'), 'the object ends with CRLF').toBe(true);
  expect(/\r(?!\n)|(?<!\r)\n/.test(text), 'no bare CR or LF').toBe(false);
  const lines: string[] = [];
  let start = 0;
  for (let i = raw.indexOf('\r\n'); i !== -1; i = raw.indexOf('\r\n', start)) {
    const octets = raw.subarray(start, i);
    expect(octets.length, `line ${lines.length + 1} is at most 75 octets`).toBeLessThanOrEqual(75);
    // fatal: a line that starts or ends inside a multi-octet character does not decode.
    lines.push(new TextDecoder('utf-8', { fatal: true }).decode(octets));
    start = i + 2;
  }
  return lines;
}

function unfold(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (line.startsWith(' ') || line.startsWith('\t')) out[out.length - 1] += line.slice(1);
    else out.push(line);
  }
  return out;
}

/** contentline = name *(";" param) ":" value; param values may be DQUOTE-quoted (§3.1). */
function contentLine(line: string): Prop {
  const m = /^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)*):(.*)$/.exec(line);
  expect(m, `a content line: ${line}`).not.toBeNull();
  const params: Record<string, string> = {};
  for (const p of m![2]!.matchAll(/;([A-Za-z0-9-]+)=("[^"]*"|[^";:,]*)/g)) params[p[1]!.toUpperCase()] = p[2]!.replace(/^"|"$/g, '');
  return { name: m![1]!.toUpperCase(), params, value: m![3]! };
}

function parse(raw: Buffer): Component {
  const stack: Component[] = [{ name: 'ROOT', props: [], children: [] }];
  for (const line of unfold(physicalLines(raw))) {
    const prop = contentLine(line);
    if (prop.name === 'BEGIN') {
      const child = { name: prop.value.toUpperCase(), props: [], children: [] };
      stack.at(-1)!.children.push(child);
      stack.push(child);
    } else if (prop.name === 'END') {
      expect(stack.pop()!.name).toBe(prop.value.toUpperCase());
    } else stack.at(-1)!.props.push(prop);
  }
  expect(stack).toHaveLength(1);
  expect(stack[0]!.children).toHaveLength(1);
  return stack[0]!.children[0]!;
}

const all = (c: Component, name: string) => c.props.filter((p) => p.name === name);
const one = (c: Component, name: string) => {
  const found = all(c, name);
  expect(found, `${c.name} has exactly one ${name}`).toHaveLength(1);
  return found[0]!;
};
const events = (cal: Component) => cal.children.filter((c) => c.name === 'VEVENT');

/** TEXT as RFC 5545 §3.3.11 reads it. */
function unescapeText(value: string): string {
  expect(/(?<!\\)(?:\\\\)*[;,]/.test(value.replace(/\\[\\;,nN]/g, '')), `unescaped ; or , in ${value}`).toBe(false);
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

const UTC = /^\d{8}T\d{6}Z$/;
const LOCAL = /^\d{8}T\d{6}$/;

/** Every rule that holds for any object we publish. */
function conforms(raw: Buffer): Component {
  const cal = parse(raw);
  expect(cal.name).toBe('VCALENDAR');
  expect(one(cal, 'VERSION').value).toBe('2.0');
  expect(one(cal, 'PRODID').value).toMatch(/^-\/\/.+\/\/.+\/\/[A-Z]{2}$/);
  expect(one(cal, 'METHOD').value).toBe('PUBLISH');
  const zones = new Set(cal.children.filter((c) => c.name === 'VTIMEZONE').map((z) => one(z, 'TZID').value));
  for (const event of events(cal)) {
    for (const name of ['UID', 'DTSTAMP', 'DTSTART', 'SUMMARY', 'ORGANIZER']) one(event, name);
    expect(all(event, 'ATTENDEE')).toHaveLength(0);
    expect(all(event, 'SEQUENCE').length).toBeLessThanOrEqual(1);
    expect(all(event, 'STATUS').length).toBeLessThanOrEqual(1);
    for (const s of all(event, 'STATUS')) expect(['TENTATIVE', 'CONFIRMED', 'CANCELLED']).toContain(s.value);
    for (const name of ['DTSTAMP', 'CREATED', 'LAST-MODIFIED']) for (const p of all(event, name)) expect(p.value).toMatch(UTC);
    for (const name of ['DTSTART', 'DTEND']) {
      for (const p of all(event, name)) {
        if (p.params.TZID) {
          expect(zones.has(p.params.TZID), `${name};TZID=${p.params.TZID} has its VTIMEZONE`).toBe(true);
          expect(p.value).toMatch(LOCAL);
        } else expect(p.value).toMatch(UTC);
      }
    }
    const organizer = one(event, 'ORGANIZER');
    expect(organizer.value, 'a CAL-ADDRESS is a URI (RFC 3986 scheme ":" …)').toMatch(/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/);
    expect(organizer.params.CN).toBeTruthy();
    for (const name of ['SUMMARY', 'LOCATION', 'DESCRIPTION']) for (const p of all(event, name)) unescapeText(p.value);
  }
  return cal;
}

// ——— the running application ———

const TUESDAY_10AM = new Date('2026-11-24T10:00:00+08:00');
let now = TUESDAY_10AM;
afterEach(() => {
  now = TUESDAY_10AM;
});
let t: TestApp;
const at = (local: string) => new Date(`${local}+08:00`).toISOString();
const week = (ranges: { start: string; end: string }[]) => Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, ranges]));
let keyCounter = 0;
const ids = {} as Record<'venue' | 'court', string>;
/** A name with every character TEXT must escape, a quote a parameter cannot hold, and enough 3-octet characters to fold. */
const VENUE_NAME = '金水区全民健身中心羽毛球馆（东区）; 室内, 恒温 \\ "冠军"场馆 郑州市金水区人民政府体育局直属综合训练基地';

async function book(token: string, start: string, end: string) {
  const res = await t
    .http()
    .post('/api/v1/reservations')
    .set('authorization', token)
    .set('idempotency-key', `icalendar-test-${++keyCounter}`)
    .send({ resourceId: ids.court, start: at(start), end: at(end) });
  if (res.status !== 201) console.error(res.body);
  // created_at is the database's clock; the test's clock is the app's: make the booking made "now".
  else await t.database.db.update(schema.reservations).set({ createdAt: now }).where(eq(schema.reservations.id, res.body.id));
  return res;
}

async function resident() {
  const user = await insertUser(t.database.db);
  const token = `Bearer ${t.app.jwt.sign({ sub: user.id })}`;
  const standing = await t.http().get(`/api/v1/me/booking-standing?city=${ZHENGZHOU}`).set('authorization', token);
  expect(standing.status).toBe(200);
  return { ...user, token, feed: standing.body.calendarFeedPath as string };
}

/** The bytes as sent (after the content coding is undone), not as a client library decoded them. */
const raw = (res: { body: unknown }) => {
  expect(Buffer.isBuffer(res.body)).toBe(true);
  return res.body as Buffer;
};
const ics = (path: string, token?: string) => {
  const req = t
    .http()
    .get(path)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
  return token ? req.set('authorization', token) : req;
};

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_BASE_URL: 'https://sports.example.cn/' }, () => now);
  const db = t.database.db;
  const orgs = await insertCityFixture(db);
  const [venue] = await db
    .insert(schema.venues)
    .values({
      kind: 'gym',
      cityCode: ZHENGZHOU,
      districtCode: JINSHUI,
      lat: 34.78,
      lng: 113.66,
      priceLevel: 'paid',
      holidayRule: 'closed',
      name: VENUE_NAME,
      updatedAt: new Date('2026-11-01T00:00:00Z'),
      address: '郑州市金水区, 经三路 1 号',
      organisationId: orgs.venueCo.id,
      weeklyHours: week([{ start: '08:00', end: '22:00' }]),
      bookingSettings: { slotMinutes: 60, maxSlots: 2, windowDays: 7, releaseTime: '12:00', cancelHours: 2, defaultPriceFen: 0, bands: [] },
    })
    .returning();
  ids.venue = venue!.id;
  const [court] = await db
    .insert(schema.venueResources)
    .values({ venueId: venue!.id, name: '1号场', sport: 'badminton', mode: 'exclusive', indoor: true, sortOrder: 1 })
    .returning({ id: schema.venueResources.id });
  ids.court = court!.id;
});
afterAll(() => t.close());

describe('UIDs', () => {
  it('do not depend on the Host header: one booking is one event, @ the configured domain', async () => {
    const me = await resident();
    const booked = await book(me.token, '2026-11-25T08:00:00', '2026-11-25T09:00:00');
    expect(booked.status).toBe(201);
    const uids = new Set<string>();
    for (const host of ['127.0.0.1', 'localhost:3000', 'evil.example']) {
      const file = await ics(`/api/v1/reservations/${booked.body.id}.ics`, me.token).set('host', host);
      expect(file.status).toBe(200);
      uids.add(one(events(conforms(raw(file)))[0]!, 'UID').value);
      const feed = await ics(me.feed).set('host', host);
      uids.add(one(events(conforms(raw(feed)))[0]!, 'UID').value);
    }
    expect([...uids]).toEqual([`${booked.body.id}@sports.example.cn`]);
  });

  it('the domain is PUBLIC_BASE_URL’s host unless CALENDAR_UID_DOMAIN says otherwise', () => {
    const base = { NODE_ENV: 'test', PUBLIC_BASE_URL: 'https://tiyu.example.gov.cn:8443/app' };
    expect(loadConfig(base, false).CALENDAR_UID_DOMAIN).toBe('tiyu.example.gov.cn');
    expect(loadConfig({ ...base, CALENDAR_UID_DOMAIN: 'bookings.example.org' }, false).CALENDAR_UID_DOMAIN).toBe('bookings.example.org');
    expect(() => loadConfig({ ...base, CALENDAR_UID_DOMAIN: 'not a domain' }, false)).toThrow();
  });
});

describe('the single-booking file and the feed conform to RFC 5545 / 5546', () => {
  it('CRLF, 75-octet folds on character boundaries, escaped TEXT, UTC or TZID+VTIMEZONE, ORGANIZER, SEQUENCE', async () => {
    const me = await resident();
    const booked = await book(me.token, '2026-11-25T10:00:00', '2026-11-25T12:00:00');
    expect(booked.status).toBe(201);
    const file = await ics(`/api/v1/reservations/${booked.body.id}.ics`, me.token);
    expect(file.headers['content-type']).toMatch(/^text\/calendar; charset=utf-8/);
    const bytes = raw(file);
    expect(bytes.toString('latin1').split('\r\n').some((l) => l.startsWith(' ')), 'the long lines were folded').toBe(true);
    const event = events(conforms(bytes))[0]!;
    expect(one(event, 'SEQUENCE').value).toBe('0');
    expect(one(event, 'STATUS').value).toBe('CONFIRMED');
    expect(one(event, 'DTSTART').params.TZID).toBe('Asia/Shanghai');
    expect(one(event, 'DTSTART').value).toBe('20261125T100000');
    expect(one(event, 'DTEND').value).toBe('20261125T120000');
    expect(unescapeText(one(event, 'SUMMARY').value)).toBe(`${VENUE_NAME} · 1号场`);
    expect(unescapeText(one(event, 'LOCATION').value)).toBe(`${VENUE_NAME} 郑州市金水区, 经三路 1 号`);
    const organizer = one(event, 'ORGANIZER');
    expect(organizer.value).toBe(`https://sports.example.cn/venues/${ids.venue}`);
    // RFC 6868: a DQUOTE in a parameter value is written ^'.
    expect(organizer.params.CN!.replace(/\^'/g, '"').replace(/\^\^/g, '^')).toBe(VENUE_NAME);
    const created = one(event, 'CREATED').value;
    expect(one(event, 'LAST-MODIFIED').value).toBe(created);
    expect(one(event, 'DTSTAMP').value).toBe(created);
  });

  it('a zone without a VTIMEZONE here is written in UTC; newlines and controls in TEXT are escaped or dropped', () => {
    const booking: CalendarBooking = {
      id: '00000000-0000-4000-8000-000000000001',
      code: 'ABC123',
      status: 'confirmed',
      start: new Date('2026-11-25T18:00:00Z'),
      end: new Date('2026-11-25T19:00:00Z'),
      createdAt: new Date('2026-11-20T08:00:00.123Z'),
      cancelledAt: null,
      venue: { id: '00000000-0000-4000-8000-000000000002', name: 'Hall\nA\r\nB\u0007', address: 'x', timeZone: 'Europe/Berlin' },
      resource: { name: 'Court' },
    };
    const cal = conforms(Buffer.from(calendar([reservationEvent(booking, { uidDomain: 'example.org', publicBaseUrl: 'https://example.org' })], 'n'), 'utf8'));
    const event = events(cal)[0]!;
    expect(one(event, 'DTSTART').value).toBe('20261125T180000Z');
    expect(one(event, 'DTEND').value).toBe('20261125T190000Z');
    expect(one(event, 'SUMMARY').value).toBe('Hall\\nA\\nB · Court');
    expect(one(event, 'ORGANIZER').params.CN).toBe('Hall^nA^nB');
  });

  it('folding never splits a UTF-8 character, whatever the offset, and unfolds to the line it was', () => {
    for (let pad = 0; pad < 4; pad++) {
      for (const char of ['羽', '🏸', 'é', 'a']) {
        const line = `SUMMARY:${'x'.repeat(pad)}${char.repeat(200)}`;
        const folded = Buffer.from(`${fold(line)}\r\n`, 'utf8');
        expect(unfold(physicalLines(folded))).toEqual([line]);
      }
    }
  });
});

describe('cancelled bookings stay in the feed until they are past', () => {
  it('as STATUS:CANCELLED with a higher SEQUENCE and LAST-MODIFIED at the cancellation; the file says the same', async () => {
    const me = await resident();
    const booked = await book(me.token, '2026-11-25T14:00:00', '2026-11-25T15:00:00');
    expect(booked.status).toBe(201);
    const before = events(conforms(raw(await ics(me.feed))));
    expect(before).toHaveLength(1);
    expect(one(before[0]!, 'SEQUENCE').value).toBe('0');

    now = new Date('2026-11-24T11:30:00+08:00');
    await t.http().post(`/api/v1/reservations/${booked.body.id}/cancel`).set('authorization', me.token).send({}).expect(200);
    for (const res of [await ics(me.feed), await ics(`/api/v1/reservations/${booked.body.id}.ics`, me.token)]) {
      const after = events(conforms(raw(res)));
      expect(after).toHaveLength(1);
      expect(one(after[0]!, 'UID').value).toBe(one(before[0]!, 'UID').value);
      expect(one(after[0]!, 'STATUS').value).toBe('CANCELLED');
      expect(Number(one(after[0]!, 'SEQUENCE').value)).toBeGreaterThan(Number(one(before[0]!, 'SEQUENCE').value));
      expect(one(after[0]!, 'LAST-MODIFIED').value).toBe('20261124T033000Z');
      expect(one(after[0]!, 'DTSTAMP').value).toBe('20261124T033000Z');
    }

    now = new Date('2026-11-25T15:00:00+08:00');
    expect(events(conforms(raw(await ics(me.feed))))).toHaveLength(0);
  });
});

describe('the feed’s validators', () => {
  it('ETag and Last-Modified; 304 to If-None-Match and to If-Modified-Since; If-None-Match wins', async () => {
    const me = await resident();
    const first = await book(me.token, '2026-11-25T16:00:00', '2026-11-25T17:00:00');
    const second = await book(me.token, '2026-11-26T16:00:00', '2026-11-26T17:00:00');
    expect([first.status, second.status]).toEqual([201, 201]);

    now = new Date('2026-11-24T10:05:00+08:00');
    const a = await ics(me.feed);
    expect(a.status).toBe(200);
    const etag = a.headers.etag as string;
    expect(etag).toMatch(/^"[^"]+"$/); // strong
    expect(a.headers['last-modified']).toBe(new Date(TUESDAY_10AM).toUTCString());
    const again = await ics(me.feed);
    expect(raw(again).equals(raw(a)), 'an unchanged feed is the same bytes').toBe(true);
    expect(again.headers.etag).toBe(etag);

    // Each content coding is its own representation with its own strong tag (RFC 9110 §8.8.3).
    const plain = await ics(me.feed).set('accept-encoding', 'identity');
    const gzipped = await ics(me.feed).set('accept-encoding', 'gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toMatch(/accept-encoding/i);
    expect(raw(gzipped).equals(raw(plain))).toBe(true);
    expect(gzipped.headers.etag).not.toBe(plain.headers.etag);
    expect((await ics(me.feed).set('accept-encoding', 'identity').set('if-none-match', gzipped.headers.etag as string)).status).toBe(304);

    const byTag = await ics(me.feed).set('if-none-match', `"other", ${etag}`);
    expect(byTag.status).toBe(304);
    expect(raw(byTag)).toHaveLength(0);
    expect(byTag.headers.etag).toBe(etag);
    expect((await ics(me.feed).set('if-none-match', `W/${etag}`)).status).toBe(304); // weak comparison (RFC 9110 §13.1.2)
    expect((await ics(me.feed).set('if-none-match', '*')).status).toBe(304);
    expect((await ics(me.feed).set('if-modified-since', a.headers['last-modified']!)).status).toBe(304);
    expect((await ics(me.feed).set('if-modified-since', new Date(TUESDAY_10AM.getTime() - 1000).toUTCString())).status).toBe(200);
    expect((await ics(me.feed).set('if-modified-since', 'not a date')).status).toBe(200);
    const tagWins = await ics(me.feed).set('if-none-match', '"stale"').set('if-modified-since', a.headers['last-modified']!);
    expect(tagWins.status).toBe(200);

    // A cancellation is a change: new tag, later Last-Modified, the old validators answer 200.
    now = new Date('2026-11-24T10:10:00+08:00');
    await t.http().post(`/api/v1/reservations/${second.body.id}/cancel`).set('authorization', me.token).send({}).expect(200);
    const b = await ics(me.feed).set('if-none-match', etag);
    expect(b.status).toBe(200);
    expect(b.headers.etag).not.toBe(etag);
    expect(b.headers['last-modified']).toBe(now.toUTCString());
    expect((await ics(me.feed).set('if-modified-since', a.headers['last-modified']!)).status).toBe(200);

    // A booking that ends leaves the feed: that too is a change, dated when it ended.
    now = new Date('2026-11-25T18:00:00+08:00');
    const c = await ics(me.feed).set('if-none-match', b.headers.etag as string).set('if-modified-since', b.headers['last-modified']!);
    expect(c.status).toBe(200);
    expect(events(conforms(raw(c)))).toHaveLength(1);
    expect(c.headers['last-modified']).toBe(new Date(at('2026-11-25T17:00:00')).toUTCString());
    expect((await ics(me.feed).set('if-modified-since', c.headers['last-modified']!)).status).toBe(304);
  });

  it('the single-booking file has the same validators: ETag, Last-Modified, 304; a cancellation is a new version', async () => {
    now = new Date('2026-11-24T10:00:00+08:00');
    const me = await resident();
    const booked = await book(me.token, '2026-11-27T16:00:00', '2026-11-27T17:00:00');
    expect(booked.status).toBe(201);
    const url = `/api/v1/reservations/${booked.body.id}.ics`;
    const a = await ics(url, me.token);
    expect(a.status).toBe(200);
    expect(a.headers['content-disposition']).toMatch(/attachment; filename="booking-/);
    const etag = a.headers.etag as string;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(a.headers['last-modified']).toBe(now.toUTCString());
    const same = await ics(url, me.token).set('if-none-match', etag);
    expect(same.status).toBe(304);
    expect(raw(same)).toHaveLength(0);
    expect((await ics(url, me.token).set('if-modified-since', a.headers['last-modified']!)).status).toBe(304);
    // the validators never let another person read it
    const other = await resident();
    expect((await ics(url, other.token).set('if-none-match', etag)).status).toBe(404);

    now = new Date('2026-11-24T10:07:00+08:00');
    await t.http().post(`/api/v1/reservations/${booked.body.id}/cancel`).set('authorization', me.token).send({}).expect(200);
    const b = await ics(url, me.token).set('if-none-match', etag);
    expect(b.status).toBe(200);
    expect(b.headers.etag).not.toBe(etag);
    expect(b.headers['last-modified']).toBe(now.toUTCString());
    expect(one(events(conforms(raw(b)))[0]!, 'SEQUENCE').value).toBe('1');
  });
});
