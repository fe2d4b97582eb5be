import { describe, expect, it } from 'vitest';
import { callerIdFrom } from '../../../server/directory/caller-id.js';

describe('callerIdFrom', () => {
  it.each([
    ['+1 425 555 0100', '+14255550100'],
    ['+1 (425) 555-0100', '+14255550100'],
    ['tel:+44 20 7946 0958', '+442079460958'],
    ['+49 30 1234567;ext=5', '+49301234567'],
    ['+1 425 555 0100 x123', '+14255550100'],
    ['+1 425 555 0100 ext. 23', '+14255550100'],
    ['+1 425 555 0100 Extension 7', '+14255550100'],
    ['030/1234.567', '0301234567'],
    ['\u00a0+33\u00a01\u00a023\u00a045\u00a067\u00a089 ', '+33123456789'],
  ])('reads %j as %j', (text, number) => {
    expect(callerIdFrom(text)).toBe(number);
  });

  it.each(['', 'n/a', 'tbd', '+', '12', 'ext. ???', '+1 425 CALL NOW', '++14255550100', '1'.repeat(21)])('refuses %j', (text) => {
    expect(callerIdFrom(text)).toBeNull();
  });
});
