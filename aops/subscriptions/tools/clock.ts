/**
 * The instant Tidewave's data was taken (data/db.json is a snapshot): the conversations run on it
 * (tenant.ts `clock`), the tools measure periods, pauses and refunds from its day, and the payment
 * stand-in checks card expiry against it. One constant, so the assistant, the tools and the provider
 * agree on what "today" is and the conversation tests give the same amounts on every run.
 */
export const TIDEWAVE_NOW = '2026-03-15T12:00:00Z';
