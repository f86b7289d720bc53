/**
 * Scripted customers for τ²-bench retail train tasks (aops/retail/data/tasks.json, split "train").
 *
 * Each script is what a person following the task's `user_scenario.instructions` would type, one chat
 * message per turn, each with a note saying which instruction (or which question of the agent) it
 * answers. Scripts are fixed: the local model endpoint is deterministic, so the agent asks the same
 * questions every run, and a script that no longer fits its conversation fails its test.
 *
 * What a customer may say (docs/tau2-results.md, "Rules for the scripts"): what the instructions tell
 * them; order ids and item ids as a person reading their own order history has them; the options the
 * agent listed, by naming them. An id marked `read` must have appeared in an earlier agent reply (the
 * test checks it).
 */

export interface Turn {
  /** The customer's message. */
  readonly say: string;
  /** Which instruction of the task (or which question of the agent) the message comes from. */
  readonly note: string;
  /** Ids the customer took from an earlier agent reply; each must appear in one. */
  readonly read?: readonly string[];
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
      { say: 'Mechanical Keyboard.', note: 'agent lists product types' },
      {
        say: 'Which smart thermostats do you have in stock, and at what prices?',
        note: 'reason: find a thermostat compatible with Google Home',
      },
      { say: 'Smart Thermostat.', note: 'agent lists product types' },
      {
        say: 'I want to exchange the mechanical keyboard and the smart thermostat in my order #W2378156.',
        note: 'reason: exchange both in one go (order id given)',
      },
      { say: 'The mechanical keyboard and the smart thermostat.', note: 'reason: both items' },
      {
        say: '9025753381 and 7747408585',
        note: 'reason: clicky, RGB, full size keyboard; Google (Assistant) thermostat in black, from the listings',
        read: ['9025753381', '7747408585'],
      },
      { say: 'My mastercard.', note: 'agent lists payment methods; the mastercard is the only one' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Then I want to exchange the mechanical keyboard and the smart thermostat in my order #W2378156, with no backlight on the keyboard.',
        note: 'reason: the clicky RGB full size keyboard is not available',
      },
      { say: 'The mechanical keyboard and the smart thermostat.', note: 'reason: the items' },
      { say: '7706410293 and 7747408585', note: 'reason: the new items', read: ['7706410293', '7747408585'] },
      { say: 'My mastercard.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'The listing does not show availability: the customer learns that the clicky RGB keyboard is out of stock from the refused exchange.',
  },
  '1': {
    turns: [
      {
        say: 'Which mechanical keyboards do you have in stock, and at what prices?',
        note: 'reason: find the same keyboard with clicky switches',
      },
      { say: 'Yusuf Rossi, zip code 19122.', note: 'known info: name and zip' },
      { say: 'Mechanical Keyboard.', note: 'agent lists product types' },
      {
        say: 'Which smart thermostats do you have in stock, and at what prices?',
        note: 'reason: find a thermostat compatible with Google Home',
      },
      { say: 'Smart Thermostat.', note: 'agent lists product types' },
      {
        say: 'I want to exchange the mechanical keyboard and the smart thermostat in my order #W2378156.',
        note: 'reason: exchange both in one go (order id given)',
      },
      { say: 'The mechanical keyboard and the smart thermostat.', note: 'reason: both items' },
      {
        say: '9025753381 and 7747408585',
        note: 'reason: clicky, RGB, full size keyboard; Google (Assistant) thermostat in black, from the listings',
        read: ['9025753381', '7747408585'],
      },
      { say: 'My mastercard.', note: 'agent lists payment methods; the mastercard is the only one' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Then I want to exchange only the smart thermostat in my order #W2378156.',
        note: 'reason: the clicky RGB full size keyboard is not available',
      },
      { say: 'Just the smart thermostat.', note: 'reason: the items' },
      { say: '7747408585', note: 'reason: the new items', read: ['7747408585'] },
      { say: 'My mastercard.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'The listing does not show availability: the customer learns that the clicky RGB keyboard is out of stock from the refused exchange.',
  },
  '2': {
    turns: [
      {
        say: 'Hi, I want to return some items from my order #W2378156.',
        note: 'reason: return the cleaner, headphone and smart watch (order id from the order history)',
      },
      { say: "I'm Yusuf Rossi, zip code 19122.", note: 'known info: name and zip' },
      { say: 'The vacuum cleaner, the headphones and the smart watch.', note: 'reason: the three items' },
      { say: 'My mastercard.', note: 'agent lists payment methods; the only one is a mastercard' },
      { say: 'Yes, go ahead.', note: 'confirm' },
    ],
    caveat: 'The t-shirt question (τ² expects "10 options") is not asked: the agent cannot count variants.',
  },
  '3': {
    turns: [
      {
        say: 'Which t-shirts do you have in stock, and at what prices?',
        note: 'reason: how many t-shirt options are available',
      },
      { say: 'Yusuf Rossi, zip code 19122.', note: 'known info: name and zip' },
      { say: 'T-Shirt.', note: 'agent lists product types' },
      {
        say: 'I want to change the color of the t-shirt in my pending order #W4776164.',
        note: 'reason: modify the pending small t-shirt (order id from the order history)',
      },
      { say: 'The t-shirt.', note: 'reason: the small t-shirt' },
      {
        say: '9647292434',
        note: 'reason: purple, same size S, v-neck, polyester in the listing',
        read: ['9647292434'],
      },
      { say: 'My mastercard.', note: 'agent lists payment methods; the mastercard is the only one' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'τ² also expects "10 t-shirt options available"; the listing shows all 12 variants without their availability.',
  },
  '4': {
    turns: [
      {
        say: 'Which t-shirts do you have in stock, and at what prices?',
        note: 'reason: how many t-shirt options are available',
      },
      { say: 'Yusuf Rossi, zip code 19122.', note: 'known info: name and zip' },
      { say: 'T-Shirt.', note: 'agent lists product types' },
      {
        say: 'I want to change the color of the t-shirt in my pending order #W6247578.',
        note: 'reason: modify all pending t-shirts (order ids from the order history)',
      },
      { say: 'The t-shirt.', note: 'reason: the t-shirt' },
      {
        say: '9647292434',
        note: 'reason: purple, size S, v-neck, polyester in the listing',
        read: ['9647292434'],
      },
      { say: 'My mastercard.', note: 'agent lists payment methods; the mastercard is the only one' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I want to change the color of the t-shirt in my pending order #W4776164 too.',
        note: 'reason: the other pending t-shirt',
      },
      { say: 'The t-shirt.', note: 'reason: the t-shirt' },
      { say: '9647292434', note: 'reason: the same purple t-shirt', read: ['9647292434'] },
      { say: 'My mastercard.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'τ² also expects "10 t-shirt options available"; the listing shows all 12 variants without their availability.',
  },
  '6': {
    turns: [
      {
        say: 'Which desk lamps do you have in stock, and at what prices?',
        note: 'reason: find a less bright (battery, else USB, else AC) desk lamp',
      },
      { say: 'Mei Kovacs, zip code 28236.', note: 'known info: user mei_kovacs_8020 and zip' },
      { say: 'Desk Lamp.', note: 'agent lists product types' },
      {
        say: 'Which water bottles do you have in stock, and at what prices?',
        note: 'reason: find a bigger water bottle',
      },
      { say: 'Water Bottle.', note: 'agent lists product types' },
      {
        say: 'I want to exchange the water bottle and the desk lamp in my order #W6390527.',
        note: 'reason: exchange the water bottle and the desk lamp (order id from the order history)',
      },
      { say: 'The water bottle and the desk lamp.', note: 'reason: both items' },
      {
        say: '4579334072 and 7453605304',
        note: 'reason: a 750ml bottle (bigger than 500ml) and the preferred lamp from the listings',
        read: ['4579334072', '7453605304'],
      },
      { say: 'PayPal.', note: 'agent lists payment methods; PayPal is the only one' },
      {
        say: 'No, only exchange the desk lamp.',
        note: 'reason: if the agent asks for confirmation, only exchange the desk lamp',
      },
      {
        say: 'I want to exchange just the desk lamp in my order #W6390527.',
        note: 'reason: only the desk lamp',
      },
      { say: 'The desk lamp.', note: 'reason: the desk lamp' },
      { say: '7453605304', note: 'reason: the preferred lamp', read: ['7453605304'] },
      { say: 'PayPal.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '7': {
    turns: [
      {
        say: 'Which desk lamps do you have in stock, and at what prices?',
        note: 'reason: find a less bright (AC adapter, else battery, else USB) desk lamp',
      },
      { say: 'Mei Kovacs, zip code 28236.', note: 'known info: user mei_kovacs_8020 and zip' },
      { say: 'Desk Lamp.', note: 'agent lists product types' },
      {
        say: 'Which water bottles do you have in stock, and at what prices?',
        note: 'reason: find a bigger water bottle',
      },
      { say: 'Water Bottle.', note: 'agent lists product types' },
      {
        say: 'I want to exchange the water bottle and the desk lamp in my order #W6390527.',
        note: 'reason: exchange the water bottle and the desk lamp (order id from the order history)',
      },
      { say: 'The water bottle and the desk lamp.', note: 'reason: both items' },
      {
        say: '4579334072 and 1569765161',
        note: 'reason: a 750ml bottle (bigger than 500ml) and the preferred lamp from the listings',
        read: ['4579334072', '1569765161'],
      },
      { say: 'PayPal.', note: 'agent lists payment methods; PayPal is the only one' },
      {
        say: 'No, only exchange the desk lamp.',
        note: 'reason: if the agent asks for confirmation, only exchange the desk lamp',
      },
      {
        say: 'I want to exchange just the desk lamp in my order #W6390527.',
        note: 'reason: only the desk lamp',
      },
      { say: 'The desk lamp.', note: 'reason: the desk lamp' },
      { say: '1569765161', note: 'reason: the preferred lamp', read: ['1569765161'] },
      { say: 'PayPal.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '8': {
    turns: [
      {
        say: 'Which desk lamps do you have in stock, and at what prices?',
        note: 'reason: find a brighter (battery, else USB, else AC) desk lamp',
      },
      { say: 'Mei Kovacs, zip code 28236.', note: 'known info: user mei_kovacs_8020 and zip' },
      { say: 'Desk Lamp.', note: 'agent lists product types' },
      {
        say: 'Which water bottles do you have in stock, and at what prices?',
        note: 'reason: find a bigger water bottle',
      },
      { say: 'Water Bottle.', note: 'agent lists product types' },
      {
        say: 'I want to exchange the water bottle and the desk lamp in my order #W6390527.',
        note: 'reason: exchange the water bottle and the desk lamp (order id from the order history)',
      },
      { say: 'The water bottle and the desk lamp.', note: 'reason: both items' },
      {
        say: '4579334072 and 1270145486',
        note: 'reason: a 750ml bottle (bigger than 500ml) and the preferred lamp from the listings',
        read: ['4579334072', '1270145486'],
      },
      { say: 'PayPal.', note: 'agent lists payment methods; PayPal is the only one' },
      {
        say: 'No, only exchange the desk lamp.',
        note: 'reason: if the agent asks for confirmation, only exchange the desk lamp',
      },
      {
        say: 'I want to exchange just the desk lamp in my order #W6390527.',
        note: 'reason: only the desk lamp',
      },
      { say: 'The desk lamp.', note: 'reason: the desk lamp' },
      { say: '1270145486', note: 'reason: the preferred lamp', read: ['1270145486'] },
      { say: 'PayPal.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Then the USB one: I want to exchange just the desk lamp in my order #W6390527.',
        note: 'reason: battery is not available, USB is next',
      },
      { say: 'The desk lamp.', note: 'reason: the desk lamp' },
      { say: '9083642334', note: 'reason: bright, USB, from the listing', read: ['9083642334'] },
      { say: 'PayPal.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'The listing does not show availability: the customer learns that the battery lamp is out of stock from the refused exchange.',
  },
  '10': {
    turns: [
      {
        say: 'I want to return everything in my order #W5490111.',
        note: 'reason: return all things ordered',
      },
      { say: 'mia.garcia2723@example.com', note: 'known info: email' },
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
      {
        say: 'I want to return everything in my order #W5490111.',
        note: 'reason: return all things ordered',
      },
      { say: 'mia.garcia2723@example.com', note: 'known info: email' },
      { say: 'Everything.', note: 'reason: all things' },
      {
        say: 'PayPal.',
        note: "reason: refund each order to the other order's payment method (this one was paid by card)",
      },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Damn it, this is ridiculous. Fine, I want to return everything in order #W5490111 then.',
        note: 'reason: if not possible, swear, then agree to the original payment method',
      },
      { say: 'Everything.', note: 'reason: all things' },
      {
        say: 'The original payment method, the visa card.',
        note: 'reason: agree to the original payment method',
      },
      { say: 'Yes.', note: 'confirm' },
      { say: 'Now return everything in my order #W7387996 as well.', note: 'reason: return BOTH orders' },
      { say: 'Everything.', note: 'reason: all things' },
      { say: 'PayPal, the original one.', note: 'original payment method of this order' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '13': {
    turns: [
      {
        say: 'I want to return some things from my order #W5490111.',
        note: 'reason: return everything not associated with gaming',
      },
      { say: 'mia.garcia2723@example.com', note: 'known info: email' },
      {
        say: 'The water bottle, the action camera and the backpack.',
        note: 'reason: everything but the keyboard, without revealing it',
      },
      { say: 'PayPal.', note: 'reason: PayPal is preferred for the refund' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Okay, then return them from order #W5490111 to my credit card instead.',
        note: 'reason: otherwise a credit card is accepted',
      },
      { say: 'The water bottle, the action camera and the backpack.', note: 'same items' },
      { say: 'The visa credit card.', note: 'reason: credit card' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '14': {
    turns: [
      {
        say: 'I want to return an item from my order #W5490111.',
        note: 'reason: return everything gaming related',
      },
      { say: 'mia.garcia2723@example.com', note: 'known info: email' },
      { say: 'The mechanical keyboard.', note: 'reason: the keyboard' },
      { say: 'The original payment method, my visa card.', note: 'reason: original payment is preferred' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I also want to return the gaming mouse from my order #W7387996.',
        note: 'reason: and the mouse',
      },
      { say: 'The gaming mouse.', note: 'reason: the mouse' },
      { say: 'PayPal, the original payment method.', note: 'reason: original payment is preferred' },
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
      { say: 'Hiking Boots.', note: 'agent lists product types' },
      {
        say: 'I want to change the size of the hiking boots in my pending order #W5199551.',
        note: 'reason: modify the pending boots (order id from the order history)',
      },
      { say: 'The hiking boots.', note: 'reason: the boots' },
      {
        say: '3613716226',
        note: 'reason: size 8, same material (synthetic), waterproof or not: the only such variant listed',
        read: ['3613716226'],
      },
      { say: 'PayPal.', note: 'reason: PayPal for any payment or refund' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '16': {
    turns: [
      { say: 'I want to cancel my pending order #W5199551.', note: 'reason: cancel all pending orders' },
      { say: 'Fatima Johnson 78712', note: 'known info: name and zip' },
      { say: 'I no longer need it.', note: 'reason: no longer needed' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Please also cancel my other pending order #W8665881.',
        note: 'reason: cancel all pending orders',
      },
      { say: 'No longer needed.', note: 'reason: no longer needed' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I also want to return the watch from my order #W9389413.',
        note: 'reason: return the watch you received',
      },
      { say: 'Only the smart watch.', note: 'reason: but nothing else' },
      { say: 'PayPal.', note: 'agent lists payment methods; the order was paid with PayPal' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat: 'τ² also expects the total refund ($8,276.23); the agent does not add it up.',
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
        say: 'Please also change the shipping address of my pending order #W9911714.',
        note: 'reason: and all possible order addresses (the only pending order, from the order history)',
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
    caveat: 'The customer states the original address; τ²’s user does not know it and relies on the agent.',
  },
  '23': {
    turns: [
      {
        say: 'Which cycling helmets do you have in stock, and at what prices?',
        note: 'reason: find a medium, red, high ventilation helmet',
      },
      { say: 'Sofia Hernandez, zip code 98193.', note: 'known info: name and zip' },
      { say: 'Cycling Helmet.', note: 'agent lists product types' },
      {
        say: 'Which luggage sets do you have in stock, and at what prices?',
        note: 'reason: find a two-piece black soft luggage set',
      },
      { say: 'Luggage Set.', note: 'agent lists product types' },
      {
        say: 'I want to exchange the helmet in my order #W3947049.',
        note: 'reason: exchange the helmet (order ids from the order history)',
      },
      { say: 'The cycling helmet.', note: 'reason: the helmet' },
      {
        say: '8573379326',
        note: 'reason: medium, red, high ventilation in the listing',
        read: ['8573379326'],
      },
      { say: 'My visa card.', note: 'agent lists payment methods; the visa is the only one' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I want to exchange the luggage set in my order #W6876713.',
        note: 'reason: the luggage set in another order',
      },
      { say: 'The luggage set.', note: 'reason: the luggage set' },
      { say: '8926329222', note: 'reason: two-piece, black, softshell in the listing', read: ['8926329222'] },
      { say: 'My visa card.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I want to change the size of the grill in my pending order #W3561391.',
        note: 'reason: modify the grill you just ordered',
      },
      { say: 'The grill.', note: 'reason: the grill' },
      {
        say: '7082455361',
        note: 'reason: the same type as the grill received in #W6876713 (its item id from the listed items)',
        read: ['7082455361'],
      },
      { say: 'My visa card.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '24': {
    turns: [
      { say: 'I want to cancel the grill in my order #W3561391.', note: 'reason: cancel the grill' },
      { say: 'Sofia Hernandez, zip code 98193.', note: 'known info: name and zip' },
      { say: 'I ordered it by mistake.', note: 'make up a reason' },
      {
        say: 'No, wait, I changed my mind. I want to keep it.',
        note: 'reason: at the confirmation, regret and keep it',
      },
      {
        say: 'What are the details of my order #W9609649?',
        note: 'reason: ask which two t-shirts are in another order',
      },
    ],
    caveat: 'τ² also expects the t-shirt materials (polyester, cotton); the agent only tells the status.',
  },
  '28': {
    turns: [
      {
        say: 'I want to return the skateboard from my order #W3792453.',
        note: 'reason: first return the skateboard',
      },
      { say: 'Isabella Johansson, zip code 32286.', note: 'known info: name and zip' },
      { say: 'The skateboard.', note: 'reason: the skateboard' },
      { say: 'PayPal.', note: 'agent lists payment methods; PayPal is the only one' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Next, return the garden hose and the backpack from my order #W7181492.',
        note: 'reason: then the garden hose and backpack',
      },
      { say: 'The garden hose and the backpack.', note: 'reason: the garden hose and backpack' },
      { say: 'PayPal.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Then return the keyboard and the bed from my order #W5565470.',
        note: 'reason: then the keyboard and bed',
      },
      { say: 'The keyboard and the pet bed.', note: 'reason: the keyboard and bed' },
      { say: 'PayPal.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I also want to cancel the garden hose in my pending order #W2575533.',
        note: 'reason: cancel the garden hose from the pending order',
      },
      { say: 'I no longer need it.', note: 'reason for cancelling' },
      {
        say: 'No, do not cancel the whole order. Leave it as it is.',
        note: 'reason: if it requires cancelling the entire order, tell the agent not to',
      },
    ],
    caveat: 'τ² also expects the total refund ($918.43); the agent does not add it up.',
  },
  '30': {
    turns: [
      {
        say: 'What is the status of my order #W2692684? The tablet in it arrived damaged.',
        note: 'reason: the tracking number of the tablet order first (order id from the order history)',
      },
      { say: 'Olivia Lopez, zip code 76171.', note: 'known info: name and zip' },
      {
        say: 'I want to exchange the damaged tablet from order #W2692684 for the same item.',
        note: 'reason: prefer an exchange for the same item',
      },
      { say: 'The tablet.', note: 'reason: the tablet' },
      {
        say: 'The same item, 3788616824.',
        note: 'reason: the same item (its id from the listed items)',
        read: ['3788616824'],
      },
      { say: 'My gift card.', note: 'agent lists payment methods; the gift card is the only one' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Then I want to return the tablet from order #W2692684.',
        note: 'reason: if the same item is not available, return it',
      },
      { say: 'The tablet.', note: 'reason: the tablet' },
      { say: 'The gift card.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Please also cancel my order #W9373487, the charger that goes with the tablet.',
        note: 'reason: if the tablet is returned, cancel the charger',
      },
      { say: 'I no longer need it.', note: 'reason for cancelling' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Finally, I want to return the sneakers from my order #W7449508.',
        note: 'reason: return the sneaker',
      },
      { say: 'The sneakers.', note: 'reason: the sneakers' },
      { say: 'The gift card.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat: 'τ² also expects the tracking number (746342064230); the agent only tells the status.',
  },
  '31': {
    turns: [
      {
        say: 'I lost the tablet I just received. Can you refund it or send me a new one?',
        note: 'reason: ask for a refund or reorder of the lost tablet',
      },
      { say: 'Olivia Lopez, zip code 76171.', note: 'known info: name and zip' },
      { say: 'It was order #W2692684.', note: 'the tablet order (from the order history)' },
      { say: 'The tablet.', note: 'reason: the tablet' },
      { say: 'My gift card.', note: 'payment method' },
      {
        say: 'No, I cannot send it back, I lost it.',
        note: 'reason: a return needs the item back, so it is not a refund for a lost tablet',
      },
      {
        say: 'Then cancel the charger I just bought, order #W9373487.',
        note: 'reason: if not, cancel the charger that goes with the tablet',
      },
      { say: 'I no longer need it.', note: 'reason for cancelling' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Please cancel the boots in my order #W5481803, but keep the kettle.',
        note: 'reason: cancel the boots and keep the kettle',
      },
      { say: 'I no longer need them.', note: 'reason for cancelling' },
      {
        say: 'No, I want to keep the kettle, so do not cancel that order.',
        note: 'reason: if not possible, do nothing on that order',
      },
      { say: 'I want to return the sneakers from my order #W7449508.', note: 'reason: return the sneaker' },
      { say: 'The sneakers.', note: 'reason: the sneakers' },
      { say: 'The gift card.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat: 'τ² also expects the tracking number (746342064230); the agent only tells the status.',
  },
  '34': {
    turns: [
      {
        say: 'I want to cancel the office items in my pending order #W1845024.',
        note: 'reason: cancel the three home office items if partial cancelling is possible (order id from the order history)',
      },
      { say: 'Noah Patel, zip code 10108.', note: 'known info: name and zip' },
      { say: 'No longer needed.', note: 'reason: back to the office soon' },
      {
        say: 'No, I want to keep the hiking items, so do not cancel the whole order.',
        note: 'reason: partial cancelling is not possible',
      },
      {
        say: 'Then just change the shipping address of my order #W1845024 to my place in New York.',
        note: 'reason: if not possible, change the address to your NYC place',
      },
      { say: '224 Elm Street, Suite 491, New York, NY 10108, USA', note: 'your NYC home address' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'The customer states their New York home address; τ²’s user only says "my NYC place" and the agent finds it in the profile.',
  },
  '35': {
    turns: [
      {
        say: 'I want to return the speaker from my order #W8528674.',
        note: 'reason: return the more expensive speaker that is not water resistant (order id from the order history)',
      },
      { say: 'aarav.santos8321@example.com', note: 'known info: the first of two emails' },
      { say: 'aarav.santos8320@example.com', note: 'known info: the second email' },
      {
        say: '6704763132',
        note: 'reason: of the two speakers listed, the more expensive one, not water resistant',
        read: ['6704763132'],
      },
      { say: 'PayPal.', note: 'agent lists payment methods; PayPal is the only one' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Which laptops do you have in stock, and at what prices?',
        note: 'reason: the 13-inch version of the 17-inch laptop; else i5 over i7, silver or black',
      },
      { say: 'Laptop.', note: 'agent lists product types' },
      {
        say: 'I want to change the size of the laptop in my pending order #W9672333.',
        note: 'reason: modify the 17-inch laptop in another order',
      },
      { say: 'The 17-inch laptop.', note: 'reason: the 17-inch one of the two listed laptops' },
      {
        say: '5052031638',
        note: 'reason: no 13-inch i7 32GB 1TB black is listed; a 13-inch i5 in silver',
        read: ['5052031638'],
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
      { say: 'Jigsaw Puzzle.', note: 'agent lists product types' },
      {
        say: 'I want to change the shipping address of my pending order #W9583042.',
        note: 'reason: second problem: correct all order addresses (order ids from the order history)',
      },
      { say: '445 Maple Drive, Suite 394, Fort Worth, TX 76165, USA', note: 'known info: your address' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Please also change the shipping address of my pending order #W4082615.',
        note: 'reason: all order addresses',
      },
      { say: '445 Maple Drive, Suite 394, Fort Worth, TX 76165, USA', note: 'known info: your address' },
      { say: 'Yes.', note: 'confirm' },
      { say: 'I also want to change my default address.', note: 'reason: and your user address' },
      { say: '445 Maple Drive, Suite 394, Fort Worth, TX 76165, USA', note: 'known info: your address' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I want to change the size of the jigsaw puzzle in my pending order #W4082615.',
        note: 'reason: the first problem',
      },
      { say: 'The jigsaw puzzle.', note: 'reason: the 1000-piece intermediate jigsaw' },
      {
        say: '1096508426',
        note: 'reason: 500 pieces, beginner: the fewest pieces and easiest in the listing',
        read: ['1096508426'],
      },
      { say: 'PayPal, the one I paid with.', note: 'the payment method the order was paid with' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'The agent cannot show the address on file, so the customer corrects it without checking it first (it was wrong: 443 for 445).',
  },
  '44': {
    turns: [
      {
        say: 'Which desk lamps do you have in stock, and at what prices?',
        note: 'reason: find the cheapest desk lamp',
      },
      { say: 'Aarav Anderson, zip code 19031.', note: 'known info: name and zip' },
      { say: 'Desk Lamp.', note: 'agent lists product types' },
      {
        say: 'I want to change the desk lamp options in my order #W9300146, it has not shipped yet.',
        note: 'reason: change the desk lamp in order #W9300146',
      },
      { say: 'The desk lamp.', note: 'reason: the desk lamp' },
      { say: '5320792178', note: 'reason: the cheapest desk lamp listed', read: ['5320792178'] },
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
      { say: '9502126', note: 'reason: provide 9502126 first' },
      {
        say: 'Sorry, I made a mistake, it is 9502127.',
        note: 'reason: if asked to double check, 9502127 (found, so the forgotten W is never needed)',
      },
      {
        say: 'The air purifier and the robotic vacuum cleaner.',
        note: 'reason: the air purifier, and the robotic one of the two vacuum cleaners listed',
      },
      { say: 'PayPal.', note: 'agent lists payment methods; PayPal is the only one' },
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
      { say: '9502126', note: 'reason: provide 9502126 first' },
      {
        say: 'Sorry, I made a mistake, it is 9502127.',
        note: 'reason: if asked to double check, 9502127 (found, so the forgotten W is never needed)',
      },
      {
        say: 'The air purifier and the canister vacuum cleaner.',
        note: 'reason: the air purifier, and the canister one of the two vacuum cleaners listed',
      },
      { say: 'PayPal.', note: 'agent lists payment methods; PayPal is the only one' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'τ² also expects the refund total and the amount paid for the remaining items; the agent does not compute them.',
  },
  '48': {
    turns: [
      {
        say: 'I want to return the air purifier from my order #W9502127, it does not work well.',
        note: 'reason: return the air purifier (order id from the order history)',
      },
      { say: 'Daiki Johnson, zip code 80273.', note: 'known info: name and zip' },
      { say: 'The air purifier.', note: 'reason: only the air purifier' },
      { say: 'PayPal, the original payment method.', note: 'reason: refund to the original payment method' },
      { say: 'Yes, thank you.', note: 'confirm' },
    ],
    caveat:
      'The closing question (could the vacuum cleaner be returned too?) is not asked: any new message starts a new request.',
  },
  '52': {
    turns: [
      {
        say: 'Which digital cameras do you have in stock, and at what prices?',
        note: 'reason: the maximum zoom, all other specifications the same',
      },
      { say: 'Sofia Li, zip code 78260.', note: 'known info: name and zip' },
      { say: 'Digital Camera.', note: 'agent lists product types' },
      {
        say: 'I want to exchange the digital camera in my order #W4689314.',
        note: 'reason: exchange the camera (order id from the order history)',
      },
      { say: 'The digital camera.', note: 'reason: the 24MP, 3x, SD card camera' },
      {
        say: '5484530610',
        note: 'reason: 10x is the maximum zoom; the 24MP 10x listed has CF storage, the closest to the rest',
        read: ['5484530610'],
      },
      { say: 'PayPal.', note: 'reason: PayPal for any additional payment' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I still want to exchange the digital camera in my order #W4689314.',
        note: 'reason: maximise the zoom; keep the SD card instead',
      },
      { say: 'The digital camera.', note: 'reason: the camera' },
      { say: '9228757377', note: 'reason: 30MP, 10x, SD card in the listing', read: ['9228757377'] },
      { say: 'PayPal.', note: 'reason: PayPal' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'No 10x camera keeps both 24MP and the SD card; the customer tries the 24MP one first and learns from the refusal that it is out of stock.',
  },
  '54': {
    turns: [
      { say: 'I want to cancel my order #W4836353.', note: 'reason: cancel all possible orders' },
      { say: 'silva7872@example.com', note: 'known info: the first of two emails' },
      { say: 'amelia.silva7872@example.com', note: 'known info: the second email' },
      { say: 'No longer needed.', note: 'reason: financial issue' },
      { say: 'Yes.', note: 'confirm' },
      { say: 'Also cancel my order #W7342738.', note: 'reason: cancel all possible orders' },
      { say: 'No longer needed.', note: 'reason' },
      { say: 'Yes.', note: 'confirm' },
      { say: 'And return everything in my order #W4597054.', note: 'reason: return all possible orders' },
      { say: 'Everything.', note: 'reason: all items' },
      { say: 'The gift card.', note: 'agent lists payment methods; the gift card is the only one' },
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
      { say: 'Espresso Machine.', note: 'agent lists product types' },
      {
        say: 'Which laptops do you have in stock, and at what prices?',
        note: 'reason: the cheapest i7 or above laptop',
      },
      { say: 'Laptop.', note: 'agent lists product types' },
      {
        say: 'I want to exchange the espresso machine and the laptop in my order #W5838674.',
        note: 'reason: both items of the order you just received (order id from the order history)',
      },
      { say: 'The espresso machine and the laptop.', note: 'reason: both items' },
      {
        say: '3815173328 and 6017636844',
        note: 'reason: 9 bar (no 8 bar listed), 1.5L capsule; and the cheapest i7 laptop listed',
        read: ['3815173328', '6017636844'],
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
  '66': {
    turns: [
      {
        say: 'I want to exchange the luggage set in my order #W3361211 for a coat.',
        note: 'reason: change the luggage set for a coat',
      },
      { say: 'Aarav Lee, zip code 85025.', note: 'known info: name and zip' },
      {
        say: 'Then I would like to return the luggage set from order #W3361211.',
        note: 'reason: if there is no way to change it, return the item',
      },
      {
        say: 'Then please cancel the whole order #W3361211.',
        note: 'reason: if there are any issues, cancel the order',
      },
      { say: 'I no longer need it.', note: 'reason for cancelling' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '69': {
    turns: [
      { say: 'Hi, I want to return a laptop from my order #W2417020.', note: 'reason: return the laptop' },
      { say: 'Emma Smith, zip code 10192.', note: 'known info: name and zip' },
      {
        say: 'Can it be cancelled instead? Please cancel order #W2417020.',
        note: 'reason: if it cannot be returned, cancel',
      },
      { say: 'I found a better deal elsewhere.', note: 'reason: found a better deal' },
      { say: 'No longer needed.', note: 'agent offers the two reasons' },
      { say: 'Yes, please.', note: 'confirm' },
    ],
  },
  '73': {
    turns: [
      {
        say: 'Hi, I would like to return some items from my order #W5272531.',
        note: 'reason: return everything you just bought (order id from the order history)',
      },
      { say: 'My email is fatima.wilson5721@example.com.', note: 'known info: email' },
      { say: 'Everything except the coffee machine.', note: 'reason: everything except the coffee machine' },
      { say: 'To my visa card, please.', note: 'agent lists payment methods; the only one is a visa' },
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
      { say: 'Wireless Earbuds.', note: 'agent lists product types' },
      {
        say: 'I want to exchange the wireless earbuds in my order #W6908222.',
        note: 'reason: exchange for #W6908222',
      },
      { say: 'The wireless earbuds.', note: 'reason: the blue 8 hours IPX4 earbuds' },
      {
        say: '4063058357',
        note: 'reason: black, 4 hours, not resistant in the listing',
        read: ['4063058357'],
      },
      { say: 'PayPal.', note: 'agent lists payment methods; PayPal is the only one' },
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
      { say: 'T-Shirt.', note: 'agent lists product types' },
      {
        say: 'I want to exchange the t-shirt in my order #W7209932.',
        note: 'reason: exchange for #W7209932',
      },
      { say: 'The t-shirt.', note: 'reason: the blue S polyester v-neck t-shirt' },
      { say: '9354168549', note: 'reason: red, XXL, cotton, crew neck in the listing', read: ['9354168549'] },
      { say: 'The gift card.', note: 'reason: use the gift card' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '81': {
    turns: [
      {
        say: 'I want to cancel some items I no longer need: the hiking boots, the watch and the keyboard in order #W3289292.',
        note: 'reason: no longer need hiking boots, watch, keyboard (order id from the order history)',
      },
      { say: 'james.kim1995@example.com', note: 'known info: email' },
      { say: 'No longer needed.', note: 'reason: life changes' },
      { say: 'Yes, go ahead.', note: 'reason: if only the whole order can be cancelled, cancel it' },
      {
        say: 'Also cancel my order #W9722559, I no longer need the charger, the jacket and the running shoes.',
        note: 'reason: charger, jacket and running shoes',
      },
      { say: 'No longer needed.', note: 'reason' },
      { say: 'Yes, go ahead.', note: 'reason: cancel the whole order' },
    ],
  },
  '82': {
    turns: [
      {
        say: 'I received two tablets and only need one. I want to return the more expensive one, from order #W9571698.',
        note: 'reason: return the more expensive tablet (order id from the order history)',
      },
      { say: 'Chen Silva, zip code 46281.', note: 'known info: name and zip' },
      { say: 'The tablet.', note: 'reason: the tablet' },
      { say: 'My credit card.', note: 'reason: refund to credit card' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'That is so annoying! Then return everything in order #W9571698 and refund it to my gift card.',
        note: 'reason: if not possible, angrily return everything on that order to the gift card',
      },
      { say: 'Everything.', note: 'reason: everything on that order' },
      { say: 'The gift card.', note: 'reason: refund to the gift card' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '83': {
    turns: [
      {
        say: 'I received two tablets and only need one. I want to return the more expensive one, from order #W9571698.',
        note: 'reason: return the more expensive tablet (order id from the order history)',
      },
      { say: 'Chen Silva, zip code 46281.', note: 'known info: name and zip' },
      { say: 'The tablet.', note: 'reason: the tablet' },
      { say: 'My credit card.', note: 'reason: refund to credit card' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'That is so annoying! Fine, then I want to return just the tablet from order #W9571698.',
        note: 'reason: if not possible, angrily refund to the gift card',
      },
      { say: 'The tablet.', note: 'reason: the tablet' },
      { say: 'The gift card.', note: 'reason: refund to the gift card' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '84': {
    turns: [
      {
        say: 'I received two tablets and only need one. I want to return the less expensive one, from order #W3069600.',
        note: 'reason: return the less expensive tablet (order id from the order history)',
      },
      { say: 'Chen Silva, zip code 46281.', note: 'known info: name and zip' },
      { say: 'The tablet.', note: 'reason: the tablet' },
      { say: 'My credit card.', note: 'reason: refund to credit card' },
      { say: 'No, wait, I changed my mind.', note: 'reason: at the confirmation, change your mind' },
      {
        say: 'I want to return the more expensive tablet instead, from order #W9571698, with a refund to my gift card.',
        note: 'reason: return the more expensive one, refund to gift card',
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
      { say: 'Fleece Jacket.', note: 'agent lists product types' },
      {
        say: 'I want to change the size and color of the fleece jacket in my pending order #W2466703.',
        note: 'reason: change the fleece jacket (order id from the order history)',
      },
      { say: 'The fleece jacket.', note: 'reason: the fleece jacket' },
      { say: '8733974883', note: 'reason: large, red, half zipper in the listing', read: ['8733974883'] },
      { say: 'PayPal.', note: 'agent lists payment methods; PayPal is the only one' },
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
      { say: 'Bookshelf.', note: 'agent lists product types' },
      {
        say: 'I want to change the size of the bookshelf in my pending order #W8835847.',
        note: 'reason: change the bookshelf to 4 foot (order id from the order history)',
      },
      { say: 'The bookshelf.', note: 'reason: the bookshelf' },
      { say: '7373893106', note: 'reason: glass, white, 4 ft in the listing', read: ['7373893106'] },
      { say: 'The gift card.', note: 'agent lists payment methods; the gift card is the only one' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Then please cancel the whole order #W8835847.',
        note: 'reason: if it is not available, cancel the whole order',
      },
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
      { say: 'Mechanical Keyboard.', note: 'agent lists product types' },
      {
        say: 'I want to return my mechanical keyboard from order #W4680753.',
        note: 'reason: the cheapest is $226.11, not under $200, so return (order id from the order history)',
      },
      { say: 'The mechanical keyboard.', note: 'reason: the keyboard' },
      { say: 'PayPal.', note: 'agent lists payment methods; PayPal is the only one' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '92': {
    turns: [
      {
        say: 'I want to return the two skateboards from my order #W7553978, their quality is awful.',
        note: 'reason: return the two skateboards (order id from the order history)',
      },
      { say: 'Mei Ahmed, zip code 78705.', note: 'known info: name and zip' },
      {
        say: '4545791457 and 3098764622',
        note: 'the two skateboards in the listed items',
        read: ['4545791457', '3098764622'],
      },
      { say: 'My credit card.', note: 'reason: refund to credit card' },
      {
        say: 'Not yet, wait: I also want to return the smart watch.',
        note: 'reason: at the confirmation, do not say yes; also the smart watch',
      },
      {
        say: 'I want to return the two skateboards and the smart watch from order #W7553978.',
        note: 'reason: skateboards and smart watch together',
      },
      {
        say: '4545791457, 3098764622 and the smart watch',
        note: 'the two skateboards and the watch from the listed items',
        read: ['4545791457', '3098764622'],
      },
      { say: 'My credit card.', note: 'reason: refund to credit card' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I also want to return the e-reader from my order #W3239882.',
        note: 'reason: and the e-reader',
      },
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
      { say: 'Laptop.', note: 'agent lists product types' },
      {
        say: 'I want to exchange the laptop in my order #W4073673.',
        note: 'reason: the 15-inch, 32GB laptop (order id from the order history)',
      },
      { say: 'The laptop.', note: 'reason: the laptop' },
      { say: '9844888101', note: 'reason: i7, 8GB, 1TB SSD in the listing', read: ['9844888101'] },
      { say: 'My mastercard.', note: 'agent lists payment methods; the mastercard is the only one' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '95': {
    turns: [
      {
        say: 'Which laptops do you have in stock, and at what prices?',
        note: 'reason: find an i7, 8GB, 1TB SSD laptop',
      },
      { say: 'Lei Wilson, zip code 32255.', note: 'known info: name and zip' },
      { say: 'Laptop.', note: 'agent lists product types' },
      {
        say: 'I want to exchange the laptop in my order #W2905754.',
        note: 'reason: it is actually two 15-inch laptops (order ids from the order history)',
      },
      { say: 'The laptop.', note: 'reason: the laptop' },
      { say: '9844888101', note: 'reason: i7, 8GB, 1TB SSD in the listing', read: ['9844888101'] },
      { say: 'My mastercard.', note: 'agent lists payment methods; the mastercard is the only one' },
      { say: 'Yes.', note: 'confirm' },
      { say: 'I want to exchange the laptop in my order #W4073673 too.', note: 'reason: the second laptop' },
      { say: 'The laptop.', note: 'reason: the laptop' },
      { say: '9844888101', note: 'reason: the same new laptop', read: ['9844888101'] },
      { say: 'My mastercard.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'τ² also expects the amounts to pay ($167.87, $60.78 back, $107.09 in total); the agent does not compute them.',
  },
  '99': {
    turns: [
      {
        say: 'Which bicycles do you have in stock, and at what prices?',
        note: 'reason: a bicycle with a larger frame (mountain is fine)',
      },
      { say: 'Sofia Li, zip code 78260.', note: 'known info: name and zip' },
      { say: 'Bicycle.', note: 'agent lists product types' },
      {
        say: 'Which jigsaw puzzles do you have in stock, and at what prices?',
        note: 'reason: same difficulty, 1000 more pieces, art over animals',
      },
      { say: 'Jigsaw Puzzle.', note: 'agent lists product types' },
      {
        say: 'Which digital cameras do you have in stock, and at what prices?',
        note: 'reason: a slightly lower resolution, other options unchanged',
      },
      { say: 'Digital Camera.', note: 'agent lists product types' },
      {
        say: 'I want to exchange the bicycle and the jigsaw puzzle in my order #W3916020.',
        note: 'reason: both at the same time (order ids from the order history)',
      },
      { say: 'The bicycle and the jigsaw puzzle.', note: 'reason: both items' },
      {
        say: '5606522780 and 5546244844',
        note: 'reason: the large frame bicycle; 1500 pieces, intermediate, art',
        read: ['5606522780', '5546244844'],
      },
      { say: 'The visa card.', note: 'reason: prefer the visa card' },
      { say: 'Yes.', note: 'confirm' },
      { say: 'I want to exchange the digital camera in my order #W4689314.', note: 'reason: the camera' },
      { say: 'The digital camera.', note: 'reason: the camera' },
      {
        say: '8363011723',
        note: 'reason: 20MP (down from 24MP), 3x, SD card in the listing',
        read: ['8363011723'],
      },
      { say: 'The visa card.', note: 'reason: prefer the visa card' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I want to cancel the skateboard in my order #W8855135.',
        note: 'reason: cancel only the skateboard',
      },
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
        say: 'I want to cancel the bookshelf and the jigsaw puzzle, they are from the same order #W6239298.',
        note: 'reason: mention at the beginning cancelling these two, from the same order (order id from the order history)',
      },
      { say: 'lucas.brown9344@example.com', note: 'known info: email' },
      {
        say: 'Then I want to return them: the bookshelf and the jigsaw puzzle from order #W6239298.',
        note: 'reason: return the bookshelf and jigsaw',
      },
      { say: 'The bookshelf and the jigsaw puzzle.', note: 'reason: the two items' },
      { say: 'My mastercard.', note: 'agent lists payment methods; the mastercard is the only one' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I also want to return the backpack from my order #W9218746, the one I received with the vacuum cleaner.',
        note: 'reason: the backpack received with the vacuum cleaner',
      },
      { say: 'The backpack.', note: 'reason: the backpack' },
      { say: 'My mastercard.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'I want to change the shipping address of my pending order #W4860251 to my default address in Chicago.',
        note: 'reason: the pending order goes to the default Chicago address',
      },
      { say: '921 Park Avenue, Suite 892, Chicago, IL 60612, USA', note: 'your Chicago home address' },
      { say: 'Yes.', note: 'confirm' },
      {
        say: 'Which luggage sets do you have in stock, and at what prices?',
        note: 'reason: the same item in red',
      },
      { say: 'Luggage Set.', note: 'agent lists product types' },
      {
        say: 'I want to change the color of the luggage set in my pending order #W4860251.',
        note: 'reason: change its item color to red',
      },
      { say: 'The luggage set.', note: 'reason: the luggage set' },
      { say: '8964750292', note: 'reason: 2-piece, hardshell, red in the listing', read: ['8964750292'] },
      { say: 'My mastercard.', note: 'payment method' },
      { say: 'Yes.', note: 'confirm' },
    ],
    caveat:
      'The customer states their Chicago home address; τ² leaves it to the agent. τ² also expects the tracking number of the cancelled order (286422338955).',
  },
  '106': {
    turns: [
      {
        say: 'Which t-shirts do you have in stock, and at what prices?',
        note: 'reason: find one size smaller, cotton, black if possible',
      },
      { say: 'sofia.thomas3019@example.com', note: 'known info: the first of two emails' },
      { say: 'sofia.thomas3069@example.com', note: 'known info: the second email' },
      { say: 'T-Shirt.', note: 'agent lists product types' },
      {
        say: 'I want to exchange my t-shirt from order #W3388163 for a smaller size.',
        note: 'reason: the t-shirt is too big (order id from the order history)',
      },
      { say: 'The t-shirt.', note: 'reason: the red XXL cotton t-shirt' },
      {
        say: '2060066974',
        note: 'reason: one size smaller (XL), cotton, black preferred among the listed XL cotton ones',
        read: ['2060066974'],
      },
      { say: 'PayPal.', note: 'agent lists payment methods; PayPal is the only one' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
  '113': {
    turns: [
      {
        say: 'I want to cancel my order #W5056519.',
        note: 'reason: cancel all pending orders (ids from the order history)',
      },
      { say: 'Yara Muller, zip code 85041.', note: 'known info: name and zip' },
      { say: 'I ordered the items by mistake.', note: 'reason, only when asked' },
      { say: 'Yes.', note: 'confirm' },
      { say: 'I also want to cancel my order #W5995614.', note: 'reason: all pending orders' },
      { say: 'I ordered the items by mistake.', note: 'reason, only when asked' },
      { say: 'Yes.', note: 'confirm' },
    ],
  },
};
