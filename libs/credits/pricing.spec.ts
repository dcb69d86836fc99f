import { pricePerPart } from './pricing';

describe('pricePerPart', () => {
  const prices = { default: 65, SE: 45, NO: 0, FR: 70 };
  it.each([
    ['+46701234567', 45, 'Swedish mobile → SE price'],
    ['+4791234567', 0, 'a zero price is a price, not a missing one'],
    ['+33612345678', 70, 'French mobile → FR price'],
    ['+4915112345678', 65, 'Germany is not listed → default'],
    ['+999', 65, 'no country at all → default'],
  ])('%s costs %i per part (%s)', (e164, price) => {
    expect(pricePerPart(e164, prices)).toBe(price);
  });
});
