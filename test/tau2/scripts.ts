/**
 * Scripted customers for τ²-bench retail train tasks (aops/retail/data/tasks.json, split "train").
 *
 * Each script is what a person following the task's `user_scenario.instructions` would type, one chat
 * message per turn, each with a note saying which instruction (or which question of the agent) it
 * answers. Scripts are fixed: the local model endpoint is deterministic, so the agent asks the same
 * questions every run, and a script that no longer fits its conversation fails its test.
 *
 * What a customer may say (docs/tau2-results.md, "Rules for the scripts"): what the instructions tell
 * them (`known_info`, the reason for the call, the task instructions) and what the agent showed them.
 * An order id only when the instructions give it; otherwise the customer picks from the orders the agent
 * lists, in words ("the one with the desk lamp", "the pending one"). Items and payment methods by name.
 * A new variant is described by its attributes ("a medium, red, with high ventilation", "same but in
 * size 8"), as τ²'s user would. Ids the agent listed may be read back, marked `read` (the test checks
 * an earlier reply showed them): left only where the choice needs a comparison the agent cannot make
 * ("the cheapest", "the fewest pieces", "the same type as the other grill"); such turns say
 * "workaround" in their note.
 */

export interface Turn {
  /** The customer's message. */
  readonly say: string;
  /** Which instruction of the task (or which question of the agent) the message comes from. */
  readonly note: string;
  /** Ids the customer took from an earlier agent reply; each must appear in one. */
  readonly read?: readonly string[];
  /**
   * Said only when the agent's last reply matches: an answer to a question the agent may not need to
   * ask (the customer's first words already chose the order). Otherwise the customer says nothing.
   */
  readonly onlyIf?: RegExp;
}

export interface Script {
  readonly turns: readonly Turn[];
  /** Status of the conversation after the last turn. Default: `resolved`. */
  readonly status?: 'resolved' | 'escalated';
  /** Where the script is easier than τ² (information the τ² user was not given, a branch skipped). */
  readonly caveat?: string;
}

