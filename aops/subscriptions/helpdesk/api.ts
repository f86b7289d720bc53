/** What the tools and the helpdesk stand-in (helpdesk/server.ts) agree on. */

/** The secret holding the helpdesk's API credentials (`{email}/token:{api_token}`, HTTP Basic). */
export const HELPDESK_SECRET = 'helpdesk-api';
/** Where the tools find the helpdesk: set by the local platform to the stand-in, by deploy.json in AWS. */
export const HELPDESK_URL_VARIABLE = 'HELPDESK_URL';
