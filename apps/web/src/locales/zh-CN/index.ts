/**
 * Chinese, the first language and the fallback: one file per room (the rooms of ARCHITECTURE.md),
 * merged here. It is bundled with the app (first paint needs it); English is loaded only when chosen.
 */
import { mergeRooms } from '../merge.ts';
import accounts from './accounts.ts';
import booking from './booking.ts';
import dashboard from './dashboard.ts';
import repairs from './repairs.ts';
import schools from './schools.ts';
import shared from './shared.ts';
import venues from './venues.ts';

const zhCN = mergeRooms(shared, accounts, venues, booking, schools, repairs, dashboard);

export type MessageSchema = typeof zhCN;
export default zhCN;