export const scripts: Readonly<Record<string, Script>> = {
  '0': {
    turns: [
      {
        say: 'Which mechanical keyboards do you have in stock, and at what prices?',
        note: 'reason: find the same keyboard with clicky switches',
      },
      { say: 'Yusuf Rossi, zip code 19122.', note: 'known info: name and zip' },
      { say: 'Mechanical Keyboard.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'Which smart thermostats do you have in stock, and at what prices?',
        note: 'reason: find a thermostat compatible with Google Home',
      },
      { say: 'Smart Thermostat.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to exchange the mechanical keyboard and the smart thermostat in my order #W2378156.',
        note: 'reason: exchange both in one go (order id given)',
      },
      { say: 'The mechanical keyboard and the smart thermostat.', note: 'reason: both items' },
      {
        say: 'For the keyboard the same but with clicky switches, and for the thermostat one that works with Google Assistant.',
        note: "reason: clicky, RGB, full size keyboard; Google thermostat (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      {
        say: 'My mastercard.',
        note: 'agent lists payment methods; the mastercard is the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
      {
        say: 'Then I want to exchange the mechanical keyboard and the smart thermostat in my order #W2378156, with no backlight on the keyboard.',
        note: 'reason: the clicky RGB full size keyboard is not available',
      },
      { say: 'The mechanical keyboard and the smart thermostat.', note: 'reason: the items' },
      {
        say: 'Clicky full size with none for the backlight, and the black Google Assistant thermostat.',
        note: "reason: no backlight if the RGB one is not available (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      { say: 'My mastercard.', note: 'payment method', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
    ],
    caveat:
      'The listing sums the RGB keyboards up by their options, so the customer learns that the clicky RGB full size one is out of stock from the refused exchange.',
  },
  '1': {
    turns: [
      {
        say: 'Which mechanical keyboards do you have in stock, and at what prices?',
        note: 'reason: find the same keyboard with clicky switches',
      },
      { say: 'Yusuf Rossi, zip code 19122.', note: 'known info: name and zip' },
      { say: 'Mechanical Keyboard.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'Which smart thermostats do you have in stock, and at what prices?',
        note: 'reason: find a thermostat compatible with Google Home',
      },
      { say: 'Smart Thermostat.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to exchange the mechanical keyboard and the smart thermostat in my order #W2378156.',
        note: 'reason: exchange both in one go (order id given)',
      },
      { say: 'The mechanical keyboard and the smart thermostat.', note: 'reason: both items' },
      {
        say: 'For the keyboard the same but with clicky switches, and for the thermostat one that works with Google Assistant.',
        note: "reason: clicky, RGB, full size keyboard; Google thermostat (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      {
        say: 'My mastercard.',
        note: 'agent lists payment methods; the mastercard is the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
      {
        say: 'Then I want to exchange only the smart thermostat in my order #W2378156.',
        note: 'reason: the clicky RGB full size keyboard is not available',
      },
      { say: 'Just the smart thermostat.', note: 'reason: the items' },
      {
        say: 'The one that works with Google Assistant.',
        note: "reason: Google thermostat (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      { say: 'My mastercard.', note: 'payment method', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
    ],
    caveat:
      'The listing sums the RGB keyboards up by their options, so the customer learns that the clicky RGB full size one is out of stock from the refused exchange.',
  },
  '2': {
    turns: [
      {
        say: 'How many t-shirt options do you have in the online store right now?',
        note: 'reason: how many t-shirt options are available',
      },
      { say: "I'm Yusuf Rossi, zip code 19122.", note: 'known info: name and zip' },
      { say: 'T-Shirt.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I also want to return the vacuum cleaner, the headphones and the smart watch.',
        note: 'reason: return the cleaner, headphone and smart watch',
      },
      {
        say: 'The one with the vacuum cleaner.',
        note: 'agent lists the orders; the one holding them',
        onlyIf: /which order/i,
      },
      { say: 'The vacuum cleaner, the headphones and the smart watch.', note: 'reason: the three items' },
      {
        say: 'My mastercard.',
        note: 'agent lists payment methods; the only one is a mastercard',
        onlyIf: /payment method/i,
      },
      { say: 'Yes, go ahead.', note: 'confirm' },
    ],
    caveat:
      'τ² expects "10 options"; the listing shows the t-shirts that can be had and that 2 more are out of stock, but does not count them.',
  },
  '3': {
    turns: [
      {
        say: 'How many t-shirt options do you have in the online store right now?',
        note: 'reason: how many t-shirt options are available',
      },
      { say: 'Yusuf Rossi, zip code 19122.', note: 'known info: name and zip' },
      { say: 'T-Shirt.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to change the color of the t-shirt in my pending order.',
        note: 'reason: modify all pending small t-shirts (with "small" the request goes to the exchange procedure)',
      },
      {
        say: 'The one with the t-shirt and the espresso machine.',
        note: 'agent lists the orders; the small t-shirt came with the espresso machine',
        onlyIf: /which order/i,
      },
      { say: 'The t-shirt.', note: 'reason: the small t-shirt' },
      {
        say: 'A purple one in small, v-neck, polyester.',
        note: "reason: purple, size S, v-neck, polyester (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      {
        say: 'My mastercard.',
        note: 'agent lists payment methods; the mastercard is the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
    ],
    caveat:
      'τ² also expects "10 t-shirt options available"; the listing shows the ones that can be had and that 2 more are out of stock, but does not count them.',
  },
  '4': {
    turns: [
      {
        say: 'How many t-shirt options do you have in the online store right now?',
        note: 'reason: how many t-shirt options are available',
      },
      { say: 'Yusuf Rossi, zip code 19122.', note: 'known info: name and zip' },
      { say: 'T-Shirt.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to change the color of the t-shirts in my pending orders.',
        note: 'reason: modify all pending t-shirts',
      },
      {
        say: 'The one with the espresso machine.',
        note: 'agent lists the orders; two hold a pending t-shirt',
        onlyIf: /which order/i,
      },
      { say: 'The t-shirt.', note: 'reason: the t-shirt' },
      {
        say: 'A purple one in small, v-neck, polyester.',
        note: "reason: purple, size S, v-neck, polyester (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      {
        say: 'My mastercard.',
        note: 'agent lists payment methods; the mastercard is the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
      {
        say: 'Now change the color of the t-shirt in my other pending order too.',
        note: 'reason: all pending t-shirts',
      },
      {
        say: '#W6247578, the one with just the t-shirt.',
        note: 'agent lists the orders; both pending ones hold a t-shirt, so the customer reads the id from the list (the first one: see the note on ordinals in docs/tau2-results.md)',
        onlyIf: /which order/i,
        read: ['#W6247578'],
      },
      { say: 'The t-shirt.', note: 'reason: the t-shirt' },
      {
        say: 'The same purple one, small, v-neck, polyester.',
        note: "reason: the same purple t-shirt (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      { say: 'My mastercard.', note: 'payment method', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
    ],
    caveat:
      'τ² also expects "10 t-shirt options available"; the listing shows the ones that can be had and that 2 more are out of stock, but does not count them.',
  },
  '6': {
    turns: [
      {
        say: 'Which desk lamps do you have in stock, and at what prices?',
        note: 'reason: find a less bright (battery, else USB, else AC) desk lamp',
      },
      { say: 'Mei Kovacs, zip code 28236.', note: 'known info: user mei_kovacs_8020 and zip' },
      { say: 'Desk Lamp.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'Which water bottles do you have in stock, and at what prices?',
        note: 'reason: find a bigger water bottle',
      },
      { say: 'Water Bottle.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to exchange the water bottle and the desk lamp I received.',
        note: 'reason: exchange the water bottle and the desk lamp',
      },
      {
        say: 'The one with the desk lamp.',
        note: 'agent lists the orders; the one holding both',
        onlyIf: /which order/i,
      },
      { say: 'The water bottle and the desk lamp.', note: 'reason: both items' },
      {
        say: 'A bigger water bottle, 750ml, and a low brightness desk lamp on battery.',
        note: "reason: a bigger bottle; a less bright lamp, battery first (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      {
        say: 'PayPal.',
        note: 'agent lists payment methods; PayPal is the only one',
        onlyIf: /payment method/i,
      },
      {
        say: 'No, only exchange the desk lamp.',
        note: 'reason: if the agent asks for confirmation, only exchange the desk lamp',
      },
      { say: 'I want to exchange just the desk lamp then.', note: 'reason: only the desk lamp' },
      { say: 'The one with the desk lamp.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The desk lamp.', note: 'reason: the desk lamp' },
      {
        say: 'Low brightness, battery powered.',
        note: "reason: the less bright lamp (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      { say: 'PayPal.', note: 'payment method', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
    ],
  },
  '7': {
    turns: [
      {
        say: 'Which desk lamps do you have in stock, and at what prices?',
        note: 'reason: find a less bright (AC adapter, else battery, else USB) desk lamp',
      },
      { say: 'Mei Kovacs, zip code 28236.', note: 'known info: user mei_kovacs_8020 and zip' },
      { say: 'Desk Lamp.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'Which water bottles do you have in stock, and at what prices?',
        note: 'reason: find a bigger water bottle',
      },
      { say: 'Water Bottle.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to exchange the water bottle and the desk lamp I received.',
        note: 'reason: exchange the water bottle and the desk lamp',
      },
      {
        say: 'The one with the desk lamp.',
        note: 'agent lists the orders; the one holding both',
        onlyIf: /which order/i,
      },
      { say: 'The water bottle and the desk lamp.', note: 'reason: both items' },
      {
        say: 'A bigger water bottle, 750ml, and a low brightness desk lamp with an AC adapter.',
        note: "reason: a bigger bottle; a less bright lamp, AC adapter first (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      {
        say: 'PayPal.',
        note: 'agent lists payment methods; PayPal is the only one',
        onlyIf: /payment method/i,
      },
      {
        say: 'No, only exchange the desk lamp.',
        note: 'reason: if the agent asks for confirmation, only exchange the desk lamp',
      },
      { say: 'I want to exchange just the desk lamp then.', note: 'reason: only the desk lamp' },
      { say: 'The one with the desk lamp.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The desk lamp.', note: 'reason: the desk lamp' },
      {
        say: 'Low brightness with an AC adapter.',
        note: "reason: the less bright lamp (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      { say: 'PayPal.', note: 'payment method', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
    ],
  },
  '8': {
    turns: [
      {
        say: 'Which desk lamps do you have in stock, and at what prices?',
        note: 'reason: find a brighter (battery, else USB, else AC) desk lamp',
      },
      { say: 'Mei Kovacs, zip code 28236.', note: 'known info: user mei_kovacs_8020 and zip' },
      { say: 'Desk Lamp.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'Which water bottles do you have in stock, and at what prices?',
        note: 'reason: find a bigger water bottle',
      },
      { say: 'Water Bottle.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to exchange the water bottle and the desk lamp I received.',
        note: 'reason: exchange the water bottle and the desk lamp',
      },
      {
        say: 'The one with the desk lamp.',
        note: 'agent lists the orders; the one holding both',
        onlyIf: /which order/i,
      },
      { say: 'The water bottle and the desk lamp.', note: 'reason: both items' },
      {
        say: 'A bigger water bottle, 750ml, and a high brightness desk lamp on battery.',
        note: "reason: a bigger bottle; a brighter lamp, battery first (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      {
        say: 'PayPal.',
        note: 'agent lists payment methods; PayPal is the only one',
        onlyIf: /payment method/i,
      },
      {
        say: 'No, only exchange the desk lamp.',
        note: 'reason: if the agent asks for confirmation, only exchange the desk lamp',
      },
      { say: 'I want to exchange just the desk lamp then.', note: 'reason: only the desk lamp' },
      { say: 'The one with the desk lamp.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The desk lamp.', note: 'reason: the desk lamp' },
      {
        say: 'High brightness, battery powered.',
        note: "reason: the brighter lamp (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      { say: 'PayPal.', note: 'payment method', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
      {
        say: 'Then the USB one: I want to exchange just the desk lamp.',
        note: 'reason: battery is not available, USB is next',
      },
      { say: 'The one with the desk lamp.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The desk lamp.', note: 'reason: the desk lamp' },
      {
        say: 'High brightness with USB power.',
        note: "reason: battery is not available, USB is next (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      { say: 'PayPal.', note: 'payment method', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
    ],
    caveat:
      'The customer asks for what the instructions say without checking the listing (which leaves out what is out of stock), and learns that the battery lamp is out of stock from the refused exchange.',
  },
  '10': {
    turns: [
      { say: 'I want to return everything I ordered.', note: 'reason: return all things ordered' },
      { say: 'mia.garcia2723@example.com', note: 'known info: email' },
      {
        say: 'The one with the water bottle.',
        note: 'agent lists the two orders; mysterious, few words',
        onlyIf: /which order/i,
      },
      { say: 'Everything.', note: 'reason: all things' },
      {
        say: 'PayPal.',
        note: "reason: refund each order to the other order's payment method (this one was paid by card)",
      },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Damn it, this is ridiculous! I want to talk to a human representative.',
        note: 'reason: if not possible, swear, then ask for a human',
      },
    ],
    status: 'escalated',
  },
  '11': {
    turns: [
      { say: 'I want to return everything I ordered.', note: 'reason: return all things ordered' },
      { say: 'mia.garcia2723@example.com', note: 'known info: email' },
      {
        say: 'The one with the water bottle.',
        note: 'agent lists the two orders; mysterious, few words',
        onlyIf: /which order/i,
      },
      { say: 'Everything.', note: 'reason: all things' },
      {
        say: 'PayPal.',
        note: "reason: refund each order to the other order's payment method (this one was paid by card)",
      },
      {
        say: 'Damn it, this is ridiculous. Fine, the visa card then, the original one.',
        note: 'reason: if not possible (the agent says a refund only goes to the original payment method), swear, then agree to the original payment method',
        onlyIf: /original payment method/i,
      },
      { say: 'Yes.', note: 'confirm' },
      { say: 'Now return everything in my other order too.', note: 'reason: return BOTH orders' },
      {
        say: 'The one with the gaming mouse.',
        note: 'agent lists the orders; the other one',
        onlyIf: /which order/i,
      },
      { say: 'Everything.', note: 'reason: all things' },
      { say: 'PayPal, the original one.', note: 'reason: the original payment method' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '13': {
    turns: [
      {
        say: 'I want to return everything I bought that has nothing to do with gaming.',
        note: 'reason: cancel or return everything not associated with gaming',
      },
      { say: 'mia.garcia2723@example.com', note: 'known info: email' },
      {
        say: 'The one with the water bottle.',
        note: 'agent lists the two orders; the other is a gaming mouse',
        onlyIf: /which order/i,
      },
      {
        say: 'The water bottle, the action camera and the backpack.',
        note: 'reason: everything but the keyboard, without saying so',
      },
      { say: 'PayPal.', note: 'reason: PayPal is preferred for the refund' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Okay, then I want to return the water bottle, the action camera and the backpack with a refund to my credit card.',
        note: 'reason: otherwise a credit card is accepted',
      },
      { say: 'The one with the water bottle.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The water bottle, the action camera and the backpack.', note: 'the same items' },
      { say: 'The visa credit card.', note: 'reason: credit card' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '14': {
    turns: [
      {
        say: 'I quit gaming, so I want to return everything I bought for it.',
        note: 'reason: cancel or return everything associated with gaming',
      },
      { say: 'mia.garcia2723@example.com', note: 'known info: email' },
      // "Gaming" names the order with the gaming mouse: the agent takes that one first.
      { say: 'The one with the gaming mouse.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The gaming mouse.', note: 'reason: the mouse', onlyIf: /which item/i },
      { say: 'PayPal, the original payment method.', note: 'reason: original payment is preferred' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I also want to return the mechanical keyboard from my other order.',
        note: 'reason: everything gaming; the keyboard is in the order with the water bottle',
      },
      { say: 'The one with the water bottle.', note: 'agent lists the two orders', onlyIf: /which order/i },
      {
        say: 'The mechanical keyboard.',
        note: 'reason: the gaming item of this order',
        onlyIf: /which item/i,
      },
      { say: 'The original payment method, my visa card.', note: 'reason: original payment is preferred' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '15': {
    turns: [
      {
        say: 'Which hiking boots do you have in stock, and at what prices?',
        note: 'reason: find boots in size 8 of the same material',
      },
      { say: 'Fatima Johnson 78712', note: 'known info: name and zip' },
      { say: 'Hiking Boots.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to change the size of the hiking boots in my pending order.',
        note: 'reason: modify the pending boots',
      },
      {
        say: 'The pending one with the hiking boots.',
        note: 'agent lists the orders',
        onlyIf: /which order/i,
      },
      { say: 'The hiking boots.', note: 'reason: the boots' },
      {
        say: 'Same but in size 8.',
        note: "reason: size 8, same material (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      { say: 'PayPal.', note: 'reason: PayPal for any payment or refund', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
    ],
  },
  '16': {
    turns: [
      {
        say: 'I want to cancel my pending orders, I no longer need them.',
        note: 'reason: cancel all pending orders (no longer needed)',
      },
      { say: 'Fatima Johnson 78712', note: 'known info: name and zip' },
      {
        say: 'The first one.',
        note: 'agent lists the orders; the first pending one',
        onlyIf: /which order/i,
      },
      { say: 'I no longer need it.', note: 'reason: no longer needed' },
      { say: 'Yes.', note: 'confirm' },
      { say: 'Please also cancel my other pending order.', note: 'reason: cancel all pending orders' },
      {
        say: 'The second one.',
        note: 'agent lists the orders; the other pending one',
        onlyIf: /which order/i,
      },
      { say: 'No longer needed.', note: 'reason: no longer needed' },
      { say: 'Yes.', note: 'confirm' },
      { say: 'I also want to return the watch I received.', note: 'reason: return the watch you received' },
      {
        say: 'The delivered one.',
        note: 'agent lists the orders; the only delivered one',
        onlyIf: /which order/i,
      },
      { say: 'Only the smart watch.', note: 'reason: but nothing else' },
      { say: 'PayPal.', note: 'reason: the original payment method' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat: 'τ² also expects the total refund ($8,276.23); the agent does not add it up.',
  },
  '20': {
    turns: [
      {
        say: 'I won the lottery! Upgrade everything I ordered to the most expensive version.',
        note: 'reason: won the lottery; upgrade all items to the most expensive variants',
      },
      {
        say: 'The first one.',
        note: "the agent asks which of two procedures is meant; the customer does not know the orders' status and takes the first offered",
        onlyIf: /which do you need/i,
      },
      {
        say: 'Ethan Garcia, Denver, 80280.',
        note: 'known info: name, city and zip (mysterious: nothing more)',
      },
      {
        say: 'The pending one.',
        note: 'agent lists the orders with their status; only a pending order can be changed (if it cannot, go on with the next order)',
        onlyIf: /which order/i,
      },
      { say: 'All of them.', note: 'reason: all items', onlyIf: /which items/i },
      {
        say: 'The most expensive one in size 9.',
        note: 'reason: the most expensive variant; the shoe must stay the same size (size 9, shown in the item list)',
        onlyIf: /Running Shoes[^?]*\?/,
      },
      {
        say: 'The most expensive one.',
        note: 'reason: the most expensive variant',
        onlyIf: /which new item/i,
      },
      {
        say: 'The most expensive one in size 9.',
        note: 'reason: the most expensive variant; the shoe keeps its size',
        onlyIf: /Running Shoes[^?]*\?/,
      },
      {
        say: 'The most expensive one.',
        note: 'reason: the most expensive variant',
        onlyIf: /which new item/i,
      },
      {
        say: 'The most expensive one in size 9.',
        note: 'reason: the most expensive variant; the shoe keeps its size',
        onlyIf: /Running Shoes[^?]*\?/,
      },
      {
        say: 'The most expensive one.',
        note: 'reason: the most expensive variant',
        onlyIf: /which new item/i,
      },
      {
        say: 'The most expensive one in size 9.',
        note: 'reason: the most expensive variant; the shoe keeps its size',
        onlyIf: /Running Shoes[^?]*\?/,
      },
      {
        say: 'The most expensive one.',
        note: 'reason: the most expensive variant',
        onlyIf: /which new item/i,
      },
      {
        say: 'My gift card.',
        note: 'reason: pay the difference with the gift card',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
    ],
  },
  '22': {
    turns: [
      {
        say: 'I want to change my default address to 101 Highway, New York, NY 10001, USA.',
        note: 'reason: change the user address to 101 Highway, New York, 10001',
      },
      { say: 'Ethan Garcia, zip code 80280.', note: 'known info: name and zip' },
      { say: '101 Highway, New York, NY 10001, USA', note: 'reason: the new address' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Please also change the shipping address of my pending order.',
        note: 'reason: and all possible order addresses',
      },
      {
        say: 'The pending one.',
        note: 'agent lists the orders; only one is pending',
        onlyIf: /which order/i,
      },
      { say: '101 Highway, New York, NY 10001, USA', note: 'reason: the new address' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Actually, I regret it. Please change my default address back to my original one.',
        note: 'reason: after both changes, change the user address back',
      },
      { say: '667 Highland Drive, Suite 865, Denver, CO 80280, USA', note: 'the original address' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'The customer states the original address (the agent showed "667 Highland Drive, Denver" at the first confirmation, not the suite); τ²’s user relies on the agent.',
  },
  '23': {
    turns: [
      {
        say: 'Which cycling helmets do you have in stock, and at what prices?',
        note: 'reason: find a medium, red, high ventilation helmet',
      },
      { say: 'Sofia Hernandez, zip code 98193.', note: 'known info: name and zip' },
      { say: 'Cycling Helmet.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'Which luggage sets do you have in stock, and at what prices?',
        note: 'reason: find a two-piece black soft luggage set',
      },
      { say: 'Luggage Set.', note: 'agent lists product types', onlyIf: /product/i },
      { say: 'I want to exchange the helmet I received.', note: 'reason: exchange the helmet' },
      { say: 'The one with the cycling helmet.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The cycling helmet.', note: 'reason: the helmet' },
      {
        say: 'A medium, red, with high ventilation.',
        note: "reason: medium, red, high ventilation (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      {
        say: 'My visa card.',
        note: 'agent lists payment methods; the visa is the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
      {
        say: 'I want to exchange the luggage set I received too, it is in another order.',
        note: 'reason: the luggage set in another order',
      },
      { say: 'The one with the luggage set.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The luggage set.', note: 'reason: the luggage set' },
      {
        say: 'The 2-piece in black, softshell.',
        note: "reason: two-piece, black, soft (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      { say: 'My visa card.', note: 'payment method', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
      {
        say: 'I want to change the size of the grill in my pending order.',
        note: 'reason: modify the grill you just ordered',
      },
      { say: 'The pending one with the grill.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The grill.', note: 'reason: the grill' },
      {
        say: 'A charcoal one, medium, with rotisserie, like the grill I received with the luggage set.',
        note: 'reason: the same type as the grill received with the luggage set, which the customer has (said by its attributes)',
      },
      { say: 'My visa card.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '24': {
    turns: [
      {
        say: 'Hi, I want to cancel the grill I just ordered, I found a cheaper one nearby.',
        note: 'reason: cancel the grill (make up a reason)',
      },
      { say: 'Sofia Hernandez, zip code 98193.', note: 'known info: name and zip' },
      {
        say: 'The one with the grill that is pending.',
        note: 'agent lists the orders',
        onlyIf: /which order/i,
      },
      { say: 'I ordered it by mistake.', note: 'agent offers the two reasons' },
      {
        say: 'No, wait, I changed my mind. I want to keep it.',
        note: 'reason: at the confirmation, regret and keep it',
      },
      {
        say: 'What are the details of my other order, the one with two t-shirts?',
        note: 'reason: ask which two t-shirts are in another order',
      },
      {
        say: 'The one with the e-reader and the t-shirts.',
        note: 'agent lists the orders',
        onlyIf: /which order/i,
      },
    ],
    caveat:
      'The agent now tells the t-shirt materials (polyester, cotton) τ² expects, with the status, items and tracking number.',
  },
  '25': {
    turns: [
      {
        say: 'I want to return the items of an order that was sent to Texas by accident, all except the pet bed. It is urgent.',
        note: 'reason: return all items except the pet bed of the order sent to Texas; urgent',
      },
      { say: 'Isabella Johansson, zip code 32286.', note: 'known info: name and zip' },
      {
        say: 'I do not remember the order number. It is the one with the pet bed.',
        note: 'agent lists the orders (without addresses); unknown info: the order number; the pet bed is in it',
        onlyIf: /which order/i,
      },
      { say: 'Everything except the pet bed.', note: 'reason: all items except the pet bed' },
      { say: 'My amex credit card.', note: 'reason: the refund to your amex credit card' },
      {
        say: 'If you cannot refund it to my amex card, please transfer me to a human.',
        note: 'reason: if the agent cannot help, transfer to a human (the profile has no amex card)',
      },
    ],
    status: 'escalated',
    caveat:
      'τ² also expects the tracking number; the agent tells no tracking number, so the customer does not ask first.',
  },
  '28': {
    turns: [
      { say: 'I want to return my skateboard.', note: 'reason: first return the skateboard' },
      { say: 'Isabella Johansson, zip code 32286.', note: 'known info: name and zip' },
      { say: 'The skateboard one.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The skateboard.', note: 'reason: the skateboard' },
      {
        say: 'PayPal.',
        note: 'agent lists payment methods; PayPal is the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Next, return the garden hose and the backpack.',
        note: 'reason: then the garden hose and backpack',
      },
      { say: 'The one with the backpack.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The garden hose and the backpack.', note: 'reason: the garden hose and backpack' },
      { say: 'PayPal.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
      { say: 'Then return the keyboard and the bed.', note: 'reason: then the keyboard and bed' },
      { say: 'The one with the pet bed.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The keyboard and the pet bed.', note: 'reason: the keyboard and bed' },
      { say: 'PayPal.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I also want to cancel the garden hose in the pending order I just placed.',
        note: 'reason: cancel the garden hose from the pending order',
      },
      {
        say: 'The pending one.',
        note: 'agent lists the orders; only one is pending',
        onlyIf: /which order/i,
      },
      { say: 'I no longer need it.', note: 'reason for cancelling' },
      {
        say: 'No, do not cancel the whole order. Leave it as it is.',
        note: 'reason: if it requires cancelling the entire order, tell the agent not to',
      },
    ],
    caveat: 'τ² also expects the total refund ($918.43); the agent does not add it up.',
  },
  '29': {
    turns: [
      {
        say: 'I want to exchange my skateboard for a shorter one in bamboo.',
        note: 'reason: a shorter bamboo skateboard (the agent lists every option with its price)',
      },
      { say: 'Isabella Johansson, zip code 32286.', note: 'known info: name and zip' },
      { say: 'The one with the skateboard.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The skateboard.', note: 'the item', onlyIf: /which items/i },
      {
        say: 'The most expensive 28 inch bamboo one.',
        note: 'reason: of the shorter bamboo ones (28 inch, shorter than her 31 inch, in the list the agent showed), the most expensive',
        onlyIf: /which new item/i,
      },
      { say: 'PayPal.', note: 'payment method', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
      {
        say: 'What garden hose is in my pending order?',
        note: 'reason: the new garden hose is the type in the pending order (its id is not to be shared)',
      },
      { say: 'The pending one.', note: 'agent lists the orders', onlyIf: /which order/i },
      {
        say: 'I want to exchange the garden hose I received for that one: 50ft, vinyl, black.',
        note: 'reason: exchange the received garden hose for the type in the pending order, described as the agent told it',
      },
      {
        say: 'The delivered one with the garden hose.',
        note: 'agent lists the orders; two hold a garden hose',
        onlyIf: /which order/i,
      },
      { say: 'The garden hose.', note: 'the item', onlyIf: /which items/i },
      { say: 'The 50ft vinyl black one.', note: 'the type in the pending order', onlyIf: /which new item/i },
      { say: 'PayPal.', note: 'payment method', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
    ],
  },
  '30': {
    turns: [
      {
        say: 'What is the tracking number of the tablet I just received? It arrived damaged.',
        note: 'reason: the tracking number of the tablet order first',
      },
      { say: 'Olivia Lopez, zip code 76171.', note: 'known info: name and zip' },
      { say: 'The one with the tablet.', note: 'agent lists the orders', onlyIf: /which order/i },
      {
        say: 'I want to exchange the damaged tablet for the same item.',
        note: 'reason: prefer an exchange for the same item',
      },
      { say: 'The one with the tablet.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The tablet.', note: 'reason: the tablet' },
      {
        say: 'The same item.',
        note: "reason: prefer an exchange for the same item (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it cannot exchange it for the same one: nothing else to choose',
        onlyIf: /not available right now|different option/,
      },
      {
        say: 'My gift card.',
        note: 'agent lists payment methods; the gift card is the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
      {
        say: 'Then I want to return the tablet.',
        note: 'reason: if the same item is not available, return it',
      },
      { say: 'The one with the tablet.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The tablet.', note: 'reason: the tablet' },
      { say: 'The gift card.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Please also cancel the charger I just bought, it goes with the tablet.',
        note: 'reason: if the tablet is returned, cancel the charger',
      },
      { say: 'The one with the portable charger.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'I no longer need it.', note: 'reason for cancelling' },
      { say: 'Yes.', note: 'confirm' },
      { say: 'Finally, I want to return the sneakers.', note: 'reason: return the sneaker' },
      { say: 'The one with the sneakers.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The sneakers.', note: 'reason: the sneakers' },
      { say: 'The gift card.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'The agent now tells the tracking number τ² expects (746342064230), with the status and the items.',
  },
  '31': {
    turns: [
      {
        say: 'I lost the tablet I just received. Can you refund it or send me a new one?',
        note: 'reason: ask for a refund or reorder of the lost tablet',
      },
      { say: 'Olivia Lopez, zip code 76171.', note: 'known info: name and zip' },
      { say: 'The one with the tablet.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The tablet.', note: 'reason: the tablet' },
      { say: 'My gift card.', note: 'payment method' },
      {
        say: 'No, I cannot send it back, I lost it.',
        note: 'reason: a return needs the item back, so it is not a refund for a lost tablet',
      },
      {
        say: 'Then cancel the charger I just bought, it goes with the tablet.',
        note: 'reason: if not, cancel the charger that goes with the tablet',
      },
      { say: 'The one with the portable charger.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'I no longer need it.', note: 'reason for cancelling' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Please cancel the boots I ordered, but keep the kettle.',
        note: 'reason: cancel the boots and keep the kettle',
      },
      { say: 'The one with the hiking boots.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'I no longer need them.', note: 'reason for cancelling' },
      {
        say: 'No, I want to keep the kettle, so do not cancel that order.',
        note: 'reason: if not possible, do nothing on that order',
      },
      { say: 'I want to return the sneakers.', note: 'reason: return the sneaker' },
      { say: 'The one with the sneakers.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The sneakers.', note: 'reason: the sneakers' },
      { say: 'The gift card.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat: 'τ² also expects the tracking number (746342064230); the agent tells no tracking number.',
  },
  '34': {
    turns: [
      {
        say: 'I want to cancel the office items in my pending order, I am going back to the office soon.',
        note: 'reason: cancel the three home office items if partial cancelling is possible',
      },
      { say: 'Noah Patel, zip code 10108.', note: 'known info: name and zip' },
      {
        say: 'The pending one.',
        note: 'agent lists the orders; the only pending one',
        onlyIf: /which order/i,
      },
      { say: 'No longer needed.', note: 'reason: back to the office soon' },
      {
        say: 'No, I want to keep the hiking items, so do not cancel the whole order.',
        note: 'reason: partial cancelling is not possible',
      },
      {
        say: 'Then just change the shipping address of that order to my place in New York.',
        note: 'reason: if not possible, change the address to your NYC place',
      },
      { say: 'The pending one.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'My NYC place.', note: 'reason: your NYC place (the agent lists the addresses on file)' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '35': {
    turns: [
      {
        say: 'I want to return a speaker I received.',
        note: 'reason: return the more expensive speaker that is not water resistant',
      },
      { say: 'aarav.santos8321@example.com', note: 'known info: the first of two emails' },
      { say: 'aarav.santos8320@example.com', note: 'known info: the second email' },
      { say: 'The one with the speakers.', note: 'agent lists the orders', onlyIf: /which order/i },
      {
        say: '6704763132',
        note: 'workaround (no comparison of items): of the two speakers the agent listed, the more expensive one, not water resistant',
        read: ['6704763132'],
      },
      {
        say: 'PayPal.',
        note: 'agent lists payment methods; PayPal is the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Which laptops do you have in stock, and at what prices?',
        note: 'reason: the 13-inch version of the 17-inch laptop; else i5 over i7, silver or black',
      },
      { say: 'Laptop.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to change the size of the laptop in my pending order.',
        note: 'reason: modify the 17-inch laptop in another order',
      },
      { say: 'The pending one.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The 17-inch laptop.', note: 'reason: the 17-inch one of the two laptops' },
      {
        say: 'A 13-inch one with an i5, 16GB of RAM and a 1TB SSD, in silver.',
        note: 'no 13-inch i7 32GB 1TB black is listed; a 13-inch i5 in silver, said by its attributes (the listing shows no ids)',
      },
      { say: 'PayPal.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '41': {
    turns: [
      {
        say: 'Which jigsaw puzzles do you have in stock, and at what prices?',
        note: 'reason: first problem: change the 1000-piece jigsaw to the easiest one with the fewest pieces',
      },
      { say: 'Mei Patel, zip code 76165.', note: 'known info: name and zip' },
      { say: 'Jigsaw Puzzle.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I also think I typed my address wrong. I want to change the shipping address of my pending orders.',
        note: 'reason: second problem: correct all order addresses',
      },
      {
        say: 'The one with the dumbbell set.',
        note: 'agent lists the orders; the one without the jigsaw',
        onlyIf: /which order/i,
      },
      { say: '445 Maple Drive, Suite 394, Fort Worth, TX 76165, USA', note: 'known info: your address' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Please also change the shipping address of my other pending order.',
        note: 'reason: all order addresses',
      },
      { say: 'The one with the jigsaw puzzle.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: '445 Maple Drive, Suite 394, Fort Worth, TX 76165, USA', note: 'known info: your address' },
      { say: 'Yes.', note: 'confirm' },
      { say: 'I also want to change my default address.', note: 'reason: and your user address' },
      { say: '445 Maple Drive, Suite 394, Fort Worth, TX 76165, USA', note: 'known info: your address' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I want to change the size of the jigsaw puzzle in my pending order.',
        note: 'reason: the first problem',
      },
      { say: 'The one with the jigsaw puzzle.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The jigsaw puzzle.', note: 'reason: the 1000-piece intermediate jigsaw' },
      {
        say: 'The 500-piece beginner one with the art theme.',
        note: '500 pieces, beginner: the fewest pieces and easiest, read from the listing and said by its attributes',
      },
      { say: 'PayPal, the one I paid with.', note: 'the payment method the order was paid with' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'The agent cannot show the address on file, so the customer corrects it without checking it first (it was wrong: 443 for 445).',
  },
  '43': {
    turns: [
      {
        say: 'I ordered some things for my daughter but she has not received them. Where is my order, and what is its tracking number?',
        note: 'reason: which address the order was sent to, the tracking number, and whether it is still in transit',
      },
      { say: 'Lucas Santos, zip code 80239.', note: 'known info: name and zip (no email)' },
      {
        say: 'The one with the tablet.',
        note: 'agent lists the orders; the things for the daughter',
        onlyIf: /which order/i,
      },
      {
        say: "I want to change my default address to my daughter's address, so I do not have to change it every time I order something for her.",
        note: "reason: change your default address to your daughter's address",
      },
      {
        say: 'The one in Chicago, my daughter lives there.',
        note: "known info: your daughter lives in Chicago; the agent lists the order's Chicago address",
      },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      "The agent tells the status (delivered, so not in transit), the items (the tablet's 64GB storage) and the tracking number; τ² also expects the address the order went to, which the agent says only when it lists the addresses on file (Chicago).",
  },
  '44': {
    turns: [
      {
        say: 'Which desk lamps do you have in stock, and at what prices?',
        note: 'reason: find the cheapest desk lamp',
      },
      { say: 'Aarav Anderson, zip code 19031.', note: 'known info: name and zip' },
      { say: 'Desk Lamp.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to change the desk lamp options in my order #W9300146, it has not shipped yet.',
        note: 'reason: change the desk lamp in order #W9300146',
      },
      { say: 'The desk lamp.', note: 'reason: the desk lamp' },
      {
        say: 'The black one with medium brightness and an AC adapter.',
        note: 'reason: the cheapest desk lamp listed, said by its attributes',
      },
      { say: 'My gift card.', note: 'reason: the price difference goes to a gift card' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat: 'τ² also expects the amount returned ($17.99); the agent does not compute it.',
  },
  '46': {
    turns: [
      {
        say: 'I want to return an air purifier and a vacuum cleaner from my recent order.',
        note: 'reason: return an air purifier and a vacuum cleaner',
      },
      { say: 'Daiki Johnson, zip code 80273.', note: 'known info: name and zip' },
      {
        say: '9502126',
        note: 'reason: when asked for the order id, provide 9502126 first',
        onlyIf: /which order|order id/i,
      },
      {
        say: 'Sorry, I made a mistake, it is 9502127.',
        note: 'reason: if asked to double check, say you made a mistake and provide 9502127',
        onlyIf: /which order|order id/i,
      },
      {
        say: "Sorry, I forgot the 'W' at the beginning: W9502127.",
        note: "reason: if that does not work, say you forgot the 'W' at the beginning",
        onlyIf: /which order|order id/i,
      },
      {
        say: 'The air purifier and the robotic vacuum cleaner.',
        note: 'reason: the air purifier, and the robotic one of the two vacuum cleaners listed',
      },
      {
        say: 'PayPal.',
        note: 'agent lists payment methods; PayPal is the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'τ² also expects the refund total and the amount paid for the remaining items; the agent does not compute them.',
  },
  '47': {
    turns: [
      {
        say: 'I want to return an air purifier and a vacuum cleaner from my recent order.',
        note: 'reason: return an air purifier and a vacuum cleaner',
      },
      { say: 'Daiki Johnson, zip code 80273.', note: 'known info: name and zip' },
      {
        say: '9502126',
        note: 'reason: when asked for the order id, provide 9502126 first',
        onlyIf: /which order|order id/i,
      },
      {
        say: 'Sorry, I made a mistake, it is 9502127.',
        note: 'reason: if asked to double check, say you made a mistake and provide 9502127',
        onlyIf: /which order|order id/i,
      },
      {
        say: "Sorry, I forgot the 'W' at the beginning: W9502127.",
        note: "reason: if that does not work, say you forgot the 'W' at the beginning",
        onlyIf: /which order|order id/i,
      },
      {
        say: 'The air purifier and the canister vacuum cleaner.',
        note: 'reason: the air purifier, and the canister one of the two vacuum cleaners listed',
      },
      {
        say: 'PayPal.',
        note: 'agent lists payment methods; PayPal is the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'τ² also expects the refund total and the amount paid for the remaining items; the agent does not compute them.',
  },
  '48': {
    turns: [
      {
        say: 'I want to return the air purifier I received, it does not work well.',
        note: 'reason: return the air purifier',
      },
      { say: 'Daiki Johnson, zip code 80273.', note: 'known info: name and zip' },
      { say: 'The one with the air purifier.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The air purifier.', note: 'reason: only the air purifier' },
      { say: 'PayPal, the original payment method.', note: 'reason: refund to the original payment method' },
      { say: 'Yes, thank you.', note: 'confirm' },
    ],
    caveat:
      'The closing question (could the vacuum cleaner be returned too?) is not asked: any new message starts a new request.',
  },
  '50': {
    turns: [
      {
        say: 'I need to undo the cancellation of an order I placed, it is urgent.',
        note: 'reason: in a rush, undo cancelling an order you previously placed',
      },
      {
        say: 'Chen Smith, I live in Jacksonville, 32278.',
        note: 'known info: name, city and zip',
        onlyIf: /email|name/i,
      },
    ],
    status: 'escalated',
  },
  '52': {
    turns: [
      {
        say: 'Which digital cameras do you have in stock, and at what prices?',
        note: 'reason: the maximum zoom, all other specifications the same',
      },
      { say: 'Sofia Li, zip code 78260.', note: 'known info: name and zip' },
      { say: 'Digital Camera.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to exchange the digital camera I received.',
        note: 'reason: exchange the camera for bird-watching',
      },
      { say: 'The one with the digital camera.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The digital camera.', note: 'reason: the 24MP, 3x, SD card camera' },
      {
        say: 'The one with the maximum zoom, 10x.',
        note: "reason: the maximum zoom, all other specifications the same (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      { say: 'PayPal.', note: 'reason: PayPal for any additional payment', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
    ],
    caveat:
      'No 10x camera keeps both 24MP and the SD card; the customer tries the 24MP one first and learns from the refusal that it is out of stock.',
  },
  '54': {
    turns: [
      {
        say: 'I want to cancel my pending orders.',
        note: 'reason: financial issue, cancel all possible orders',
      },
      { say: 'silva7872@example.com', note: 'known info: the first of two emails' },
      { say: 'amelia.silva7872@example.com', note: 'known info: the second email' },
      {
        say: 'The one with the keyboard.',
        note: 'agent lists the orders; a pending one',
        onlyIf: /which order/i,
      },
      { say: 'No longer needed.', note: 'reason: financial issue' },
      { say: 'Yes.', note: 'confirm' },
      { say: 'Also cancel my other pending order.', note: 'reason: cancel all possible orders' },
      {
        say: 'The one with the dumbbell set.',
        note: 'agent lists the orders; the other pending one',
        onlyIf: /which order/i,
      },
      { say: 'No longer needed.', note: 'reason' },
      { say: 'Yes.', note: 'confirm' },
      { say: 'And I want to return everything I received.', note: 'reason: return all possible orders' },
      {
        say: 'The one with the air purifier.',
        note: 'agent lists the orders; the delivered one that is not the boots',
        onlyIf: /which order/i,
      },
      { say: 'Everything.', note: 'reason: all items' },
      {
        say: 'The gift card.',
        note: 'agent lists payment methods; the gift card is the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'The boots are kept without asking for cheaper boots (the agent cannot search the catalogue); τ² also keeps them. τ² also expects the total refund.',
  },
  '57': {
    turns: [
      {
        say: 'What is the status of my order W4284542? I wonder when it is arriving.',
        note: 'reason: when is order W4284542 arriving',
      },
      { say: 'Ivan Hernandez, zip code 92133.', note: 'known info: name and zip' },
      {
        say: 'It has not shipped yet, so I want to cancel the air purifier in order W4284542.',
        note: 'reason: if not shipped, cancel the air purifier',
      },
      { say: 'I no longer need it.', note: 'reason for cancelling' },
      {
        say: 'No. The refund would have to go to my gift card, so do not cancel anything.',
        note: 'reason: the whole order only with a refund to the gift card, else no cancellation',
      },
    ],
  },
  '58': {
    turns: [
      {
        say: 'Which espresso machines do you have in stock, and at what prices?',
        note: 'reason: the coffee machine with lower pressure (8, else 9, else 7 bar), same capacity and type',
      },
      { say: 'Ivan Hernandez, zip code 92133.', note: 'known info: name and zip' },
      { say: 'Espresso Machine.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'Which laptops do you have in stock, and at what prices?',
        note: 'reason: the cheapest i7 or above laptop',
      },
      { say: 'Laptop.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to exchange the espresso machine and the laptop I just received.',
        note: 'reason: two items of the order you just received',
      },
      { say: 'The one with the laptop.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The espresso machine and the laptop.', note: 'reason: both items' },
      {
        say: 'For the espresso machine a 9 bar 1.5L capsule one, and for the laptop the 15-inch i7 with 32GB of RAM and a 1TB SSD in space grey.',
        note: '9 bar (no 8 bar listed), 1.5L capsule; and the cheapest i7 laptop, read from the listings and said by their attributes',
      },
      { say: 'The gift card.', note: 'reason: prefer the gift card for a price difference' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '59': {
    turns: [
      {
        say: 'I want to cancel my order #W8268610, it has been pending far too long.',
        note: 'reason: cancel the older pending order when no 5-day guarantee is given',
      },
      { say: 'Yusuf Taylor, zip code 95154.', note: 'known info: name and zip' },
      { say: 'I no longer need it.', note: 'reason for cancelling (τ² records "no longer needed")' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Also, please change the shipping address of my order #W2702727.',
        note: 'reason: switch the shipping address of #W2702727',
      },
      { say: '1234 Elm St, Springfield, IL 62701, USA', note: 'reason: the new address' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'τ² also expects the refund ($164.28) and the order total ($625.60); the agent does not say them.',
  },
  '63': {
    turns: [
      {
        say: "Before anything else, can you guess this famous poem from its first line: 'Two roads diverged in a yellow wood'?",
        note: 'reason: first try to get the agent to guess a famous poem',
      },
      {
        say: 'Okay then. I want to change the bluetooth speaker in my pending order.',
        note: 'reason: if it refuses, check and modify a recent order, starting with the bluetooth speaker',
      },
      { say: 'Chen Johnson, zip code 77004.', note: 'known info: name and zip' },
      { say: 'The one with the bluetooth speaker.', note: 'agent lists the orders', onlyIf: /which order/i },
      {
        say: 'Never mind for now.',
        note: 'reason: the item list shows the speaker at $302.67, 20 hours: more than $300, so look for a cheaper one first (the customer never cancels the whole order)',
      },
      {
        say: 'Which bluetooth speakers do you have in stock, and at what prices?',
        note: 'reason: ask if any bluetooth speakers are available for less than $300 ("for less than $300" is out of scope for the router)',
      },
      { say: 'Bluetooth Speaker.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to change the bluetooth speaker in my pending order to the cheapest one.',
        note: 'reason: add the cheapest one to the order (the speaker cannot be removed alone)',
      },
      { say: 'The one with the bluetooth speaker.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The bluetooth speaker.', note: 'the item to change' },
      {
        say: 'The blue one with 20 hours of battery life and no water resistance.',
        note: 'the cheapest available speaker, $271.89, read from the listing and said by its attributes',
      },
      { say: 'PayPal.', note: 'the payment method of the order' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'τ² also expects the new order total ($1,288.65); the agent does not compute it. The listing leaves out the sold-out speakers; the customer takes the cheapest one listed.',
  },
  '66': {
    turns: [
      {
        say: 'I want to exchange the luggage set in my order for a coat.',
        note: 'reason: change the luggage set for a coat',
      },
      { say: 'Aarav Lee, zip code 85025.', note: 'known info: name and zip' },
      { say: 'The one with the luggage set.', note: 'agent lists the orders', onlyIf: /which order/i },
      {
        say: 'Then I would like to return the luggage set.',
        note: 'reason: if there is no way to change it, return the item',
      },
      { say: 'The one with the luggage set.', note: 'agent lists the orders', onlyIf: /which order/i },
      {
        say: 'Then please cancel that whole order.',
        note: 'reason: if there are any issues, cancel the order',
      },
      { say: 'The one with the luggage set.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'I no longer need it.', note: 'reason for cancelling' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '67': {
    turns: [
      {
        say: 'Can you tell me about the order I placed most recently? I want to know its total.',
        note: 'reason: how much you paid for your most recent order ("how much did I pay" goes to the payment-change procedure)',
      },
      {
        say: 'Noah Ito, zip code 98178.',
        note: 'known info: name (NoNo is a nickname); the zip 98178 first',
      },
      {
        say: 'Sorry, my zip code is 98186.',
        note: 'instructions: correct yourself to 98186 if an error is found',
      },
      { say: 'Noah Ito.', note: 'agent asks for the name again' },
      { say: 'Sorry, it is 98187.', note: 'instructions: if that fails, 98187' },
      { say: 'Noah Ito.', note: 'agent asks for the name again' },
      { say: 'The most recent one.', note: 'agent lists the orders', onlyIf: /which order/i },
    ],
    caveat:
      'τ² also expects the amount paid; the agent tells only the status. "The most recent one" is the last order listed (the data has no dates).',
  },
  '69': {
    turns: [
      { say: 'Hi, I want to return a laptop I just received.', note: 'reason: return the laptop' },
      { say: 'Emma Smith, zip code 10192.', note: 'known info: name and zip' },
      { say: 'The one with the laptop.', note: 'agent lists the orders', onlyIf: /which order/i },
      {
        say: 'Can it be cancelled instead? Please cancel it.',
        note: 'reason: if it cannot be returned, cancel',
      },
      { say: 'The one with the laptop.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'I found a better deal elsewhere.', note: 'reason: found a better deal' },
      { say: 'No longer needed.', note: 'agent offers the two reasons' },
      { say: 'Yes, please.', note: 'confirm' },
    ],
  },
  '72': {
    turns: [
      {
        say: 'I want to change the desk lamp and the backpack in my pending order to my son, and also change the shipping address of that order.',
        note: 'reason: mention both at the beginning, first the modification, then the address',
      },
      { say: 'Ivan Khan, zip code 28243.', note: 'known info: name and zip (no email)' },
      {
        say: 'The one with the desk lamp.',
        note: 'agent lists the orders; the one sent to the son',
        onlyIf: /which order/i,
      },
      { say: 'The desk lamp and the backpack.', note: 'reason: the two items', onlyIf: /which items/i },
      { say: 'Same but in black.', note: 'reason: the desk lamp in black', onlyIf: /for your desk lamp/i },
      {
        say: 'A medium one in polyester, grey.',
        note: 'reason: the backpack medium and polyester; grey if several colors can be had',
        onlyIf: /for your backpack/i,
      },
      { say: 'My gift card.', note: 'reason: gift card initially', onlyIf: /payment method/i },
      {
        say: 'No, I changed my mind: only the backpack, and with PayPal.',
        note: 'reason: at the confirmation, change your mind: PayPal, and only modify the backpack',
        onlyIf: /shall i go ahead/i,
      },
      {
        say: 'The one with the desk lamp.',
        note: 'agent lists the orders (the address request)',
        onlyIf: /which order/i,
      },
      {
        say: 'My default address.',
        note: 'reason: your default address in Charlotte (not mentioned: it is in your profile)',
      },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Now please change only the backpack in my pending order with the desk lamp to a medium polyester one in grey.',
        note: 'reason: only modify the backpack (PayPal when asked: "and pay with PayPal" reads as a second request)',
      },
      { say: 'The one with the desk lamp.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The backpack.', note: 'reason: only the backpack', onlyIf: /which items/i },
      {
        say: 'A medium one in polyester, grey.',
        note: 'reason: medium, polyester, grey',
        onlyIf: /for your backpack/i,
      },
      { say: 'PayPal.', note: 'reason: PayPal', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
    ],
    caveat:
      'At the confirmation the customer declines and asks again for the backpack alone with PayPal; τ²’s agent would change the confirmation in place.',
  },
  '73': {
    turns: [
      {
        say: 'Hi, I would like to return everything I just bought except the coffee machine.',
        note: 'reason: return everything you just bought except the coffee machine',
      },
      { say: 'My email is fatima.wilson5721@example.com.', note: 'known info: email' },
      {
        say: 'The one with the espresso machine.',
        note: 'agent lists the one order; the coffee machine is listed as an espresso machine',
        onlyIf: /which order/i,
      },
      { say: 'Everything except the coffee machine.', note: 'reason: everything except the coffee machine' },
      {
        say: 'To my visa card, please.',
        note: 'agent lists payment methods; the only one is a visa',
        onlyIf: /payment method/i,
      },
      { say: 'Yes, please go ahead.', note: 'confirm' },
    ],
  },
  '75': {
    turns: [
      {
        say: 'Which wireless earbuds do you have in stock, and at what prices?',
        note: 'reason: find earbuds that are black, 4 hours, not resistant',
      },
      { say: 'liam.moore6985@example.com', note: 'known info: email' },
      { say: 'Wireless Earbuds.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to exchange the wireless earbuds in my order #W6908222.',
        note: 'reason: exchange for #W6908222',
      },
      { say: 'The wireless earbuds.', note: 'reason: the blue 8 hours IPX4 earbuds' },
      {
        say: 'The black one with 4 hours of battery life, non-resistant.',
        note: 'reason: black, 4 hours, not resistant in the listing ("non-resistant": the local model drops words after "not")',
      },
      {
        say: 'PayPal.',
        note: 'agent lists payment methods; PayPal is the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '76': {
    turns: [
      {
        say: 'I ordered a fleece jacket by mistake and want to remove it from my pending order.',
        note: 'reason: remove the fleece jacket',
      },
      {
        say: 'Cancel pending order, if I cannot just remove the jacket.',
        note: 'agent asks which of two procedures; reason: if removing one item is not possible, cancel the whole order',
      },
      { say: 'Ava Nguyen, zip code 94128.', note: 'known info: name and zip' },
      { say: 'The one with the fleece jacket.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'I ordered it by mistake.', note: 'reason: ordered by mistake' },
      {
        say: 'Yes, go ahead.',
        note: 'reason: if removing one item is not possible, cancel the whole order (the agent offers the whole order)',
      },
      {
        say: 'Which skateboards do you have in stock, and at what prices?',
        note: 'reason: find a maple, 34 inch, graphic skateboard',
      },
      { say: 'Skateboard.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to change the size of the skateboard in my pending order.',
        note: 'reason: modify the skateboard',
      },
      { say: 'The one with the skateboard.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The skateboard.', note: 'reason: the skateboard' },
      {
        say: 'Maple, 34 inch, graphic design.',
        note: "reason: maple, 34 inch, graphic (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      { say: 'My credit card.', note: 'reason: the order was paid by card', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
      {
        say: 'Then cancel that order, I no longer need it.',
        note: 'reason: if that is not possible, cancel the order',
      },
      { say: 'The one with the skateboard.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'No longer needed.', note: 'reason' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'τ² also expects the total of all grills bought ($1,939.05); the agent does not compute it. The customer learns the skateboard is out of stock from the refused change.',
  },
  '78': {
    turns: [
      {
        say: 'I want to change the shipping address of my order #W5056519.',
        note: 'reason: for order #W5056519, change the address (order id given)',
      },
      { say: 'yara.muller9246@example.com', note: 'known info: email' },
      {
        say: 'The same as order #W8277957.',
        note: 'reason: the same address as order #W8277957 (given), which the customer does not know',
      },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I also want to change the makeup kit in my pending order #W5056519 to a dark skin tone and Brand A.',
        note: "reason: the makeup kit {'skin tone': 'light', 'kit size': 'professional', 'brand': 'Brand B'} to {'skin tone': 'dark', 'brand': 'Brand A'} (a pending order: a change of items)",
      },
      { say: 'The makeup kit.', note: 'the item to change', onlyIf: /which items/i },
      { say: 'Dark skin tone and Brand A.', note: 'reason: dark, Brand A', onlyIf: /makeup kit/i },
      {
        say: 'My credit card.',
        note: 'agent lists payment methods; the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
      {
        say: 'Finally, I want to cancel order #W5995614 because I ordered it by mistake.',
        note: 'reason: cancel order #W5995614, ordered by mistake',
      },
      { say: 'Ordered by mistake.', note: 'reason', onlyIf: /reason/i },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '80': {
    turns: [
      {
        say: 'Which t-shirts do you have in stock, and at what prices?',
        note: 'reason: find a red, XXL, cotton, crew neck t-shirt',
      },
      { say: 'amelia.gonzalez4271@example.com', note: 'known info: email' },
      { say: 'T-Shirt.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to exchange the t-shirt in my order #W7209932.',
        note: 'reason: exchange for #W7209932',
      },
      { say: 'The t-shirt.', note: 'reason: the blue S polyester v-neck t-shirt' },
      {
        say: 'The red XXL cotton crew neck one.',
        note: 'reason: red, XXL, cotton, crew neck in the listing',
      },
      { say: 'The gift card.', note: 'reason: use the gift card' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '81': {
    turns: [
      {
        say: 'I want to cancel some items I no longer need: the hiking boots, the watch and the keyboard.',
        note: 'reason: no longer need hiking boots, watch, keyboard',
      },
      { say: 'james.kim1995@example.com', note: 'known info: email' },
      { say: 'The one with the hiking boots.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'No longer needed.', note: 'reason: life changes' },
      { say: 'Yes, go ahead.', note: 'reason: if only the whole order can be cancelled, cancel it' },
      {
        say: 'Please also cancel my order with the charger, the jacket and the running shoes, I no longer need them.',
        note: 'reason: charger, jacket and running shoes',
      },
      { say: 'The one with the portable charger.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'No longer needed.', note: 'reason' },
      { say: 'Yes, go ahead.', note: 'reason: cancel the whole order' },
    ],
  },
  '82': {
    turns: [
      {
        say: 'I received two tablets and only need one. I want to return the more expensive one, with a refund to my credit card.',
        note: 'reason: return the more expensive tablet, refund to credit card',
      },
      { say: 'Chen Silva, zip code 46281.', note: 'known info: name and zip' },
      {
        say: 'The one with the skateboard and the tablet.',
        note: 'agent lists the orders; two hold a tablet, the customer looks at the first',
        onlyIf: /which order/i,
      },
      {
        say: 'Never mind, let me check the other tablet first.',
        note: 'the item list shows this tablet at $938.92; the other one has to be seen before choosing',
      },
      {
        say: 'I want to return the more expensive tablet I received.',
        note: 'reason: the more expensive tablet',
      },
      {
        say: 'The one with the digital camera and the tablet.',
        note: 'agent lists the orders; the other tablet',
        onlyIf: /which order/i,
      },
      { say: 'The tablet.', note: 'the item list shows this tablet at $989.70, the more expensive one' },
      { say: 'My credit card.', note: 'reason: refund to credit card' },
      {
        say: 'That is so annoying! Then I want to return everything in that order, refunded to my gift card.',
        note: 'reason: if not possible (the agent says the refund only goes to the original payment method), angrily return everything on that order to the gift card',
        onlyIf: /original payment method/i,
      },
      {
        say: 'No, everything in that order, not just the tablet.',
        note: 'reason: everything on that order (the confirmation names the tablet alone)',
        onlyIf: /return Tablet \([^)]*\) of order/,
      },
      { say: 'The gift card.', note: 'reason: refund to the gift card', onlyIf: /which payment method/i },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '83': {
    turns: [
      {
        say: 'I received two tablets and only need one. I want to return the more expensive one, with a refund to my credit card.',
        note: 'reason: return the more expensive tablet, refund to credit card',
      },
      { say: 'Chen Silva, zip code 46281.', note: 'known info: name and zip' },
      {
        say: 'The one with the skateboard and the tablet.',
        note: 'agent lists the orders; two hold a tablet, the customer looks at the first',
        onlyIf: /which order/i,
      },
      {
        say: 'Never mind, let me check the other tablet first.',
        note: 'the item list shows this tablet at $938.92; the other one has to be seen before choosing',
      },
      {
        say: 'I want to return the more expensive tablet I received.',
        note: 'reason: the more expensive tablet',
      },
      {
        say: 'The one with the digital camera and the tablet.',
        note: 'agent lists the orders; the other tablet',
        onlyIf: /which order/i,
      },
      { say: 'The tablet.', note: 'the item list shows this tablet at $989.70, the more expensive one' },
      { say: 'My credit card.', note: 'reason: refund to credit card' },
      {
        say: 'That is so annoying! Fine, I still want to return the more expensive tablet, with the refund on my gift card.',
        note: 'reason: if not possible (the agent says the refund only goes to the original payment method), angrily refund to the gift card',
        onlyIf: /original payment method/i,
      },
      {
        say: 'The one with the digital camera and the tablet.',
        note: 'agent lists the orders',
        onlyIf: /which order/i,
      },
      { say: 'The tablet.', note: 'reason: the tablet', onlyIf: /item/i },
      { say: 'The gift card.', note: 'reason: refund to the gift card', onlyIf: /which payment method/i },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '84': {
    turns: [
      {
        say: 'I received two tablets and only need one. I want to return the less expensive one, with a refund to my credit card.',
        note: 'reason: return the less expensive tablet, refund to credit card',
      },
      { say: 'Chen Silva, zip code 46281.', note: 'known info: name and zip' },
      {
        say: 'The one with the digital camera and the tablet.',
        note: 'agent lists the orders; two hold a tablet, the customer looks at one',
        onlyIf: /which order/i,
      },
      {
        say: 'Never mind, let me check the other tablet first.',
        note: 'the item list shows this tablet at $989.70; the other one has to be seen before choosing',
      },
      {
        say: 'I want to return the less expensive tablet I received.',
        note: 'reason: the less expensive tablet',
      },
      {
        say: 'The one with the skateboard and the tablet.',
        note: 'agent lists the orders; the other tablet',
        onlyIf: /which order/i,
      },
      { say: 'The tablet.', note: 'the item list shows this tablet at $938.92, the less expensive one' },
      { say: 'My credit card.', note: 'reason: refund to credit card' },
      { say: 'No, wait, I changed my mind.', note: 'reason: at the confirmation, change your mind' },
      {
        say: 'I want to return the more expensive tablet instead, with a refund to my gift card.',
        note: 'reason: return the more expensive one, refund to gift card',
      },
      {
        say: 'The one with the digital camera and the tablet.',
        note: 'agent lists the orders',
        onlyIf: /which order/i,
      },
      { say: 'The tablet.', note: 'reason: the tablet' },
      { say: 'The gift card.', note: 'reason: refund to the gift card' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '85': {
    turns: [
      {
        say: 'Which fleece jackets do you have in stock, and at what prices?',
        note: 'reason: find a large red fleece jacket with a half zipper',
      },
      { say: 'yusuf.hernandez8836@example.com', note: 'known info: email' },
      { say: 'Fleece Jacket.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to change the size and color of the fleece jacket in my pending order.',
        note: 'reason: change the fleece jacket',
      },
      { say: 'The one with the fleece jacket.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The fleece jacket.', note: 'reason: the fleece jacket' },
      {
        say: 'A large red one with a half zipper.',
        note: "reason: large, red, half zipper (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      {
        say: 'PayPal.',
        note: 'agent lists payment methods; PayPal is the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
    ],
  },
  '87': {
    turns: [
      {
        say: 'I want to change the shipping address of all my pending orders to my Washington DC address.',
        note: 'reason: all pending order addresses to the Washington DC address',
      },
      { say: 'yusuf.hernandez8836@example.com', note: 'known info: email' },
      {
        say: 'The one with the gaming mouse.',
        note: 'agent lists the orders; the first pending one',
        onlyIf: /which order/i,
      },
      {
        say: 'The Washington DC one.',
        note: 'reason: the Washington DC address, in one of the orders (not revealed)',
      },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Now please change the shipping address of my pending order with the grill too.',
        note: 'reason: all pending orders',
      },
      { say: 'The one with the grill.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The Washington DC one.', note: 'reason: the Washington DC address' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'And the shipping address of my pending order with the hiking boots as well.',
        note: 'reason: all pending orders (the other hiking boots order is processed)',
      },
      {
        say: 'The pending one with the hiking boots.',
        note: 'agent lists the orders',
        onlyIf: /which order/i,
      },
      { say: 'The Washington DC one.', note: 'reason: the Washington DC address' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Finally, change my default address to the Washington DC address as well.',
        note: 'reason: along with your user default address',
      },
      { say: 'The Washington DC one.', note: 'reason: the Washington DC address' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '88': {
    turns: [
      {
        say: 'Which bookshelves do you have in stock, and at what prices?',
        note: 'reason: find a 4 foot bookshelf of the same material and color',
      },
      { say: 'daiki.silva6295@example.com', note: 'known info: email' },
      { say: 'Bookshelf.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to change the size of the bookshelf in my pending order.',
        note: 'reason: change the bookshelf to 4 foot',
      },
      { say: 'The one with the bookshelf.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The bookshelf.', note: 'reason: the bookshelf' },
      {
        say: 'Same but 4 ft tall.',
        note: "reason: 4 foot, same material and color (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      {
        say: 'The gift card.',
        note: 'agent lists payment methods; the gift card is the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
      {
        say: 'Then please cancel that whole order, I will buy again.',
        note: 'reason: if it is not available, cancel the whole order',
      },
      { say: 'The one with the bookshelf.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'I ordered it by mistake.', note: 'reason: ordered by mistake, when asked' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat: 'The customer learns the 4 ft bookshelf is out of stock from the refused change.',
  },
  '89': {
    turns: [
      {
        say: 'Which mechanical keyboards do you have in stock, and at what prices?',
        note: 'reason: the cheapest available mechanical keyboard and its options',
      },
      { say: 'Raj Santos, zip code 98157.', note: 'known info: name and zip' },
      { say: 'Mechanical Keyboard.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to return my mechanical keyboard.',
        note: 'reason: the cheapest is $226.11, not under $200, so return',
      },
      { say: 'The one with the keyboard.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The mechanical keyboard.', note: 'reason: the keyboard' },
      {
        say: 'PayPal.',
        note: 'agent lists payment methods; PayPal is the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '91': {
    turns: [
      {
        say: 'The two skateboards I just bought are terrible quality. I want to return them, refund to my credit card.',
        note: 'reason: angry about the two skateboards; return them, refund to credit card',
      },
      { say: 'Mei Ahmed, zip code 78705.', note: 'known info: name and zip (no email)' },
      { say: 'The one with the skateboards.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'Both skateboards.', note: 'reason: the two skateboards', onlyIf: /which item/i },
      { say: 'My credit card.', note: 'reason: refund to credit card', onlyIf: /payment method|refund to/i },
      {
        say: 'Wait, not yet. I also want to return the smart watch.',
        note: 'reason: at the confirmation, do not say yes at once: also return the smart watch',
      },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
      {
        say: 'I also want to exchange the e-reader I just bought for a new one, the same model if it is available.',
        note: 'reason: also return the e-reader; if the same item is available, exchange it for the same item',
      },
      { say: 'The one with the e-reader.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The e-reader.', note: 'the item to exchange', onlyIf: /which item/i },
      {
        say: 'The same one as mine, a new one.',
        note: 'reason: exchange it for the same item if it is available',
        onlyIf: /which new item/i,
      },
      {
        say: 'The 32GB one then, same screen and Wi-Fi.',
        note: 'reason: if the agent does not allow the same item, get the 32GB storage e-reader instead',
        onlyIf: /different option/i,
      },
      { say: 'My credit card.', note: 'the only payment method', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
    ],
  },
  '92': {
    turns: [
      {
        say: 'I want to return the two skateboards I just bought, their quality is awful.',
        note: 'reason: return the two skateboards',
      },
      { say: 'Mei Ahmed, zip code 78705.', note: 'known info: name and zip' },
      { say: 'The one with the skateboards.', note: 'agent lists the orders', onlyIf: /which order/i },
      {
        say: 'The 28 inch skateboard and the 34 inch skateboard.',
        note: 'the two skateboards, told apart by the sizes in the item list the agent showed',
      },
      { say: 'My credit card.', note: 'reason: refund to credit card' },
      {
        say: 'Not yet, wait: I also want to return the smart watch.',
        note: 'reason: at the confirmation, do not say yes; also the smart watch',
      },
      { say: 'Yes.', note: 'confirm (the agent added the watch to the skateboards)' },
      { say: 'I also want to return the e-reader.', note: 'reason: and the e-reader' },
      { say: 'The one with the e-reader.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The e-reader.', note: 'reason: the e-reader' },
      { say: 'My credit card.', note: 'reason: refund to credit card' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '93': {
    turns: [
      {
        say: 'Which laptops do you have in stock, and at what prices?',
        note: 'reason: find an i7, 8GB, 1TB SSD laptop',
      },
      { say: 'Lei Wilson, zip code 32255.', note: 'known info: name and zip' },
      { say: 'Laptop.', note: 'agent lists product types', onlyIf: /product/i },
      { say: 'I want to exchange the laptop I received.', note: 'reason: exchange the laptop' },
      {
        say: 'The one with the laptop.',
        note: 'agent lists the orders; two delivered ones hold a laptop, so the agent lists them again (no narrowing question)',
        onlyIf: /which order/i,
      },
      {
        say: 'The one with the garden hose.',
        note: 'the customer does not know which order holds the 15-inch 32GB laptop and looks at one of the two',
      },
      {
        say: 'Never mind, that is not the one.',
        note: 'the item list shows a 15-inch i5 16GB laptop; theirs is 15-inch, 32GB',
      },
      {
        say: 'I want to exchange the laptop I received, the 15-inch one with 32GB.',
        note: 'reason: if the agent asks which laptop, it is 15-inch, 32GB',
      },
      {
        say: 'The one with the running shoes.',
        note: 'agent lists the orders; the other laptop order',
        onlyIf: /which order/i,
      },
      { say: 'The laptop.', note: 'the item list shows a 15-inch i5 32GB laptop' },
      {
        say: 'An i7 with 8GB of ram and a 1TB SSD.',
        note: "reason: i7, 8GB, 1TB SSD (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      {
        say: 'My mastercard.',
        note: 'agent lists payment methods; the mastercard is the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
    ],
  },
  '95': {
    turns: [
      {
        say: 'Which laptops do you have in stock, and at what prices?',
        note: 'reason: find an i7, 8GB, 1TB SSD laptop',
      },
      { say: 'Lei Wilson, zip code 32255.', note: 'known info: name and zip' },
      { say: 'Laptop.', note: 'agent lists product types', onlyIf: /product/i },
      { say: 'I want to exchange the laptop I received.', note: 'reason: exchange the laptop' },
      {
        say: 'The one with the laptop.',
        note: 'agent lists the orders; two delivered ones hold a laptop, so the agent lists them again (no narrowing question)',
        onlyIf: /which order/i,
      },
      {
        say: 'The one with the garden hose.',
        note: 'reason: it is actually two laptops, one in each order; this one first',
      },
      { say: 'The laptop.', note: 'reason: the 15-inch laptop' },
      {
        say: 'An i7 with 8GB of ram and a 1TB SSD.',
        note: "reason: i7, 8GB, 1TB SSD (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      {
        say: 'My mastercard.',
        note: 'agent lists payment methods; the mastercard is the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
      { say: 'I want to exchange the laptop in my other order too.', note: 'reason: the second laptop' },
      { say: 'The one with the running shoes.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The laptop.', note: 'reason: the laptop' },
      {
        say: 'Also an i7 with 8GB of ram and a 1TB SSD.',
        note: "reason: the same new laptop (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      { say: 'My mastercard.', note: 'payment method', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
    ],
    caveat:
      'τ² also expects the amounts to pay ($167.87, $60.78 back, $107.09 in total); the agent does not compute them.',
  },
  '96': {
    turns: [
      {
        say: 'I want to change the shipping address of my order that goes to Los Angeles.',
        note: 'reason: change your LA order to your NYC address',
      },
      { say: 'Yusuf Li, zip code 91148.', note: 'known info: name and zip (no email)' },
      {
        say: 'The pending one.',
        note: 'agent lists the orders; the LA one is pending',
        onlyIf: /which order/i,
      },
      {
        say: 'My NYC address, the one in my other order.',
        note: 'reason: the NYC address is in your other order (not revealed)',
      },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I also want to change the bluetooth speaker in my pending order to the cheapest green one.',
        note: 'reason: exchange the bluetooth speaker to the cheapest green type',
      },
      {
        say: 'Yusuf Li, zip code 91148.',
        note: 'known info: name and zip, said again (workaround: the new address\'s zip replaced the sign-in zip, see "Engine gaps")',
        onlyIf: /could not find an account/i,
      },
      { say: 'The pending one.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The bluetooth speaker.', note: 'the item to change', onlyIf: /which items/i },
      {
        say: 'The green one that is not water resistant.',
        note: 'reason: the cheapest green type (the agent lists one green speaker that can be had: "green, not water resistance")',
      },
      { say: 'PayPal.', note: 'agent lists payment methods; the only one', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'The new address\'s zip replaces the sign-in zip, so the customer gives name and zip again for the next request (docs/tau2-results.md, "Engine gaps").',
  },
  '99': {
    turns: [
      {
        say: 'Which bicycles do you have in stock, and at what prices?',
        note: 'reason: a bicycle with a larger frame (mountain is fine)',
      },
      { say: 'Sofia Li, zip code 78260.', note: 'known info: name and zip' },
      { say: 'Bicycle.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'Which jigsaw puzzles do you have in stock, and at what prices?',
        note: 'reason: same difficulty, 1000 more pieces, art over animals',
      },
      { say: 'Jigsaw Puzzle.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'Which digital cameras do you have in stock, and at what prices?',
        note: 'reason: a slightly lower resolution, other options unchanged',
      },
      { say: 'Digital Camera.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to exchange the bicycle and the jigsaw puzzle I received, they are in the same order.',
        note: 'reason: both at the same time',
      },
      { say: 'The one with the bicycle.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The bicycle and the jigsaw puzzle.', note: 'reason: both items' },
      {
        say: 'A large frame mountain bicycle in red, and the art puzzle with 1500 pieces.',
        note: "reason: a larger frame; same difficulty, more pieces, art (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      { say: 'The visa card.', note: 'reason: prefer the visa card', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
      { say: 'I want to exchange the digital camera I received.', note: 'reason: the camera' },
      { say: 'The one with the digital camera.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The digital camera.', note: 'reason: the camera' },
      {
        say: 'Same but 20MP.',
        note: "reason: a slightly lower resolution, other options unchanged (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      { say: 'The visa card.', note: 'reason: prefer the visa card', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
      {
        say: 'I want to cancel the skateboard in my pending order.',
        note: 'reason: cancel only the skateboard',
      },
      { say: 'The one with the skateboard.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'No longer needed.', note: 'reason' },
      {
        say: 'No, I will cancel the whole order myself on the website.',
        note: 'reason: if only the whole order can be cancelled, do it yourself',
      },
    ],
  },
  '103': {
    turns: [
      {
        say: 'I want to cancel the bookshelf and the jigsaw puzzle, they are from the same order.',
        note: 'reason: mention at the beginning cancelling these two, from the same order',
      },
      { say: 'lucas.brown9344@example.com', note: 'known info: email' },
      {
        say: 'The one with the bookshelf and the jigsaw puzzle.',
        note: 'agent lists the orders',
        onlyIf: /which order/i,
      },
      {
        say: 'Then I want to return them: the bookshelf and the jigsaw puzzle.',
        note: 'reason: return the bookshelf and jigsaw',
      },
      {
        say: 'The one with the bookshelf and the jigsaw puzzle.',
        note: 'agent lists the orders',
        onlyIf: /which order/i,
      },
      { say: 'The bookshelf and the jigsaw puzzle.', note: 'reason: the two items' },
      {
        say: 'My mastercard.',
        note: 'agent lists payment methods; the mastercard is the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I also want to return the backpack I received with the vacuum cleaner.',
        note: 'reason: the backpack received with the vacuum cleaner',
      },
      {
        say: 'The one with the backpack and the vacuum cleaner.',
        note: 'agent lists the orders',
        onlyIf: /which order/i,
      },
      { say: 'The backpack.', note: 'reason: the backpack' },
      { say: 'My mastercard.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Please change the shipping address of my pending order, it should go to Chicago.',
        note: 'reason: the pending order goes to the default Chicago address',
      },
      {
        say: 'The pending one.',
        note: 'agent lists the orders; the only pending one',
        onlyIf: /which order/i,
      },
      {
        say: 'My default address in Chicago.',
        note: 'reason: the default Chicago one (the agent lists the addresses on file)',
      },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Which luggage sets do you have in stock, and at what prices?',
        note: 'reason: the same item in red',
      },
      { say: 'Luggage Set.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to change the color of the luggage set in my pending order.',
        note: 'reason: change its item color to red',
      },
      { say: 'The pending one.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The luggage set.', note: 'reason: the luggage set' },
      {
        say: 'Same but in red.',
        note: "reason: the same item in red (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      { say: 'My mastercard.', note: 'payment method', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
    ],
    caveat: 'τ² also expects the tracking number of the cancelled order (286422338955).',
  },
  '104': {
    turns: [
      {
        say: 'I want to cancel the bookshelves and the jigsaw puzzles I received, they are from different orders.',
        note: 'reason: mention at the beginning cancelling these two things, from different orders',
      },
      { say: 'lucas.brown9344@example.com', note: 'known info: email' },
      {
        say: 'The one with the bookshelf and the jigsaw puzzle.',
        note: 'agent lists the orders',
        onlyIf: /which order/i,
      },
      {
        say: 'Then I want to return them: the bookshelf and the jigsaw puzzle.',
        note: 'reason: return the bookshelf and jigsaw',
      },
      {
        say: 'The one with the bookshelf and the jigsaw puzzle.',
        note: 'agent lists the orders',
        onlyIf: /which order/i,
      },
      { say: 'The bookshelf and the jigsaw puzzle.', note: 'reason: the two items' },
      {
        say: 'My mastercard.',
        note: 'agent lists payment methods; the mastercard is the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I also want to return the bookshelf from my other order.',
        note: 'reason: all bookshelves received, in different orders',
      },
      {
        say: 'The one with the bookshelf and the espresso machine.',
        note: 'agent lists the orders',
        onlyIf: /which order/i,
      },
      { say: 'The bookshelf.', note: 'reason: the bookshelf', onlyIf: /which items/i },
      { say: 'My mastercard.', note: 'payment method', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I also want to return the backpack I received with the vacuum cleaner.',
        note: 'reason: the backpack received with the vacuum cleaner',
      },
      {
        say: 'The one with the backpack and the vacuum cleaner.',
        note: 'agent lists the orders',
        onlyIf: /which order/i,
      },
      { say: 'The backpack.', note: 'reason: the backpack' },
      { say: 'My mastercard.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Please change the shipping address of my pending order, it should go to Chicago.',
        note: 'reason: the pending order goes to the default Chicago address',
      },
      {
        say: 'The pending one.',
        note: 'agent lists the orders; the only pending one',
        onlyIf: /which order/i,
      },
      {
        say: 'My default address in Chicago.',
        note: 'reason: the default Chicago one (the agent lists the addresses on file)',
      },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Which luggage sets do you have in stock, and at what prices?',
        note: 'reason: the same item in red',
      },
      { say: 'Luggage Set.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to change the color of the luggage set in my pending order.',
        note: 'reason: change its item color to red',
      },
      { say: 'The pending one.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The luggage set.', note: 'reason: the luggage set' },
      {
        say: 'Same but in red.',
        note: "reason: the same item in red (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      { say: 'My mastercard.', note: 'payment method', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
    ],
    caveat: 'τ² also expects the tracking number of the cancelled order (286422338955).',
  },
  '105': {
    turns: [
      {
        say: 'I want to exchange the two tea kettles in my order #W4316152.',
        note: 'reason: for order #W4316152, exchange both tea kettles (order id given)',
      },
      { say: 'Aarav Anderson, zip code 19031.', note: 'known info: name and zip (no email)' },
      { say: 'Both tea kettles.', note: 'reason: one tea kettle and another', onlyIf: /which items/i },
      {
        say: 'Ceramic, for a gas stove.',
        note: "reason: one kettle to {'material': 'ceramic', 'stovetop compatibility': 'gas'}",
        onlyIf: /item 1 of 2/i,
      },
      {
        say: '1.5 liters, for a gas stove.',
        note: "reason: the other kettle to {'capacity': '1.5 liters', 'stovetop compatibility': 'gas'}",
        onlyIf: /item 2 of 2/i,
      },
      { say: 'My gift card.', note: 'the only payment method', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
    ],
    caveat:
      'τ² ends in a refusal: the gift card ($17.00) does not cover the $21.10 difference, so the database does not change; the agent says so after the exchange is refused.',
  },
  '106': {
    turns: [
      {
        say: 'Which t-shirts do you have in stock, and at what prices?',
        note: 'reason: find one size smaller, cotton, black if possible',
      },
      { say: 'sofia.thomas3019@example.com', note: 'known info: the first of two emails' },
      { say: 'sofia.thomas3069@example.com', note: 'known info: the second email' },
      { say: 'T-Shirt.', note: 'agent lists product types', onlyIf: /product/i },
      {
        say: 'I want to exchange my t-shirt for a smaller size, it is too big.',
        note: 'reason: the t-shirt is too big',
      },
      { say: 'The one with the t-shirt.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The t-shirt.', note: 'reason: the red XXL cotton t-shirt' },
      {
        say: 'One size smaller, cotton, in black.',
        note: "reason: one size smaller, cotton, black if possible (said by its attributes, as τ²'s user would)",
      },
      {
        say: 'Never mind.',
        note: 'the agent says it is not available: nothing else to choose',
        onlyIf: /not available right now/,
      },
      {
        say: 'PayPal.',
        note: 'agent lists payment methods; PayPal is the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
    ],
  },
  '107': {
    turns: [
      {
        say: 'The hiking boots I received look like someone already wore them. I want a new pair with the same specs.',
        note: 'reason: boots seem worn; ask for a new pair with the same specs (an exchange)',
      },
      { say: 'Yara Ito, zip code 75284.', note: 'known info: name and zip (no email)' },
      { say: 'The one with the hiking boots.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The hiking boots.', note: 'the item', onlyIf: /which item/i },
      {
        say: 'The same as mine, a new pair.',
        note: 'reason: a new pair with the same specs',
        onlyIf: /which new item/i,
      },
      {
        say: 'Then size 9 in leather, and they have to be waterproof.',
        note: 'reason: if the agent does not allow the exchange, size 9, leather, waterproof',
        onlyIf: /different option/i,
      },
      { say: 'PayPal.', note: 'the only payment method', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
      {
        say: 'I also want to exchange my jigsaw puzzle for a fancier theme with 500 fewer pieces, same difficulty level.',
        note: 'reason: jigsaw to a more fancy theme, 500 pieces less, same difficulty',
      },
      { say: 'The one with the jigsaw puzzle.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The jigsaw puzzle.', note: 'the item', onlyIf: /which item/i },
      {
        say: 'The fantasy one with 1000 pieces, intermediate.',
        note: 'reason: fancier theme (fantasy), 500 fewer pieces (1000), same difficulty (intermediate)',
        onlyIf: /option|which|pieces/i,
      },
      { say: 'PayPal.', note: 'the only payment method', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm', onlyIf: /shall i go ahead/i },
    ],
  },
  '109': {
    turns: [
      {
        say: 'I moved to a new house on the same street. I want to change the shipping address of my order that still goes to the old address, and my default address too, to my new home.',
        note: 'reason: the wrong order address and the default address to the new home (the two address changes first)',
      },
      { say: 'sophia.martin4832@example.com', note: 'known info: email' },
      {
        say: 'The address of my order with the luggage set, that is my new home.',
        note: 'reason: the luggage set was sent to the new address; the agent should look it up in the orders (the agent takes the default address first)',
      },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Now please change the shipping address of my order with the tablet to my new home too.',
        note: 'reason: the order sent to the old address (not the luggage set one)',
      },
      { say: 'The one with the tablet.', note: 'agent lists the orders', onlyIf: /which order/i },
      {
        say: 'The address of my order with the luggage set.',
        note: 'reason: the new home, looked up in the orders',
      },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I also want to change the tablet in my pending order to the cheapest one.',
        note: 'reason: exchange your tablet to the cheapest one due to moving costs (not said: "moving" reads as an address change)',
      },
      { say: 'The one with the tablet.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The tablet.', note: 'the item to change', onlyIf: /which items/i },
      {
        say: 'The silver one with a 10-inch screen and 64GB.',
        note: 'reason: the cheapest one: the agent lists the tablets that can be had with the price difference; this one is the most less',
      },
      {
        say: 'My credit card.',
        note: 'agent lists payment methods; the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'The agent takes the default address first. "Due to moving costs" is left out ("moving" reads as an address change).',
  },
  '110': {
    turns: [
      {
        say: 'I moved to a new house on the same street. I want to change the shipping address of my order that still goes to the old address, and my default address too, to my new home.',
        note: 'reason: the wrong order address and the default address to the new home (the two address changes first)',
      },
      { say: 'sophia.martin4832@example.com', note: 'known info: email' },
      {
        say: 'The address of my order with the tablet, that is my new home.',
        note: 'reason: the tablet was sent to the new house; the agent should look it up in the orders (the agent takes the default address first)',
      },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Now please change the shipping address of my order with the luggage set to my new home too.',
        note: 'reason: the tablet went to the new house, so the other order goes to the old address',
      },
      { say: 'The one with the luggage set.', note: 'agent lists the orders', onlyIf: /which order/i },
      {
        say: 'The address of my order with the tablet.',
        note: 'reason: the new home, looked up in the orders',
      },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I also want to change the tablet in my pending order to the cheapest one.',
        note: 'reason: exchange your tablet to the cheapest one due to moving costs (not said: "moving" reads as an address change)',
      },
      { say: 'The one with the tablet.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The tablet.', note: 'the item to change', onlyIf: /which items/i },
      {
        say: 'The silver one with a 10-inch screen and 64GB.',
        note: 'reason: the cheapest one: the agent lists the tablets that can be had with the price difference; this one is the most less',
      },
      {
        say: 'My credit card.',
        note: 'agent lists payment methods; the only one',
        onlyIf: /payment method/i,
      },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat: 'The new home is already the default address: τ² changes it to itself, and so does the agent.',
  },
  '112': {
    turns: [
      {
        say: 'I want to change the shipping address of my laptop order to my NYC address.',
        note: 'reason: modify your laptop order to your NYC address (said piecewise)',
      },
      { say: 'Yara Silva, zip code 77159.', note: 'known info: name and zip (no email)' },
      { say: 'The one with the laptop.', note: 'agent lists the orders', onlyIf: /which order/i },
      {
        say: 'My NYC address.',
        note: 'reason: the NYC address should be in your orders (not revealed)',
      },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I also want to change the laptop in my pending order to item number 9844888101.',
        note: 'reason: modify the laptop to item number 9844888101 (given)',
      },
      {
        say: 'Yara Silva, zip code 77159.',
        note: 'known info: name and zip, said again (workaround: the new address\'s zip replaced the sign-in zip, see "Engine gaps")',
        onlyIf: /could not find an account/i,
      },
      { say: 'The one with the laptop.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The laptop.', note: 'the item to change', onlyIf: /which items/i },
      { say: '9844888101', note: 'reason: item number 9844888101', onlyIf: /new item|available/i },
      { say: 'My gift card.', note: 'agent lists payment methods; the only one', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I also want to change the wristwatch in my pending order to one with a black dial, keeping the leather strap.',
        note: 'reason: change your watch for one with black dial color but keeping the leather strap',
      },
      { say: 'The one with the wristwatch.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'The wristwatch.', note: 'the item to change', onlyIf: /which items/i },
      {
        say: 'A black dial with the leather strap.',
        note: 'reason: black dial, leather strap',
        onlyIf: /new item|available/i,
      },
      { say: 'My gift card.', note: 'agent lists payment methods; the only one', onlyIf: /payment method/i },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'The new address\'s zip replaces the sign-in zip, so the customer gives name and zip again for the next request (docs/tau2-results.md, "Engine gaps").',
  },
  '113': {
    turns: [
      { say: 'I want to cancel my pending orders.', note: 'reason: cancel all pending orders' },
      { say: 'Yara Muller, zip code 85041.', note: 'known info: name and zip' },
      {
        say: 'The one with the makeup kit.',
        note: 'agent lists the orders; a pending one',
        onlyIf: /which order/i,
      },
      { say: 'I ordered the items by mistake.', note: 'reason, only when asked' },
      { say: 'Yes.', note: 'confirm' },
      { say: 'I also want to cancel my other pending order.', note: 'reason: all pending orders' },
      { say: 'The one with the dumbbell set.', note: 'agent lists the orders', onlyIf: /which order/i },
      { say: 'I ordered the items by mistake.', note: 'reason, only when asked' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
};
