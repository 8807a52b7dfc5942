import { defineConfig } from 'vitest/config';

/**
 * One run for the whole repository. The API project migrates one template database in its global
 * setup and gives every test file its own copy (PGlite by default, real PostgreSQL when
 * TEST_DATABASE_URL is set).
 */
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'tools'],
  },
});
