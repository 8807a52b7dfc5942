export { loadDemoData, DEMO_PASSWORD, DEMO_STAFF, DEMO_RESIDENT_COUNT, demoResidentPhone, ZHENGZHOU, ORDOS } from './demo.ts';
export { regionSeeds } from './regions.ts';
