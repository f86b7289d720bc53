import { describe, expect, it } from 'vitest';
import { findAddress } from '../../infra/local/model-endpoint/address.ts';
import { shapeOf } from '../../infra/local/model-endpoint/ids.ts';
import { findName } from '../../infra/local/model-endpoint/names.ts';
import {
  findDates,
  findEmails,
  findMoney,
  findNumbers,
  findZips,
} from '../../infra/local/model-endpoint/scalars.ts';
import { chunksOf, stem, termOf, termsOf, wordsOf } from '../../infra/local/model-endpoint/text.ts';

const values = <T>(found: readonly { value: T }[]) => found.map((item) => item.value);

describe('text', () => {
  it('stems plurals and verb endings so word forms meet', () => {
    for (const [a, b] of [
      ['orders', 'order'],
      ['ordered', 'ordering'],
      ['cancelled', 'cancel'],
      ['canceled', 'cancel'],
      ['changed', 'change'],
      ['shipped', 'shipping'],
      ['addresses', 'address'],
      ['keyboards', 'keyboard'],
      ['needed', 'need'],
    ] as const) {
      expect(stem(a)).toBe(stem(b));
    }
    expect(stem('status')).toBe('status');
    expect(stem('1008292230')).toBe('1008292230');
  });

  it('maps synonyms to one term', () => {
    expect(termOf('swap')).toBe('exchange');
    expect(termOf('representative')).toBe('human');
    expect(termOf('accidentally')).toBe('mistake');
    expect(termOf('cancellation')).toBe('cancel');
  });

  it('rewrites phrases and drops stopwords', () => {
    expect(termsOf('I want to send it back')).toEqual(['need', 'return']);
    expect(termsOf('Can I speak to a real person?')).toEqual(['talk', 'human']);
    expect(termsOf('I do not need it any more')).toEqual(['neg', 'need', 'anymore']);
  });

  it('marks the words a negation governs, up to punctuation or "but"', () => {
    const negated = wordsOf("not the keyboard, the thermostat but don't cancel").filter(
      (word) => word.negated,
    );
    expect(negated.map((word) => word.lower)).toEqual(['the', 'keyboard', 'cancel']);
    expect(termsOf('it has not shipped yet, so cancel it', { dropNegated: true })).toEqual(['cancel']);
  });

  it('cuts chunks at whitespace and commas and strips surrounding punctuation', () => {
    expect(chunksOf('(#W1234567), W7654321,W1111111. $1,200!').map((chunk) => chunk.text)).toEqual([
      '#W1234567',
      'W7654321',
      'W1111111',
      '$1,200',
    ]);
  });
});

describe('findEmails', () => {
  it('finds typed and spoken emails', () => {
    expect(values(findEmails('a.b@example.com or c@d.org'))).toEqual(['a.b@example.com', 'c@d.org']);
    expect(values(findEmails('sara underscore doe at mail dot example dot com'))).toEqual([
      'sara_doe@mail.example.com',
    ]);
  });

  it('finds nothing without a full domain', () => {
    expect(findEmails('sara@localhost, sara at example, @example.com')).toEqual([]);
  });
});

describe('findZips', () => {
  it('finds five-digit zips and the first five of a zip+4', () => {
    expect(values(findZips('19122 and 78701-1234'))).toEqual(['19122', '78701']);
  });

  it('ignores five digits inside a longer number, an amount or an id', () => {
    expect(findZips('1008292230 $12345 #12345 12,345 12345.50 W12345')).toEqual([]);
  });
});

describe('findMoney and findNumbers', () => {
  it('reads amounts in dollars', () => {
    expect(values(findMoney('$12.50, $ 3, $1,200.99, 40 dollars, 5 bucks, usd 7'))).toEqual([
      12.5, 3, 1200.99, 40, 5, 7,
    ]);
  });

  it('reads plain numbers and counts as words, not "one" as a pronoun', () => {
    expect(values(findNumbers('3 items, 2.5 kg, 1,000 units'))).toEqual([3, 2.5, 1000]);
    expect(values(findNumbers('two of them'))).toEqual([2]);
    expect(values(findNumbers('this one, the one, one more thing'))).toEqual([]);
  });

  it('reads "a month" and "a couple of weeks" as counts, "an apple" not', () => {
    expect(values(findNumbers('pause it for a month'))).toEqual([1]);
    expect(values(findNumbers('a couple of weeks'))).toEqual([2]);
    expect(values(findNumbers('an apple, a lot'))).toEqual([]);
  });

  it('does not read digits that belong to an id, an email or a date as numbers', () => {
    expect(findNumbers('#W1234567 W1234567 sara_doe_496 a1@b.com 2024-05-03 05/03/2024')).toEqual([]);
  });
});

