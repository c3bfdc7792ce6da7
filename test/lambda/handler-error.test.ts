import { describeThrown, quote, toOneLine, WaiterError } from '../../lambda/engine/handler-error';

describe('WaiterError', () => {
  it('carries its message as its whole stack, on one line', () => {
    const error = new WaiterError('Job failed.\nSecond line\r\nthird\u2028fourth');
    expect(error.message).toBe('Job failed. Second line third fourth');
    expect(error.stack).toBe('WaiterError: Job failed. Second line third fourth');
    expect(error.name).toBe('WaiterError');
  });
});

describe('quote', () => {
  it('quotes strings and shows other values as JSON', () => {
    expect(quote('abc')).toBe('"abc"');
    expect(quote(42)).toBe('42');
    expect(quote({ a: 1 })).toBe('{"a":1}');
    expect(quote(undefined)).toBe('undefined');
  });

  it('shortens long values', () => {
    expect(quote('x'.repeat(1000), 10)).toBe(`"${'x'.repeat(7)}…"`);
  });
});

describe('describeThrown', () => {
  it('names the error and its message', () => {
    const error = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    expect(describeThrown(error)).toBe('ThrottlingException: Rate exceeded');
  });

  it('shows a thrown non-error as a value', () => {
    expect(describeThrown('boom')).toBe('"boom"');
  });
});

describe('toOneLine', () => {
  it('keeps spaces as they are', () => {
    expect(toOneLine('  a  b ')).toBe('  a  b ');
  });
});
