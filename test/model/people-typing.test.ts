import { describe, expect, it } from 'vitest';
import { findAddressParts } from '../../infra/local/model-endpoint/address.ts';
import { classifyAct, classifyConsent } from '../../infra/local/model-endpoint/dialogue.ts';
import { extractToolInput } from '../../infra/local/model-endpoint/engine.ts';
import { findName, nameAndZipPart } from '../../infra/local/model-endpoint/names.ts';
import { matchEnum, matchOption } from '../../infra/local/model-endpoint/phrase-match.ts';
import { VOLUNTEERED_NOTE } from '../../shared/model/understanding.ts';

/**
 * What people typing as impatient customers found (aops/retail/tests/people-typing.yaml has the
 * conversations): a name and zip beside the request, "waterproof" for "water resistance", "that's
 * everything" at "Is that everything, and shall I go ahead?".
 */
describe('a name and zip code beside the request', () => {
  it.each([
    ['where is my espresso machine?? evelyn patel, 28262', 'evelyn patel, 28262'],
    ['liam thomas 85049, i need to cancel my order', 'liam thomas 85049'],
    ['i literally just said. evelyn patel 28262', 'evelyn patel 28262'],
    ['cancel the skateboard order - liam thomas 85049', 'liam thomas 85049'],
    ['um liam thomas 85049!! need to return stuff', 'liam thomas 85049'],
    ['hey its liam thomas 85049, where is my skateboard order', 'liam thomas 85049'],
  ])('%s', (message, part) => {
    expect(nameAndZipPart(message)).toBe(part);
    expect(findName(message)).toMatchObject({ last: expect.any(String) });
  });

  it('a cue before the name is not part of it ("its liam thomas 85049")', () => {
    expect(findName('hey its liam thomas 85049, where is my skateboard order')).toEqual({
      full: 'Liam Thomas',
      first: 'Liam',
      last: 'Thomas',
    });
    expect(findName('its liam thomas 85049')).toMatchObject({ first: 'Liam', last: 'Thomas' });
  });

  it.each([
    'my order number 12345 never came',
    'order number 12345, where is it',
    'send it to 45 Maple Ave, Denver CO 80203',
    'evelyn patel, 28262',
  ])('not in %s (a number, an address, or the whole message)', (message) => {
    expect(nameAndZipPart(message)).toBeUndefined();
  });
});

const NOTE = VOLUNTEERED_NOTE;

describe('a zip code read before it is asked', () => {
  const signIn = {
    type: 'object',
    properties: {
      first_name: { type: 'string', description: `first name ${NOTE}` },
      last_name: { type: 'string', description: `last name ${NOTE}` },
      zip: { type: 'string', pattern: '^\\d{5}$', description: `zip code ${NOTE}` },
    },
  };
  const address = {
    type: 'object',
    properties: {
      ...signIn.properties,
      address1: { type: 'string', description: `address line 1 ${NOTE}` },
      city: { type: 'string', description: `city ${NOTE}` },
    },
  };
  const message = 'liam thomas 85049, change the address on my order to 45 maple ave, denver co 80203';

  it("signs in with the zip beside the name, not the new address's", () => {
    expect(extractToolInput(signIn, message)).toMatchObject({ zip: '85049', first_name: 'Liam' });
    expect(extractToolInput(signIn, 'send my order to 45 Maple Ave, Denver CO 80203')).not.toHaveProperty(
      'zip',
    );
  });

  it("is the address's when the address is asked for with it", () => {
    expect(extractToolInput(address, message)).toMatchObject({ zip: '80203', address1: '45 Maple Ave' });
  });
});

describe('an attribute said as shoppers say it, or said not to be wanted', () => {
  const values = ['water resistance', 'not water resistance'];

  it.each([
    ['the 20 hour blue waterproof one', 'water resistance'],
    ['water resistant pls', 'water resistance'],
    ['not waterproof', 'not water resistance'],
    ['one that isnt waterproof', 'not water resistance'],
    ['no water resistance', 'not water resistance'],
  ])('%s → %s', (message, value) => {
    expect(matchEnum(message, values)).toBe(value);
  });

  it('a label lacking the attribute does not match a message asking for it', () => {
    const speakers = [
      {
        value: 'dry',
        label: '20 hours battery life, blue (20 hours battery life, blue, not water resistance), $271.89',
      },
      {
        value: 'wet',
        label:
          '20 hours battery life, blue, water resistance (20 hours battery life, blue, water resistance), $302.67',
      },
    ];
    expect(matchOption('the 20 hour blue waterproof one', speakers)).toBe('wet');
    expect(matchOption('the blue 20h one that isnt waterproof', speakers)).toBe('dry');
  });
});

describe('consent said as people say it', () => {
  it.each([
    'yes thats everything',
    'yes thats all',
    'ugh fine. yeah go ahead',
    'ok yes cancel mine',
    'yes nothing else',
  ])('%s agrees', (message) => {
    expect(classifyConsent(message)).toBe('agree');
  });

  it.each(['yes cancel all of them', 'thats all', 'not everything'])('%s does not', (message) => {
    expect(classifyConsent(message)).not.toBe('agree');
  });
});

describe('a value said across sentences, and a place said after something else', () => {
  it('"not" in one sentence and "want" in the next do not say "no longer needed"', () => {
    const reasons = ['no longer needed', 'ordered by mistake'];
    expect(matchEnum('thats not what i asked. i want the REFUND on the gift card', reasons)).toBeUndefined();
    expect(matchEnum('dont need it anymore', reasons)).toBe('no longer needed');
  });

  it('"theres no apt number. dallas, TX 75201" gives the city, state, zip and country', () => {
    expect(findAddressParts('theres no apt number. dallas, TX 75201')).toEqual({
      city: 'Dallas',
      state: 'TX',
      zip: '75201',
      country: 'USA',
    });
    expect(findAddressParts('ok thanks')).toBeUndefined();
  });

  it('"theres no apt number" answers the second address line: there is none', () => {
    const schema = {
      type: 'object',
      properties: { address2: { type: 'string', description: 'address line 2' } },
    };
    expect(extractToolInput(schema, 'theres no apt number. dallas, TX 75201')).toEqual({ address2: '' });
    expect(extractToolInput(schema, 'apt 5')).toEqual({ address2: 'Apt 5' });
  });
});

describe('a no that says what it should be instead', () => {
  it.each(['no i said paypal', 'no, make it the blue 20 hours WITH water resistance'])(
    '%s corrects',
    (message) => {
      expect(classifyAct(message).act).toBe('correction');
    },
  );

  it.each(['no i said no', 'no thanks', 'no, I changed my mind'])('%s does not', (message) => {
    expect(classifyAct(message).act).not.toBe('correction');
  });

  it('what was said after "no i said" is not negated', () => {
    const methods = [
      { value: 'credit_card_8105988', label: 'the Mastercard ending 8484 (credit_card_8105988)' },
      { value: 'paypal_8194385', label: 'PayPal (paypal_8194385)' },
    ];
    expect(matchOption('no i said paypal', methods)).toBe('paypal_8194385');
    expect(matchOption('not paypal', methods)).not.toBe('paypal_8194385');
  });
});