describe('findDates', () => {
  it('reads full dates and rejects impossible ones', () => {
    expect(
      values(findDates('2024-02-29, 2023-02-29, 12/31/2024, Dec 1st 2024, 1 March, 2024')).map((v) => v.date),
    ).toEqual(['2024-02-29', '2024-12-31', '2024-12-01', '2024-03-01']);
  });

  it('keeps the time of an ISO date-time', () => {
    expect(values(findDates('2024-05-03T10:30:00+02:00'))).toEqual([
      { date: '2024-05-03', dateTime: '2024-05-03T10:30:00+02:00' },
    ]);
  });
});

describe('findName', () => {
  it('reads names after cues and as a bare reply', () => {
    expect(findName("I'm Yusuf Rossi")).toEqual({ full: 'Yusuf Rossi', first: 'Yusuf', last: 'Rossi' });
    expect(findName('call me mei')).toEqual({ full: 'Mei', first: 'Mei' });
    expect(findName('Mary-Jane O\u2019Neil, 19122')).toEqual({
      full: "Mary-Jane O'Neil",
      first: 'Mary-Jane',
      last: "O'Neil",
    });
    expect(findName('my last name is Kim')).toEqual({ full: 'Kim', first: 'Kim', last: 'Kim' });
  });

  it('reads a lowercase name after "im" when a zip code follows, as people type a sign-in', () => {
    const ava = { full: 'Ava Lee', first: 'Ava', last: 'Lee' };
    expect(findName('im ava lee zip 94110')).toEqual(ava);
    expect(findName("i'm ava lee, 94110")).toEqual(ava);
    expect(findName('hi this is ava lee and my zip is 94110')).toEqual(ava);
    // Without a zip, lowercase words after "im" are anything but a name.
    expect(findName('im trying to pause my account')).toBeUndefined();
    expect(findName('im not sure 94110 is right')).toBeUndefined();
  });

  it('reads two lowercase words alone as a name, and not two common words', () => {
    expect(findName('harper santos')).toEqual({ full: 'Harper Santos', first: 'Harper', last: 'Santos' });
    for (const reply of [
      'one moment',
      'no idea',
      'never mind',
      'hold on',
      'not sure',
      'ok thanks',
      'im confused',
    ])
      expect(findName(reply), reply).toBeUndefined();
  });

  it('reads no name from ordinary sentences', () => {
    expect(findName('I am trying to return something')).toBeUndefined();
    expect(findName('It is broken')).toBeUndefined();
    expect(findName('Thank You')).toBeUndefined();
  });
});

describe('findAddress', () => {
  it('reads an address with a unit written as #', () => {
    expect(findAddress('send it to 77 Oak Ave #12, Denver, CO 80279')).toMatchObject({
      address1: '77 Oak Ave',
      address2: '#12',
      city: 'Denver',
      state: 'CO',
      zip: '80279',
    });
  });

  it('reads a city, state and zip without a street', () => {
    expect(findAddress('I moved to Phoenix, AZ 85001')).toMatchObject({
      city: 'Phoenix',
      state: 'AZ',
      zip: '85001',
    });
    expect(findAddress('I moved to Phoenix, AZ')).toBeUndefined();
  });

  it('reads lowercase states as words, not states', () => {
    expect(findAddress('I live in 1 place or another')).toBeUndefined();
  });
});

describe('shapeOf', () => {
  it('reads a literal prefix and a digit count from a pattern', () => {
    expect(shapeOf('^#W\\d{7}$')).toMatchObject({ prefix: '#W', digits: 7 });
    expect(shapeOf('^credit_card_\\d+$')).toMatchObject({ prefix: 'credit_card_', digits: 'any' });
    expect(shapeOf('^\\d{10}$')).toMatchObject({ prefix: '', digits: 10 });
    expect(shapeOf('^(credit_card|gift_card)_\\d+$')).toMatchObject({ prefix: '' });
    expect(shapeOf('^[a-z]+_[a-z]+_\\d+$')?.digits).toBeUndefined();
  });

  it('has no shape for a pattern that does not compile', () => {
    expect(shapeOf('^(unclosed')).toBeUndefined();
  });
});
