/**
 * The EJSON the SDK sends and reads. The literal strings below were captured from wx-server-sdk
 * 4.0.2 (@cloudbase/database 1.4.3: `bson.EJSON.stringify(v, { relaxed: false })`).
 */
import { createRequire } from 'node:module';
import { parseEJSON, stringifyEJSON } from '../../../local-cloud/src/engine';

describe('EJSON decoding (what @cloudbase/database sends)', () => {
  test('canonical numbers, dates, regexps and nested values from collection.add()', () => {
    // Captured: db.collection('c').add({ data: { a: 1, b: 1.5, big: 2 ** 40, d: new Date(1000), r: /x/i, n: null, arr: [1, 'x'], o: { p: { q: 1 } } } })
    const s =
      '{"a":{"$numberInt":"1"},"b":{"$numberDouble":"1.5"},"big":{"$numberLong":"1099511627776"},"d":{"$date":{"$numberLong":"1000"}},' +
      '"r":{"$regularExpression":{"pattern":"x","options":"i"}},"n":null,"arr":[{"$numberInt":"1"},"x"],"o":{"p":{"q":{"$numberInt":"1"}}}}';
    const v = parseEJSON(s) as Record<string, unknown>;
    expect(v.a).toBe(1);
    expect(v.b).toBe(1.5);
    expect(v.big).toBe(2 ** 40);
    expect(v.d).toEqual(new Date(1000));
    expect(v.r).toEqual(/x/i);
    expect(v.n).toBeNull();
    expect(v.arr).toEqual([1, 'x']);
    expect(v.o).toEqual({ p: { q: 1 } });
  });

  test('db.serverDate({ offset }) becomes the engine clock plus the offset', () => {
    // Captured: "sd":{"$tcb_server_date":{"offset":{"$numberInt":"1000"}}}
    const v = parseEJSON('{"sd":{"$tcb_server_date":{"offset":{"$numberInt":"1000"}}},"z":{"$tcb_server_date":{"offset":{"$numberInt":"0"}}}}', {
      now: 5_000,
    }) as Record<string, unknown>;
    expect(v.sd).toEqual(new Date(6_000));
    expect(v.z).toEqual(new Date(5_000));
  });

  test('non-finite doubles, ISO and relaxed dates, $oid', () => {
    const v = parseEJSON(
      '{"n":{"$numberDouble":"NaN"},"i":{"$numberDouble":"-Infinity"},"d":{"$date":"2020-01-01T00:00:00.000Z"},"e":{"$date":5},"o":{"$oid":"5f0000000000000000000000"}}',
    ) as Record<string, unknown>;
    expect(v.n).toBeNaN();
    expect(v.i).toBe(-Infinity);
    expect(v.d).toEqual(new Date('2020-01-01T00:00:00.000Z'));
    expect(v.e).toEqual(new Date(5));
    expect(v.o).toBe('5f0000000000000000000000');
  });

  test('objects that merely contain $-keys among others are left alone (query operators)', () => {
    expect(parseEJSON('{"a":{"$gt":{"$numberInt":"1"},"$lt":{"$numberInt":"5"}}}')).toEqual({ a: { $gt: 1, $lt: 5 } });
    expect(parseEJSON('{"a":{"$regex":"^x","$options":"i"}}')).toEqual({ a: { $regex: '^x', $options: 'i' } });
  });
});

describe('EJSON encoding (what the SDK decodes with bson.EJSON.parse)', () => {
  test('dates as $date/$numberLong, non-finite numbers and regexps round-trip', () => {
    const doc = { d: new Date(Date.UTC(2024, 0, 1)), n: NaN, i: Infinity, r: /a.b/gi, x: [new Date(0), 1.5], s: 'é' };
    const s = stringifyEJSON(doc);
    expect(s).toContain('{"$date":{"$numberLong":"1704067200000"}}');
    // 'g' is not a BSON regex option (i, m, s, u are kept).
    expect(parseEJSON(s)).toEqual({ ...doc, r: /a.b/i });
  });

  test('the real bson (the SDK side) reads the encoding back into Dates and numbers', () => {
    // bson is @cloudbase/database's own dependency: exactly what decodes `list` items in the SDK.
    const req = createRequire(__filename);
    const { EJSON } = req(req.resolve('bson', { paths: [req.resolve('@cloudbase/database')] })) as { EJSON: { parse(s: string): unknown } };
    const doc = { _id: 'x', at: new Date(1700000000123), n: 3, f: 0.25, big: 2 ** 53 - 1, neg: -7, nested: { list: [new Date(1)] } };
    const back = EJSON.parse(stringifyEJSON(doc)) as Record<string, unknown>;
    expect(back.at).toBeInstanceOf(Date);
    expect((back.at as Date).getTime()).toBe(1700000000123);
    expect(back.n).toBe(3);
    expect(back.f).toBe(0.25);
    expect(back.big).toBe(2 ** 53 - 1);
    expect(((back.nested as { list: Date[] }).list[0] as Date).getTime()).toBe(1);
  });
});
