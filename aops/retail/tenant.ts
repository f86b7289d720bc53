import { retailCatalogue } from './tools/declarations.ts';

/**
 * The retail reference tenant: its procedures are the `*.md` files next to this module, its tools
 * the catalogue below. `aop check|compile|explain` find a tenant by this file.
 */
export const catalogue = retailCatalogue;
/** Where a first message goes when no procedure's `when` fits it. */
export const fallbackAop = 'transfer-to-human';
