/**
 * English: one file per room, each typed by its Chinese twin, merged here. Loaded on demand
 * (`loadLocaleMessages` in modules/i18n.ts) only when English is the active language.
 */
import { mergeRooms } from '../merge.ts';
import type { MessageSchema } from '../zh-CN/index.ts';
import accounts from './accounts.ts';
import booking from './booking.ts';
import dashboard from './dashboard.ts';
import repairs from './repairs.ts';
import schools from './schools.ts';
import shared from './shared.ts';
import venues from './venues.ts';

const en: MessageSchema = mergeRooms(shared, accounts, venues, booking, schools, repairs, dashboard);

export default en;
