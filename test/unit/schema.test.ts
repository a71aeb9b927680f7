import { ACTIONS } from '../../miniprogram/core/actions';
import * as s from '../../miniprogram/core/schema';

describe('payload schemas', () => {
  const profile = ACTIONS['profile.save'].payload;
  const good = { realName: '李明', phone: '13800001111', unitId: 'unit_hospital', enterprise: '区人民医院' };

  it('accepts a complete profile and trims text', () => {
    expect(profile.parse({ ...good, enterprise: '  区人民医院 ' })).toEqual({ ok: true, value: good });
  });

  it('refuses an openid smuggled into a payload', () => {
    const r = profile.parse({ ...good, openid: 'someone-else' });
    expect(r).toEqual({ ok: false, issue: { path: 'payload.openid', message: '不允许的字段' } });
  });

  it('names the missing field', () => {
    const { phone: _phone, ...rest } = good;
    expect(profile.parse(rest)).toEqual({ ok: false, issue: { path: 'payload.phone', message: '缺少必填项' } });
  });

  it('refuses a phone number that is not 11 digits', () => {
    const r = profile.parse({ ...good, phone: '1380000111' });
    expect(r.ok).toBe(false);
  });

  it('refuses wrong types, NaN and Infinity', () => {
    const n = s.number({ min: 0, max: 10 });
    expect(n.parse('3').ok).toBe(false);
    expect(n.parse(NaN).ok).toBe(false);
    expect(n.parse(Infinity).ok).toBe(false);
    expect(n.parse(3).ok).toBe(true);
  });

  it('checks half-point steps exactly', () => {
    const score = s.number({ min: 0, max: 10, step: 0.5 });
    expect(score.parse(7.5).ok).toBe(true);
    expect(score.parse(7.3).ok).toBe(false);
  });

  it('counts characters, not UTF-16 units, against a maximum', () => {
    const t = s.string({ max: 2 });
    expect(t.parse('𠀀𠀀').ok).toBe(true);
    expect(t.parse('𠀀𠀀𠀀').ok).toBe(false);
  });

  it('refuses control characters and line breaks in single-line text', () => {
    const t = s.string({ max: 20 });
    expect(t.parse('a\u0000b').ok).toBe(false);
    expect(t.parse('a\nb').ok).toBe(false);
    expect(s.string({ max: 20, multiline: true }).parse('a\nb').ok).toBe(true);
  });

  it('refuses ids with path characters', () => {
    expect(s.id().parse('../../etc/passwd').ok).toBe(false);
    expect(s.id().parse('act_2022-photo').ok).toBe(true);
  });

  it('refuses objects with a prototype other than Object', () => {
    expect(s.object({}).parse(new Date()).ok).toBe(false);
    expect(s.object({}).parse([]).ok).toBe(false);
  });

  it('limits array length and checks each item', () => {
    const a = s.array(s.int(0, 9), { max: 2 });
    expect(a.parse([1, 2, 3]).ok).toBe(false);
    expect(a.parse([1, 'x'])).toEqual({ ok: false, issue: { path: 'payload[1]', message: '应为数字，收到 string' } });
  });

  it('tells unions apart by their tag', () => {
    const u = s.union('type', { a: s.object({ x: s.int(0, 1) }), b: s.object({ y: s.boolean() }) });
    expect(u.parse({ type: 'a', x: 1 })).toEqual({ ok: true, value: { type: 'a', x: 1 } });
    expect(u.parse({ type: 'b', x: 1 }).ok).toBe(false);
    expect(u.parse({ type: 'c' }).ok).toBe(false);
  });
});
