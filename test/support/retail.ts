import { resolve } from 'node:path';

/**
 * The retail reference tenant's folder: what the platform tests run (its procedures, its seeded τ² data).
 * Named here because `npm start` and `startPlatform` serve every tenant folder, or the one they are
 * given, and there is more than one under aops/.
 */
export const RETAIL_AOPS = resolve(import.meta.dirname, '../../aops/retail');
