import fc from 'fast-check';
import { fitToJsonBytes, jsonBytes, truncateToJsonBytes } from '../../lambda/engine/response-budget';

describe('truncateToJsonBytes', () => {
  it('leaves text that fits untouched', () => {
    expect(truncateToJsonBytes('s3://bucket/out/', 16)).toBe('s3://bucket/out/');
  });

  it('keeps the beginning and marks the cut', () => {
    expect(truncateToJsonBytes('abcdefghij', 8)).toBe('abcde…');
  });

  it('counts multi-byte characters and JSON escapes in bytes', () => {
    expect(jsonBytes('é')).toBe(2);
    expect(jsonBytes('\n')).toBe(2);
    expect(jsonBytes('"')).toBe(2);
    expect(truncateToJsonBytes('ééééé', 7)).toBe('éé…');
  });

  it('never splits a character made of two UTF-16 units', () => {
    expect(truncateToJsonBytes('😀😀😀', 9)).toBe('😀…');
  });

  it('fits any text into any budget, keeping a prefix', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), fc.integer({ min: 3, max: 500 }), (text, budget) => {
        const cut = truncateToJsonBytes(text, budget);
        expect(jsonBytes(cut)).toBeLessThanOrEqual(budget);
        const kept = cut.endsWith('…') && cut !== text ? cut.slice(0, -1) : cut;
        expect(text.startsWith(kept)).toBe(true);
      }),
    );
  });
});

describe('fitToJsonBytes', () => {
  it('returns data that fits as it is', () => {
    const data = { A: 'short', B: 'also short' };
    expect(fitToJsonBytes(data, 100)).toBe(data);
  });

  it('keeps data whose JSON is exactly the budget', () => {
    const data = { A: 'x'.repeat(10) };
    expect(fitToJsonBytes(data, Buffer.byteLength(JSON.stringify(data)))).toBe(data);
  });

  it('uses every byte of the budget when it can', () => {
    const fitted = fitToJsonBytes({ A: 'x'.repeat(100), B: 'short' }, 80);
    expect(Buffer.byteLength(JSON.stringify(fitted))).toBe(80);
  });

  it('cuts only the longest values, to a common length', () => {
    const fitted = fitToJsonBytes({ A: 'x'.repeat(100), B: 'y'.repeat(100), C: 'short' }, 100);
    expect(fitted.C).toBe('short');
    expect(fitted.A.length).toBe(fitted.B.length);
    expect(fitted.A.startsWith('xxxx')).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(fitted))).toBeLessThanOrEqual(100);
    expect(Buffer.byteLength(JSON.stringify(fitted))).toBeGreaterThan(90);
  });

  it('makes any attribute set fit the budget', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 3000 }), { maxKeys: 13 }), (data) => {
        const fitted = fitToJsonBytes(data, 3096);
        expect(Buffer.byteLength(JSON.stringify(fitted))).toBeLessThanOrEqual(3096);
        expect(Object.keys(fitted)).toEqual(Object.keys(data));
      }),
    );
  });
});
