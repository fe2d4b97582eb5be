import { describe, expect, it } from 'vitest';
import { parsePhone } from '../../shared/phone.js';

describe('parsePhone', () => {
  it.each([
    ['+1 425 555 0100', '+14255550100', null],
    ['+1 (425) 555-0100', '+14255550100', null],
    ['tel:+44 20 7946 0958', '+442079460958', null],
    ['+49 30 1234567;ext=5', '+49301234567', '5'],
    ['+1 425 555 0100 x123', '+14255550100', '123'],
    ['+1 425 555 0100 ext. 23', '+14255550100', '23'],
    ['+1 425 555 0100 Extension 7', '+14255550100', '7'],
    ['030/1234.567', '0301234567', null],
    ['\u00a0+33\u00a01\u00a023\u00a045\u00a067\u00a089 ', '+33123456789', null],
    // The trunk prefix written after the country code is not dialled from abroad.
    ['+49 (0)30 1234567', '+49301234567', null],
    ['+44 (0)20 7946 0958', '+442079460958', null],
    ['+49(0)30 1234567-0 ext. 12', '+493012345670', '12'],
    ['030 (0)1234', '03001234', null],
  ])('reads %j as %j, extension %j', (text, number, extension) => {
    expect(parsePhone(text)).toEqual({ number, extension });
  });

  it.each(['', 'n/a', 'tbd', '+', '12', 'ext. ???', 'x 12', '+1 425 CALL NOW', '++14255550100', '1'.repeat(21)])('refuses %j', (text) => {
    expect(parsePhone(text)).toBeNull();
  });
});
